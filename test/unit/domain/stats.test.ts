import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Stats } from '#shared/contract/stats';
import { CASE_STATUSES, RISK_LEVELS } from '#shared/contract/vocabulary';
import { DomainError } from '#shared/domain/errors';
import {
  addFigures, bucketStart, bucketStarts, type CaseFigures, durationFigure, durationOfHistogram, type FiguresPiece, hourlyPieces, keptMinutes,
  keyFigures, median, noFigures, percentile, statsOf, statsWindow, type StatsWindow,
} from '#shared/domain/stats';

const NOW = new Date('2026-01-12T15:30:00Z');
const HOUR = 3_600_000;
const iso = (d: Date) => d.toISOString();

/** The domain error a call throws, to read its kind, message and details. */
function refusal(call: () => unknown): DomainError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a refusal');
}

describe('median and percentile', () => {
  it('are null without values', () => {
    expect(median([])).toBeNull();
    expect(percentile([], 90)).toBeNull();
  });

  it('take the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([7])).toBe(7);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('take the 90th percentile by nearest rank', () => {
    const ten = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(percentile(ten, 90)).toBe(9);
    expect(percentile([...ten, 11], 90)).toBe(10);
    expect(percentile([3, 1, 2], 90)).toBe(3);
    expect(percentile([42], 90)).toBe(42);
    expect(percentile(ten, 50)).toBe(5);
    expect(percentile(ten, 100)).toBe(10);
    expect(percentile(ten, 0)).toBe(1);
  });

  it('make a duration figure in minutes to one decimal, null when nobody got there', () => {
    expect(durationFigure([])).toEqual({ count: 0, medianMinutes: null, p90Minutes: null });
    expect(durationFigure([1.25, 2.5, 10 / 3, 20])).toEqual({ count: 4, medianMinutes: 2.9, p90Minutes: 20 });
  });
});

describe('statsWindow', () => {
  it('defaults to the last 24 hours before now, by the hour', () => {
    expect(statsWindow({}, NOW)).toEqual({ from: new Date(NOW.getTime() - 24 * HOUR), to: NOW, bucket: 'hour' });
  });

  it('takes a day before `to` when only `to` is given, and now when only `from` is', () => {
    expect(statsWindow({ to: '2026-01-20T00:00:00+08:00' }, NOW))
      .toEqual({ from: new Date('2026-01-18T16:00:00Z'), to: new Date('2026-01-19T16:00:00Z'), bucket: 'hour' });
    expect(statsWindow({ from: '2026-01-01T00:00:00+08:00' }, NOW))
      .toEqual({ from: new Date('2025-12-31T16:00:00Z'), to: NOW, bucket: 'day' });
  });

  it('buckets by the hour up to 48 hours and by the day beyond, unless asked', () => {
    const from = '2026-01-10T15:30:00Z';
    expect(statsWindow({ from, to: iso(NOW) }, NOW).bucket).toBe('hour');
    expect(statsWindow({ from: '2026-01-10T15:29:59Z', to: iso(NOW) }, NOW).bucket).toBe('day');
    expect(statsWindow({ from, to: iso(NOW), bucket: 'day' }, NOW).bucket).toBe('day');
    expect(statsWindow({ from: '2025-12-12T15:30:00Z', to: iso(NOW), bucket: 'hour' }, NOW).bucket).toBe('hour');
  });

  it('accepts a `to` in the future', () => {
    expect(statsWindow({ from: '2026-01-12T00:00:00+08:00', to: '2026-01-13T00:00:00+08:00' }, NOW).to).toEqual(new Date('2026-01-12T16:00:00Z'));
  });

  it('refuses an empty or backwards window, naming from', () => {
    for (const query of [{ from: iso(NOW), to: iso(NOW) }, { from: '2026-01-13T00:00:00Z', to: '2026-01-12T00:00:00Z' }, { from: '2026-01-13T00:00:00Z' }]) {
      const error = refusal(() => statsWindow(query, NOW));
      expect(error.kind).toBe('invalid');
      expect(error.message).toMatch(/must be before to/);
      expect(error.details).toEqual([{ path: 'query.from', message: 'is not before to' }]);
    }
  });

  it('refuses a window longer than 200 days, and hour buckets beyond 31 days', () => {
    expect(statsWindow({ from: '2025-06-26T15:30:00Z', to: iso(NOW) }, NOW).bucket).toBe('day');
    const long = refusal(() => statsWindow({ from: '2025-06-26T15:29:59Z', to: iso(NOW) }, NOW));
    expect(long.message).toMatch(/at most 200 days/);
    expect(long.details[0]!.path).toBe('query.from');
    const hourly = refusal(() => statsWindow({ from: '2025-12-12T15:29:59Z', to: iso(NOW), bucket: 'hour' }, NOW));
    expect(hourly.message).toMatch(/bucket=day/);
    expect(hourly.details[0]!.path).toBe('query.bucket');
  });
});

describe('buckets', () => {
  it('start days at midnight in Shanghai (16:00 UTC the day before)', () => {
    expect(bucketStart(new Date('2026-01-12T15:59:59.999Z'), 'day')).toEqual(new Date('2026-01-11T16:00:00Z'));
    expect(bucketStart(new Date('2026-01-12T16:00:00Z'), 'day')).toEqual(new Date('2026-01-12T16:00:00Z'));
    // 07:30 in Shanghai on the 13th, still the 12th in UTC.
    expect(bucketStart(new Date('2026-01-12T23:30:00Z'), 'day')).toEqual(new Date('2026-01-12T16:00:00Z'));
    expect(bucketStart(new Date('2026-01-12T23:30:00+08:00'), 'day')).toEqual(new Date('2026-01-11T16:00:00Z'));
  });

  it('start hours on the hour', () => {
    expect(bucketStart(new Date('2026-01-12T15:42:10Z'), 'hour')).toEqual(new Date('2026-01-12T15:00:00Z'));
  });

  it('cover the window, the partial first and last included', () => {
    const days: StatsWindow = { from: new Date('2026-01-10T12:00:00+08:00'), to: new Date('2026-01-12T00:00:01+08:00'), bucket: 'day' };
    expect(bucketStarts(days).map(iso)).toEqual(['2026-01-09T16:00:00.000Z', '2026-01-10T16:00:00.000Z', '2026-01-11T16:00:00.000Z']);
    const exact: StatsWindow = { from: new Date('2026-01-10T00:00:00+08:00'), to: new Date('2026-01-12T00:00:00+08:00'), bucket: 'day' };
    expect(bucketStarts(exact).map(iso)).toEqual(['2026-01-09T16:00:00.000Z', '2026-01-10T16:00:00.000Z']);
    const hours: StatsWindow = { from: new Date('2026-01-12T13:30:00Z'), to: new Date('2026-01-12T15:00:00Z'), bucket: 'hour' };
    expect(bucketStarts(hours).map(iso)).toEqual(['2026-01-12T13:00:00.000Z', '2026-01-12T14:00:00.000Z']);
    expect(bucketStarts(statsWindow({}, NOW))).toHaveLength(25);
  });
});

describe('keyFigures', () => {
  const c = (overrides: Partial<CaseFigures> & Pick<CaseFigures, 'openedAt'>): CaseFigures => ({
    caseId: `case-${Math.random()}`, status: 'open', risk: 'red', sightingCount: 0, detectionCount: 0, ...overrides,
  });
  const minutesAfter = (at: string, minutes: number) => new Date(Date.parse(at) + minutes * 60_000).toISOString();
  // Three Shanghai days: the 10th, the 11th, the 12th (from midnight).
  const window: StatsWindow = { from: new Date('2026-01-10T00:00:00+08:00'), to: new Date('2026-01-13T00:00:00+08:00'), bucket: 'day' };
  const day10 = '2026-01-10T23:50:00+08:00';
  const day12 = '2026-01-12T00:00:00+08:00';

  const cases: CaseFigures[] = [
    c({
      openedAt: day10, status: 'in_station', risk: 'red', outcome: 'escorted_to_station', leadSource: 'patrol',
      sightingCount: 3, detectionCount: 2, reportsBySource: { patrol: 2, coordinator: 1, drone_thermal: 2 },
      acknowledgedAt: minutesAfter(day10, 4), resolvedAt: minutesAfter(day10, 40),
    }),
    c({
      openedAt: day12, status: 'resolved', risk: 'orange', outcome: 'declined_help', leadSource: 'camera_ai',
      sightingCount: 1, detectionCount: 5, reportsBySource: { camera_ai: 5, public: 1 },
      acknowledgedAt: minutesAfter(day12, 10), resolvedAt: minutesAfter(day12, 25),
    }),
    c({
      openedAt: minutesAfter(day12, 60), status: 'acknowledged', risk: 'yellow', leadSource: 'fixed_thermal',
      detectionCount: 1, reportsBySource: { fixed_thermal: 1 }, acknowledgedAt: minutesAfter(day12, 62.5),
    }),
    c({ openedAt: minutesAfter(day12, 90), status: 'unverified', risk: 'blue', leadSource: 'city_management', detectionCount: 2, reportsBySource: { city_management: 2 } }),
    // Stored before reports were counted by source: in the totals, in no source.
    c({ openedAt: minutesAfter(day12, 120), status: 'alerted', risk: 'red', sightingCount: 4 }),
    // Outside the window: `to` is excluded, and so is anything before `from`.
    c({ openedAt: '2026-01-13T00:00:00+08:00', sightingCount: 100 }),
    c({ openedAt: '2026-01-09T23:59:59.999+08:00', sightingCount: 100 }),
  ];
  const figures = keyFigures(cases, window, { openRed: 7, generatedAt: NOW });

  it('answer what the contract says', () => {
    expect(Stats.strict().safeParse(figures).error).toBeUndefined();
    expect(figures).toMatchObject({ from: '2026-01-09T16:00:00.000Z', to: '2026-01-12T16:00:00.000Z', generatedAt: iso(NOW), openRed: 7 });
  });

  it('count the reports of the cases opened in the window, by source, totals including cases without sources', () => {
    expect(figures.reports).toEqual({
      sightings: { total: 8, bySource: { patrol: 2, public: 1, coordinator: 1 } },
      detections: { total: 10, bySource: { drone_thermal: 2, fixed_thermal: 1, camera_ai: 5, city_management: 2 } },
    });
  });

  it('count the cases by status and risk now, by what opened them, and their outcomes', () => {
    expect(figures.cases).toEqual({
      opened: 5,
      byStatus: { unverified: 1, open: 0, alerted: 1, acknowledged: 1, on_scene: 0, resolved: 1, in_station: 1, closed: 0 },
      byRisk: { red: 2, orange: 1, yellow: 1, blue: 1 },
      byLeadSource: { patrol: 1, public: 0, coordinator: 0, drone_thermal: 0, fixed_thermal: 1, camera_ai: 1, city_management: 1 },
    });
    expect(figures.outcomes).toEqual({
      escorted_to_station: 1, medical_handover: 0, declined_help: 1, reunited_with_family: 0, referred_to_police: 0, not_found: 0, false_alarm: 0,
    });
  });

  it('take the minutes to acknowledgement and resolution over the cases that got there', () => {
    expect(figures.minutes).toEqual({
      openedToAcknowledged: { count: 3, medianMinutes: 4, p90Minutes: 10 },
      openedToResolved: { count: 2, medianMinutes: 32.5, p90Minutes: 40 },
    });
  });

  it('split the window into Shanghai days, the empty one included', () => {
    const empty = { opened: 0, byRisk: { red: 0, orange: 0, yellow: 0, blue: 0 }, sightings: 0, detections: 0, acknowledged: 0, resolved: 0 };
    expect(figures.series).toEqual({
      bucket: 'day',
      points: [
        { ...empty, start: '2026-01-09T16:00:00.000Z', opened: 1, byRisk: { ...empty.byRisk, red: 1 }, sightings: 3, detections: 2, acknowledged: 1, resolved: 1 },
        { ...empty, start: '2026-01-10T16:00:00.000Z' },
        {
          start: '2026-01-11T16:00:00.000Z', opened: 4, byRisk: { red: 1, orange: 1, yellow: 1, blue: 1 }, sightings: 5, detections: 8,
          acknowledged: 2, resolved: 1,
        },
      ],
    });
  });

  it('are all zeros and nulls for an empty window, with every bucket listed', () => {
    const none = keyFigures([], { from: new Date('2026-01-12T10:15:00Z'), to: new Date('2026-01-12T13:00:00Z'), bucket: 'hour' }, { openRed: 0, generatedAt: NOW });
    expect(none.cases.opened).toBe(0);
    expect(none.minutes.openedToResolved).toEqual({ count: 0, medianMinutes: null, p90Minutes: null });
    expect(none.series.points.map((p) => [p.start, p.opened])).toEqual([
      ['2026-01-12T10:00:00.000Z', 0], ['2026-01-12T11:00:00.000Z', 0], ['2026-01-12T12:00:00.000Z', 0],
    ]);
  });
});

describe('figures kept by the hour', () => {
  const caseArb = fc.record({
    minute: fc.integer({ min: 0, max: 3 * 24 * 60 - 1 }),
    status: fc.constantFrom(...CASE_STATUSES),
    risk: fc.constantFrom(...RISK_LEVELS),
    sightings: fc.nat(4),
    detections: fc.nat(40),
    ack: fc.option(fc.double({ min: 0, max: 3_000, noNaN: true }), { nil: undefined }),
    resolve: fc.option(fc.double({ min: 0, max: 5_000, noNaN: true }), { nil: undefined }),
  }).map((c): CaseFigures => {
    const openedAt = new Date(Date.parse('2026-01-10T00:00:00Z') + c.minute * 60_000).toISOString();
    const after = (minutes?: number) => (minutes === undefined ? undefined : new Date(Date.parse(openedAt) + minutes * 60_000).toISOString());
    return {
      caseId: `case-${c.minute}`, openedAt, status: c.status, risk: c.risk, sightingCount: c.sightings, detectionCount: c.detections,
      reportsBySource: { patrol: c.sightings, drone_thermal: c.detections }, leadSource: 'patrol',
      ...(c.ack !== undefined ? { acknowledgedAt: after(c.ack) } : {}), ...(c.resolve !== undefined ? { resolvedAt: after(c.resolve) } : {}),
    };
  });

  it('add up to the figures of all their cases, however the cases are split into hours and days', () => {
    fc.assert(fc.property(fc.array(caseArb, { maxLength: 60 }), fc.constantFrom<'hour' | 'day'>('hour', 'day'), (cases, bucket) => {
      const window: StatsWindow = { from: new Date('2026-01-10T00:00:00Z'), to: new Date('2026-01-13T00:00:00Z'), bucket };
      const now = { openRed: 0, generatedAt: NOW };
      // Hours added into days, as the roller keeps them: the same answer.
      const days = new Map<number, FiguresPiece>();
      for (const piece of hourlyPieces(cases)) {
        const day = bucketStart(piece.start, 'day').getTime();
        const kept = days.get(day) ?? days.set(day, { start: new Date(day), figures: noFigures() }).get(day)!;
        addFigures(kept.figures, piece.figures);
      }
      const direct = keyFigures(cases, window, now);
      expect(statsOf(window, hourlyPieces(cases), now)).toEqual(direct);
      if (bucket === 'day') expect(statsOf(window, [...days.values()], now)).toEqual(direct);
      expect(direct.cases.opened).toBe(cases.length);
    }));
  });

  it('keep durations at the precision shown: tenths under an hour, minutes under a day, quarter hours beyond', () => {
    expect([0.04, 12.46, 59.94, 61.4, 1_439.4, 1_447, 3_000].map(keptMinutes)).toEqual([0, 12.5, 59.9, 61, 1_439, 1_440, 3_000]);
    expect(durationOfHistogram({ 4: 1, 10: 1, 2.5: 1 })).toEqual({ count: 3, medianMinutes: 4, p90Minutes: 10 });
    expect(durationOfHistogram({ 1: 2, 3: 2 })).toEqual({ count: 4, medianMinutes: 2, p90Minutes: 3 });
    expect(durationOfHistogram({})).toEqual({ count: 0, medianMinutes: null, p90Minutes: null });
  });
});
