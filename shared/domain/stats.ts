import {
  LEAD_SOURCES, SIGHTING_SOURCES, type Stats, STATS_DEFAULT_WINDOW_HOURS, STATS_HOURLY_DEFAULT_MAX_HOURS, STATS_MAX_HOURLY_WINDOW_DAYS,
  STATS_MAX_WINDOW_DAYS, type StatsBucketSize,
} from '../contract/stats';
import { CASE_STATUSES, type CaseStatus, DETECTION_SOURCES, OUTCOMES, RISK_LEVELS } from '../contract/vocabulary';
import type { Case } from './case';
import { invalid } from './errors';
import { shanghaiMidnight } from './shanghai-clock';

/** The campaign's key figures (GET /v1/stats), from the cases opened in a window: pure arithmetic, no I/O. */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A case still needs someone: `openRed` counts red ones. An unverified lead is not yet a case anyone is sent to. */
export const UNRESOLVED_STATUSES = ['open', 'alerted', 'acknowledged', 'on_scene'] as const satisfies readonly CaseStatus[];

/** What the figures read of each case (and nothing more: the store projects these). */
export const CASE_FIGURE_FIELDS = [
  'caseId', 'openedAt', 'status', 'risk', 'outcome', 'acknowledgedAt', 'resolvedAt', 'sightingCount', 'detectionCount',
  'reportsBySource', 'leadSource',
] as const satisfies readonly (keyof Case)[];
export type CaseFigures = Pick<Case, (typeof CASE_FIGURE_FIELDS)[number]>;

// ---- Order statistics ----------------------------------------------------------------------------------------

const ascending = (values: readonly number[]) => [...values].sort((a, b) => a - b);

/** The median: the middle value, or the mean of the two middle values of an even count; null for none. */
export function median(values: readonly number[]): number | null {
  const sorted = ascending(values);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return null;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The p-th percentile by nearest rank: the smallest value with at least p % of the values at or below it; null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  const sorted = ascending(values);
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

const oneDecimal = (n: number) => Math.round(n * 10) / 10;

/** How long a step took over the cases that reached it: their count, median and 90th percentile, in minutes. */
export function durationFigure(minutes: readonly number[]): Stats['minutes']['openedToAcknowledged'] {
  const mid = median(minutes);
  const p90 = percentile(minutes, 90);
  return { count: minutes.length, medianMinutes: mid === null ? null : oneDecimal(mid), p90Minutes: p90 === null ? null : oneDecimal(p90) };
}

const minutesBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 60_000;

// ---- The window and its buckets ------------------------------------------------------------------------------

export interface StatsWindow {
  /** Included. */
  from: Date;
  /** Excluded. */
  to: Date;
  bucket: StatsBucketSize;
}

const refuse = (path: string, message: string, detail: string) => invalid(detail, [{ path, message }]);

/**
 * The window a query asks for: `to` defaults to now and `from` to a day before `to`; hour buckets for up to two
 * days, else days. A window that is empty, backwards, too long, or too long for hour buckets is refused.
 */
export function statsWindow(query: { from?: string; to?: string; bucket?: StatsBucketSize }, now: Date): StatsWindow {
  const to = query.to === undefined ? now : new Date(query.to);
  const from = query.from === undefined ? new Date(to.getTime() - STATS_DEFAULT_WINDOW_HOURS * HOUR_MS) : new Date(query.from);
  const length = to.getTime() - from.getTime();
  if (length <= 0) {
    throw refuse('query.from', 'is not before to', `from (${from.toISOString()}) must be before to (${to.toISOString()})`);
  }
  if (length > STATS_MAX_WINDOW_DAYS * DAY_MS) {
    throw refuse('query.from', `is more than ${STATS_MAX_WINDOW_DAYS} days before to`, `the window may be at most ${STATS_MAX_WINDOW_DAYS} days long`);
  }
  const bucket = query.bucket ?? (length <= STATS_HOURLY_DEFAULT_MAX_HOURS * HOUR_MS ? 'hour' : 'day');
  if (bucket === 'hour' && length > STATS_MAX_HOURLY_WINDOW_DAYS * DAY_MS) {
    throw refuse('query.bucket', `hour is for windows of up to ${STATS_MAX_HOURLY_WINDOW_DAYS} days`,
      `hour buckets are for windows of up to ${STATS_MAX_HOURLY_WINDOW_DAYS} days; ask for bucket=day`);
  }
  return { from, to, bucket };
}

const BUCKET_MS: Record<StatsBucketSize, number> = { hour: HOUR_MS, day: DAY_MS };

/** The start of the bucket an instant falls in: its hour, or its day from midnight in Shanghai. */
export function bucketStart(instant: Date, bucket: StatsBucketSize): Date {
  const t = instant.getTime();
  // Shanghai's hours are UTC's hours; its days begin at 16:00 UTC the day before.
  if (bucket === 'hour') return new Date(Math.floor(t / HOUR_MS) * HOUR_MS);
  return new Date(shanghaiMidnight(t));
}

/** The start of every bucket that overlaps the window, oldest first. */
export function bucketStarts(window: StatsWindow): Date[] {
  const step = BUCKET_MS[window.bucket];
  const starts: Date[] = [];
  for (let t = bucketStart(window.from, window.bucket).getTime(); t < window.to.getTime(); t += step) starts.push(new Date(t));
  return starts;
}

// ---- The figures -----------------------------------------------------------------------------------------------

const zeros = <const T extends readonly string[]>(keys: T) => Object.fromEntries(keys.map((key) => [key, 0])) as Record<T[number], number>;
const inWindow = (c: CaseFigures, window: StatsWindow) => {
  const opened = Date.parse(c.openedAt);
  return opened >= window.from.getTime() && opened < window.to.getTime();
};

/**
 * The figures of the cases opened in the window (others given are ignored), with `openRed` counted apart (it is
 * about now, not the window). Report totals are the cases' sightingCount and detectionCount; by source they are the
 * per-source counters, which cases stored before those existed lack.
 */
export function keyFigures(cases: readonly CaseFigures[], window: StatsWindow, now: { openRed: number; generatedAt: Date }): Stats {
  const opened = cases.filter((c) => inWindow(c, window));
  const reports = {
    sightings: { total: 0, bySource: zeros(SIGHTING_SOURCES) },
    detections: { total: 0, bySource: zeros(DETECTION_SOURCES) },
  };
  const byStatus = zeros(CASE_STATUSES);
  const byRisk = zeros(RISK_LEVELS);
  const byLeadSource = zeros(LEAD_SOURCES);
  const outcomes = zeros(OUTCOMES);
  const toAcknowledged: number[] = [];
  const toResolved: number[] = [];
  const points = bucketStarts(window).map((start) => ({
    start: start.toISOString(), opened: 0, byRisk: zeros(RISK_LEVELS), sightings: 0, detections: 0, acknowledged: 0, resolved: 0,
  }));
  const firstStart = bucketStart(window.from, window.bucket).getTime();

  for (const c of opened) {
    reports.sightings.total += c.sightingCount;
    reports.detections.total += c.detectionCount;
    for (const source of SIGHTING_SOURCES) reports.sightings.bySource[source] += c.reportsBySource?.[source] ?? 0;
    for (const source of DETECTION_SOURCES) reports.detections.bySource[source] += c.reportsBySource?.[source] ?? 0;
    // A status, risk or outcome this build does not know (a value added later) is left out rather than invented.
    if (c.status in byStatus) byStatus[c.status] += 1;
    if (c.risk in byRisk) byRisk[c.risk] += 1;
    if (c.leadSource && c.leadSource in byLeadSource) byLeadSource[c.leadSource] += 1;
    if (c.outcome && c.outcome in outcomes) outcomes[c.outcome] += 1;
    if (c.acknowledgedAt) toAcknowledged.push(minutesBetween(c.openedAt, c.acknowledgedAt));
    if (c.resolvedAt) toResolved.push(minutesBetween(c.openedAt, c.resolvedAt));

    const point = points[Math.floor((Date.parse(c.openedAt) - firstStart) / BUCKET_MS[window.bucket])]!;
    point.opened += 1;
    if (c.risk in point.byRisk) point.byRisk[c.risk] += 1;
    point.sightings += c.sightingCount;
    point.detections += c.detectionCount;
    if (c.acknowledgedAt) point.acknowledged += 1;
    if (c.resolvedAt) point.resolved += 1;
  }

  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    generatedAt: now.generatedAt.toISOString(),
    reports,
    cases: { opened: opened.length, byStatus, byRisk, byLeadSource },
    outcomes,
    minutes: { openedToAcknowledged: durationFigure(toAcknowledged), openedToResolved: durationFigure(toResolved) },
    openRed: now.openRed,
    series: { bucket: window.bucket, points },
  };
}
