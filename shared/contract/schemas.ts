import * as z from 'zod';
import {
  ACTION_TYPES, AGE_GROUPS, DETECTION_SOURCES, CASE_STATUSES, CONDITIONS, OUTCOMES, PLACE_TYPES, RISK_LEVELS, ROLES, SEXES,
} from './vocabulary';

/** How far ahead of the server clock a reported time may be (phone clocks drift; a minute more is a mistake). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export const Timestamp = z.iso
  .datetime({ offset: true, message: 'must be an RFC 3339 timestamp with an offset, e.g. 2026-01-12T22:41:00+08:00' })
  .refine((value) => Date.parse(value) <= Date.now() + MAX_CLOCK_SKEW_MS, {
    message: 'is in the future: check the device clock',
  });

/** The vaguest stated accuracy accepted (m): a typed address placed at the widest district of a city. */
export const MAX_STATED_ACCURACY_M = 100_000;

export const Location = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  accuracyM: z.number().min(0).max(MAX_STATED_ACCURACY_M).optional()
    .describe('Radius (m) holding about two fixes in three. Absent: the source\'s default; under 3 m (0 included): 3 m; over 100 m: names no place (a case of its own).'),
});
export type Location = z.infer<typeof Location>;

export const Person = z.strictObject({
  ageGroup: z.enum(AGE_GROUPS).default('unknown'),
  sex: z.enum(SEXES).default('unknown'),
  conditions: z.array(z.enum(CONDITIONS)).max(CONDITIONS.length).default([])
    .refine((list) => new Set(list).size === list.length, { message: 'lists a condition twice' }),
});
export type Person = z.infer<typeof Person>;

export const Place = z.strictObject({
  type: z.enum(PLACE_TYPES),
  name: z.string().trim().min(1).max(200).optional(),
});

const Id = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._:\/-]+$/, 'may use letters, digits and . _ : / - only');

export const CreateSightingRequest = z.strictObject({
  observedAt: Timestamp,
  location: Location,
  place: Place,
  people: z.array(Person).min(1).max(20),
  note: z.string().max(2000).optional(),
  teamId: Id.optional(),
});
export type CreateSightingRequest = z.infer<typeof CreateSightingRequest>;

export const CreateSightingResponse = z.object({
  sightingId: z.string(),
  caseId: z.string(),
  caseCreated: z.boolean(),
  risk: z.enum(RISK_LEVELS),
});
export type CreateSightingResponse = z.infer<typeof CreateSightingResponse>;

/** Where the member was when acting: every action may carry it, and the timeline shows it. */
const ActedAt = { location: Location.optional() };
const Note = z.string().max(2000).optional();

export const MedicalHandover = z.strictObject({
  to: z.string().trim().min(1).max(200).describe('Who took the person: the ambulance crew or hospital, and a name.'),
  place: z.string().trim().min(1).max(200).optional().describe('Where the person was handed over.'),
  at: Timestamp.optional().describe('When; the time of the action when absent.'),
});

export const CaseAction = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('acknowledge'), note: Note, ...ActedAt,
    teamId: Id.optional().describe('A station dispatching one of its teams; a patrol member takes the case for their own team.'),
    assignee: z.string().trim().min(1).max(100).optional()
      .describe('A station handling the case itself: the name of the person going. A station that names neither a team nor a person sends the team the case was alerted to (or the nearest team on duty).'),
  }),
  z.strictObject({ type: z.literal('arrive'), location: Location, note: Note }),
  z.strictObject({
    type: z.literal('resolve'), outcome: z.enum(OUTCOMES), note: Note, ...ActedAt,
    handover: MedicalHandover.optional().describe('Required for medical_handover.'),
    handedOver: z.array(z.string().trim().min(1).max(100)).max(20).optional()
      .describe('What was given to someone who declined help (a quilt, a coat, hot food, the station\'s number).'),
    stationId: Id.optional().describe('For escorted_to_station: the station the person is taken to.'),
  }),
  z.strictObject({
    type: z.literal('intake'), stationId: Id, note: Note, ...ActedAt,
    personId: z.string().regex(/^per-[0-9A-Za-z]{26}$/, 'is not a person id').optional()
      .describe("The person's file (一人一档), when they have one; an intake without it opens a file for each person registered (one when none is)."),
    people: z.array(Person).min(1).max(20).optional()
      .describe('Who came in, as the station registered them (how many, age group, sex, conditions); they stand for the case\'s people from then on.'),
  }),
  z.strictObject({
    type: z.literal('discharge'), ...ActedAt,
    reason: z.string().trim().min(1).max(500)
      .describe('Why the person left, in words; one of returned_home, reunited_with_family, long_term_care, hospital, left_of_own_will is also the reason on their files (reunited_with_family is the case\'s outcome too).'),
  }),
  z.strictObject({ type: z.literal('note'), text: z.string().trim().min(1).max(2000), ...ActedAt }),
  z.strictObject({ type: z.literal('verify'), note: Note, ...ActedAt }),
  z.strictObject({
    type: z.literal('merge'), note: Note, ...ActedAt,
    with: Id.describe('The other case of the same people. The case further along (taken before alerted, then the older) survives; the other is closed, merged into it.'),
  }),
], { error: () => `type must be one of ${ACTION_TYPES.join(', ')}` }).superRefine((action, ctx) => {
  if (action.type === 'acknowledge' && action.teamId && action.assignee) {
    ctx.addIssue({ code: 'custom', path: ['assignee'], message: 'either dispatch a team (teamId) or name the person going (assignee), not both' });
  }
  if (action.type === 'resolve' && action.outcome === 'medical_handover' && !action.handover) {
    ctx.addIssue({ code: 'custom', path: ['handover'], message: 'is required for medical_handover: who took the person (and where, when)' });
  }
});
export type CaseAction = z.infer<typeof CaseAction>;

export const CreateWeatherRecordRequest = z.strictObject({
  observedAt: Timestamp,
  airTempC: z.number().min(-60, { error: 'is colder than any plausible air temperature (at least −60 °C)' })
    .max(50, { error: 'is hotter than any plausible air temperature (at most +50 °C)' })
    .describe('Air temperature in °C, −60…+50 (contract v1.1): anything else is a faulty sensor or a typo, refused with 400.'),
  windSpeedMs: z.number().min(0).max(80).optional().describe('Wind speed in m/s.'),
  location: Location.optional().describe('Where it was measured; the city when absent.'),
  source: z.string().trim().min(1).max(100).optional().describe('e.g. the city weather service, a station thermometer.'),
});
export type CreateWeatherRecordRequest = z.infer<typeof CreateWeatherRecordRequest>;

const BoundingBox = z.string().transform((value, ctx) => {
  const raw = value.split(',');
  const parts = raw.map(Number);
  const [minLon, minLat, maxLon, maxLat] = parts;
  if (parts.length !== 4 || raw.some((part) => part.trim() === '') || parts.some((n) => !Number.isFinite(n))
    || minLon! < -180 || maxLon! > 180 || minLat! < -90 || maxLat! > 90 || minLon! > maxLon! || minLat! > maxLat!) {
    ctx.addIssue({ code: 'custom', message: 'must be minLon,minLat,maxLon,maxLat in WGS-84 degrees, min before max' });
    return z.NEVER;
  }
  return { minLon: minLon!, minLat: minLat!, maxLon: maxLon!, maxLat: maxLat! };
});
export type BoundingBox = z.output<typeof BoundingBox>;

export const ListCasesQuery = z.strictObject({
  status: z.enum(CASE_STATUSES).optional(),
  risk: z.enum(RISK_LEVELS).optional(),
  since: z.iso.datetime({ offset: true, message: 'must be an RFC 3339 timestamp with an offset' }).optional(),
  bbox: BoundingBox.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(2048).optional(),
});
export type ListCasesQuery = z.output<typeof ListCasesQuery>;

export const CaseIdParam = z.string().regex(/^case-[0-9A-Z]{26}$/, 'is not a case id');

/** POST /v1/exports: the wall says what it is about to hand out, so that every case in it has it in its access log. */
export const MAX_EXPORT_CASES = 10_000;
export const RecordExportRequest = z.strictObject({
  format: z.enum(['csv', 'geojson']),
  caseIds: z.array(CaseIdParam).min(1).max(MAX_EXPORT_CASES),
});
export type RecordExportRequest = z.output<typeof RecordExportRequest>;

export const AccessLogQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(2048).optional(),
});

export const DevTokenRequest = z.strictObject({
  role: z.enum(ROLES),
  sub: z.string().trim().min(1).max(128),
  name: z.string().trim().min(1).max(100).optional().describe("The member's name, as Cognito's standard `name` attribute carries it."),
  teamId: Id.optional(),
  stationId: Id.optional(),
  deviceId: Id.optional(),
  expiresInSeconds: z.number().int().min(60).max(7 * 86_400).optional(),
});
/** Local mode: a token for a member invited through POST /v1/members, with the group and team/station set then. */
export const DevMemberTokenRequest = z.strictObject({
  username: z.string().trim().min(1).max(128),
  expiresInSeconds: z.number().int().min(60).max(7 * 86_400).optional(),
});

/**
 * Upload limits (contract): 15 MB; JPEG, PNG or WebP, and for a thermal frame also a radiometric TIFF; the URL
 * lives at most 15 minutes.
 */
export const UPLOAD_LIMITS = {
  maxBytes: 15 * 1024 * 1024,
  contentTypes: ['image/jpeg', 'image/png', 'image/webp', 'image/tiff'],
  urlSeconds: 15 * 60,
} as const;

/**
 * A thermal camera's pose when it took a frame (contract, "Thermal frames"): yaw clockwise from true north; pitch 0
 * at the horizon, −90 straight down; `hfovDeg` across the image width; the height above the take-off point, whose
 * elevation the ground in the frame is taken to have.
 */
export const CameraPose = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  relativeAltitudeM: z.number().min(1, { error: 'must be at least 1 m above take-off' }).max(500, { error: 'may be at most 500 m above take-off' }),
  gimbalPitchDeg: z.number().min(-180).max(0, { error: 'must look down at the ground: 0 is the horizon, −90 straight down' }),
  gimbalYawDeg: z.number().min(-360).max(360),
  gimbalRollDeg: z.number().min(-180).max(180).optional(),
  hfovDeg: z.number().min(5).max(120).describe('The field of view across the image width (degrees).'),
  capturedAt: Timestamp,
}).refine((pose) => pose.lat !== 0 || pose.lon !== 0, { path: ['lat'], message: '0, 0 is what a receiver without a fix writes, not a place' });
export type CameraPose = z.infer<typeof CameraPose>;
/**
 * A check-in photo (拍照打卡) is a patrol's proof of a hot spot checked: kept without its metadata, like a case photo.
 * A person photo is a station's, for the person's file and the family-search notice, taken only with consent.
 */
export const UPLOAD_PURPOSES = ['case_photo', 'thermal_frame', 'check_in_photo', 'person_photo'] as const;

export const CreateUploadRequest = z.strictObject({
  purpose: z.enum(UPLOAD_PURPOSES),
  contentType: z.enum(UPLOAD_LIMITS.contentTypes, { error: `must be one of ${UPLOAD_LIMITS.contentTypes.join(', ')}` }),
  sizeBytes: z.number().int().min(1).max(UPLOAD_LIMITS.maxBytes, { error: `may be at most ${UPLOAD_LIMITS.maxBytes} bytes (15 MB)` }),
  caseId: CaseIdParam.optional(),
  personId: z.string().regex(/^per-[0-9A-Za-z]{26}$/, 'is not a person id').optional().describe('For a person_photo: whose file it goes to.'),
  consent: z.literal(true).optional().describe('For a person_photo: the person (or, for a minor, their guardian or the station chief) agreed to the photo.'),
  pose: CameraPose.optional().describe("For a thermal frame: the camera's pose, if the frame's own metadata does not carry it (when both do, this one is used)."),
  source: z.enum(['drone_thermal', 'fixed_thermal']).optional().describe('For a thermal frame: what took it (default drone_thermal).'),
  deviceId: Id.optional().describe("For a thermal frame: the device whose detections its hot spots become. A device's token names its own (another is 403); others default to their own name."),
}).refine((upload) => upload.purpose !== 'case_photo' || upload.caseId !== undefined, {
  path: ['caseId'], message: 'is required for a case_photo',
}).refine((upload) => upload.purpose !== 'person_photo' || upload.personId !== undefined, {
  path: ['personId'], message: 'is required for a person_photo',
}).refine((upload) => upload.purpose !== 'person_photo' || upload.consent === true, {
  path: ['consent'], message: 'must be true for a person_photo: a person is photographed only with consent',
}).refine((upload) => upload.contentType !== 'image/tiff' || upload.purpose === 'thermal_frame', {
  path: ['contentType'], message: 'image/tiff is accepted for a thermal_frame only (a radiometric frame)',
}).refine((upload) => upload.purpose === 'thermal_frame' || (upload.pose === undefined && upload.source === undefined && upload.deviceId === undefined), {
  path: ['pose'], message: 'pose, source and deviceId belong to a thermal_frame only',
});
export type CreateUploadRequest = z.infer<typeof CreateUploadRequest>;

export const UploadIdParam = z.string().regex(/^upl-[0-9A-Z]{26}$/, 'is not an upload id');

/** One detection of a batch. Validated one by one: a bad one is rejected alone, the others go on. */
export const Detection = z.strictObject({
  detectionId: z.string().trim().min(1).max(128),
  observedAt: Timestamp,
  location: Location,
  confidence: z.number().min(0).max(1),
  surfaceTempC: z.number().min(-60).max(60).optional(),
  ambientTempC: z.number().min(-60).max(60).optional(),
  frameKey: z.string().regex(/^uploads\/thermal_frame\/upl-[0-9A-Z]{26}$/, 'must be the key of a thermal_frame upload').optional(),
  label: z.string().trim().max(200).optional(),
  box: z.tuple([z.int().min(0), z.int().min(0), z.int().min(1), z.int().min(1)]).optional()
    .describe('Where in the frame (`frameKey`) the hot spot is: [x, y, width, height] in pixels, row 0 at the top.'),
});
export type Detection = z.infer<typeof Detection>;

export const MAX_DETECTIONS_PER_BATCH = 500;

/** The envelope of a batch; its detections are checked separately so that one bad one rejects only itself. */
export const CreateDetectionsRequest = z.strictObject({
  deviceId: Id,
  source: z.enum(DETECTION_SOURCES),
  detections: z.array(z.unknown()).min(1).max(MAX_DETECTIONS_PER_BATCH, { error: `at most ${MAX_DETECTIONS_PER_BATCH} detections a request` }),
});
export type CreateDetectionsRequest = z.infer<typeof CreateDetectionsRequest>;

export const DetectionResult = z.object({
  detectionId: z.string(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  caseId: z.string().optional(),
  error: z.string().optional(),
  deferred: z.literal(true).optional()
    .describe('Accepted and stored, but not yet in a case: the request ran out of time before it reached this one (a batch of hundreds of new places). It lands within about a minute; sending it again is harmless.'),
});
export type DetectionResult = z.infer<typeof DetectionResult>;
