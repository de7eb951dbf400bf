/**
 * The campaign's rules and period: what every function's settings read, kept apart from the holiday calendar
 * (campaign.ts), whose data only the functions that count nights need in their bundles.
 */
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
