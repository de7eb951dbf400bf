import chineseDays from 'chinese-days';
import { NIGHT_STARTS_AT_HOUR, nightStart, SHANGHAI_OFFSET_MS } from './shanghai-clock';

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

/** The campaign: a name and its yearly period (month-day to month-day, over the new year), e.g. 11-15 to 03-15. */
export interface CampaignPeriod { name: string; from: string; to: string }
export const DEFAULT_CAMPAIGN: CampaignPeriod = { name: '冬春救助专项行动', from: '11-15', to: '03-15' };

/** The campaign a night belongs to, with its first night and which night this is (1 on its first), or none. */
export function campaignOf(night: string, period: CampaignPeriod = DEFAULT_CAMPAIGN): { name: string; from: string; to: string; night: number } | undefined {
  const year = Number(night.slice(0, 4));
  const md = night.slice(5);
  const wraps = period.from > period.to;
  // The campaign this night would be in began this year, or (in its new-year part) the year before.
  const startYear = wraps && md <= period.to ? year - 1 : year;
  const from = `${startYear}-${period.from}`;
  const to = `${wraps ? startYear + 1 : startYear}-${period.to}`;
  if (night < from || night > to) return undefined;
  return { name: period.name, from, to, night: Math.round((Date.parse(`${night}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1 };
}

export type HotSpotPriority = 'high' | 'normal';

export const DEFAULT_CAMPAIGN_RULES: CampaignRules = { checksByPriority: { high: 2, normal: 1 }, coldWaveExtra: 1, holidayExtra: 1, period: DEFAULT_CAMPAIGN };

/** The campaign's nightly targets: how many checks each hot spot needs, before a holiday's or a cold wave's one more. */
export interface CampaignRules {
  checksByPriority: Record<HotSpotPriority, number>;
  /** Checks added on a night a cold-wave warning of level yellow or above was in force. */
  coldWaveExtra: number;
  /** Checks added on a night of or before an official public holiday. */
  holidayExtra: number;
  /** The campaign's name and yearly period: reminders are sent within it; coverage and the report name it. */
  period: CampaignPeriod;
}

export function nightlyTarget(priority: HotSpotPriority, night: { coldWave: boolean; holiday: boolean }, rules = DEFAULT_CAMPAIGN_RULES): number {
  return rules.checksByPriority[priority] + (night.coldWave ? rules.coldWaveExtra : 0) + (night.holiday ? rules.holidayExtra : 0);
}
