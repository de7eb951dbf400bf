/**
 * The time windows of the coordinator's wall, on the Asia/Shanghai clock (UTC+8 all year: China has no daylight
 * saving time, so a fixed offset is exact). Pure, so that the edges of a night and of a campaign can be tested.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SHANGHAI_OFFSET = 8 * HOUR;
/** A cold night starts at 18:00: "tonight" at 02:00 is the night that began yesterday evening. */
const NIGHT_STARTS_AT_HOUR = 18;
/** The winter campaign 「冬春救助」 runs from 15 Nov to 15 Mar (month numbers from 0). */
const CAMPAIGN_START = { month: 10, day: 15 };
const CAMPAIGN_LAST_DAY = { month: 2, day: 15 };

export const TIME_WINDOWS = ['tonight', 'day', 'week', 'campaign'] as const;
export type TimeWindow = (typeof TIME_WINDOWS)[number];

/** [from, to) in epoch milliseconds; `to` undefined means "up to now, and on". */
export interface WindowRange {
  from: number;
  to?: number;
}

/** Midnight in Shanghai of the day `at` falls on. */
export function shanghaiMidnight(at: number): number {
  const local = at + SHANGHAI_OFFSET;
  return local - (((local % DAY) + DAY) % DAY) - SHANGHAI_OFFSET;
}

/** 18:00 Shanghai of the night `now` belongs to: today's if it is past 18:00, else yesterday's. */
export function tonightStart(now: number): number {
  const midnight = shanghaiMidnight(now);
  const evening = midnight + NIGHT_STARTS_AT_HOUR * HOUR;
  return now >= evening ? evening : evening - DAY;
}

/** 15 Nov 00:00 Shanghai of the current campaign season: this year's from 15 Nov on, else last year's. */
export function campaignStart(now: number): number {
  const year = new Date(now + SHANGHAI_OFFSET).getUTCFullYear();
  const start = (y: number) => Date.UTC(y, CAMPAIGN_START.month, CAMPAIGN_START.day) - SHANGHAI_OFFSET;
  return now >= start(year) ? start(year) : start(year - 1);
}

/** The end of the campaign that started at `start`: midnight after 15 Mar, Shanghai. */
export function campaignEnd(start: number): number {
  const year = new Date(start + SHANGHAI_OFFSET).getUTCFullYear() + 1;
  return Date.UTC(year, CAMPAIGN_LAST_DAY.month, CAMPAIGN_LAST_DAY.day + 1) - SHANGHAI_OFFSET;
}

/** The range of a window at `now`. Out of season, "the campaign" is the last one, which has ended. */
export function windowRange(window: TimeWindow, now: number): WindowRange {
  switch (window) {
    case 'tonight': return { from: tonightStart(now) };
    case 'day': return { from: now - DAY };
    case 'week': return { from: now - 7 * DAY };
    case 'campaign': {
      const from = campaignStart(now);
      const end = campaignEnd(from);
      return now < end ? { from } : { from, to: end };
    }
  }
}

/** Tonight by the hour, for the night chart: 18:00 to 08:00, or on to the end of the current hour if later. */
export function nightChartRange(now: number): Required<WindowRange> {
  const from = tonightStart(now);
  const endOfHour = Math.ceil((now + 1) / HOUR) * HOUR;
  return { from, to: Math.max(from + 14 * HOUR, endOfHour) };
}

/** The campaign by the day, for the campaign chart: from its start to the end of today (or of the campaign). */
export function campaignChartRange(now: number): Required<WindowRange> {
  const from = campaignStart(now);
  return { from, to: Math.min(shanghaiMidnight(now) + DAY, campaignEnd(from)) };
}

/** `2026-11-22T22:41:05+08:00`: an instant on the Shanghai clock, as RFC 3339 with its offset. */
export function shanghaiIso(at: string | number): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  return `${new Date(ms + SHANGHAI_OFFSET).toISOString().slice(0, 19)}+08:00`;
}

/** `2026-11-22`: the Shanghai date of an instant. */
export const shanghaiDate = (at: number): string => shanghaiIso(at).slice(0, 10);
