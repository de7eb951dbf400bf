import type { LeadSource, Stats } from '../contract/stats';
import type { Outcome, RiskLevel } from '../contract/vocabulary';
import { nightWindow } from '../domain/campaign';
import { nearest } from '../domain/alert-routing';
import { distanceM } from '../domain/geo';
import { RISK_WORDS } from '../domain/notification';
import { peopleTakenIn } from '../domain/supplies';
import { responsibleStations, seesEverything } from '../domain/access-policy';
import type { CaseGate } from './case-access';
import { readNightCoverage } from './campaign';
import type { Dependencies } from './dependencies';
import { campaignStats } from './stats';

/**
 * The night's report (日报) a coordinator hands up in the morning, and a station keeps: for the night of `date`
 * (18:00 that day to 06:00 the next, Asia/Shanghai), the cases opened by district and source, their outcomes and
 * response times, the hot spots' coverage, the warnings in force, and the people in the stations. A station's
 * report counts the cases it is responsible for; the coverage and the warnings are the city's.
 */
export interface DailyReport {
  date: string;
  night: { from: string; to: string };
  generatedAt: string;
  scope: 'city' | { stationId: string };
  cases: {
    opened: number;
    byRisk: Record<RiskLevel, number>;
    byDistrict: { district: string; opened: number; red: number }[];
    bySource: Partial<Record<LeadSource, number>>;
    outcomes: Partial<Record<Outcome, number>>;
    minutesToAcknowledge: { count: number; median: number | null; p90: number | null };
    minutesToResolve: { count: number; median: number | null; p90: number | null };
    openRedNow: number;
  };
  /** The campaign the night is in, and which night of it. */
  campaign?: { name: string; from: string; to: string; night: number };
  coverage: {
    hotSpots: number; covered: number; coldWave: boolean; holiday: boolean;
    items: { name: string; district?: string; priority: string; checks: number; target: number; covered: boolean }[];
  };
  warnings: { event?: string; level?: RiskLevel; headline?: string; onset?: string; expires?: string }[];
  peopleInStations: number;
}

/** A case counts for the district of the nearest hot spot within this distance (until the city's outlines are configured). */
const DISTRICT_NEAR_M = 3_000;
export const UNKNOWN_DISTRICT = '其他';

const nonZero = <K extends string>(counts: Record<K, number>): Partial<Record<K, number>> =>
  Object.fromEntries(Object.entries(counts).filter(([, n]) => (n as number) > 0)) as Partial<Record<K, number>>;

export async function dailyReport(
  deps: Pick<Dependencies, 'stats' | 'directory' | 'campaign' | 'idempotency' | 'now' | 'campaignRules' | 'coverageRules'>,
  date: string, gate: CaseGate,
): Promise<DailyReport> {
  const { start, end } = nightWindow(date);
  const from = new Date(start).toISOString();
  const to = new Date(end).toISOString();
  const stationId = seesEverything(gate.caller) ? undefined : gate.caller.stationId;
  const keep = stationId ? (c: Parameters<typeof responsibleStations>[0]) => responsibleStations(c, gate.directory).has(stationId) : undefined;
  const [stats, opened, { coverage, hotSpots, warnings }, inStation] = await Promise.all([
    campaignStats(deps, { from, to, bucket: 'hour' }, gate),
    deps.stats.casesOpenedIn(from, to, keep, false, ['location']),
    readNightCoverage(deps, date),
    // The people in the stations now (a station's: those it took in), as the supplies count them.
    deps.stats.inStatus('in_station', ['stationId', 'intakePeople']).then((cases) => cases
      .filter((c) => !stationId || c.stationId === stationId)
      .reduce((n, c) => n + peopleTakenIn(c), 0)),
  ]);
  const districtOf = (location: { lat: number; lon: number } | undefined) => {
    const spot = location && nearest(hotSpots, location);
    return spot?.district && distanceM(location!, spot.location) <= DISTRICT_NEAR_M ? spot.district : UNKNOWN_DISTRICT;
  };
  const districts = new Map<string, { opened: number; red: number }>();
  for (const c of opened) {
    const district = districtOf(c.location);
    const row = districts.get(district) ?? { opened: 0, red: 0 };
    row.opened += 1;
    if (c.risk === 'red') row.red += 1;
    districts.set(district, row);
  }
  const duration = (d: Stats['minutes']['openedToAcknowledged']) => ({ count: d.count, median: d.medianMinutes, p90: d.p90Minutes });
  return {
    date,
    night: { from, to },
    generatedAt: deps.now().toISOString(),
    scope: stationId ? { stationId } : 'city',
    cases: {
      opened: stats.cases.opened,
      byRisk: stats.cases.byRisk,
      byDistrict: [...districts].map(([district, row]) => ({ district, ...row }))
        .sort((a, b) => b.opened - a.opened || a.district.localeCompare(b.district, 'zh-CN')),
      bySource: nonZero(stats.cases.byLeadSource),
      outcomes: nonZero(stats.outcomes),
      minutesToAcknowledge: duration(stats.minutes.openedToAcknowledged),
      minutesToResolve: duration(stats.minutes.openedToResolved),
      openRedNow: stats.openRed,
    },
    ...(coverage.campaign ? { campaign: coverage.campaign } : {}),
    coverage: {
      hotSpots: coverage.summary.hotSpots, covered: coverage.summary.covered, coldWave: coverage.coldWave, holiday: coverage.holiday,
      items: coverage.items.map((i) => ({ name: i.name, ...(i.district ? { district: i.district } : {}), priority: i.priority, checks: i.checks, target: i.target, covered: i.covered })),
    },
    warnings: warnings.map((w) => ({
      ...(w.event ? { event: w.event } : {}), ...(w.level ? { level: w.level } : {}), ...(w.headline ? { headline: w.headline } : {}),
      ...(w.onset ? { onset: w.onset } : {}), ...(w.expires ? { expires: w.expires } : {}),
    })),
    peopleInStations: inStation,
  };
}

/** The report's date when none is asked for: the night just over (before 18:00), or the one under way. */
export const defaultReportDate = (now: Date) => {
  const shanghai = new Date(now.getTime() + 8 * 3_600_000);
  const today = shanghai.toISOString().slice(0, 10);
  return shanghai.getUTCHours() >= 18 ? today : new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
};

// ─── CSV ─────────────────────────────────────────────────────────────────────────────────────────────────────

const cell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  // A leading =, +, - or @ would be a formula in a spreadsheet: quoted and prefixed, as OWASP advises.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * The report as CSV (UTF-8 with a byte order mark, so that Excel opens the Chinese right): one row per figure,
 * `section,item,value[,detail]`, easy to sum across stations and nights.
 */
export function reportCsv(report: DailyReport, words: ReportWords = REPORT_WORDS): string {
  const rows: unknown[][] = [['section', 'item', 'value', 'detail']];
  rows.push(['night', 'date', report.date, `${report.night.from}/${report.night.to}`]);
  rows.push(['cases', 'opened', report.cases.opened]);
  for (const risk of ['red', 'orange', 'yellow', 'blue'] as const) rows.push(['cases_by_risk', risk, report.cases.byRisk[risk], RISK_WORDS[risk]]);
  for (const d of report.cases.byDistrict) rows.push(['cases_by_district', d.district, d.opened, `red ${d.red}`]);
  for (const [source, n] of Object.entries(report.cases.bySource)) rows.push(['cases_by_source', source, n, words.source[source as LeadSource]]);
  for (const [outcome, n] of Object.entries(report.cases.outcomes)) rows.push(['outcomes', outcome, n, words.outcome[outcome as Outcome]]);
  rows.push(['minutes', 'to_acknowledge_median', report.cases.minutesToAcknowledge.median, `p90 ${report.cases.minutesToAcknowledge.p90 ?? ''}; n ${report.cases.minutesToAcknowledge.count}`]);
  rows.push(['minutes', 'to_resolve_median', report.cases.minutesToResolve.median, `p90 ${report.cases.minutesToResolve.p90 ?? ''}; n ${report.cases.minutesToResolve.count}`]);
  rows.push(['cases', 'open_red_now', report.cases.openRedNow]);
  rows.push(['coverage', 'hot_spots', report.coverage.hotSpots]);
  rows.push(['coverage', 'covered', report.coverage.covered, `${report.coverage.coldWave ? 'cold wave; ' : ''}${report.coverage.holiday ? 'holiday' : ''}`]);
  for (const i of report.coverage.items) rows.push(['coverage_hot_spot', i.name, `${i.checks}/${i.target}`, `${i.priority}${i.covered ? '' : '; not covered'}`]);
  for (const w of report.warnings) rows.push(['warning', w.event ?? '', w.level ?? '', `${w.onset ?? ''}/${w.expires ?? ''}`]);
  rows.push(['stations', 'people_in_stations', report.peopleInStations]);
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

export interface ReportWords {
  source: Record<LeadSource, string>;
  outcome: Record<Outcome, string>;
}

/** The words of the report, in Chinese: it is handed up to the civil-affairs bureau. */
export const REPORT_WORDS: ReportWords = {
  source: {
    patrol: '巡查队员', public: '群众求助', coordinator: '协调人', drone_thermal: '无人机热成像', fixed_thermal: '固定热成像',
    camera_ai: '天网AI', city_management: '数字城管',
  },
  outcome: {
    escorted_to_station: '护送入站', medical_handover: '移交120', declined_help: '拒绝救助', reunited_with_family: '与家人团聚',
    referred_to_police: '移交公安', not_found: '未找到', false_alarm: '误报',
  },
};
