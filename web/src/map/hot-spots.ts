import type { FeatureCollection, Point } from 'geojson';
import type { PlaceType } from '#shared/contract/vocabulary';
import { distanceM } from '#shared/domain/geo';
import type { LatLon } from './datum';
import hotSpotsJson from './nanchang-hot-spots.json';

/** A known place to check in the demo city (nanchang-hot-spots.json: WGS-84, approximate). */
export interface HotSpot {
  name: string;
  type: PlaceType;
}

export const HOT_SPOTS = hotSpotsJson as unknown as FeatureCollection<Point, HotSpot>;

/** A machine lead has no place name: within this distance of a hot spot, it is named after it. */
export const NEAR_HOT_SPOT_M = 250;

/** The hot spot nearest to a stored (WGS-84) point, if one is within `maxM` metres. */
export function nearestHotSpot(point: LatLon, maxM = NEAR_HOT_SPOT_M): HotSpot | undefined {
  let nearest: HotSpot | undefined;
  let best = maxM;
  for (const feature of HOT_SPOTS.features) {
    const [lon, lat] = feature.geometry.coordinates as [number, number];
    const distance = distanceM(point, { lat, lon });
    if (distance <= best) {
      best = distance;
      nearest = feature.properties;
    }
  }
  return nearest;
}
