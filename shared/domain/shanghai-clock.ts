/**
 * The clock everyone using the system reads: Asia/Shanghai, UTC+8 all year. China has no daylight saving time, so a
 * fixed offset is exact, in the functions, the local runtime and the pages alike.
 */
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
export const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;
/** A cold night starts at 18:00: at 02:00, "tonight" is the night that began yesterday evening. */
export const NIGHT_STARTS_AT_HOUR = 18;

/** `2026-11-22T22:41:05+08:00`: an instant on the Shanghai clock, RFC 3339 to the second, with its offset. */
export function shanghaiIso(at: string | number | Date): string {
  const ms = typeof at === 'string' ? Date.parse(at) : typeof at === 'number' ? at : at.getTime();
  return `${new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** Midnight in Shanghai of the day `at` (epoch milliseconds) falls on. */
export function shanghaiMidnight(at: number): number {
  const local = at + SHANGHAI_OFFSET_MS;
  return local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - SHANGHAI_OFFSET_MS;
}

/** 18:00 Shanghai of the night `at` belongs to: that day's if it is past 18:00, else the day before's. */
export function nightStart(at: number): number {
  const evening = shanghaiMidnight(at) + NIGHT_STARTS_AT_HOUR * HOUR_MS;
  return at >= evening ? evening : evening - DAY_MS;
}
