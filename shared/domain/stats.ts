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

/** How long a step took over the cases that reached it: their count, median and 90th percentile, in minutes (as kept). */
export function durationFigure(minutes: readonly number[]): Stats['minutes']['openedToAcknowledged'] {
  const histogram: DurationHistogram = {};
  for (const m of minutes) bump(histogram, String(keptMinutes(m)));
  return durationOfHistogram(histogram);
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

// ---- Mergeable figures -----------------------------------------------------------------------------------------

/**
 * How long a step took, as a histogram: minutes rounded to what the figures show (a tenth under an hour, a whole
 * minute under a day, a quarter of an hour beyond), each with how many cases took that long. Histograms of hours and
 * days add up, and their median and 90th percentile are those of the cases they count, at that rounding.
 */
export type DurationHistogram = Record<string, number>;

/** The value a duration is kept at: tenths of a minute under an hour, whole minutes under a day, quarter hours beyond. */
export function keptMinutes(minutes: number): number {
  const magnitude = Math.abs(minutes);
  if (magnitude < 60) return Math.round(minutes * 10) / 10;
  if (magnitude < 1_440) return Math.round(minutes);
  return Math.round(minutes / 15) * 15;
}

/**
 * The figures of a set of cases that add up: those of an hour's cases plus those of the next hour's are those of both
 * hours' cases. Counts by status, risk, lead source, outcome and report source are sparse (zeros left out), keyed by
 * whatever value the cases hold (a value this build does not know is kept, and left out of the answer).
 */
export interface Figures {
  opened: number;
  sightings: number;
  detections: number;
  /** Reports by their source, sightings' and detections' alike. */
  reports: Record<string, number>;
  byStatus: Record<string, number>;
  byRisk: Record<string, number>;
  byLeadSource: Record<string, number>;
  outcomes: Record<string, number>;
  acknowledged: number;
  resolved: number;
  toAcknowledged: DurationHistogram;
  toResolved: DurationHistogram;
}

export const noFigures = (): Figures => ({
  opened: 0, sightings: 0, detections: 0, reports: {}, byStatus: {}, byRisk: {}, byLeadSource: {}, outcomes: {},
  acknowledged: 0, resolved: 0, toAcknowledged: {}, toResolved: {},
});

const bump = (counts: Record<string, number>, key: string, by = 1) => {
  if (by) counts[key] = (counts[key] ?? 0) + by;
};

/** Counts one case into figures (in place). */
export function countCase(figures: Figures, c: CaseFigures): Figures {
  figures.opened += 1;
  figures.sightings += c.sightingCount;
  figures.detections += c.detectionCount;
  for (const [source, count] of Object.entries(c.reportsBySource ?? {})) bump(figures.reports, source, count ?? 0);
  bump(figures.byStatus, c.status);
  bump(figures.byRisk, c.risk);
  if (c.leadSource) bump(figures.byLeadSource, c.leadSource);
  if (c.outcome) bump(figures.outcomes, c.outcome);
  if (c.acknowledgedAt) {
    figures.acknowledged += 1;
    bump(figures.toAcknowledged, String(keptMinutes(minutesBetween(c.openedAt, c.acknowledgedAt))));
  }
  if (c.resolvedAt) {
    figures.resolved += 1;
    bump(figures.toResolved, String(keptMinutes(minutesBetween(c.openedAt, c.resolvedAt))));
  }
  return figures;
}

export const figuresOf = (cases: Iterable<CaseFigures>): Figures => {
  const figures = noFigures();
  for (const c of cases) countCase(figures, c);
  return figures;
};

/** Adds `more` into `into` (in place). */
export function addFigures(into: Figures, more: Figures): Figures {
  into.opened += more.opened;
  into.sightings += more.sightings;
  into.detections += more.detections;
  into.acknowledged += more.acknowledged;
  into.resolved += more.resolved;
  for (const field of ['reports', 'byStatus', 'byRisk', 'byLeadSource', 'outcomes', 'toAcknowledged', 'toResolved'] as const) {
    for (const [key, count] of Object.entries(more[field])) bump(into[field], key, count);
  }
  return into;
}

/** The count, median and 90th percentile (nearest rank) of a histogram's durations, in minutes to one decimal. */
export function durationOfHistogram(histogram: DurationHistogram): Stats['minutes']['openedToAcknowledged'] {
  const bins = Object.entries(histogram).map(([minutes, count]) => [Number(minutes), count] as const).sort((a, b) => a[0] - b[0]);
  const count = bins.reduce((sum, [, n]) => sum + n, 0);
  if (!count) return { count: 0, medianMinutes: null, p90Minutes: null };
  /** The value at a 1-based rank. */
  const at = (rank: number) => {
    let seen = 0;
    for (const [minutes, n] of bins) {
      seen += n;
      if (seen >= rank) return minutes;
    }
    return bins.at(-1)![0];
  };
  const mid = count % 2 ? at((count + 1) / 2) : (at(count / 2) + at(count / 2 + 1)) / 2;
  const p90 = at(Math.min(count, Math.max(1, Math.ceil(0.9 * count))));
  return { count, medianMinutes: oneDecimal(mid), p90Minutes: oneDecimal(p90) };
}

// ---- The answer ------------------------------------------------------------------------------------------------

/** Figures of the cases opened in a stretch of time that lies within one bucket, from its start. */
export interface FiguresPiece {
  start: Date;
  figures: Figures;
}

const countsIn = <const T extends readonly string[]>(keys: T, counts: Record<string, number>) =>
  Object.fromEntries(keys.map((key) => [key, counts[key] ?? 0])) as Record<T[number], number>;

/**
 * The answer of GET /v1/stats from pieces of the window's figures (hours and days kept, and the cases read where none
 * are kept), each counted in the bucket its start falls in, with `openRed` counted apart (it is about now).
 */
export function statsOf(window: StatsWindow, pieces: readonly FiguresPiece[], now: { openRed: number; generatedAt: Date }): Stats {
  const total = noFigures();
  const starts = bucketStarts(window);
  const perBucket = starts.map(() => noFigures());
  const firstStart = bucketStart(window.from, window.bucket).getTime();
  for (const piece of pieces) {
    addFigures(total, piece.figures);
    const bucket = perBucket[Math.floor((piece.start.getTime() - firstStart) / BUCKET_MS[window.bucket])];
    if (bucket) addFigures(bucket, piece.figures);
  }
  const sightingsBySource = countsIn(SIGHTING_SOURCES, total.reports);
  const detectionsBySource = countsIn(DETECTION_SOURCES, total.reports);
  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    generatedAt: now.generatedAt.toISOString(),
    reports: {
      sightings: { total: total.sightings, bySource: sightingsBySource },
      detections: { total: total.detections, bySource: detectionsBySource },
    },
    // A status, risk or outcome this build does not know (a value added later) is left out rather than invented.
    cases: {
      opened: total.opened, byStatus: countsIn(CASE_STATUSES, total.byStatus), byRisk: countsIn(RISK_LEVELS, total.byRisk),
      byLeadSource: countsIn(LEAD_SOURCES, total.byLeadSource),
    },
    outcomes: countsIn(OUTCOMES, total.outcomes),
    minutes: { openedToAcknowledged: durationOfHistogram(total.toAcknowledged), openedToResolved: durationOfHistogram(total.toResolved) },
    openRed: now.openRed,
    series: {
      bucket: window.bucket,
      points: starts.map((start, i) => ({
        start: start.toISOString(), opened: perBucket[i]!.opened, byRisk: countsIn(RISK_LEVELS, perBucket[i]!.byRisk),
        sightings: perBucket[i]!.sightings, detections: perBucket[i]!.detections,
        acknowledged: perBucket[i]!.acknowledged, resolved: perBucket[i]!.resolved,
      })),
    },
  };
}

const inWindow = (c: CaseFigures, window: StatsWindow) => {
  const opened = Date.parse(c.openedAt);
  return opened >= window.from.getTime() && opened < window.to.getTime();
};

/** The figures of cases grouped by the hour they were opened in: pieces statsOf adds up. */
export function hourlyPieces(cases: Iterable<CaseFigures>): FiguresPiece[] {
  const byHour = new Map<number, Figures>();
  for (const c of cases) {
    const hour = Math.floor(Date.parse(c.openedAt) / HOUR_MS) * HOUR_MS;
    countCase(byHour.get(hour) ?? byHour.set(hour, noFigures()).get(hour)!, c);
  }
  return [...byHour].map(([hour, figures]) => ({ start: new Date(hour), figures }));
}

/**
 * The figures of the cases opened in the window (others given are ignored), with `openRed` counted apart (it is
 * about now, not the window). Report totals are the cases' sightingCount and detectionCount; by source they are the
 * per-source counters, which cases stored before those existed lack.
 */
export function keyFigures(cases: readonly CaseFigures[], window: StatsWindow, now: { openRed: number; generatedAt: Date }): Stats {
  return statsOf(window, hourlyPieces(cases.filter((c) => inWindow(c, window))), now);
}
