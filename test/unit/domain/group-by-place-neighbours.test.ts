import { describe, expect, it } from 'vitest';
import { DEFAULT_CORRELATION, groupByPlace } from '#shared/domain/correlation';
import { distanceM } from '#shared/domain/geo';

/**
 * Two people a street apart (洪都中大道高架桥下 A and B, 63 m) seen by one drone in one batch, from
 * `npm run simulate -- --seed 3`: one of B's frames is 35 m from A's first frame but 19 m from B's, and groupByPlace
 * puts it with A because A's group came first. Its detection then lands in A's case.
 */
const observedAt = '2026-01-12T21:11:28Z';
const aFirst = { id: 'a-first', location: { lat: 28.6687201, lon: 115.9262573 }, observedAt };
const bFirst = { id: 'b-first', location: { lat: 28.6683856, lon: 115.9266533 }, observedAt };
const bLater = { id: 'b-later', location: { lat: 28.6685232, lon: 115.9265373 }, observedAt };

describe('groupByPlace with two places a street apart', () => {
  it('has the frame nearer B than A, and within the radius of both', () => {
    expect(distanceM(bLater.location, aFirst.location)).toBeLessThan(DEFAULT_CORRELATION.radiusM);
    expect(distanceM(bLater.location, bFirst.location)).toBeLessThan(distanceM(bLater.location, aFirst.location) - 10);
  });

  it('puts a frame in the group of the nearest place, not the first one within the radius', () => {
    const groups = groupByPlace([aFirst, bFirst, bLater], DEFAULT_CORRELATION);
    expect(groups.map((g) => g.map((r) => r.id))).toEqual([['a-first'], ['b-first', 'b-later']]);
  });
});
