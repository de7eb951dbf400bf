import gcoord from 'gcoord';
import type { GeoJSON } from 'geojson';

/**
 * Map datums. Everything the API stores is WGS-84 (what phones and drones report); Chinese base maps and the bundled
 * city outline are GCJ-02, which is offset from WGS-84 by a few hundred metres. A map draws everything in ONE datum,
 * that of its tiles (WebConfig `map.tileCrs`), or a case would sit in the river beside the bridge it is under.
 */
export type Datum = 'wgs84' | 'gcj02';

export interface LatLon {
  lat: number;
  lon: number;
}

const CRS = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02 } as const;

/** One point from one datum to another. */
export function projectPoint(point: LatLon, from: Datum, to: Datum): LatLon {
  if (from === to) return { lat: point.lat, lon: point.lon };
  const [lon, lat] = gcoord.transform([point.lon, point.lat], CRS[from], CRS[to]);
  return { lat, lon };
}

/** A point as the API stores it (WGS-84), where the map with tiles in `display` has to draw it. */
export const storedToDisplay = (point: LatLon, display: Datum): LatLon => projectPoint(point, 'wgs84', display);

/** A GeoJSON object from one datum to another, as a copy (gcoord rewrites the coordinates it is given in place). */
export function projectGeoJson<T extends GeoJSON>(geojson: T, from: Datum, to: Datum): T {
  const copy = structuredClone(geojson);
  if (from === to) return copy;
  return gcoord.transform(copy as Parameters<typeof gcoord.transform>[0], CRS[from], CRS[to]) as unknown as T;
}
