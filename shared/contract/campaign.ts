import * as z from 'zod';
import { WARNING_LEVELS } from '../domain/warning-span';
import { SUPPLY_KINDS, type SupplyKind } from '../domain/supplies';
import type { RouteDoc } from './openapi';
import { CreateSightingRequest, Location, Person, Timestamp } from './schemas';
import { PLACE_TYPES } from './vocabulary';

/**
 * The campaign (contract v1.1, "Hot spots, patrol positions, coverage" and "Weather warnings"): the known places the
 * patrols must check, where the teams went, what each night covered, and the observatory's warnings.
 */

export const HOT_SPOT_PRIORITIES = ['high', 'normal'] as const;
export const DEFAULT_HOT_SPOT_RADIUS_M = 50;
/** A check-in farther than this many radii from its hot spot is refused, with the distance. */
export const CHECK_IN_REACH_RADII = 5;
export const MAX_POSITIONS_PER_BATCH = 500;
/** How old a position may be and still be accepted (a phone that was without signal all night). */
export const POSITION_MAX_AGE_HOURS = 48;

const HotSpotId = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'may use letters, digits and . _ : - only');
const Name = z.string().trim().min(1).max(200);
const PointLocation = z.strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) });

export const HotSpotInput = z.strictObject({
  hotSpotId: HotSpotId.optional().describe('Chosen by the caller (an import keeps its ids); generated when absent.'),
  name: Name,
  type: z.enum(PLACE_TYPES),
  location: PointLocation,
  radiusM: z.number().min(5).max(1_000).default(DEFAULT_HOT_SPOT_RADIUS_M)
    .describe('Within this distance a team standing for 5 minutes has checked the place.'),
  priority: z.enum(HOT_SPOT_PRIORITIES).default('normal').describe('`high`: 2 checks a night; `normal`: 1 (before a cold wave\'s or a holiday\'s one more).'),
  district: Name.optional(),
});
export type HotSpotInput = z.output<typeof HotSpotInput>;
/** PUT replaces a hot spot whole; its id is the path's. */
export const HotSpotReplacement = HotSpotInput.omit({ hotSpotId: true });

export const HotSpot = z.object({
  hotSpotId: z.string(),
  name: z.string(),
  type: z.enum(PLACE_TYPES),
  location: z.object({ lat: z.number(), lon: z.number() }),
  radiusM: z.number(),
  priority: z.enum(HOT_SPOT_PRIORITIES),
  district: z.string().optional(),
});
export const HotSpotList = z.object({ items: z.array(HotSpot).describe('Every hot spot, high priority first, then by name.') });
export const HotSpotParams = z.strictObject({ hotSpotId: HotSpotId });
export const HotSpotListQuery = z.strictObject({ format: z.enum(['json', 'geojson']).default('json') });

export const GeoJsonHotSpots = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({
    type: z.literal('Feature'),
    id: z.string(),
    geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
    properties: HotSpot.omit({ hotSpotId: true, location: true }),
  })),
});

/** A GeoJSON FeatureCollection of hot spots to import: points, the feature's `id` its hotSpotId, the rest in `properties`. */
export const HOT_SPOT_IMPORT_MAX = 2_000;
export const ImportHotSpotsRequest = z.strictObject({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({
    type: z.literal('Feature'),
    id: HotSpotId,
    geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]) }),
    // GIS tools add properties of their own: they are left out.
    properties: HotSpotInput.omit({ hotSpotId: true, location: true }).loose(),
  })).min(1).max(HOT_SPOT_IMPORT_MAX),
}).loose();
export const ImportHotSpotsResponse = z.object({ created: z.number().int(), replaced: z.number().int() });

export const PositionReport = z.strictObject({
  at: Timestamp,
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  accuracyM: z.number().min(0).max(10_000).optional(),
});
export const CreatePositionsRequest = z.strictObject({
  positions: z.array(z.unknown()).min(1).max(MAX_POSITIONS_PER_BATCH)
    .describe(`1–${MAX_POSITIONS_PER_BATCH} positions; each is checked alone (a bad one is rejected, the others land). Up to ${POSITION_MAX_AGE_HOURS} hours old.`),
});
export const CreatePositionsResponse = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int().describe('Positions of this team at the same `at` already on record: harmless.'),
  rejected: z.array(z.object({ index: z.number().int(), error: z.string() })),
});

export const CHECK_OUTCOMES = ['nobody', 'people_found'] as const;
export const CreateCheckRequest = z.strictObject({
  at: Timestamp,
  location: Location,
  outcome: z.enum(CHECK_OUTCOMES),
  people: z.array(Person).min(1).max(20).optional().describe('With `people_found`: reported as a sighting at the hot spot in the same request.'),
  photoUploadId: z.string().regex(/^upl-[0-9A-Z]{26}$/, 'is not an upload id').optional().describe('The check-in photo (拍照打卡), uploaded by the caller.'),
  note: CreateSightingRequest.shape.note,
}).refine((check) => check.outcome === 'people_found' || !check.people, { message: 'people go with outcome people_found', path: ['people'] });
export const CreateCheckResponse = z.object({
  checkId: z.string(),
  sightingId: z.string().optional(),
  caseId: z.string().optional(),
  distanceM: z.number().describe('How far the check-in was from the hot spot.'),
});

export const CoverageQuery = z.strictObject({
  night: z.iso.date({ message: 'must be a date, YYYY-MM-DD: the evening the night began' }).optional()
    .describe('The night (18:00 that day to 06:00 the next, Asia/Shanghai); tonight when absent.'),
});
export const CoverageItem = z.object({
  hotSpotId: z.string(),
  name: z.string(),
  priority: z.enum(HOT_SPOT_PRIORITIES),
  district: z.string().optional(),
  location: z.object({ lat: z.number(), lon: z.number() }),
  target: z.number().int(),
  checks: z.number().int(),
  lastCheckedAt: z.string().optional(),
  lastTeamId: z.string().optional(),
  covered: z.boolean(),
});
export const Coverage = z.object({
  night: z.string(),
  coldWave: z.boolean().describe('A cold-wave warning of level yellow or above was in force at some time of the night.'),
  holiday: z.boolean().describe('The night of, or before, an official public holiday.'),
  campaign: z.object({ name: z.string(), from: z.string(), to: z.string(), night: z.number().int().describe('Which night of the campaign: 1 on its first.') }).optional()
    .describe('The campaign the night is in (CAMPAIGN_NAME, CAMPAIGN_FROM, CAMPAIGN_TO), if any.'),
  items: z.array(CoverageItem).describe('Uncovered first (high priority first), then covered.'),
  summary: z.object({ hotSpots: z.number().int(), covered: z.number().int() }),
});

export const Warning = z.object({
  warningId: z.string(),
  identifier: z.string(),
  sender: z.string(),
  sent: z.string(),
  msgType: z.string(),
  status: z.string(),
  event: z.string().optional(),
  level: z.enum(WARNING_LEVELS).optional(),
  coldWave: z.boolean(),
  headline: z.string().optional(),
  description: z.string().optional(),
  instruction: z.string().optional(),
  onset: z.string().optional(),
  expires: z.string().optional(),
  areas: z.array(z.string()),
  references: z.array(z.string()),
  receivedAt: z.string(),
});
export const WarningList = z.object({ items: z.array(Warning) });
export const WarningsQuery = z.strictObject({ active: z.enum(['true', 'false']).optional() });

const HOT_SPOT_DESCRIPTION = 'A known place the patrols must check each night: a bridge, culvert, underpass, abandoned site, '
  + 'station square. Cases opened near one are named after it.';

export const CREATE_HOT_SPOT_DOC: RouteDoc<'CreateHotSpot'> = {
  tag: 'Campaign', description: HOT_SPOT_DESCRIPTION,
  body: { schema: HotSpotInput, example: { name: '八一大桥东引桥下', type: 'bridge', location: { lat: 28.6829, lon: 115.8579 }, radiusM: 60, priority: 'high', district: '东湖区' } },
  responses: { 201: { description: 'The hot spot.', schema: HotSpot } },
  problems: { 409: 'A hot spot with that `hotSpotId` exists already.' },
};
export const LIST_HOT_SPOTS_DOC: RouteDoc<'ListHotSpots'> = {
  tag: 'Campaign', description: 'Every hot spot (a city has hundreds: no paging). `format=geojson` answers a GeoJSON FeatureCollection of points (longitude first, as GeoJSON has it).',
  query: HotSpotListQuery,
  responses: { 200: { description: 'The hot spots.', schema: z.union([HotSpotList, GeoJsonHotSpots]), mediaTypes: ['application/json', 'application/geo+json'] } },
};
export const UPDATE_HOT_SPOT_DOC: RouteDoc<'UpdateHotSpot'> = {
  tag: 'Campaign', description: 'Replaces a hot spot whole (an import re-run with the same ids updates them).',
  path: HotSpotParams, body: { schema: HotSpotReplacement },
  responses: { 200: { description: 'The hot spot as stored.', schema: HotSpot } },
  problems: { 404: 'No hot spot with that id.' },
};
export const DELETE_HOT_SPOT_DOC: RouteDoc<'DeleteHotSpot'> = {
  tag: 'Campaign', description: 'Removes a hot spot; the nights it was checked keep their checks in the night\'s report.',
  path: HotSpotParams,
  responses: { 204: { description: 'Removed.' } },
  problems: { 404: 'No hot spot with that id.' },
};
export const IMPORT_HOT_SPOTS_DOC: RouteDoc<'ImportHotSpots'> = {
  tag: 'Campaign',
  description: `Creates or replaces hot spots from a GeoJSON FeatureCollection of points (up to ${HOT_SPOT_IMPORT_MAX}; the form \`GET /v1/hot-spots?format=geojson\` answers): `
    + 'each feature\'s `id` is its hotSpotId. One bad feature refuses the whole file (400, with its path), and nothing is stored.',
  body: { schema: ImportHotSpotsRequest, mediaTypes: ['application/geo+json', 'application/json'] },
  responses: { 200: { description: 'How many were new and how many replaced.', schema: ImportHotSpotsResponse } },
};
export const CREATE_CHECK_DOC: RouteDoc<'CreateHotSpotCheck'> = {
  tag: 'Campaign',
  description: `A team's check-in at a hot spot (拍照打卡), with what it found. \`people_found\` with \`people\` also reports a sighting there `
    + `(as \`POST /v1/sightings\`), whose case is answered. A check-in farther than ${CHECK_IN_REACH_RADII} times the hot spot's radius from it is refused.`,
  path: HotSpotParams,
  body: { schema: CreateCheckRequest, example: { at: '2026-01-12T23:40:00+08:00', location: { lat: 28.6829, lon: 115.8579, accuracyM: 12 }, outcome: 'nobody' } },
  responses: { 201: { description: 'The check is recorded.', schema: CreateCheckResponse } },
  problems: { 404: 'No hot spot with that id.', 409: 'The check-in is farther from the hot spot than it may be: the detail says how far.', 400: 'The photo is not an upload of the caller.' },
};
export const CheckInList = z.object({
  night: z.string(),
  items: z.array(z.object({
    checkId: z.string(), teamId: z.string(), at: z.string(), outcome: z.enum(CHECK_OUTCOMES), distanceM: z.number(),
    note: z.string().optional(), caseId: z.string().optional(),
    photoUrl: z.string().optional().describe('A 5-minute link to the photo, without its metadata.'),
    photo: z.enum(['pending', 'rejected']).optional().describe('A photo named but not (yet) stored.'),
  })),
});
export const LIST_CHECKS_DOC: RouteDoc<'ListHotSpotChecks'> = {
  tag: 'Campaign', description: "A hot spot's check-ins (拍照打卡) of a night, newest first: who, when, how far from it, what they found, the photo.",
  path: HotSpotParams, query: CoverageQuery,
  responses: { 200: { description: 'The check-ins.', schema: CheckInList } },
  problems: { 404: 'No hot spot with that id.' },
};
export const CREATE_POSITIONS_DOC: RouteDoc<'CreatePositions'> = {
  tag: 'Campaign',
  description: 'The positions of the caller\'s team (the token\'s), sent by the patrol phone while on shift, in batches; late and out of order '
    + `is fine (up to ${POSITION_MAX_AGE_HOURS} hours). A position with impossible coordinates or a time in the future is rejected alone.`,
  body: { schema: CreatePositionsRequest, example: { positions: [{ at: '2026-01-12T23:40:00+08:00', lat: 28.6829, lon: 115.8579, accuracyM: 12 }] } },
  responses: { 200: { description: 'What happened to each position.', schema: CreatePositionsResponse } },
  problems: { 403: 'The token names no team.' },
};
export const GET_COVERAGE_DOC: RouteDoc<'GetCoverage'> = {
  tag: 'Campaign',
  description: 'Which hot spots a night\'s patrols checked, against each one\'s target: `high` 2 checks, `normal` 1; one more on a night a '
    + 'cold-wave warning of level yellow or above was in force, one more on a night of or before an official public holiday (China\'s '
    + 'calendar with its adjusted working days). A team checks a hot spot by checking in there, or by staying within its radius '
    + '(plus the position\'s accuracy, up to 30 m) for 5 minutes; stops of one team at one hot spot less than 30 minutes apart are one check. '
    + 'A station sees the hot spots it is the nearest station to; a coordinator every one.',
  query: CoverageQuery,
  responses: { 200: { description: 'The night\'s coverage.', schema: Coverage } },
};
export const CREATE_WARNING_DOC: RouteDoc<'CreateWarning'> = {
  tag: 'Campaign',
  description: 'A weather warning as CAP 1.2 XML. `level` comes from a colour in `event` or a `parameter`, else from `severity`. '
    + 'An `Update` or `Cancel` ends the alerts it `references` as of its `sent`. A warning without `expires` is in force for 24 hours from its onset. '
    + 'Refused (400, nothing stored): not CAP 1.2, missing required elements, over 256 KB, or declaring a DTD or entities.',
  body: { schema: z.string().describe('A CAP 1.2 <alert> document.'), mediaTypes: ['application/cap+xml', 'application/xml'] },
  responses: {
    201: { description: 'The warning is stored.', schema: Warning },
    200: { description: 'A warning with that identifier was on record already: it, unchanged.', schema: Warning },
  },
};
export const LIST_WARNINGS_DOC: RouteDoc<'ListWarnings'> = {
  tag: 'Campaign', description: '`active=true`: those in force now (onset passed or none; not expired, replaced or cancelled). Otherwise every warning, newest first.',
  query: WarningsQuery,
  responses: { 200: { description: 'The warnings.', schema: WarningList } },
};

const Counts = z.strictObject(Object.fromEntries(SUPPLY_KINDS.map((k) => [k, z.number().int().min(0).max(1_000_000)])) as Record<SupplyKind, z.ZodNumber>);
export const CountSuppliesRequest = z.strictObject({ stock: Counts.describe('What the station holds now, every kind counted.') });
export const StationIdParam = z.strictObject({ stationId: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'may use letters, digits and . _ : - only') });
export const StationSuppliesSchema = z.object({
  stationId: z.string(), stationName: z.string(),
  stock: z.record(z.string(), z.number()).nullable().describe('Null until the station first counts its stock.'),
  countedAt: z.string().optional(),
  targets: z.record(z.string(), z.number()).describe('What it should hold now: a base, more for each person in its care, all of it ×1.5 in a cold wave (×2 in a red one).'),
  shortfalls: z.array(z.object({ kind: z.enum(SUPPLY_KINDS), stock: z.number(), target: z.number(), short: z.number() })),
  peopleInCare: z.number().int(),
  coldWave: z.enum(['none', 'cold_wave', 'red']),
});
export const SuppliesList = z.object({ items: z.array(StationSuppliesSchema) });

export const LIST_SUPPLIES_DOC: RouteDoc<'ListSupplies'> = {
  tag: 'Campaign',
  description: `A station's supplies (${SUPPLY_KINDS.join(', ')}) against what it should hold tonight. A station sees its own, a coordinator every station's.`,
  responses: { 200: { description: 'The supplies.', schema: SuppliesList } },
};
export const COUNT_SUPPLIES_DOC: RouteDoc<'CountSupplies'> = {
  tag: 'Campaign',
  description: 'A station counts its stock. A kind that falls short of its target tells the station (through the notification outbox), once until it is '
    + 'made good; a cold wave or people coming in can open a shortfall too, found within 5 minutes.',
  path: StationIdParam,
  body: { schema: CountSuppliesRequest, example: { stock: { quilts: 40, cotton_coats: 32, hot_meals: 60, medicine_kits: 12 } } },
  responses: { 200: { description: 'The supplies as counted, with tonight\'s targets and shortfalls.', schema: StationSuppliesSchema } },
  problems: { 403: 'A station counts only its own.', 404: 'No such station.', 409: 'Counted by someone else at the same moment.' },
};

export const DailyReportQuery = z.strictObject({
  date: z.iso.date({ message: 'must be a date, YYYY-MM-DD: the evening the night began' }).optional()
    .describe('The night (18:00 that day to 06:00 the next, Asia/Shanghai); the night just over (or under way after 18:00) when absent.'),
});
const Minutes = z.object({ count: z.number().int(), median: z.number().nullable(), p90: z.number().nullable() });
export const DailyReportJson = z.object({
  date: z.string(),
  night: z.object({ from: z.string(), to: z.string() }),
  generatedAt: z.string(),
  scope: z.union([z.literal('city'), z.object({ stationId: z.string() })]),
  campaign: z.object({ name: z.string(), from: z.string(), to: z.string(), night: z.number().int() }).optional(),
  cases: z.object({
    opened: z.number().int(),
    byRisk: z.record(z.string(), z.number().int()),
    byDistrict: z.array(z.object({ district: z.string(), opened: z.number().int(), red: z.number().int() })),
    bySource: z.record(z.string(), z.number().int()),
    outcomes: z.record(z.string(), z.number().int()),
    minutesToAcknowledge: Minutes,
    minutesToResolve: Minutes,
    openRedNow: z.number().int(),
  }),
  coverage: z.object({
    hotSpots: z.number().int(), covered: z.number().int(), coldWave: z.boolean(), holiday: z.boolean(),
    items: z.array(z.object({ name: z.string(), district: z.string().optional(), priority: z.string(), checks: z.number().int(), target: z.number().int(), covered: z.boolean() })),
  }),
  warnings: z.array(z.object({ event: z.string().optional(), level: z.string().optional(), headline: z.string().optional(), onset: z.string().optional(), expires: z.string().optional() })),
  peopleInStations: z.number().int(),
});

export const GET_DAILY_REPORT_DOC: RouteDoc<'GetDailyReport'> = {
  tag: 'Campaign',
  description: "The night's report for handing up in the morning: the cases opened in the night by district (the district of the nearest "
    + 'hot spot within 3 km) and by source, their outcomes and minutes to acknowledge and to resolve, the red cases still open, '
    + 'the hot spots\' coverage, the warnings in force and the people in the stations. `Accept: application/pdf`: a printable PDF '
    + 'in Chinese with the coverage chart; `Accept: text/csv`: one row per figure (UTF-8 with BOM); otherwise JSON. A station\'s '
    + 'report counts the cases it is responsible for; the coverage and warnings are the city\'s.',
  query: DailyReportQuery,
  responses: {
    200: {
      description: 'The report, in the form the Accept header asked for.', schema: DailyReportJson,
      mediaTypes: ['application/json', 'application/pdf', 'text/csv'],
    },
  },
};

export const CAMPAIGN_COMPONENTS = { HotSpot, HotSpotList, Coverage, CoverageItem, Warning, WarningList, StationSupplies: StationSuppliesSchema };
