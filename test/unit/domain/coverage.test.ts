import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksOf, coverageOf, type CoveredSpot, DEFAULT_COVERAGE_RULES, type TeamPosition } from '#shared/domain/coverage';

const spot: CoveredSpot = { hotSpotId: 'bridge', location: { lat: 28.68, lon: 115.86 }, radiusM: 40, priority: 'high' };
const other: CoveredSpot = { hotSpotId: 'culvert', location: { lat: 28.69, lon: 115.86 }, radiusM: 40, priority: 'normal' };
const T0 = Date.parse('2026-12-02T21:00:00+08:00');
const MIN = 60_000;
const north = (metres: number, at: number, accuracyM?: number): TeamPosition =>
  ({ at, lat: spot.location.lat + metres / 111_320, lon: spot.location.lon, ...(accuracyM !== undefined ? { accuracyM } : {}) });
/** A position every `everyMinutes` from `fromMinute` to `toMinute`, `metres` north of the bridge. */
const standing = (fromMinute: number, toMinute: number, metres = 0, everyMinutes = 1) =>
  Array.from({ length: Math.floor((toMinute - fromMinute) / everyMinutes) + 1 }, (_, i) => north(metres, T0 + (fromMinute + i * everyMinutes) * MIN));
const checks = (positions: TeamPosition[], checkIns: { hotSpotId: string; teamId: string; at: number }[] = []) =>
  checksOf([spot, other], new Map([['team-01', positions]]), checkIns);

describe('dwell at a hot spot', () => {
  it('checks a hot spot after 5 minutes inside its radius, not after 4', () => {
    expect(checks(standing(0, 5))).toEqual([{ hotSpotId: 'bridge', teamId: 'team-01', at: T0 + 5 * MIN, by: 'dwell' }]);
    expect(checks(standing(0, 4))).toEqual([]);
  });

  it('counts a position within the radius plus its accuracy (capped at 30 m) as inside', () => {
    expect(checks(standing(0, 6).map((p) => ({ ...p, ...north(60, p.at, 25) })))).toHaveLength(1);
    expect(checks(standing(0, 6).map((p) => ({ ...p, ...north(60, p.at, 15) })))).toEqual([]);
    expect(checks(standing(0, 6).map((p) => ({ ...p, ...north(75, p.at, 500) })))).toEqual([]);
  });

  it('does not count a silence longer than 10 minutes as time there: 2 + 2 minutes around it are no check', () => {
    expect(checks([...standing(0, 2), ...standing(14, 16)])).toEqual([]);
    expect(checks([...standing(0, 2), ...standing(10, 16, 0, 2)])).toHaveLength(1);
    // Sparse positions while standing still (every 3 minutes) still make the dwell.
    expect(checks(standing(0, 6, 0, 3))).toHaveLength(1);
  });

  it('makes one check of one stop that strays outside for a moment, and two of stops 30 minutes apart', () => {
    expect(checks([...standing(0, 3), north(200, T0 + 3.5 * MIN), ...standing(4, 7)])).toHaveLength(1);
    expect(checks([...standing(0, 6), north(2_000, T0 + 20 * MIN), ...standing(40, 46)])).toHaveLength(2);
  });

  it('is one check when a team checks in while standing there, two for two teams', () => {
    const inAndStay = checks(standing(0, 8), [{ hotSpotId: 'bridge', teamId: 'team-01', at: T0 + 2 * MIN }]);
    expect(inAndStay).toEqual([{ hotSpotId: 'bridge', teamId: 'team-01', at: T0 + 2 * MIN, by: 'check_in' }]);
    const twoTeams = checksOf([spot], new Map([['team-01', standing(0, 6)], ['team-02', standing(0, 6)]]), []);
    expect(twoTeams.map((c) => c.teamId).sort()).toEqual(['team-01', 'team-02']);
  });

  it('gives the same checks whatever order the positions arrive in, and whatever is sent twice', () => {
    const walk = [...standing(-3, -1, 300), ...standing(0, 3, 10), north(90, T0 + 3.5 * MIN), ...standing(4, 8, -15), ...standing(9, 12, 400),
      ...standing(50, 56, 5)];
    const expected = checks(walk);
    expect(expected).toHaveLength(2);
    fc.assert(fc.property(fc.shuffledSubarray(walk, { minLength: walk.length, maxLength: walk.length }), fc.array(fc.nat(walk.length - 1), { maxLength: 10 }),
      (shuffled, repeats) => {
        expect(checks([...shuffled, ...repeats.map((i) => walk[i]!)])).toEqual(expected);
      }));
  });
});

describe('coverage against targets', () => {
  it('marks a hot spot covered when its checks reach its target', () => {
    const found = checks([...standing(0, 6), ...standing(60, 66)]);
    const items = coverageOf([spot, other], found, (s) => (s.priority === 'high' ? 2 : 1));
    expect(items).toEqual([
      { hotSpotId: 'bridge', target: 2, checks: 2, lastCheckedAt: T0 + 66 * MIN, lastTeamId: 'team-01', covered: true },
      { hotSpotId: 'culvert', target: 1, checks: 0, covered: false },
    ]);
    expect(DEFAULT_COVERAGE_RULES.dwellMinutes).toBe(5);
  });
});
