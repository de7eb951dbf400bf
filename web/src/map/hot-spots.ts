import type { FeatureCollection, Point } from 'geojson';
import type { PlaceType } from '#shared/contract/vocabulary';
import hotSpotsJson from './nanchang-hot-spots.json';

/** A known place to check in the demo city (nanchang-hot-spots.json: WGS-84, approximate). */
export interface HotSpot {
  name: string;
  type: PlaceType;
  /** The district whose outline holds it. */
  district?: string;
}

export const HOT_SPOTS = hotSpotsJson as unknown as FeatureCollection<Point, HotSpot>;
