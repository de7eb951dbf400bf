import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cellOf, cellsAround, DEFAULT_CORRELATION, decideCorrelation, geohash, groupByPlace, type NearbyCase,
} from '#shared/domain/correlation';
import { distanceM } from '#shared/domain/geo';

const BRIDGE = { lat: 28.6829, lon: 115.8579 };
const north = (metres: number, from = BRIDGE) => ({ lat: from.lat + metres / 111_320, lon: from.lon });
const at = (minutesFromNow: number) => new Date(Date.UTC(2026, 0, 12, 14, 0) + minutesFromNow * 60_000).toISOString();
const nearby = (overrides: Partial<NearbyCase>): NearbyCase => ({
  caseId: 'case-a', estimate: { ...BRIDGE, accuracyM: 3 }, status: 'alerted', lastSeenAt: at(0), ...overrides,
});

describe('geohash and place cells', () => {
  it('encodes the published example', () => {
    expect(geohash(57.64911, 10.40744, 11)).toBe('u4pruydqqvj');
  });

  it('covers every point within the radius with the cells it returns', () => {
    for (const centre of [BRIDGE, { lat: 45.8, lon: 126.6 }, { lat: -33.9, lon: 151.2 }]) {
      const cells = new Set(cellsAround(centre, 40));
      expect(cells.size).toBeLessThanOrEqual(4);
      for (let angle = 0; angle < 360; angle += 15) {
        for (const r of [0, 20, 39.9]) {
          const p = {
            lat: centre.lat + (r * Math.cos((angle * Math.PI) / 180)) / 111_320,
            lon: centre.lon + (r * Math.sin((angle * Math.PI) / 180)) / (111_320 * Math.cos((centre.lat * Math.PI) / 180)),
          };
          expect(distanceM(centre, p)).toBeLessThanOrEqual(40.1);
          expect(cells.has(cellOf(p))).toBe(true);
        }
      }
    }
  });

  it('shares a cell between any two points within the radius, which is what serialises their first reports', () => {
    for (let i = 0; i < 200; i += 1) {
      const a = { lat: BRIDGE.lat + (i % 17) * 0.0003, lon: BRIDGE.lon + (i % 13) * 0.0004 };
      const b = north(35, a);
      const shared = cellsAround(a, 40).filter((cell) => cellsAround(b, 40).includes(cell));
      expect(shared.length).toBeGreaterThan(0);
    }
  });
});

describe('decideCorrelation', () => {
  /** A report as correlation sees it: its position and the accuracy it states (8 m: a drone's frame). */
  const report = (location: { lat: number; lon: number } = BRIDGE, accuracyM = 8, observedAt = at(10)) =>
    ({ position: { lat: location.lat, lon: location.lon, accuracyM }, observedAt });
  const settled = (location: { lat: number; lon: number }) => ({ ...location, accuracyM: 3 });

  it('joins the best-fitting active case within the gate and the window', () => {
    const near = nearby({ caseId: 'near', estimate: settled(north(10)) });
    const farther = nearby({ caseId: 'farther', estimate: settled(north(30)) });
    expect(decideCorrelation(report(), [farther, near], DEFAULT_CORRELATION)).toEqual({ kind: 'join', caseId: 'near' });
  });

  it('opens a new case a street apart, or after the window', () => {
    expect(decideCorrelation(report(), [nearby({ estimate: settled(north(70)) })], DEFAULT_CORRELATION)).toEqual({ kind: 'create' });
    const stale = nearby({ lastSeenAt: at(-7 * 60) });
    expect(decideCorrelation(report(), [stale], DEFAULT_CORRELATION)).toEqual({ kind: 'create' });
  });

  it("joins reports as far off as their sources err: a camera-network hit 48 m away, a patrol's fix 25 m away", () => {
    const c = nearby({ estimate: settled(BRIDGE) });
    expect(decideCorrelation(report(north(48), 20), [c], DEFAULT_CORRELATION)).toEqual({ kind: 'join', caseId: 'case-a' });
    expect(decideCorrelation(report(north(25), 12), [c], DEFAULT_CORRELATION)).toEqual({ kind: 'join', caseId: 'case-a' });
    // A fixed camera's 3 m fix 60 m away is another place, though a vaguer report there would have been this one.
    expect(decideCorrelation(report(north(60), 3), [c], DEFAULT_CORRELATION)).toEqual({ kind: 'create' });
  });

  it('weighs the fit, not the distance: a report between a vague case and a precise one goes where its error allows', () => {
    const precise = nearby({ caseId: 'precise', estimate: settled(north(-30)) });
    const vague = nearby({ caseId: 'vague', estimate: { ...north(36), accuracyM: 20 } });
    expect(decideCorrelation(report(BRIDGE, 5), [precise, vague], DEFAULT_CORRELATION)).toEqual({ kind: 'join', caseId: 'vague' });
  });

  it('reads a stated accuracy of zero as the best any fix is, not as certainty', () => {
    const c = nearby({ estimate: settled(BRIDGE) });
    expect(decideCorrelation(report(north(41), 0), [c], DEFAULT_CORRELATION)).toEqual({ kind: 'join', caseId: 'case-a' });
    expect(decideCorrelation(report(north(44), 0), [c], DEFAULT_CORRELATION)).toEqual({ kind: 'create' });
  });

  it('joins unverified leads too, so corroboration can find them', () => {
    expect(decideCorrelation(report(), [nearby({ status: 'unverified' })], DEFAULT_CORRELATION)).toEqual({ kind: 'join', caseId: 'case-a' });
  });

  it('reopens a case resolved recently at the place, not one resolved long ago, nor one whose person is in a station', () => {
    const resolved = nearby({ status: 'resolved', resolvedAt: at(-24 * 60), lastSeenAt: at(-25 * 60) });
    expect(decideCorrelation(report(), [resolved], DEFAULT_CORRELATION)).toEqual({ kind: 'reopen', caseId: 'case-a' });
    const old = { ...resolved, resolvedAt: at(-80 * 60) };
    expect(decideCorrelation(report(), [old], DEFAULT_CORRELATION)).toEqual({ kind: 'create' });
    const inStation = nearby({ status: 'in_station', lastSeenAt: at(0) });
    expect(decideCorrelation(report(), [inStation], DEFAULT_CORRELATION)).toEqual({ kind: 'create' });
  });

  it('prefers an active case over a resolved one at the same place', () => {
    const resolved = nearby({ caseId: 'old', status: 'closed', resolvedAt: at(-60), estimate: settled(BRIDGE) });
    const active = nearby({ caseId: 'live', estimate: settled(north(20)) });
    expect(decideCorrelation(report(), [resolved, active], DEFAULT_CORRELATION)).toEqual({ kind: 'join', caseId: 'live' });
  });

  it('keeps reports far vaguer than a place (an address-only tip) out of other cases, both ways', () => {
    expect(decideCorrelation(report(BRIDGE, 500), [nearby({})], DEFAULT_CORRELATION)).toEqual({ kind: 'create' });
    expect(decideCorrelation(report(), [nearby({ estimate: { ...BRIDGE, accuracyM: 5000 } })], DEFAULT_CORRELATION)).toEqual({ kind: 'create' });
    expect(decideCorrelation(report(BRIDGE, 30), [nearby({ estimate: { ...BRIDGE, accuracyM: 12 } })], DEFAULT_CORRELATION))
      .toEqual({ kind: 'join', caseId: 'case-a' });
  });

  it('follows the settings', () => {
    const wide = { ...DEFAULT_CORRELATION, radiusM: 100, maxGateM: 100 };
    expect(decideCorrelation(report(), [nearby({ estimate: settled(north(70)) })], wide)).toEqual({ kind: 'join', caseId: 'case-a' });
  });

  it('never joins a report to a case 75 m off or more, however the two err (places 150 m apart never meet halfway)', () => {
    fc.assert(fc.property(
      fc.double({ min: 0, max: DEFAULT_CORRELATION.vagueM, noNaN: true }), fc.double({ min: 0, max: DEFAULT_CORRELATION.vagueM, noNaN: true }),
      fc.double({ min: 75.5, max: 400, noNaN: true }), fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
      (reportAccuracy, caseAccuracy, metres, bearing) => {
        const where = { lat: BRIDGE.lat + (metres * Math.cos(bearing)) / 111_320, lon: BRIDGE.lon + (metres * Math.sin(bearing)) / (111_320 * Math.cos((BRIDGE.lat * Math.PI) / 180)) };
        const c = nearby({ estimate: { ...BRIDGE, accuracyM: caseAccuracy } });
        return decideCorrelation(report(where, reportAccuracy), [c], DEFAULT_CORRELATION).kind === 'create';
      },
    ));
  });

  it('joins any two fixes of one place within the place itself, however precise they claim to be', () => {
    fc.assert(fc.property(
      fc.double({ min: 0, max: 60, noNaN: true }), fc.double({ min: 0, max: 60, noNaN: true }), fc.double({ min: 0, max: 39.5, noNaN: true }),
      (reportAccuracy, caseAccuracy, metres) => decideCorrelation(report(north(metres), reportAccuracy), [nearby({ estimate: { ...BRIDGE, accuracyM: caseAccuracy } })], DEFAULT_CORRELATION).kind === 'join',
    ));
  });
});

describe('groupByPlace', () => {
  it('collapses frames of one person seconds apart and keeps another place apart', () => {
    const frames = Array.from({ length: 10 }, (_, i) => ({ id: `f${i}`, location: north(i % 5), observedAt: at(i / 60) }));
    const elsewhere = { id: 'x', location: north(200), observedAt: at(0) };
    const groups = groupByPlace([...frames, elsewhere], DEFAULT_CORRELATION);
    expect(groups.map((g) => g.map((r) => r.id))).toEqual([frames.map((f) => f.id), ['x']]);
  });
});
