import type { CaseSummary } from '../../app/api';
import { fill } from '../../app/messages';
import type { Messages } from '../../app/messages';
import { nearestHotSpot } from '../../map/hot-spots';

/**
 * Where a case is, in words: the name the reporter gave, else (a machine lead) the hot spot it is next to, else
 * the kind of place.
 */
export function placeOf(c: Pick<CaseSummary, 'placeName' | 'placeType' | 'location'>, m: Messages): string {
  if (c.placeName) return c.placeName;
  const spot = nearestHotSpot(c.location);
  return spot ? fill(m.coordinator.near, { spot: spot.name }) : m.place[c.placeType];
}

export const isAbort = (error: unknown) => (error as Error | undefined)?.name === 'AbortError';
