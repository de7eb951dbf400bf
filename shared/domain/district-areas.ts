import simplify from '@turf/simplify';
import gcoord from 'gcoord';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';
import type { StationArea } from './station-area';

/**
 * A station may name the districts it covers instead of drawing its area: the city's outline (config/cities/<city>.json)
 * has each district's boundary, and the station's area is theirs together. Boundaries are turned to WGS-84 (Chinese
 * sources are GCJ-02), simplified to within about 50 m (a position's own error is tens of metres) and rounded to
 * about a metre, so a station's item stays small: Nanchang's nine districts are some 130 KB together, an urban one 2–5 KB.
 */
const TOLERANCE_DEG = 0.0005;
const round = (value: number) => Math.round(value * 1e5) / 1e5;
const rounded = <T>(geometry: T): T => JSON.parse(JSON.stringify(geometry, (_key, value: unknown) => (typeof value === 'number' ? round(value) : value))) as T;

export type DistrictAreas = ReadonlyMap<string, Polygon | MultiPolygon>;

export function districtAreasFrom(outline: FeatureCollection<Geometry, { name?: string } | null>, crs: 'gcj02' | 'wgs84'): DistrictAreas {
  // gcoord's own GeoJSON types differ from @types/geojson's; the shape is the same.
  const wgs84 = crs === 'gcj02' ? gcoord.transform(outline as Parameters<typeof gcoord.transform>[0], gcoord.GCJ02, gcoord.WGS84) as unknown as typeof outline : outline;
  const areas = new Map<string, Polygon | MultiPolygon>();
  for (const feature of wgs84.features) {
    const name = feature.properties?.name;
    if (!name || (feature.geometry?.type !== 'Polygon' && feature.geometry?.type !== 'MultiPolygon')) continue;
    const simpler = simplify(feature as Feature<Polygon | MultiPolygon>, { tolerance: TOLERANCE_DEG, highQuality: false, mutate: false });
    areas.set(name, rounded(simpler.geometry));
  }
  return areas;
}

/** The area of the districts named, together; the names the city does not have, if any (then no area). */
export function areaOfDistricts(names: readonly string[], areas: DistrictAreas): { area: StationArea } | { unknown: string[] } {
  const unknown = names.filter((name) => !areas.has(name));
  if (unknown.length) return { unknown };
  const polygons = names.flatMap((name) => {
    const geometry = areas.get(name)!;
    return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  });
  return { area: { type: 'MultiPolygon', coordinates: polygons } };
}
