import { describe, expect, it } from 'vitest';
import { DEFAULT_RESERVE_RULES, reserveTargets, shortfalls } from '#shared/domain/supplies';

describe("a station's reserve", () => {
  it('is a base, more for each person in care, and half as much again in a cold wave (twice in a red one)', () => {
    expect(reserveTargets(0, 'none')).toEqual(DEFAULT_RESERVE_RULES.base);
    expect(reserveTargets(10, 'none')).toEqual({ quilts: 30, cotton_coats: 30, hot_meals: 60, medicine_kits: 15 });
    expect(reserveTargets(10, 'cold_wave')).toEqual({ quilts: 45, cotton_coats: 45, hot_meals: 90, medicine_kits: 23 });
    expect(reserveTargets(0, 'red')).toEqual({ quilts: 40, cotton_coats: 40, hot_meals: 60, medicine_kits: 20 });
  });

  it('is short of a kind only below its target, by how much', () => {
    const targets = reserveTargets(0, 'cold_wave');
    expect(shortfalls({ quilts: 30, cotton_coats: 29, hot_meals: 60, medicine_kits: 0 }, targets)).toEqual([
      { kind: 'cotton_coats', stock: 29, target: 30, short: 1 },
      { kind: 'medicine_kits', stock: 0, target: 15, short: 15 },
    ]);
  });
});
