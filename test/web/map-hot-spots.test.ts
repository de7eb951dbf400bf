import { describe, expect, it } from 'vitest';
import { PLACE_TYPES } from '#shared/contract/vocabulary';
import { HOT_SPOTS } from '../../web/src/map/hot-spots';

describe('Nanchang hot spots', () => {
  it('are WGS-84 points [lon, lat] in Nanchang, each named, of a known place type', () => {
    expect(HOT_SPOTS.type).toBe('FeatureCollection');
    expect(HOT_SPOTS.features.length).toBeGreaterThanOrEqual(15);
    for (const { geometry, properties } of HOT_SPOTS.features) {
      const [lon, lat] = geometry.coordinates;
      expect(lon).toBeGreaterThan(115.7);
      expect(lon).toBeLessThan(116.1);
      expect(lat).toBeGreaterThan(28.5);
      expect(lat).toBeLessThan(28.8);
      expect(properties.name).not.toBe('');
      expect(PLACE_TYPES).toContain(properties.type);
      // The district whose outline holds it, for the names of cases found near it.
      expect(properties.district).toMatch(/[区县]$/);
    }
    expect(new Set(HOT_SPOTS.features.map((f) => f.properties.type))).toEqual(new Set([
      'bridge', 'culvert', 'underpass', 'construction_site', 'park', 'transport_hub', 'station_square',
    ]));
  });
});
