import { describe, expect, it } from 'vitest';
import type { FeatureCollection, Point, Polygon } from 'geojson';
import { projectGeoJson, projectPoint, storedToDisplay } from '../../web/src/map/datum';

/** 八一大桥 east approach, as a phone reports it (WGS-84). */
const BAYI_BRIDGE = { lat: 28.6809, lon: 115.8735 };
const metres = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) => {
  const dLat = (b.lat - a.lat) * 111_320;
  const dLon = (b.lon - a.lon) * 111_320 * Math.cos((a.lat * Math.PI) / 180);
  return Math.hypot(dLat, dLon);
};

describe('map datum', () => {
  it('moves a stored WGS-84 point onto GCJ-02 tiles by the few hundred metres of the Chinese offset, north-west to south-east', () => {
    const shown = storedToDisplay(BAYI_BRIDGE, 'gcj02');
    // Latitude stays a latitude: a swapped [lat, lon] would land thousands of kilometres away.
    expect(shown.lat).toBeCloseTo(28.68, 1);
    expect(shown.lon).toBeCloseTo(115.87, 1);
    expect(metres(BAYI_BRIDGE, shown)).toBeGreaterThan(300);
    expect(metres(BAYI_BRIDGE, shown)).toBeLessThan(800);
    // In Nanchang GCJ-02 lies east and south of WGS-84.
    expect(shown.lon).toBeGreaterThan(BAYI_BRIDGE.lon);
    expect(shown.lat).toBeLessThan(BAYI_BRIDGE.lat);
  });

  it('leaves a point alone on WGS-84 tiles (OpenStreetMap)', () => {
    expect(storedToDisplay(BAYI_BRIDGE, 'wgs84')).toEqual(BAYI_BRIDGE);
  });

  it('comes back to within a metre on the way GCJ-02 → WGS-84', () => {
    const back = projectPoint(projectPoint(BAYI_BRIDGE, 'wgs84', 'gcj02'), 'gcj02', 'wgs84');
    expect(metres(BAYI_BRIDGE, back)).toBeLessThan(1);
  });

  it('converts a GeoJSON outline as a copy, every ring and the original untouched', () => {
    const outline: FeatureCollection<Polygon | Point> = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: '东湖区' }, geometry: { type: 'Polygon', coordinates: [[[115.90, 28.67], [115.91, 28.67], [115.91, 28.68], [115.90, 28.67]]] } },
        { type: 'Feature', properties: { name: '八一广场' }, geometry: { type: 'Point', coordinates: [115.9069, 28.6745] } },
      ],
    };
    const before = structuredClone(outline);
    const wgs = projectGeoJson(outline, 'gcj02', 'wgs84');
    expect(outline).toEqual(before);
    const ring = (wgs.features[0]!.geometry as Polygon).coordinates[0]!;
    expect(ring).toHaveLength(4);
    for (const [index, [lon, lat]] of ring.entries()) {
      const [lon0, lat0] = (before.features[0]!.geometry as Polygon).coordinates[0]![index]!;
      // GCJ-02 → WGS-84 moves west and north, by the same few hundred metres.
      expect(lon!).toBeLessThan(lon0!);
      expect(lat!).toBeGreaterThan(lat0!);
      expect(metres({ lat: lat0!, lon: lon0! }, { lat: lat!, lon: lon! })).toBeGreaterThan(300);
    }
    expect(wgs.features[1]!.properties).toEqual({ name: '八一广场' });
    expect(projectGeoJson(outline, 'gcj02', 'gcj02')).toEqual(before);
  });
});
