import * as z from 'zod';

/**
 * The city a deployment serves, from a small file (config/cities/<city>.json) that cdk.json's context `city` names:
 * its name, where the map opens, its districts (for a report placed by a typed district when a phone has no fix),
 * its outline for the offline map, its time zone and the pages' first language. A second city is a second file.
 */
export const District = z.strictObject({
  name: z.string().trim().min(1).max(60),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  radiusM: z.number().positive().max(200_000).describe('The radius that holds the whole district: an honest accuracy for "somewhere in this district".'),
});

export const CityConfig = z.strictObject({
  $comment: z.string().optional(),
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and hyphens'),
  name: z.strictObject({ 'zh-CN': z.string().min(1), en: z.string().min(1) }),
  centre: z.strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }),
  timeZone: z.string().min(1).describe('An IANA zone. Nights, days and reports are counted in China Standard Time: only a zone at +08:00 all year is accepted today.'),
  language: z.enum(['zh-CN', 'en']).describe('The language the pages open in (each member may switch).'),
  outline: z.strictObject({
    file: z.string().min(1).describe('A GeoJSON FeatureCollection of the districts, relative to the repository root.'),
    crs: z.enum(['gcj02', 'wgs84']).describe('Its datum: outlines from Chinese sources are GCJ-02.'),
  }).optional(),
  districts: z.array(District).max(100).refine((ds) => new Set(ds.map((d) => d.name)).size === ds.length, 'names a district twice'),
});
export type CityConfig = z.output<typeof CityConfig>;

/** What the pages get of it in /config.json: the outline as a URL the pages fetch, not a file. */
export const CityShown = CityConfig.omit({ $comment: true, outline: true }).extend({
  outline: z.object({ url: z.string(), crs: z.enum(['gcj02', 'wgs84']) }).optional(),
});
export type CityShown = z.output<typeof CityShown>;

/** Where the pages fetch the outline from (served next to them, locally and in the cloud). */
export const CITY_OUTLINE_PATH = '/city/outline.geojson';

/** The configuration as the pages see it. */
export const cityShown = ({ $comment: _comment, outline, ...city }: CityConfig): CityShown =>
  ({ ...city, ...(outline ? { outline: { url: CITY_OUTLINE_PATH, crs: outline.crs } } : {}) });
