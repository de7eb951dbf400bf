import { distanceM } from '#shared/domain/geo';

/** Which of the phone's fixes a shift keeps: pure, so that it can be tested without a browser. */

/** A fix is kept when the team moved this far since the last one kept… */
export const MOVED_M = 20;
/** …and at least this long after it; */
export const MIN_GAP_MS = 30_000;
/** …and in any case this long after it (standing still), well inside the 10 minutes of silence that end a dwell. */
export const STILL_GAP_MS = 120_000;
/** Whether a new fix is worth keeping, given the last one kept. */
export function worthKeeping(fix: { at: number; lat: number; lon: number }, last: { at: number; lat: number; lon: number } | undefined): boolean {
  if (!last) return true;
  const gap = fix.at - last.at;
  return gap >= STILL_GAP_MS || (gap >= MIN_GAP_MS && distanceM(last, fix) >= MOVED_M);
}
