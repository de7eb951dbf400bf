import {
  CREATE_PERSON_DOC, GET_NOTICE_DOC, GET_PERSON_ACCESS_LOG_DOC, GET_PERSON_DOC, LIST_PEOPLE_DOC, PEOPLE_COMPONENTS, PUBLISH_NOTICE_DOC,
  TAKE_PERSON_ACTION_DOC,
} from './people';
import { CONTRACT_SIGHTING_EXAMPLE } from './examples';
import * as z from 'zod';
import type { ZodObject, ZodType } from 'zod';
import { pathsOf, ROUTES, type RouteId, type RouteSpec } from '../api/routes';
import { DEFAULT_CORRELATION } from '../domain/correlation';
import { ACTION_ROLES } from '../domain/lifecycle';
import { DEFAULT_ACCURACY_M, MIN_ACCURACY_M } from '../domain/position-estimate';
import { MAX_BODY_BYTES } from '../http/api-handler';
import { PROBLEM_TYPES } from '../http/problem';
import {
  CAMPAIGN_COMPONENTS, CREATE_CHECK_DOC, CREATE_HOT_SPOT_DOC, CREATE_POSITIONS_DOC, CREATE_WARNING_DOC, DELETE_HOT_SPOT_DOC,
  COUNT_SUPPLIES_DOC, GET_COVERAGE_DOC, LIST_CHECKS_DOC, GET_DAILY_REPORT_DOC, IMPORT_HOT_SPOTS_DOC, LIST_SUPPLIES_DOC, LIST_HOT_SPOTS_DOC, LIST_WARNINGS_DOC, UPDATE_HOT_SPOT_DOC,
} from './campaign';
import { DIRECTORY_COMPONENTS, DIRECTORY_DOCS, LIST_TEAMS_DOC } from './directory';
import { EVENT_FEED_COMPONENTS, LIST_EVENTS_DOC } from './event-feed';
import { OPEN311_COMPONENTS, OPEN311_DOC } from './open311-openapi';
import { STATS_COMPONENTS, STATS_DOC } from './stats';
import {
  AccessLogEntry, AccessLogPage, Actor, CaseDetectionPage, CaseActionResult, CaseDetail, CaseDetection, CaseNotification, CasePage, CasePhoto, CaseSummary, CreateUploadResponse,
  DetectionResults, GatewayError, OpenAlert, Problem, ReportedPerson, Sighting, TimelineEntry, Upload, WeatherRecordResponse,
} from './responses';
import {
  AccessLogQuery, CaseAction, CaseIdParam, CreateDetectionsRequest, RecordExportRequest, CreateSightingRequest, CreateSightingResponse, CreateUploadRequest,
  CreateWeatherRecordRequest,
  Detection, DetectionResult, ListCasesQuery, Location, MAX_CLOCK_SKEW_MS, MAX_STATED_ACCURACY_M, MAX_DETECTIONS_PER_BATCH, Person, Place,
  Timestamp, UploadIdParam,
} from './schemas';
import { ROLES } from './vocabulary';

/**
 * The OpenAPI 3.1 document of the whole API (served by GET /openapi.json), generated from the route table and the
 * zod schemas that validate the requests. Every route is documented in OPERATIONS below: a route added to ROUTES
 * without an entry there does not compile.
 */

// ---- How a route is documented ------------------------------------------------------------------------------

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429;

export interface ResponseDoc {
  description: string;
  schema?: ZodType;
  /** The media types the body comes in; application/json when omitted. */
  mediaTypes?: readonly string[];
  headers?: Readonly<Record<string, { description: string; schema: ZodType }>>;
}

const TAGS = {
  Sightings: 'People seen by patrol teams and coordinators.',
  Detections: 'Machine detections from drones, thermal cameras, camera AI and city platforms.',
  Cases: 'Every lead of a person in the cold becomes a case that someone acknowledges, reaches and resolves in time.',
  Uploads: 'Photos and thermal frames, sent straight to storage through short-lived URLs.',
  Open311: 'The public channel for help points: Open311 GeoReport v2, so existing Open311 clients work unchanged.',
  Weather: 'Air temperature records: the cold weighs on every grading of risk.',
  Directory: 'The teams and stations of the deployment.',
  Statistics: "The campaign's key figures, for the coordinator's wall and the station desk.",
  People: "One file per person (一人一档): grades, care in the station, follow-ups and family search. Stations and coordinators only.",
  Campaign: 'Hot spots, where the teams went, what each night covered, and the weather warnings (CAP 1.2).',
  Meta: 'About the API itself.',
} as const;
export type Tag = keyof typeof TAGS;

export interface OperationDoc {
  tag: Tag;
  /** Default to the route's id and description; a route serving several operations names each of them. */
  operationId?: string;
  summary?: string;
  /** What a client needs beyond the summary (Markdown). */
  description?: string;
  path?: ZodObject;
  query?: ZodObject;
  /** Descriptions of path and query parameters, by name, where the schema does not say enough. */
  parameters?: Readonly<Record<string, string>>;
  body?: { schema: ZodType; mediaTypes?: readonly string[]; example?: unknown };
  /**
   * Honours Idempotency-Key. Routes served by apiHandler take this from the route table (`idempotent`); set it
   * here only for operations served otherwise (Open311).
   */
  idempotent?: boolean;
  /** Success responses, and error responses of routes with their own error format (see ownErrors). */
  responses: Readonly<Record<number, ResponseDoc>>;
  /**
   * When the use case answers with problem details (403, 404, 409, or a 400 beyond the schema). What apiHandler
   * answers on its own is added from the rest of this entry: 400 for bad input, 401/403 for the token and role,
   * 413/415 for a JSON body, 409 for a reused Idempotency-Key.
   */
  problems?: Readonly<Partial<Record<ProblemStatus, string>>>;
  /** Served without apiHandler: `responses` lists every answer, and no problem details are added. */
  ownErrors?: boolean;
}

type Route = (typeof ROUTES)[number];
type PairKey<P> = P extends { method: infer M extends string; path: infer T extends string } ? `${M} ${T}` : never;
type PairsOf<R> = PairKey<R> | (R extends { alsoServes: readonly (infer A)[] } ? PairKey<A> : never);

/**
 * One route's documentation. A route serving one method and path is one operation; a route that also serves other
 * pairs (a standard's .json and .xml forms) documents each pair as an operation with its own id and summary.
 * A route's entry may live next to its schemas (`export const X_DOC: RouteDoc<'X'>`) and be imported below.
 */
export type RouteDoc<Id extends RouteId> = [PairsOf<Extract<Route, { id: Id }>>] extends [PairKey<Extract<Route, { id: Id }>>]
  ? OperationDoc
  : { operations: { readonly [K in PairsOf<Extract<Route, { id: Id }>>]: OperationDoc & { operationId: string; summary: string } } };

// ---- The documentation of every route -----------------------------------------------------------------------

const CaseParams = z.object({ caseId: CaseIdParam });

const SIGHTING_EXAMPLE = CONTRACT_SIGHTING_EXAMPLE;

/** The detections example of the external contract (with a frame key of the form an upload returns). */
const DETECTIONS_EXAMPLE = {
  deviceId: 'drone-03',
  source: 'drone_thermal',
  detections: [{
    detectionId: 'drone-03/2026-01-12T23:10:04Z/7', observedAt: '2026-01-12T23:10:04Z',
    location: { lat: 28.6711, lon: 115.8812, accuracyM: 8 },
    confidence: 0.91, surfaceTempC: 29.5, ambientTempC: -2.0, frameKey: 'uploads/thermal_frame/upl-01KF0Z8Q3N6W2D4X7Y9B5C1M8T',
  }],
};

const OPERATIONS: { readonly [Id in RouteId]: RouteDoc<Id> } = {
  CreateSighting: {
    tag: 'Sightings',
    description: 'The sighting joins the case of its place or opens a new one (`caseCreated`); the risk is assessed from '
      + 'the people, the place and the time. A patrol member reports for their own team (`teamId` defaults to it).',
    body: { schema: CreateSightingRequest, example: SIGHTING_EXAMPLE },
    responses: {
      201: {
        description: 'The sighting is recorded.',
        schema: CreateSightingResponse,
        headers: { Location: { description: 'The case the sighting belongs to.', schema: z.string() } },
      },
    },
    problems: { 403: 'A patrol member reports for a team other than their own.' },
  },
  ListCases: {
    tag: 'Cases',
    query: ListCasesQuery,
    parameters: {
      status: 'Only cases in this status.',
      risk: 'Only cases at this risk level.',
      since: 'Only cases opened at or after this time.',
      bbox: 'Only cases inside this box: `minLon,minLat,maxLon,maxLat` in WGS-84 degrees, min before max.',
      limit: 'Most cases in one page.',
      cursor: "The previous page's `nextCursor`; valid only with the same filters.",
    },
    responses: { 200: { description: 'A page of cases, newest first.', schema: CasePage } },
    problems: { 400: 'The cursor is not one this list returned for these filters.' },
  },
  GetCase: {
    tag: 'Cases',
    path: CaseParams,
    responses: {
      200: {
        description: 'The case; photos come as URLs that expire within minutes. Each read in full is written to the case\'s access log. '
          + 'A case the caller reads only as a summary (`access: summary`) answers the summary alone.',
        schema: CaseDetail,
      },
    },
    problems: { 404: 'There is no such case, or you may not read it (the two are not told apart).' },
  },
  TakeCaseAction: {
    tag: 'Cases',
    description: `Who may take which action (and admins, any): ${Object.entries(ACTION_ROLES)
      .map(([action, roles]) => `\`${action}\` (${roles.join(', ')})`).join(', ')}. `
      + 'Each action appears on the timeline with who took it and when.',
    path: CaseParams,
    body: { schema: CaseAction },
    responses: { 200: { description: 'The action is taken.', schema: CaseActionResult } },
    problems: {
      403: 'Your role may not take this action, or the case is a summary to you and the action is not taking it for your own team.',
      404: 'There is no such case, or you may not read it.',
      409: "The case's status does not allow the action; `detail` says why and when it is allowed.",
    },
  },
  GetCaseAccessLog: {
    tag: 'Cases',
    description: "Every read of the case's detail, every photo URL issued for it and every export that held it, with "
      + 'who (member, role, team or station) and when, newest first. Entries are only ever added; they are kept for '
      + '`ACCESS_LOG_DAYS` (3 years by default).',
    path: CaseParams,
    query: AccessLogQuery,
    parameters: { limit: 'Most entries in one page.', cursor: "The previous page's `nextCursor`." },
    responses: { 200: { description: 'A page of the log, newest first.', schema: AccessLogPage } },
    problems: { 400: 'The cursor is not one this log returned.', 404: 'There is no such case.' },
  },
  ListCaseDetections: {
    tag: 'Cases',
    description: "A case's detections, newest first, a page at a time. The case's detail lists only its latest "
      + '(`detectionsShown` says how many when there are more): a camera that watched one person all night leaves a thousand.',
    path: CaseParams,
    query: AccessLogQuery,
    parameters: { limit: 'Most detections in one page.', cursor: "The previous page's `nextCursor`." },
    responses: { 200: { description: 'A page of detections, newest first.', schema: CaseDetectionPage } },
    problems: { 400: 'The cursor is not one this list returned.', 404: 'There is no such case, or you may not read it in full.' },
  },
  RecordExport: {
    tag: 'Cases',
    description: 'Call it before handing out an export of cases (the wall does, for its CSV and GeoJSON): each case listed gets an '
      + '`export` entry in its access log with who and how many cases the export held. Make the file only once this answers 201.',
    body: { schema: RecordExportRequest },
    responses: { 201: { description: 'Recorded.', schema: z.object({ exportId: z.string(), format: z.enum(['csv', 'geojson']), cases: z.int().min(1), at: Timestamp }) } },
  },
  EraseCase: {
    tag: 'Cases',
    description: "Erases the case's personal data now, as retention does 180 days after it closes: the sightings' people and "
      + "notes, the timeline's notes, registrations and handover names, the photos, and the text and reporter of the "
      + 'help-point reports in it. Its place, times, risk, outcome and counts stay, so the figures do. Logged in its access log. Admins only.',
    path: CaseParams,
    responses: { 200: { description: 'Erased (again, if it was).', schema: z.object({ erasedAt: Timestamp }) } },
    problems: { 404: 'There is no such case.' },
  },
  CreateUpload: {
    tag: 'Uploads',
    description: 'Send the bytes with the returned method, URL and headers (all of them: `If-None-Match: *` makes the URL '
      + 'write once, so a landed object cannot be replaced through it) before `expiresAt`. A case photo may be sent only '
      + 'for a case you read in full. Once they land they are '
      + 'checked to be the image announced, then attached to the case (a case photo) or analysed (a thermal frame); '
      + '`GET /v1/uploads/{uploadId}` tells how that went. `caseId` is required for a case photo.',
    body: { schema: CreateUploadRequest },
    responses: { 201: { description: 'Where to send the bytes.', schema: CreateUploadResponse } },
    problems: { 403: 'A device asks to upload a case photo.', 404: 'The case of a case photo does not exist.' },
  },
  GetUpload: {
    tag: 'Uploads',
    path: z.object({ uploadId: UploadIdParam }),
    description: 'Its sender, a coordinator, or (a case photo) whoever may read its case in full may read an upload.',
    responses: { 200: { description: 'The upload.', schema: Upload } },
    problems: { 404: 'There is no such upload, or it is not yours to read.' },
  },
  CreateDetections: {
    tag: 'Detections',
    description: 'Each detection is checked on its own: a bad one is answered `rejected` with the reason, and the '
      + 'others go on. A `detectionId` the device sent before is answered `duplicate` with its case, so resending a '
      + 'batch is harmless. Detections of one place and time land in one case; below the confidence threshold they '
      + 'open an unverified lead rather than alert anyone. A device sends for itself (the `custom:deviceId` of its token).',
    // The envelope is validated first; each detection then on its own, against Detection.
    body: {
      schema: CreateDetectionsRequest.extend({ detections: z.array(Detection).min(1).max(MAX_DETECTIONS_PER_BATCH) }),
      example: DETECTIONS_EXAMPLE,
    },
    responses: { 200: { description: 'One result per detection, in order.', schema: DetectionResults } },
    problems: {
      403: 'A device sends detections for another device.',
      429: 'Every detection that could land would open a new case past the device\'s hourly quota (300 by default); `Retry-After` says when the hour turns. '
        + 'When some land, the request is 200 and the refused ones are `rejected` with the reason: send them again, with a new Idempotency-Key, after the hour turns.',
    },
  },
  Open311: OPEN311_DOC,
  ListEvents: LIST_EVENTS_DOC,
  GetStats: STATS_DOC,
  ListTeams: LIST_TEAMS_DOC,
  ...DIRECTORY_DOCS,
  CreateHotSpot: CREATE_HOT_SPOT_DOC,
  ListHotSpots: LIST_HOT_SPOTS_DOC,
  ImportHotSpots: IMPORT_HOT_SPOTS_DOC,
  UpdateHotSpot: UPDATE_HOT_SPOT_DOC,
  DeleteHotSpot: DELETE_HOT_SPOT_DOC,
  CreateHotSpotCheck: CREATE_CHECK_DOC,
  ListHotSpotChecks: LIST_CHECKS_DOC,
  CreatePositions: CREATE_POSITIONS_DOC,
  GetCoverage: GET_COVERAGE_DOC,
  CreateWarning: CREATE_WARNING_DOC,
  ListWarnings: LIST_WARNINGS_DOC,
  GetDailyReport: GET_DAILY_REPORT_DOC,
  ListSupplies: LIST_SUPPLIES_DOC,
  CountSupplies: COUNT_SUPPLIES_DOC,
  CreatePerson: CREATE_PERSON_DOC,
  ListPeople: LIST_PEOPLE_DOC,
  GetPerson: GET_PERSON_DOC,
  TakePersonAction: TAKE_PERSON_ACTION_DOC,
  PublishFamilySearchNotice: PUBLISH_NOTICE_DOC,
  GetFamilySearchNotice: GET_NOTICE_DOC,
  GetPersonAccessLog: GET_PERSON_ACCESS_LOG_DOC,
  CreateWeatherRecord: {
    tag: 'Weather',
    description: 'Triage grades the cold from the coldest air temperature detections reported for the case and the '
      + 'latest weather record of the last 6 hours; revisits to people who declined help come sooner the colder it is.',
    body: { schema: CreateWeatherRecordRequest, example: { observedAt: '2026-01-12T22:00:00+08:00', airTempC: -4.5, windSpeedMs: 6, source: '南昌市气象台' } },
    responses: { 201: { description: 'The record is stored.', schema: WeatherRecordResponse } },
  },
  OpenApi: {
    tag: 'Meta',
    ownErrors: true,
    responses: {
      200: {
        description: 'This document.',
        schema: z.looseObject({ openapi: z.literal('3.1.0') }).describe('An OpenAPI 3.1 document.'),
      },
    },
  },
};

/** Components named after their schema; any other body or response is named after its operation. */
const NAMED_SCHEMAS: Record<string, ZodType> = {
  Timestamp, Location, Place, Person, CreateSightingRequest, CreateSightingResponse, CaseAction, CreateUploadRequest,
  Problem, GatewayError, Actor, OpenAlert, CaseSummary, CasePage, TimelineEntry, ReportedPerson, Sighting, CasePhoto,
  CaseDetail, CaseActionResult, CreateUploadResponse, Upload, Detection, DetectionResult,
  DetectionResults, CaseDetection, CaseDetectionPage, CaseNotification, AccessLogEntry, AccessLogPage, ...OPEN311_COMPONENTS, ...EVENT_FEED_COMPONENTS,
  ...STATS_COMPONENTS, ...DIRECTORY_COMPONENTS, ...CAMPAIGN_COMPONENTS, ...PEOPLE_COMPONENTS,
};

// ---- The document ---------------------------------------------------------------------------------------------

type JsonSchema = Record<string, unknown>;
type Json = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: Json;
  servers: Json[];
  tags: Json[];
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, JsonSchema>; parameters: Record<string, Json>; securitySchemes: Record<string, Json> };
}

const TARGET = { target: 'draft-2020-12', io: 'input' } as const;
const SCHEMA_REF = (name: string) => `#/components/schemas/${name}`;
const MAX_IDEMPOTENCY_KEY = 128;

const INFO_DESCRIPTION = `
The street rescue patrol API (v1): patrol teams, stations, coordinators, devices and help points report people in the
cold; every lead becomes a case that someone acknowledges, reaches and resolves in time.

## General rules
- JSON over HTTPS: send \`Content-Type: application/json\` unless an operation says otherwise. A body may be at most
  ${MAX_BODY_BYTES} bytes. Objects are closed: an unknown field is a \`400\` naming it (Open311 excepted).
- Timestamps are RFC 3339 with an offset (\`2026-01-12T22:41:00+08:00\`, or \`Z\`). A reported time more than
  ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead of the server's clock is refused: check the device clock.
- Coordinates are WGS-84 decimal degrees: \`{ "lat": number, "lon": number, "accuracyM"?: number }\`. \`accuracyM\` is
  the radius (m) that holds about two fixes in three, as a phone or a device states it. Absent, it is taken to be
  ${Object.entries(DEFAULT_ACCURACY_M).map(([source, m]) => `${m} m for ${source}`).join(', ')}; below
  ${MIN_ACCURACY_M} m (0 included) it is read as ${MIN_ACCURACY_M} m. Negative, or over ${MAX_STATED_ACCURACY_M / 1000} km, is a \`400\`.
  A position vaguer than ${DEFAULT_CORRELATION.vagueM} m (a typed address placed at a district, a help point's own
  place) is kept as given, but names no place: it opens a case of its own and nothing joins it by position.
- Errors are RFC 9457 problem details (\`application/problem+json\`): \`{ type, title, status, detail, errors? }\`, where
  \`errors\` lists every problem at its path (a body field such as \`people[0].sex\`, \`query.<name>\`, \`path.<name>\`
  or \`header:<Name>\`). A \`4xx\` changes nothing; a \`5xx\` is a bug: report the request it names.

## Authentication and roles
Send \`Authorization: Bearer <JWT>\` (in the cloud, a Cognito ID token). The role is in the \`cognito:groups\` claim:
${ROLES.map((role) => `\`${role}\``).join(', ')}; an admin may call every operation. \`custom:teamId\`,
\`custom:stationId\` and \`custom:deviceId\` carry the member's team, station or device. Each operation lists the roles
it is for. Local mode only: \`POST /v1/dev/token\` issues test tokens and \`GET /health\` tells when the local engines
are up; neither exists in the cloud, so neither is described here.

## Idempotency
A \`POST\` that creates something honours an \`Idempotency-Key\` header (1 to ${MAX_IDEMPOTENCY_KEY} characters) where
the operation lists it. The
same key with the same body answers the first response again (with \`Idempotency-Replayed: true\`) and creates nothing
new; the same key with a different body is \`409\`. Keys live at least 24 hours.

## Paging
Lists take \`limit\` (default 50, at most 500) and an opaque \`cursor\`; the response has \`nextCursor\` when there is
more. Send it back as \`cursor\` with the same filters.

## Open311
The help points' public channel under \`/open311/v2\` follows Open311 GeoReport v2 instead: the help point's
\`api_key\` instead of a token, form-encoded fields, the format chosen by the extension (\`.json\` or \`.xml\`), and
errors as \`[{ code, description }]\` in that format.
`.trim();

/** Named schemas become components; each one converted once, together, so that they refer to one another. */
class ComponentRegistry {
  private readonly registry = z.registry<{ id: string }>();
  private readonly schemas = new Map<string, ZodType>();

  constructor(named: Record<string, ZodType>) {
    for (const [name, schema] of Object.entries(named)) this.add(name, schema);
  }

  private add(name: string, schema: ZodType) {
    if (this.schemas.has(name)) throw new Error(`two schemas are both named ${name} in the OpenAPI document`);
    this.schemas.set(name, schema);
    this.registry.add(schema, { id: name });
  }

  /** A reference to the schema's component, naming it `fallbackName` when it has no name yet. */
  ref(schema: ZodType, fallbackName: string): JsonSchema {
    const name = this.registry.get(schema)?.id ?? (this.add(fallbackName, schema), fallbackName);
    return { $ref: SCHEMA_REF(name) };
  }

  toJsonSchemas(): Record<string, JsonSchema> {
    const { schemas } = z.toJSONSchema(this.registry, { ...TARGET, uri: SCHEMA_REF });
    if ('__shared' in schemas) throw new Error('a schema of the API is recursive without a name: name it in NAMED_SCHEMAS');
    return Object.fromEntries(Object.entries(schemas).map(([name, { $schema: _s, $id: _i, ...schema }]) => [name, schema]));
  }
}

/** An unnamed schema, inlined (parameters, headers). */
function inlineSchema(schema: ZodType): JsonSchema {
  const { $schema: _s, ...json } = z.toJSONSchema(schema, TARGET) as JsonSchema;
  if ('$defs' in json) throw new Error('a parameter or header schema is recursive');
  return json;
}

function parametersOf(where: 'path' | 'query', object: ZodObject | undefined, descriptions: Readonly<Record<string, string>>): Json[] {
  if (!object) return [];
  const json = inlineSchema(object) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, { description, ...schema }]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    ...(descriptions[name] ?? description ? { description: descriptions[name] ?? description } : {}),
    // A list in the query is comma-separated (status=open,closed).
    ...(schema.type === 'array' ? { style: 'form', explode: false } : {}),
    schema,
  }));
}

const problemTypesOf = (status: number) => Object.entries(PROBLEM_TYPES)
  .filter(([, type]) => type.status === status).map(([name]) => `\`/problems/${name}\``).join(', ');

function problemResponses(spec: RouteSpec, op: OperationDoc): Record<string, Json> {
  if (op.ownErrors) return {};
  const derived: Partial<Record<ProblemStatus, string>> = {};
  if (op.path || op.query || op.body || op.idempotent) {
    derived[400] = 'The request is not valid: `errors` lists every problem, at its path.';
  }
  if (spec.access !== 'public') {
    derived[401] = 'No valid bearer token. In the cloud the gateway refuses it before the API runs, with its own '
      + 'body `{ "message": "Unauthorized" }` (application/json).';
    derived[403] = `The operation is for ${[...spec.access, 'admin'].join(', ')}; your token has none of these roles.`;
  }
  if (op.body) {
    derived[413] = `The body is larger than ${MAX_BODY_BYTES} bytes.`;
    derived[415] = 'The body is not sent as application/json.';
  }
  if (op.idempotent) derived[409] = 'The Idempotency-Key was already used with a different body.';

  const statuses = [...new Set([...Object.keys(derived), ...Object.keys(op.problems ?? {})].map(Number) as ProblemStatus[])].sort((a, b) => a - b);
  return Object.fromEntries(statuses.map((status) => {
    const when = [derived[status], op.problems?.[status]].filter(Boolean).join(' Also: ');
    const content: Json = { 'application/problem+json': { schema: { $ref: SCHEMA_REF('Problem') } } };
    if (status === 401) content['application/json'] = { schema: { $ref: SCHEMA_REF('GatewayError') } };
    return [String(status), { description: `${when} Problem types: ${problemTypesOf(status)}.`, content }];
  }));
}

function rolesLine(spec: RouteSpec): string {
  return spec.access === 'public'
    ? '**Public:** no bearer token.'
    : `**Roles:** ${[...spec.access, 'admin'].map((role) => `\`${role}\``).join(', ')}.`;
}

function operation(spec: RouteSpec, path: string, op: OperationDoc, components: ComponentRegistry): Json {
  const operationId = op.operationId ?? spec.id;
  const templated = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  const documented = Object.keys(op.path?.shape ?? {});
  if (templated.join() !== documented.join()) {
    throw new Error(`${operationId}: the path parameters of ${path} are ${templated.join(', ') || 'none'}, but ${documented.join(', ') || 'none'} are documented`);
  }
  const parameters = [
    ...parametersOf('path', op.path, op.parameters ?? {}),
    ...parametersOf('query', op.query, op.parameters ?? {}),
    ...(op.idempotent ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
  ];
  const responses = Object.fromEntries(Object.entries(op.responses).map(([status, response]) => {
    const headers: Json = Object.fromEntries(Object.entries(response.headers ?? {})
      .map(([name, header]) => [name, { description: header.description, schema: inlineSchema(header.schema) }]));
    if (op.idempotent && status.startsWith('2')) {
      headers['Idempotency-Replayed'] = {
        description: '`true` when this is the stored response to an earlier request with the same Idempotency-Key.',
        schema: { type: 'string', enum: ['true'] },
      };
    }
    const schema = response.schema && components.ref(response.schema, `${operationId}${status.startsWith('2') ? '' : status}Response`);
    return [status, {
      description: response.description,
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(schema ? { content: Object.fromEntries((response.mediaTypes ?? ['application/json']).map((type) => [type, { schema }])) } : {}),
    }];
  }));
  return {
    operationId,
    summary: op.summary ?? spec.description,
    description: [rolesLine(spec), op.description].filter(Boolean).join('\n\n'),
    tags: [op.tag],
    security: spec.access === 'public' ? [] : [{ bearerAuth: [] }],
    'x-roles': spec.access === 'public' ? [] : [...spec.access, 'admin'],
    ...(parameters.length ? { parameters } : {}),
    ...(op.body ? {
      requestBody: {
        required: true,
        content: Object.fromEntries((op.body.mediaTypes ?? ['application/json']).map((type) => [type, {
          schema: components.ref(op.body!.schema, `${operationId}Request`),
          ...(op.body!.example !== undefined ? { example: op.body!.example } : {}),
        }])),
      },
    } : {}),
    responses: { ...responses, ...problemResponses(spec, op) },
  };
}

/** The whole document; static for a deployment, so build it once and keep it. */
export function buildOpenApiDocument(): OpenApiDocument {
  const components = new ComponentRegistry(NAMED_SCHEMAS);
  const paths: OpenApiDocument['paths'] = {};
  const tags = new Set<Tag>();
  for (const spec of ROUTES as readonly RouteSpec[]) {
    const doc = OPERATIONS[spec.id as RouteId] as OperationDoc | { operations: Record<string, OperationDoc> };
    for (const { method, path } of pathsOf(spec)) {
      const documented = 'operations' in doc ? doc.operations[`${method} ${path}`] : doc;
      if (!documented) throw new Error(`${spec.id}: ${method} ${path} is not documented`);
      const op = spec.idempotent && method === 'POST' ? { ...documented, idempotent: true } : documented;
      tags.add(op.tag);
      (paths[path] ??= {})[method.toLowerCase()] = operation(spec, path, op, components);
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Street rescue patrol API',
      version: '1.0.0',
      description: INFO_DESCRIPTION,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/', description: 'The deployment serving this document.' }],
    tags: (Object.keys(TAGS) as Tag[]).filter((tag) => tags.has(tag)).map((name) => ({ name, description: TAGS[name] })),
    paths,
    components: {
      schemas: components.toJsonSchemas(),
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'Makes a retry safe: the same key with the same body answers the first response again and creates '
            + 'nothing new; with a different body it is `409`. Keys live at least 24 hours.',
          schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY },
        },
      },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A Cognito ID token in the cloud (local mode: `POST /v1/dev/token`). The role is in `cognito:groups`.',
        },
      },
    },
  };
}
