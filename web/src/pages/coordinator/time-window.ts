/**
 * The time windows of the coordinator's wall, on the Asia/Shanghai clock (UTC+8 all year: China has no daylight
 * saving time, so a fixed offset is exact). Pure, so that the edges of a night and of a campaign can be tested.
 */
import { nightStart, SHANGHAI_OFFSET_MS, shanghaiIso, shanghaiMidnight } from '#shared/domain/shanghai-clock';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
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

/** 15 Nov 00:00 Shanghai of the current campaign season: this year's from 15 Nov on, else last year's. */
export function campaignStart(now: number): number {
  const year = new Date(now + SHANGHAI_OFFSET_MS).getUTCFullYear();
  const start = (y: number) => Date.UTC(y, CAMPAIGN_START.month, CAMPAIGN_START.day) - SHANGHAI_OFFSET_MS;
  return now >= start(year) ? start(year) : start(year - 1);
}

/** The end of the campaign that started at `start`: midnight after 15 Mar, Shanghai. */
export function campaignEnd(start: number): number {
  const year = new Date(start + SHANGHAI_OFFSET_MS).getUTCFullYear() + 1;
  return Date.UTC(year, CAMPAIGN_LAST_DAY.month, CAMPAIGN_LAST_DAY.day + 1) - SHANGHAI_OFFSET_MS;
}

/** The range of a window at `now`. Out of season, "the campaign" is the last one, which has ended. */
export function windowRange(window: TimeWindow, now: number): WindowRange {
  switch (window) {
    case 'tonight': return { from: nightStart(now) };
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
  const from = nightStart(now);
  const endOfHour = Math.ceil((now + 1) / HOUR) * HOUR;
  return { from, to: Math.max(from + 14 * HOUR, endOfHour) };
}

/** The campaign by the day, for the campaign chart: from its start to the end of today (or of the campaign). */
export function campaignChartRange(now: number): Required<WindowRange> {
  const from = campaignStart(now);
  return { from, to: Math.min(shanghaiMidnight(now) + DAY, campaignEnd(from)) };
}

/** `2026-11-22`: the Shanghai date of an instant. */
export const shanghaiDate = (at: number): string => shanghaiIso(at).slice(0, 10);
