import { describe, expect, it } from 'vitest';
import type { Condition, PlaceType } from '#shared/contract/vocabulary';
import { assessRisk, higherRisk, HYPOTHERMIA_SURFACE_C, type RiskEvidence } from '#shared/domain/risk';

// 14:00 and 23:30 in China (UTC+8); the UTC clock says 06:00 and 15:30, i.e. the opposite halves of the day.
const AFTERNOON_CHINA = '2026-01-12T06:00:00Z';
const NIGHT_CHINA = '2026-01-12T15:30:00Z';

const person = (ageGroup: string, ...conditions: Condition[]) => ({ ageGroup, conditions });

const evidence = (overrides: Partial<RiskEvidence> = {}): RiskEvidence => ({
  people: [person('adult')],
  placeType: 'street',
  observedAt: AFTERNOON_CHINA,
  ...overrides,
});

describe('assessRisk', () => {
  it('rates a healthy adult on a street in the afternoon blue, with no reasons', () => {
    expect(assessRisk(evidence())).toEqual({ level: 'blue', score: 0, reasons: [] });
  });

  it.each<[string, Partial<RiskEvidence>, string]>([
    ['an elderly person on a street by day', { people: [person('elderly')] }, 'yellow'],
    ['an adult under a bridge by day', { placeType: 'bridge' }, 'yellow'],
    ['an elderly person in a culvert by day', { people: [person('elderly')], placeType: 'culvert' }, 'orange'],
    ['an intoxicated adult without warm clothes in a park by day', { people: [person('adult', 'intoxicated', 'inadequate_clothing')], placeType: 'park' }, 'orange'],
    ['an ill elderly person under a bridge at night', { people: [person('elderly', 'ill')], placeType: 'bridge', observedAt: NIGHT_CHINA }, 'red'],
    ['a pregnant woman at a construction site at night in -6 °C', { people: [person('adult', 'pregnant')], placeType: 'construction_site', observedAt: NIGHT_CHINA, ambientTempC: -6 }, 'red'],
    ['an adult at a transport hub by day in 3 °C', { placeType: 'transport_hub', ambientTempC: 3 }, 'blue'],
  ])('rates %s %s', (_label, overrides, level) => {
    expect(assessRisk(evidence(overrides)).level).toBe(level);
  });

  it('reads the hour in China time (UTC+8), not UTC', () => {
    // 23:30 UTC is 07:30 in China: morning, not night.
    expect(assessRisk(evidence({ observedAt: '2026-01-12T23:30:00Z' })).reasons).not.toContain('night');
    // 15:30 UTC is 23:30 in China: night.
    expect(assessRisk(evidence({ observedAt: NIGHT_CHINA })).reasons).toContain('night');
    // An offset timestamp is read as the instant it names: 22:10 at +08:00 is night.
    expect(assessRisk(evidence({ observedAt: '2026-01-12T22:10:00+08:00' })).reasons).toContain('night');
    expect(assessRisk(evidence({ observedAt: '2026-01-12T21:59:00+08:00' })).reasons).not.toContain('night');
    // 05:59 in China is still night, 06:00 is not.
    expect(assessRisk(evidence({ observedAt: '2026-01-12T05:59:00+08:00' })).reasons).toContain('night');
    expect(assessRisk(evidence({ observedAt: '2026-01-12T06:00:00+08:00' })).reasons).not.toContain('night');
  });

  it('makes the night worth one step: the same elderly person is yellow by day and scores one more at night', () => {
    const day = assessRisk(evidence({ people: [person('elderly')] }));
    const night = assessRisk(evidence({ people: [person('elderly')], observedAt: NIGHT_CHINA }));
    expect(night.score).toBe(day.score + 1);
  });

  it('grades the cold of the air', () => {
    const scoreAt = (ambientTempC: number) => assessRisk(evidence({ ambientTempC })).score;
    expect(scoreAt(10)).toBe(0);
    expect(scoreAt(5)).toBe(1);
    expect(scoreAt(0)).toBe(2);
    expect(scoreAt(-5)).toBe(3);
    expect(assessRisk(evidence({ ambientTempC: -5 })).reasons).toContain('air:-5C');
  });

  describe('floors that no arithmetic lowers', () => {
    it('a hypothermic body-surface temperature is red even for a healthy adult by day', () => {
      const result = assessRisk(evidence({ surfaceTempC: HYPOTHERMIA_SURFACE_C - 0.5 }));
      expect(result.level).toBe('red');
      expect(result.reasons).toContain(`surface:${HYPOTHERMIA_SURFACE_C - 0.5}C`);
    });

    it('a surface temperature at the threshold is not hypothermic', () => {
      const result = assessRisk(evidence({ surfaceTempC: HYPOTHERMIA_SURFACE_C }));
      expect(result.level).toBe('blue');
      expect(result.reasons.some((r) => r.startsWith('surface:'))).toBe(false);
    });

    it.each<Condition>(['injured', 'ill'])('someone %s below freezing is red', (condition) => {
      expect(assessRisk(evidence({ people: [person('adult', condition)], ambientTempC: 0 })).level).toBe('red');
      expect(assessRisk(evidence({ people: [person('adult', condition)], ambientTempC: -1 })).level).toBe('red');
    });

    it('someone ill above freezing is not lifted to red by the floor', () => {
      expect(assessRisk(evidence({ people: [person('adult', 'ill')], ambientTempC: 1 })).level).not.toBe('red');
    });

    it('an unaccompanied minor is at least orange, even on a street by day', () => {
      const result = assessRisk(evidence({ people: [person('unknown', 'unaccompanied_minor')] }));
      expect(result.level).toBe('orange');
      expect(result.reasons).toContain('unaccompanied_minor');
    });

    it('an unaccompanied minor whose score is red stays red', () => {
      const result = assessRisk(evidence({
        people: [person('child', 'unaccompanied_minor', 'inadequate_clothing')], placeType: 'culvert', observedAt: NIGHT_CHINA,
      }));
      expect(result.level).toBe('red');
    });

    it('the minor floor applies when the minor is not the worst-scoring person of the group', () => {
      const result = assessRisk(evidence({
        people: [person('elderly', 'disabled', 'mental_distress'), person('unknown', 'unaccompanied_minor')],
      }));
      expect(['orange', 'red']).toContain(result.level);
    });
  });

  it('scores the worst person of a group, not the sum of everybody', () => {
    const alone = assessRisk(evidence({ people: [person('elderly', 'ill')] }));
    const withOthers = assessRisk(evidence({ people: [person('adult'), person('elderly', 'ill')] }));
    expect(withOthers.score).toBe(alone.score);
    expect(withOthers.level).toBe(alone.level);
    // The reasons are the worst person's own, not a mixture.
    const mixed = assessRisk(evidence({ people: [person('adult', 'intoxicated'), person('elderly', 'ill')] }));
    expect(mixed.reasons).toEqual(['elderly', 'ill']);
  });

  it('adds one for a group of three or more', () => {
    const two = assessRisk(evidence({ people: [person('adult'), person('adult')] }));
    const three = assessRisk(evidence({ people: [person('adult'), person('adult'), person('adult')] }));
    expect(two.reasons).not.toContain('group');
    expect(three.reasons).toContain('group');
    expect(three.score).toBe(two.score + 1);
  });

  it('lists every reason that contributed', () => {
    const result = assessRisk({
      people: [person('elderly', 'ill', 'inadequate_clothing')],
      placeType: 'bridge',
      observedAt: NIGHT_CHINA,
      ambientTempC: -2,
      surfaceTempC: 28,
    });
    expect(result.reasons).toEqual(['elderly', 'ill', 'inadequate_clothing', 'place:bridge', 'night', 'air:-2C', 'surface:28C']);
    expect(result.level).toBe('red');
  });

  it.each<[PlaceType, boolean]>([
    ['culvert', true], ['bridge', true], ['construction_site', true], ['underpass', true], ['park', true],
    ['street', false], ['transport_hub', false], ['station_square', false], ['other', false],
  ])('names the place %s as a reason: %s', (placeType, named) => {
    expect(assessRisk(evidence({ placeType })).reasons.includes(`place:${placeType}`)).toBe(named);
  });
});

describe('higherRisk', () => {
  it('returns the more severe of two levels, in either order', () => {
    expect(higherRisk('blue', 'red')).toBe('red');
    expect(higherRisk('red', 'blue')).toBe('red');
    expect(higherRisk('yellow', 'orange')).toBe('orange');
    expect(higherRisk('orange', 'yellow')).toBe('orange');
    expect(higherRisk('blue', 'yellow')).toBe('yellow');
    expect(higherRisk('yellow', 'yellow')).toBe('yellow');
  });

  it('grades people outdoors one level more urgent while a cold wave is in force, not those under a roof', () => {
    expect(assessRisk(evidence({ coldWave: true }))).toEqual({ level: 'yellow', score: 0, reasons: ['cold_wave'] });
    expect(assessRisk(evidence({ people: [person('elderly')], placeType: 'culvert', coldWave: true })).level).toBe('red');
    expect(assessRisk(evidence({ people: [person('elderly', 'ill')], placeType: 'bridge', observedAt: NIGHT_CHINA, coldWave: true })).level).toBe('red');
    expect(assessRisk(evidence({ placeType: 'transport_hub', coldWave: true })).level).toBe('blue');
  });
});
