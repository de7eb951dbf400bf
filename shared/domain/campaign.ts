import chineseDays from 'chinese-days';
import { NIGHT_STARTS_AT_HOUR, nightStart, SHANGHAI_OFFSET_MS } from './shanghai-clock';

export * from './campaign-rules';

/**
 * The campaign's nights and what each must cover. A night of date D runs 18:00 on D to 06:00 on D+1 (Asia/Shanghai);
 * positions and checks outside those hours count for no night's coverage.
 */
// The package's CommonJS build (what Node loads) has only a default export; its ES build has both.
const { getDayDetail, getSolarDateFromLunar, getSolarTermDate } = chineseDays;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** When the night's patrols end, the morning after. */
export const NIGHT_ENDS_AT_HOUR = 6;

/** `YYYY-MM-DD` of the night an instant belongs to (the evening it began). */
export function nightOf(at: number): string {
  return new Date(nightStart(at) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The patrol hours of night `YYYY-MM-DD`: [18:00 on D, 06:00 on D+1) Shanghai, as epoch milliseconds. */
export function nightWindow(night: string): { start: number; end: number } {
  const midnight = Date.parse(`${night}T00:00:00.000Z`) - SHANGHAI_OFFSET_MS;
  return { start: midnight + NIGHT_STARTS_AT_HOUR * HOUR_MS, end: midnight + DAY_MS + NIGHT_ENDS_AT_HOUR * HOUR_MS };
}

export const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00.000Z`) + DAY_MS).toISOString().slice(0, 10);
const previousDay = (date: string) => new Date(Date.parse(`${date}T00:00:00.000Z`) - DAY_MS).toISOString().slice(0, 10);

/**
 * Whether the State Council's calendar (through `chinese-days`, which carries each year's published holidays and
 * adjusted working days) has year `year`: it is published about a month before the year begins.
 */
function calendarHas(year: number): boolean {
  return getDayDetail(`${year}-01-01`).name.includes(',');
}

/**
 * The statutory public holidays of a year whose calendar is not published yet (《全国年节及纪念日放假办法》, as revised
 * in 2024): New Year's Day, Spring Festival's eve and first three days, Qingming, 1–2 May, Dragon Boat, Mid-Autumn and
 * 1–3 October. The published calendar adds the days moved around them; this is the least a year will have.
 */
function statutoryHolidays(year: number): Set<string> {
  const lunar = (month: number, day: number) => getSolarDateFromLunar(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`).date;
  const springFestival = lunar(1, 1);
  return new Set([
    `${year}-01-01`,
    previousDay(springFestival), springFestival, nextDay(springFestival), nextDay(nextDay(springFestival)),
    getSolarTermDate(year, 4, 'pure_brightness'),
    `${year}-05-01`, `${year}-05-02`,
    lunar(5, 5), lunar(8, 15),
    `${year}-10-01`, `${year}-10-02`, `${year}-10-03`,
  ]);
}

/** An official public holiday (not a plain weekend, not an adjusted working day). */
export function isPublicHoliday(date: string): boolean {
  const year = Number(date.slice(0, 4));
  if (!calendarHas(year)) return statutoryHolidays(year).has(date);
  const { work, name } = getDayDetail(date);
  return !work && name.includes(',');
}

/** A night of a public holiday or the night before one. */
export const isHolidayNight = (night: string) => isPublicHoliday(night) || isPublicHoliday(nextDay(night));

