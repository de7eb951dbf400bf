import { readFile } from 'node:fs/promises';
import type { FeatureCollection } from 'geojson';
import { type DistrictAreas, districtAreasFrom } from '../domain/district-areas';
import { settings } from '../settings';

/**
 * The city's district boundaries, for stations that name their districts: the outline the city's configuration names,
 * carried next to the directory's function (CITY_OUTLINE_FILE, its datum in CITY_OUTLINE_CRS; infra/stateless-stack.ts),
 * read once. Undefined when the city has no outline: districts are then names only.
 */
let loaded: Promise<DistrictAreas | undefined> | undefined;
export function cityDistrictAreas(): Promise<DistrictAreas | undefined> {
  const outline = settings.cityOutline;
  if (!outline) return Promise.resolve(undefined);
  loaded ??= readFile(outline.file, 'utf8').then((text) => districtAreasFrom(JSON.parse(text) as FeatureCollection, outline.crs));
  return loaded;
}
