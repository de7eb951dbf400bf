import { describe, expect, it } from 'vitest';
import { PLACE_TYPES } from '#shared/contract/vocabulary';
import { HOT_SPOTS, nearestHotSpot } from '../../web/src/map/hot-spots';

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
    }
    expect(new Set(HOT_SPOTS.features.map((f) => f.properties.type))).toEqual(new Set([
      'bridge', 'culvert', 'underpass', 'construction_site', 'park', 'transport_hub', 'station_square',
    ]));
  });

  it('name a machine lead after the hot spot it is next to, and only when it is near', () => {
    expect(nearestHotSpot({ lat: 28.6811, lon: 115.8737 })?.name).toBe('八一大桥东引桥');
    // Between 站前路地下通道 and 南昌站西广场: the nearer wins.
    expect(nearestHotSpot({ lat: 28.6655, lon: 115.9146 })?.name).toBe('站前路地下通道');
    expect(nearestHotSpot({ lat: 28.70, lon: 116.05 })).toBeUndefined();
  });
});
