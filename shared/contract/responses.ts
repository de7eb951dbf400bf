import * as z from 'zod';
import { ALERT_TARGET_KINDS } from '../domain/alert-policy';
import { DUE_KINDS } from '../domain/disposal';
import { NOTIFICATION_KINDS } from '../domain/notification';
import { Detection, DetectionResult, Location, Place, Timestamp, UPLOAD_LIMITS, UPLOAD_PURPOSES } from './schemas';
import { LEAD_SOURCES } from './stats';
import { CasePersonView } from './people';
import {
  AGE_GROUPS, CASE_STATUSES, CONDITIONS, DETECTION_SOURCES, OUTCOMES, PLACE_TYPES, RISK_LEVELS, ROLES, SEXES,
} from './vocabulary';

/**
 * What the API answers, as zod schemas for the OpenAPI document (requests are validated by ./schemas.ts; these are
 * never parsed at run time). They describe what the handlers return; test/unit/contract/openapi.test.ts holds them
 * to the domain types. Plain `z.object`: clients must accept fields added later, as the contract allows.
 */

const Count = z.int().min(0);

/** RFC 9457 problem details: the body of every error (shared/http/problem.ts). */
export const Problem = z.object({
  type: z.string().describe('A URI reference naming the kind of problem, e.g. `/problems/invalid-request`.'),
  title: z.string().describe('A short summary of the kind of problem; the same for every problem of one type.'),
  status: z.int().min(400).max(599),
  detail: z.string().describe('What went wrong with this request, in words a person can act on.'),
  errors: z.array(z.object({
    path: z.string().describe('Where: a body field (`people[0].sex`), `query.<name>`, `path.<name>` or `header:<Name>`.'),
    message: z.string(),
  })).optional().describe('Every problem found in the request, one per field.'),
  instance: z.string().optional(),
});

/** API Gateway's own refusal, before any function runs (in the cloud: a missing, expired or forged token). */
export const GatewayError = z.object({ message: z.string() });

export const Actor = z.object({
  sub: z.string().describe('The member, device or help point that acted.'),
  role: z.enum([...ROLES, 'public']).describe("The role it acted in; 'public' is someone at a help point."),
  teamId: z.string().optional(),
  stationId: z.string().optional(),
  deviceId: z.string().optional(),
});

export const OpenAlert = z.object({
  rung: Count.describe('0 for the first alert; each escalation adds one.'),
  target: z.object({ kind: z.enum(ALERT_TARGET_KINDS), id: z.string(), name: z.string().optional() }),
  alertedAt: Timestamp,
  deadline: Timestamp.describe('When the alert escalates to the next rung unless acknowledged.'),
  risk: z.enum(RISK_LEVELS).optional().describe('The risk the deadline was set for; a case graded higher since has its deadline brought forward.'),
});

export const CaseSummary = z.object({
  caseId: z.string(),
  status: z.enum(CASE_STATUSES).describe('More values may be added: show an unknown one as it is.'),
  risk: z.enum(RISK_LEVELS),
  location: Location,
  placeType: z.enum(PLACE_TYPES),
  placeName: z.string().optional(),
  openedAt: Timestamp,
  updatedAt: Timestamp,
  lastSeenAt: Timestamp.describe('When the people of this case were last reported, by a sighting or a detection.'),
  sightingCount: Count,
  detectionCount: Count,
  photoCount: Count,
  alert: OpenAlert.optional().describe('The alert waiting for an acknowledgement, while the case is alerted.'),
  reopenCount: z.int().min(1).optional().describe('Times the case was reopened because its people were seen again.'),
  mergeCandidates: z.array(z.string()).optional()
    .describe("Active cases this one opened near without fitting them: perhaps the same people reported far off. A station or coordinator may merge them (action `merge`)."),
  maxConfidence: z.number().min(0).max(1).optional().describe('The highest confidence of the detections in the case.'),
  due: z.object({
    kind: z.enum(DUE_KINDS).describe('What is awaited: arrival on the scene, an outcome, the station\'s intake, a discharge check, a revisit.'),
    since: Timestamp,
    at: Timestamp.describe('The deadline; when it passes the station, then the coordinator, is told.'),
    overdue: Count.describe('Deadlines already missed for this step.'),
  }).optional().describe('What the workflow waits for after acknowledgement, and until when.'),
  assignedTeamId: z.string().optional().describe('The team that took the case, or that a station dispatched.'),
  assignee: z.string().optional().describe('A station handling the case itself: the person it sent.'),
  outcome: z.enum(OUTCOMES).optional().describe('The outcome reported when the case was resolved.'),
  acknowledgedAt: Timestamp.optional(),
  resolvedAt: Timestamp.optional(),
  closedAt: Timestamp.optional(),
  access: z.enum(['full', 'summary']).optional().describe(
    'How much of the case you may read. `summary` (a patrol, a case of its station\'s area that nobody has taken): '
    + 'where and how urgent, not who; its detail is the same summary, and the only action allowed is `acknowledge` for your own team.'),
});

export const CasePage = z.object({
  items: z.array(CaseSummary),
  nextCursor: z.string().optional().describe('Present when there is more: send it as `cursor` with the same filters.'),
});

export const TimelineEntry = z.looseObject({
  at: Timestamp,
  type: z.string().describe(
    'What happened: opened, sighting, detection, photo, alerted (with who was asked and the deadline), escalated, '
    + 'acknowledged, arrived, resolved, revisit_scheduled, revisit_due, search_again, intake, discharged, note, verified, '
    + 'triaged, overdue, closed, notification_failed; more may be added. '
    + 'Each type carries its own details next to these fields.',
  ),
  actor: Actor.optional(),
});

/** A person as stored: the defaults of the request are filled in. */
export const ReportedPerson = z.object({
  ageGroup: z.enum(AGE_GROUPS),
  sex: z.enum(SEXES),
  conditions: z.array(z.enum(CONDITIONS)),
});

export const Sighting = z.object({
  sightingId: z.string(),
  caseId: z.string(),
  observedAt: Timestamp,
  receivedAt: Timestamp,
  location: Location,
  place: Place,
  people: z.array(ReportedPerson).describe('Absent once the case\'s personal data is erased (`erasedAt`); `peopleCount` then says how many there were.'),
  peopleCount: Count.optional(),
  note: z.string().optional(),
  teamId: z.string().optional(),
  reportedBy: Actor,
  source: z.enum(['patrol', 'coordinator', 'public']),
  helpPointId: z.string().optional(),
});

export const CasePhoto = z.object({
  uploadId: z.string(),
  contentType: z.enum(UPLOAD_LIMITS.contentTypes),
  sizeBytes: z.int().min(1),
  width: z.int().min(1),
  height: z.int().min(1),
  takenAt: Timestamp.optional().describe("When the photo was taken, from its EXIF."),
  takenAtOffsetAssumed: z.boolean().optional()
    .describe('The camera recorded no UTC offset, so China Standard Time (+08:00) was assumed for `takenAt`.'),
  location: Location.optional().describe("Where the photo was taken, from its EXIF GPS tags."),
  uploadedBy: Actor,
  uploadedAt: Timestamp,
  url: z.url().optional().describe('A short-lived URL of a copy without metadata; absent when there is no such copy.'),
  urlExpiresAt: Timestamp.optional(),
});

/** A detection as stored under its case: what the device sent, and where it came from. */
export const CaseDetection = z.object({
  ...Detection.shape,
  deviceId: z.string(),
  source: z.enum(DETECTION_SOURCES),
  caseId: z.string(),
  receivedAt: Timestamp,
  cropUrl: z.string().optional().describe("A hot spot found in an analysed frame: the frame's crop around it with its box drawn (false colour, PNG), through a URL that expires like a photo's."),
});

/** A message the case caused (an alert, an escalation, …) and what became of its delivery. */
export const CaseNotification = z.object({
  notificationId: z.string(),
  caseId: z.string(),
  createdAt: Timestamp,
  kind: z.enum(NOTIFICATION_KINDS),
  to: OpenAlert.shape.target.describe('Who it is for.'),
  risk: z.enum(RISK_LEVELS),
  deadline: Timestamp.optional().describe('When the recipient has to act by, if there is a deadline.'),
  text: z.string().describe('The message as the recipient sees it.'),
  status: z.enum(['pending', 'delivered', 'failed'])
    .describe('pending while attempts go on (retried with backoff); failed after the last, with a notification_failed timeline entry.'),
  attempts: Count,
  channels: z.array(z.string()).optional()
    .describe("Where it went out: 'webhook' (the team's chat robot), 'sns' (SMS and e-mail), 'outbox' (local mode: kept here only)."),
  lastError: z.string().optional().describe('Why the last failed attempt failed.'),
  lastAttemptAt: Timestamp.optional(),
  nextAttemptAt: Timestamp.optional().describe('When the next attempt is due, while it is pending after a failure.'),
  deliveredAt: Timestamp.optional(),
});

export const CaseDetail = CaseSummary.extend({
  riskReasons: z.array(z.string()),
  placeNameSource: z.enum(['report', 'nearby']).optional().describe("Where placeName came from: a person's report, or the nearest known hot spot."),
  placeTypeSource: z.enum(['sighting', 'detection']).optional().describe("Where placeType came from: a person's report, or a machine's."),
  stationId: z.string().optional().describe('The station the person was taken in by.'),
  reportedByTeamId: z.string().optional(),
  arrivedAt: Timestamp.optional(),
  closeReason: z.string().optional().describe('Why the case closed, in words.'),
  handover: z.object({ to: z.string(), place: z.string().optional(), at: Timestamp }).optional()
    .describe('A medical handover: who took the person, where and when.'),
  handedOver: z.array(z.string()).optional().describe('What was given to someone who declined help.'),
  erasedAt: Timestamp.optional().describe("When the people's details, notes and photos of the case were erased (retention, or an admin on request); its place, times, risk, outcome and counts stay."),
  revisitCount: Count.optional().describe('Revisits made to someone who declined help.'),
  searchCount: Count.optional().describe('Searches made again after nobody was found.'),
  coldestAmbientC: z.number().optional().describe('The coldest air temperature its detections read (°C).'),
  coldestSurfaceC: z.number().optional().describe('The coldest body-surface temperature its detections read (°C).'),
  detectionsShown: Count.optional().describe('How many of its detections `detections` lists (the latest); the rest are paged at GET /v1/cases/{caseId}/detections.'),
  mergedInto: z.string().optional().describe('This case was one of the people of another case, and was merged into it (closed; its reports count there).'),
  mergedFrom: z.array(z.string()).optional().describe('Cases merged into this one: their sightings, detections and photos are listed here too.'),
  pendingVisit: z.enum(['revisit', 'search_again']).optional().describe('The case is open again for a revisit or a second search.'),
  sourceDevices: z.array(z.string()).optional().describe('Devices whose detections are in this case.'),
  leadSource: z.enum(LEAD_SOURCES).optional().describe('Where the report that opened the case came from.'),
  reportsBySource: z.object(Object.fromEntries(LEAD_SOURCES.map((source) => [source, Count.optional()])) as Record<(typeof LEAD_SOURCES)[number], z.ZodOptional<typeof Count>>)
    .optional().describe('The sightings and detections of the case by source. A case stored before they were counted by source '
      + 'lacks them, or has only the later ones: the counts may sum to less than sightingCount and detectionCount.'),
  intakePeople: z.array(ReportedPerson).optional().describe('Who came into the station, as it registered them at intake.'),
  personIds: z.array(z.string()).optional().describe("The people's files linked to the case (一人一档)."),
  files: z.array(CasePersonView).describe('The people linked to the case, as much as a team needs to help: name or number, grade, dialect, conditions.'),
  possiblyKnown: z.array(CasePersonView.extend({ lastMetAt: z.string().optional() }))
    .describe('People with a file who were met near here before: a suggestion while nobody is linked (a person links them; the system never does).'),
  people: z.array(ReportedPerson).describe('Who the people of the case are, across every sighting: each person as the most specific report described them (a vaguer later report does not erase an earlier one); once the station registered who came in, those people.'),
  timeline: z.array(TimelineEntry).describe('Oldest first.'),
  sightings: z.array(Sighting),
  detections: z.array(CaseDetection),
  photos: z.array(CasePhoto),
  notifications: z.array(CaseNotification).describe('Oldest first.'),
});

export const CaseActionResult = z.object({
  case: CaseSummary.describe('The case after the action.'),
  entry: TimelineEntry.describe('The timeline entry the action added.'),
  personIds: z.array(z.string()).optional().describe("An intake's (and a discharge's) people: the files it opened or took in (or let go)."),
});

export const DetectionResults = z.object({
  results: z.array(DetectionResult).describe('One result per detection of the request, in order.'),
});

export const CreateUploadResponse = z.object({
  uploadId: z.string(),
  key: z.string().describe('The object key; a thermal frame is referred to by it (`frameKey` of a detection).'),
  url: z.url().describe('Send the bytes here, with `method` and exactly these `headers`.'),
  method: z.literal('PUT'),
  headers: z.record(z.string(), z.string()).describe('Content type and length are signed into the URL.'),
  expiresAt: Timestamp.describe(`The URL works until then (at most ${UPLOAD_LIMITS.urlSeconds / 60} minutes).`),
});

/** A hot spot found in an analysed thermal frame (contract, "Thermal frames"): a detection of the device. */
export const FrameHotSpot = z.object({
  lat: z.number(),
  lon: z.number(),
  accuracyM: z.number().describe("How far off the place may be (m, about two in three within it): from the pose's uncertainty and how obliquely the spot was seen."),
  confidence: z.number().min(0).max(1).describe('That it is a person: from size for the height and angle, contrast to the ground around it, and standing alone. Below 0.5 it opens an unverified lead that alerts nobody.'),
  surfaceTempC: z.number().describe('The warmest pixel of the spot.'),
  box: z.tuple([z.int(), z.int(), z.int(), z.int()]).describe('[x, y, width, height] in pixels, row 0 at the top.'),
  detectionId: z.string().describe('`<uploadId>/<n>`, n from 1, most confident first.'),
  caseId: z.string().optional().describe('The case it went to (absent if it is still landing).'),
});

export const Upload = z.object({
  uploadId: z.string(),
  key: z.string(),
  purpose: z.enum(UPLOAD_PURPOSES),
  contentType: z.enum(UPLOAD_LIMITS.contentTypes),
  sizeBytes: z.int().min(1),
  caseId: z.string().optional(),
  personId: z.string().optional(),
  status: z.enum(['pending', 'stored', 'analysed', 'rejected'])
    .describe('pending until the bytes land and are checked; a radiometric thermal frame (TIFF) is then analysed for hot spots.'),
  reason: z.string().optional().describe('Why the bytes were rejected.'),
  createdAt: Timestamp,
  processedAt: Timestamp.optional(),
  width: z.int().min(1).optional().describe('Pixel size of a stored image.'),
  height: z.int().min(1).optional(),
  source: z.enum(['drone_thermal', 'fixed_thermal']).optional().describe("A thermal frame's source, as its upload request gave it."),
  deviceId: z.string().optional().describe("A thermal frame's device, as its upload request gave it."),
  hotSpots: z.array(FrameHotSpot).optional().describe('An analysed frame\'s hot spots, most confident first (none: nobody was found).'),
  pose: z.object({
    lat: z.number(), lon: z.number(), relativeAltitudeM: z.number(), gimbalPitchDeg: z.number(), gimbalYawDeg: z.number(),
    gimbalRollDeg: z.number().optional(), hfovDeg: z.number(), capturedAt: Timestamp.optional(),
    from: z.enum(['request', 'frame']).describe("The upload request's pose, or the frame's own metadata."),
    notes: z.array(z.string()).describe('How the pose was read where the frame needed it (a field of view from the table of cameras, gimbal angles not recorded, a gimbal upside down).'),
  }).optional().describe('The pose an analysed frame was placed with (angles as a rotation the same as the one given).'),
});

export const WeatherRecordResponse = z.object({
  recordId: z.string(),
  observedAt: Timestamp,
  airTempC: z.number(),
  windSpeedMs: z.number().optional(),
  location: Location.optional(),
  source: z.string().optional(),
  recordedBy: Actor,
  receivedAt: Timestamp,
  heldBack: z.boolean().optional().describe('Far (over 10 °C) from the readings of the last 6 hours and not confirmed by another sender: stored, but nothing is graded on it until another sender reports the same.'),
  heldBackReason: z.string().optional(),
});

/** GET /v1/cases/{caseId}/access-log (shared/store/access-log-store.ts). */
export const AccessLogEntry = z.object({
  at: Timestamp,
  sub: z.string().describe('Who: the member (or system) that read.'),
  role: z.enum([...ROLES, 'public']).describe('The role it read in.'),
  teamId: z.string().optional(),
  stationId: z.string().optional(),
  what: z.enum(['read', 'photo_url', 'export', 'erase', 'case_read']).describe(
    "`read`: the case's detail (a person's file); `photo_url`: photo URLs issued (`count` of them; a thermal frame's crops count as photos); `export`: an export that held the case (a person's notice, printed or read); `erase`: its personal data erased; `case_read` (a person's file): what a case's reader is shown of the person (`caseId`). More may be added."),
  caseId: z.string().optional().describe('For `case_read` in a person\'s log: the case read.'),
  count: Count.optional(),
});
export const CaseDetectionPage = z.object({
  items: z.array(CaseDetection).describe('Newest first.'),
  nextCursor: z.string().optional(),
});

export const AccessLogPage = z.object({
  items: z.array(AccessLogEntry).describe('Newest first.'),
  nextCursor: z.string().optional(),
});
