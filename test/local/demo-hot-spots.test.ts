import { describe, expect, it } from 'vitest';
import { PLACE_TYPES } from '#shared/contract/vocabulary';
import { DEMO_HOT_SPOTS } from '#local/runtime/demo';

describe('Nanchang hot spots', () => {
  it('are WGS-84 points in Nanchang, each named, of a known place type', () => {
    expect(DEMO_HOT_SPOTS.length).toBeGreaterThanOrEqual(15);
    for (const { location: { lat, lon }, ...properties } of DEMO_HOT_SPOTS) {
      expect(lon).toBeGreaterThan(115.7);
      expect(lon).toBeLessThan(116.1);
      expect(lat).toBeGreaterThan(28.5);
      expect(lat).toBeLessThan(28.8);
      expect(properties.name).not.toBe('');
      expect(PLACE_TYPES).toContain(properties.type);
      // The district whose outline holds it, for the names of cases found near it.
      expect(properties.district).toMatch(/[区县]$/);
    }
    expect(new Set(DEMO_HOT_SPOTS.map((h) => h.type))).toEqual(new Set([
      'bridge', 'culvert', 'underpass', 'construction_site', 'park', 'transport_hub', 'station_square',
    ]));
  });
});
