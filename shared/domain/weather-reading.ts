import { median } from './stats';

/**
 * One weather reading grades the whole city's cases (the air temperature of triage and revisits), so a reading far
 * from the others of the last hours (a thermometer in the sun, a device's bad sensor, a typo) is held back rather
 * than trusted, until another sender confirms it: a real cold front is soon reported twice.
 */
export const OUTLIER_C = 10;
/** How far back the readings it is judged against go. */
export const COMPARE_HOURS = 6;

export interface Reading {
  airTempC: number;
  /** Who sent it (a member, a device): a confirmation must come from someone else. */
  sender: string;
  heldBack?: boolean;
}

/** Whether a new reading is held back, and why, judged against the readings of the last hours (held back or not). */
export function judgeReading(reading: Reading, recent: readonly Reading[]): { heldBack: false } | { heldBack: true; reason: string } {
  const trusted = recent.filter((r) => !r.heldBack).map((r) => r.airTempC);
  // With fewer than two trusted readings to compare with, there is no "the others" to be far from.
  const middle = trusted.length >= 2 ? median(trusted) : null;
  if (middle === null || Math.abs(reading.airTempC - middle) <= OUTLIER_C) return { heldBack: false };
  const confirmed = recent.some((r) => r.sender !== reading.sender && Math.abs(r.airTempC - reading.airTempC) <= OUTLIER_C / 2);
  if (confirmed) return { heldBack: false };
  return {
    heldBack: true,
    reason: `${reading.airTempC} °C is more than ${OUTLIER_C} °C from the ${trusted.length} readings of the last ${COMPARE_HOURS} h (median ${middle} °C); `
      + 'it stands once another sender reports the same',
  };
}
