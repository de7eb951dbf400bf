import * as z from 'zod';
import type { RouteDoc } from './openapi';
import { CASE_STATUSES, DETECTION_SOURCES, OUTCOMES, RISK_LEVELS } from './vocabulary';

/**
 * GET /v1/stats: the campaign's key figures for a window of time, for the coordinator's wall and the station desk.
 * The window selects the cases OPENED in it; everything but `openRed` describes those cases and the reports on them.
 */

export const SIGHTING_SOURCES = ['patrol', 'public', 'coordinator'] as const;
export type SightingSource = (typeof SIGHTING_SOURCES)[number];
/** What brought a case in: the source of the report that opened it. */
export const LEAD_SOURCES = [...SIGHTING_SOURCES, ...DETECTION_SOURCES] as const;
export type LeadSource = (typeof LEAD_SOURCES)[number];

/** The longest window one request may ask for: a whole winter campaign (15 Nov – 15 Mar) and then some. */
export const STATS_MAX_WINDOW_DAYS = 200;
/** The window when `from` is not given: the last day (before `to`). */
export const STATS_DEFAULT_WINDOW_HOURS = 24;
/** Windows up to this long are bucketed by hour unless `bucket` says otherwise; longer ones by day. */
export const STATS_HOURLY_DEFAULT_MAX_HOURS = 48;
/** Hour buckets only for windows up to this long: a month is some 744 points, already more than a chart shows. */
export const STATS_MAX_HOURLY_WINDOW_DAYS = 31;
export const STATS_BUCKETS = ['hour', 'day'] as const;
export type StatsBucketSize = (typeof STATS_BUCKETS)[number];

/** A bound of the window. Unlike a reported time it may lie in the future (a window ending tonight). */
const WindowBound = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 timestamp with an offset, e.g. 2026-01-12T00:00:00+08:00' });

export const StatsQuery = z.strictObject({
  from: WindowBound.optional(),
  to: WindowBound.optional(),
  bucket: z.enum(STATS_BUCKETS).optional(),
});
export type StatsQuery = z.output<typeof StatsQuery>;

const countsOf = <const T extends readonly string[]>(values: T) =>
  z.object(Object.fromEntries(values.map((v) => [v, z.number().int().min(0)])) as { [K in T[number]]: z.ZodNumber });

export const Duration = z.object({
  count: z.number().int().min(0).describe('Cases the figure is taken over (those that reached the step).'),
  medianMinutes: z.number().nullable().describe('Median (the mean of the two middle values for an even count), in minutes to one decimal; null when no case reached the step. Each case\'s minutes are kept to a tenth under an hour, to the minute under a day, to the quarter hour beyond.'),
  p90Minutes: z.number().nullable().describe('90th percentile, nearest rank, in minutes to one decimal (kept as for the median); null when no case reached the step.'),
});

export const StatsBucket = z.object({
  start: z.string().describe('Start of the bucket (an hour, or a day from midnight Asia/Shanghai), RFC 3339 in UTC.'),
  opened: z.number().int().min(0),
  byRisk: countsOf(RISK_LEVELS),
  sightings: z.number().int().min(0),
  detections: z.number().int().min(0),
  acknowledged: z.number().int().min(0).describe('Cases opened in this bucket that were acknowledged (by now).'),
  resolved: z.number().int().min(0).describe('Cases opened in this bucket that were resolved (by now).'),
});

export const Stats = z.object({
  from: z.string().describe('Start of the window (included), RFC 3339 in UTC.'),
  to: z.string().describe('End of the window (excluded), RFC 3339 in UTC.'),
  generatedAt: z.string().describe('When the figures were taken: "now" for every figure that describes the present.'),
  reports: z.object({
    sightings: z.object({ total: z.number().int().min(0), bySource: countsOf(SIGHTING_SOURCES) }),
    detections: z.object({ total: z.number().int().min(0), bySource: countsOf(DETECTION_SOURCES) }),
  }).describe('Sightings and detections that joined the cases opened in the window (duplicates and rejects not counted). '
    + '`total` counts every report; cases stored before reports were counted by source add to `total` only, so '
    + '`bySource` may sum to less.'),
  cases: z.object({
    opened: z.number().int().min(0),
    byStatus: countsOf(CASE_STATUSES).describe('Their status now.'),
    byRisk: countsOf(RISK_LEVELS).describe('Their risk now.'),
    byLeadSource: countsOf(LEAD_SOURCES).describe('What opened each case (cases stored before this was kept are in none).'),
  }),
  outcomes: countsOf(OUTCOMES).describe('The latest outcome of each case that has one.'),
  minutes: z.object({
    openedToAcknowledged: Duration.describe('Over the cases acknowledged (by now).'),
    openedToResolved: Duration.describe('Over the cases resolved (by now), expired unverified leads included.'),
  }),
  openRed: z.number().int().min(0).describe('Red cases not yet resolved, now, whenever they were opened.'),
  series: z.object({
    bucket: z.enum(STATS_BUCKETS),
    points: z.array(StatsBucket).describe('Every bucket of the window, oldest first, empty ones included.'),
  }),
});
export type Stats = z.output<typeof Stats>;

export const STATS_DOC: RouteDoc<'GetStats'> = {
  tag: 'Statistics',
  description: 'The figures of the cases **opened** in the window `[from, to)`: the sightings and detections that joined '
    + 'them (by source), their status and risk now, what opened them, their outcomes, and how many minutes it took from '
    + 'opening to acknowledgement and to resolution (median, and 90th percentile by nearest rank, over the cases that '
    + 'got there; null when none did). A case opened before the window is not in it, however busy it was since. '
    + '`openRed` is the exception: every red case open, alerted, acknowledged or on the scene now, whenever it was opened '
    + '(an unverified machine lead is not counted).\n\n'
    + '`series` splits the same cases by when they were opened, into hours or into days from midnight Asia/Shanghai '
    + '(UTC+8, no daylight saving time); every bucket that overlaps the window is listed, empty ones included, so the '
    + 'first and last may start before `from` or end after `to` and still count only cases of the window.\n\n'
    + 'Cases stored before reports were counted by source count in the totals but in no `bySource` entry, and cases '
    + 'stored before their lead source was kept in no `byLeadSource` entry.',
  query: StatsQuery,
  parameters: {
    from: `Start of the window (included); default \`to\` minus ${STATS_DEFAULT_WINDOW_HOURS} hours.`,
    to: 'End of the window (excluded); default now. It may lie in the future.',
    bucket: `\`hour\` or \`day\` (days from midnight Asia/Shanghai). Default: \`hour\` for a window of up to `
      + `${STATS_HOURLY_DEFAULT_MAX_HOURS} hours, else \`day\`. \`hour\` is refused for windows longer than ${STATS_MAX_HOURLY_WINDOW_DAYS} days.`,
  },
  responses: { 200: { description: 'The figures of the window.', schema: Stats } },
  problems: {
    400: `\`from\` is not before \`to\`, the window is longer than ${STATS_MAX_WINDOW_DAYS} days, or hour buckets are asked `
      + `for a window longer than ${STATS_MAX_HOURLY_WINDOW_DAYS} days.`,
  },
};

export const STATS_COMPONENTS = { Stats, StatsBucket, StatsDuration: Duration };
