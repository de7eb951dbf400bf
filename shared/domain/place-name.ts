import type { Location } from '../contract/schemas';
import type { PlaceType } from '../contract/vocabulary';
import { distanceM } from './geo';

/**
 * One name for a case, the best one, the same on every page, message and export. A place named by a person's report
 * beats a name the system gave it from a nearby hot spot; a person's place type beats a machine's ("other": a drone
 * knows a warm body, not that it lies under a bridge). Between two reports, the first one's stands: a case does not
 * change its name back and forth.
 */
export interface CasePlace {
  placeType: PlaceType;
  placeName?: string;
  /** 'report': a person named it; 'nearby': named after the nearest known hot spot. */
  placeNameSource?: 'report' | 'nearby';
  /** 'sighting': a person said what kind of place; 'detection': a machine's guess ("other"). */
  placeTypeSource?: 'sighting' | 'detection';
}

/** What a report changes of the case's place: nothing, unless it knows more than the case does. */
export function betterPlace(
  current: CasePlace & { sightingCount: number },
  report: { kind: 'sighting' | 'detection'; placeType: PlaceType; placeName?: string },
): Partial<CasePlace> {
  const better: Partial<CasePlace> = {};
  // Cases stored before the source was kept: a case nobody reported in person took its type from a machine.
  const typeFromMachine = (current.placeTypeSource ?? (current.sightingCount === 0 ? 'detection' : 'sighting')) === 'detection';
  if (report.kind === 'sighting' && report.placeType !== 'other' && (typeFromMachine || current.placeType === 'other')) {
    better.placeType = report.placeType;
    better.placeTypeSource = 'sighting';
  }
  if (report.placeName && (!current.placeName || current.placeNameSource === 'nearby')) {
    better.placeName = report.placeName;
    better.placeNameSource = 'report';
  }
  return better;
}

/** A known place that can name a case found near it. */
export interface Landmark {
  name: string;
  location: Pick<Location, 'lat' | 'lon'>;
  district?: string;
}

/** Within this, a case is "at" the landmark; within NAME_FAR_M it is named by its distance from it. */
export const NAME_NEAR_M = 250;
export const NAME_FAR_M = 1_500;

/** "东湖区 · 八一大桥东引桥附近", "西湖区 · 距南昌站西广场约600米", or nothing when no landmark is near enough. */
export function nameNear(where: Pick<Location, 'lat' | 'lon'>, landmarks: readonly Landmark[]): string | undefined {
  let nearest: Landmark | undefined;
  let best = Infinity;
  for (const landmark of landmarks) {
    const metres = distanceM(where, landmark.location);
    if (metres < best) [nearest, best] = [landmark, metres];
  }
  if (!nearest || best > NAME_FAR_M) return undefined;
  const district = nearest.district ? `${nearest.district} · ` : '';
  return best <= NAME_NEAR_M ? `${district}${nearest.name}附近` : `${district}距${nearest.name}约${Math.round(best / 100) * 100}米`;
}
