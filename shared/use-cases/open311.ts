import {
  type CreateServiceRequestInput, type ListServiceRequestsQuery, OPEN311_SERVICE_NOTICE, type Open311Created,
  type Open311ServiceRequest, open311Service, open311Status, open311StatusNotes, SERVICE_REQUEST_ID,
} from '../contract/open311';
import { shanghaiIso } from '../domain/shanghai-clock';
import { CreateSightingRequest } from '../contract/schemas';
import type { PlaceType } from '../contract/vocabulary';
import type { Actor } from '../domain/case';
import { forbidden, invalid, notFound } from '../domain/errors';
import type { HelpPoint } from '../store/directory-store';
import { idempotencyScope, requestHash } from '../store/idempotency-store';
import type { CaseProgress, Open311Record, Open311RequestStore } from '../store/open311-request-store';
import type { Dependencies } from './dependencies';
import { reportSighting } from './report-sighting';
import { helpPointQuota } from '../domain/quota';

/** Whatever reportSighting needs, the directory for api_keys, and the Open311 records. */
export type Open311Dependencies = Parameters<typeof reportSighting>[0] & Pick<Dependencies, 'directory' | 'now' | 'quotas' | 'retention'> & {
  open311: Open311RequestStore;
};

/** Scopes Idempotency-Keys, like the route id does for the JWT routes. */
const IDEMPOTENCY_ROUTE = 'Open311';
const MAX_API_KEY_LENGTH = 256;

/** As API Gateway's JWT authorizer does for the other routes: each help point's own api_key says who is calling. */
export async function helpPointOfKey(deps: Pick<Open311Dependencies, 'directory'>, apiKey: unknown, action: string): Promise<HelpPoint | undefined> {
  if (apiKey === undefined || apiKey === null || apiKey === '') return undefined;
  const helpPoint = typeof apiKey === 'string' && apiKey.length <= MAX_API_KEY_LENGTH ? await deps.directory.helpPointByKey(apiKey) : undefined;
  if (!helpPoint) throw forbidden(`invalid api_key: cannot ${action}`);
  return helpPoint;
}

export async function requireHelpPoint(deps: Pick<Open311Dependencies, 'directory'>, apiKey: unknown, action: string): Promise<HelpPoint> {
  const helpPoint = await helpPointOfKey(deps, apiKey, action);
  if (!helpPoint) throw forbidden(`api_key is required to ${action}: each help point has its own`);
  return helpPoint;
}

/** An address typed at a help point is not on a map yet: the case stands at the help point until a team finds the place. */
export const ADDRESS_ONLY_ACCURACY_M = 5000;
/** Someone asking for help for themself is at the help point. */
export const AT_HELP_POINT_ACCURACY_M = 50;
const NOTE_MAX = CreateSightingRequest.shape.note.unwrap().maxLength ?? 2000;
const PLACE_NAME_MAX = CreateSightingRequest.shape.place.shape.name.unwrap().maxLength ?? 200;

/** Words in a report that name the kind of place; the first match wins, so the specific come before the general. */
const PLACE_WORDS: [PlaceType, RegExp][] = [
  ['culvert', /涵洞|culvert/i],
  ['underpass', /地下通道|地道|underpass|subway passage/i],
  ['bridge', /桥|bridge|overpass|flyover/i],
  ['construction_site', /工地|烂尾楼|construction site|building site/i],
  ['station_square', /站前广场|车站广场|火车站广场|station square/i],
  ['transport_hub', /火车站|汽车站|客运站|地铁站|高铁站|候车|机场|railway station|train station|bus station|metro station|airport/i],
  ['park', /公园|\bpark\b/i],
  ['street', /街|路边|马路|人行道|\bstreet\b|sidewalk|pavement|roadside/i],
];

export function placeTypeFromText(text: string): PlaceType {
  return PLACE_WORDS.find(([, words]) => words.test(text))?.[0] ?? 'other';
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * The sighting a help point's report becomes: observed now, one person of unknown age (the form does not ask), the
 * place's kind from the words used. Without coordinates it stands at the help point, and the note says so.
 */
export function sightingFromServiceRequest(input: CreateServiceRequestInput, helpPoint: HelpPoint, now: Date) {
  const service = open311Service(input.service_code);
  const selfReferral = input.service_code === 'ask_for_help';
  const located = input.lat !== undefined && input.long !== undefined;
  const locationFrom: Open311Record['locationFrom'] = located ? 'reporter' : 'help_point';
  const address = input.address_string;
  const where = located
    ? address && `地址 / Address: ${address}`
    : selfReferral
      ? '求助人在求助点 / The person is at the help point'
      : `未定位：暂按求助点位置（约 ${ADDRESS_ONLY_ACCURACY_M / 1000} 公里内）；报告地址：${address} / `
        + `Not on a map: placed at the help point (within about ${ADDRESS_ONLY_ACCURACY_M / 1000} km); address given: ${address}`;
  const note = [
    `Open311 · ${helpPoint.name} (${helpPoint.helpPointId}) · ${service?.service_name ?? input.service_code}`,
    where,
    input.description,
    input.media_url && `照片 / Media: ${input.media_url}`,
  ].filter(Boolean).join('\n');
  const placeName = address ?? (located ? undefined : helpPoint.name);
  const request = CreateSightingRequest.parse({
    observedAt: now.toISOString(),
    location: located
      ? { lat: input.lat, lon: input.long }
      : { lat: helpPoint.location.lat, lon: helpPoint.location.lon, accuracyM: selfReferral ? AT_HELP_POINT_ACCURACY_M : ADDRESS_ONLY_ACCURACY_M },
    place: {
      type: placeTypeFromText(`${input.description ?? ''} ${address ?? ''}`),
      ...(placeName ? { name: clip(placeName, PLACE_NAME_MAX) } : {}),
    },
    people: [{ ageGroup: 'unknown' }],
    note: clip(note, NOTE_MAX),
  });
  return { request, locationFrom };
}

/** POST requests: the report becomes a sighting from the public at that help point, and is recorded for Open311. */
export async function submitServiceRequest(
  deps: Open311Dependencies,
  input: { helpPoint: HelpPoint; request: CreateServiceRequestInput; idempotencyKey?: string },
): Promise<{ created: Open311Created; replayed: boolean }> {
  const { helpPoint, request } = input;
  if (!open311Service(request.service_code)) {
    throw notFound(`service_code ${request.service_code} was not found: services.json lists the codes`);
  }
  const now = deps.now();
  const sighting = sightingFromServiceRequest(request, helpPoint, now);
  const actor: Actor = { sub: `help-point:${helpPoint.helpPointId}`, role: 'public' };
  const result = await reportSighting(deps, {
    request: sighting.request,
    actor,
    helpPointId: helpPoint.helpPointId,
    // A flood of tips from one help point must not page every team: past its hourly quota of new cases, a 429.
    quota: helpPointQuota(helpPoint.helpPointId, deps.quotas),
    // The validated fields, not the raw body: the same report sent as a form or as JSON is the same request.
    ...(input.idempotencyKey
      ? { idempotency: { scope: idempotencyScope(IDEMPOTENCY_ROUTE, actor.sub, input.idempotencyKey), hash: requestHash(request) } }
      : {}),
  });
  // After the case, not with it (reportSighting owns that transaction): a retry with the same Idempotency-Key
  // replays the case and records the report if the first attempt stopped in between.
  // Contact details only when the reporter asked to hear back, and only for as long as that takes.
  const reporter = request.feedback ? Object.fromEntries(Object.entries({
    email: request.email, firstName: request.first_name, lastName: request.last_name, phone: request.phone,
    deviceId: request.device_id, accountId: request.account_id,
  }).filter(([, value]) => value !== undefined)) : {};
  await deps.open311.record({
    requestId: result.body.sightingId,
    helpPointId: helpPoint.helpPointId,
    caseId: result.body.caseId,
    serviceCode: request.service_code,
    requestedAt: now.toISOString(),
    ...(request.description ? { description: request.description } : {}),
    ...(request.address_string ? { addressString: request.address_string } : {}),
    location: sighting.request.location,
    locationFrom: sighting.locationFrom,
    ...(request.media_url ? { mediaUrl: request.media_url } : {}),
    ...(Object.keys(reporter).length
      ? { reporter, reporterUntil: new Date(now.getTime() + deps.retention.contactDays * 86_400_000).toISOString() }
      : {}),
  });
  return {
    created: { service_request_id: result.body.sightingId, service_notice: OPEN311_SERVICE_NOTICE, account_id: request.account_id ?? null },
    replayed: result.replayed,
  };
}

/**
 * What a caller may see of a report. The people in these reports are vulnerable, and anyone may ask for a request
 * by its id: 'public' shows only progress (status, generic notes, times, service). The description, address,
 * coordinates and media stay with 'reporter', the help point whose api_key filed it. The outcome never shows.
 */
export function serviceRequestView(record: Open311Record, progress: CaseProgress | undefined, viewer: 'reporter' | 'public'): Open311ServiceRequest {
  const reporter = viewer === 'reporter';
  const status = progress?.status ?? 'open';
  const updatedAt = progress && progress.updatedAt > record.requestedAt ? progress.updatedAt : record.requestedAt;
  const located = reporter && record.locationFrom === 'reporter';
  return {
    service_request_id: record.requestId,
    status: open311Status(status),
    status_notes: open311StatusNotes(status),
    service_name: open311Service(record.serviceCode)?.service_name ?? record.serviceCode,
    service_code: record.serviceCode,
    description: reporter ? record.description ?? null : null,
    agency_responsible: null,
    service_notice: null,
    requested_datetime: shanghaiIso(record.requestedAt),
    updated_datetime: shanghaiIso(updatedAt),
    expected_datetime: null,
    address: reporter ? record.addressString ?? null : null,
    address_id: null,
    zipcode: null,
    lat: located ? record.location.lat : null,
    long: located ? record.location.lon : null,
    media_url: reporter ? record.mediaUrl ?? null : null,
  };
}

/** GET requests/{id}: open to anyone who has the id; the viewer's api_key decides how much they see. */
export async function getServiceRequest(
  deps: Pick<Open311Dependencies, 'open311'>,
  input: { requestId: string; viewer?: HelpPoint },
): Promise<Open311ServiceRequest> {
  const wellFormed = SERVICE_REQUEST_ID.test(input.requestId);
  const record = wellFormed ? await deps.open311.get(input.requestId) : undefined;
  if (!record) throw notFound(wellFormed ? `service_request_id ${input.requestId} was not found` : 'no service_request_id looks like that');
  const progress = (await deps.open311.caseProgress([record.caseId])).get(record.caseId);
  return serviceRequestView(record, progress, input.viewer?.helpPointId === record.helpPointId ? 'reporter' : 'public');
}

/** The standard's bounds on GET requests. */
export const MAX_LISTED_REQUESTS = 1000;
export const REQUEST_WINDOW_DAYS = 90;
const WINDOW_MS = REQUEST_WINDOW_DAYS * 86_400_000;
const LIST_PAGE = 250;
/** Bounds the reads of one list when the status filter discards most of what the window holds. */
const MAX_ENTRIES_READ = 5000;

/** The requested_datetime range a list covers: the most recent 90 days by default, and never more than 90 days. */
export function requestWindow(query: Pick<ListServiceRequestsQuery, 'start_date' | 'end_date'>, now: Date): { from: string; to: string } {
  const start = query.start_date ? Date.parse(query.start_date) : undefined;
  const end = query.end_date ? Date.parse(query.end_date) : undefined;
  const to = end ?? (start !== undefined ? start + WINDOW_MS : now.getTime());
  const from = start ?? to - WINDOW_MS;
  if (from > to) throw invalid('start_date is after end_date', [{ path: 'start_date', message: 'is after end_date' }]);
  if (to - from > WINDOW_MS) {
    throw invalid(`start_date to end_date may span at most ${REQUEST_WINDOW_DAYS} days`,
      [{ path: 'end_date', message: `is more than ${REQUEST_WINDOW_DAYS} days after start_date` }]);
  }
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/**
 * GET requests: the calling help point's own reports (its api_key is required, unlike in the standard: these are
 * reports about vulnerable people), newest first, at most 1000. service_request_id overrides the other filters.
 */
export async function listServiceRequests(
  deps: Pick<Open311Dependencies, 'open311' | 'now'>,
  input: { helpPoint: HelpPoint; query: ListServiceRequestsQuery },
): Promise<Open311ServiceRequest[]> {
  const { helpPoint, query } = input;
  if (query.service_request_id?.length) {
    const own = (await deps.open311.getMany(query.service_request_id)).filter((r) => r.helpPointId === helpPoint.helpPointId);
    const progress = await deps.open311.caseProgress(own.map((r) => r.caseId));
    return own
      .sort((a, b) => (a.requestedAt === b.requestedAt ? b.requestId.localeCompare(a.requestId) : b.requestedAt.localeCompare(a.requestedAt)))
      .map((r) => serviceRequestView(r, progress.get(r.caseId), 'reporter'));
  }
  const window = requestWindow(query, deps.now());
  const codes = query.service_code?.length ? new Set(query.service_code) : undefined;
  const statuses = query.status?.length ? new Set(query.status) : undefined;
  const rows: Open311ServiceRequest[] = [];
  let startKey: Record<string, unknown> | undefined;
  let read = 0;
  do {
    const page = await deps.open311.listPage(helpPoint.helpPointId, window, { limit: LIST_PAGE, ...(startKey ? { startKey } : {}) });
    read += page.records.length;
    const wanted = page.records.filter((r) => !codes || codes.has(r.serviceCode));
    const progress = await deps.open311.caseProgress(wanted.map((r) => r.caseId));
    for (const record of wanted) {
      const row = serviceRequestView(record, progress.get(record.caseId), 'reporter');
      if (statuses && !statuses.has(row.status)) continue;
      rows.push(row);
      if (rows.length === MAX_LISTED_REQUESTS) return rows;
    }
    startKey = page.nextKey;
  } while (startKey && read < MAX_ENTRIES_READ);
  return rows;
}
