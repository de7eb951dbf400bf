import type { z } from 'zod';
import type {
  CaseActionResult, CaseDetail as CaseDetailSchema, CasePage, CaseSummary as CaseSummarySchema, CreateUploadResponse,
  Problem as ProblemSchema, TimelineEntry as TimelineEntrySchema,
} from '#shared/contract/responses';
import type { CaseEvent as CaseEventSchema, EventPage } from '#shared/contract/event-feed';
import type { Stats } from '#shared/contract/stats';
import type { Coverage as CoverageSchema, HotSpot as HotSpotSchema, StationSuppliesSchema, Warning as WarningSchema } from '#shared/contract/campaign';
import type { CaseStatus, RiskLevel } from '#shared/contract/vocabulary';
import type { PersonFileView as PersonFileSchema, PersonListItem as PersonListItemSchema } from '#shared/contract/people';
import type { Messages } from './messages';
import { currentSession, setSession } from './session';

export type CaseSummary = z.output<typeof CaseSummarySchema>;
export type CaseDetail = z.output<typeof CaseDetailSchema>;
export type TimelineEntry = z.output<typeof TimelineEntrySchema>;
export type CaseEvent = z.output<typeof CaseEventSchema>;
export type Problem = z.output<typeof ProblemSchema>;
export type { Stats };

export interface Team {
  teamId: string;
  name: string;
  stationId?: string;
  stationName?: string;
  onDuty: boolean;
  location?: { lat: number; lon: number };
  /** Where the team's phone last said it was (station and coordinator callers only). */
  lastPosition?: { at: string; lat: number; lon: number; accuracyM?: number };
}

export type HotSpot = z.output<typeof HotSpotSchema>;
export type Coverage = z.output<typeof CoverageSchema>;
export type CoverageItem = Coverage['items'][number];
export type Warning = z.output<typeof WarningSchema>;
export type StationSupplies = z.output<typeof StationSuppliesSchema>;
export type PersonInStation = z.output<typeof PersonListItemSchema>;
export type PersonFile = z.output<typeof PersonFileSchema>;
export interface PositionFix { at: string; lat: number; lon: number; accuracyM?: number }

/** The API answered with a problem (RFC 9457): `problem.detail` says what to do about it. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
}

/** The request never reached the API: no signal, or the server is down. Worth trying again later. */
export class OfflineError extends Error {}

/** What went wrong, in words the person can act on: the API's own `detail`, or that the server is out of reach. */
export function problemText(error: unknown, m: Messages): string {
  if (error instanceof ApiError) return error.problem.detail || error.problem.title;
  if (error instanceof OfflineError) return m.app.unreachable;
  return (error as Error).message;
}

export interface RequestOptions {
  body?: unknown;
  /** A body that is not JSON (a CSV file, say), sent as it is with its media type. */
  raw?: { text: string; contentType: string };
  idempotencyKey?: string;
  signal?: AbortSignal;
}

let apiBase = '';
export const setApiBase = (base: string) => { apiBase = base.replace(/\/$/, ''); };

/**
 * One request to the API with the member's token: no answer is an OfflineError, a refusal an ApiError with the API's
 * problem (and a 401 signs the member out). `accept` names what the caller reads back (JSON unless said).
 */
async function apiFetch(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: RequestOptions & { accept?: string } = {}): Promise<Response> {
  const session = currentSession();
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  if (session) headers.authorization = `Bearer ${session.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.raw) headers['content-type'] = options.raw.contentType;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(`${apiBase}${path}`, {
      method, headers, signal: options.signal ?? null,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : options.raw ? { body: options.raw.text } : {}),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new OfflineError((error as Error).message);
  }
  if (!res.ok) {
    // An expired or revoked token: back to the sign-in page rather than a page full of errors.
    if (res.status === 401) setSession(null);
    const text = await res.text();
    const json = text ? safeJson(text) : undefined;
    const problem = (json && typeof json === 'object' && 'status' in json ? json : { type: 'about:blank', title: res.statusText, status: res.status, detail: text.slice(0, 200) }) as Problem;
    throw new ApiError(res.status, problem);
  }
  return res;
}

export async function apiRequest<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
  const text = await (await apiFetch(method, path, options)).text();
  return (text ? safeJson(text) : undefined) as T;
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const query = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};

export interface CaseFilter {
  status?: CaseStatus;
  risk?: RiskLevel;
  since?: string;
  bbox?: string;
}

export const api = {
  listCases: (filter: CaseFilter & { limit?: number; cursor?: string } = {}, signal?: AbortSignal) =>
    apiRequest<z.output<typeof CasePage>>('GET', `/v1/cases${query({ ...filter })}`, signal ? { signal } : {}),

  /** Every page of a case list (up to `max` cases), for the map and the exports. */
  async allCases(filter: CaseFilter = {}, max = 5_000, signal?: AbortSignal): Promise<CaseSummary[]> {
    const items: CaseSummary[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.listCases({ ...filter, limit: 500, ...(cursor ? { cursor } : {}) }, signal);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && items.length < max);
    return items;
  },

  getCase: (caseId: string, signal?: AbortSignal) =>
    apiRequest<CaseDetail>('GET', `/v1/cases/${encodeURIComponent(caseId)}`, signal ? { signal } : {}),

  takeAction: (caseId: string, action: Record<string, unknown> & { type: string }, idempotencyKey?: string) =>
    apiRequest<z.output<typeof CaseActionResult>>('POST', `/v1/cases/${encodeURIComponent(caseId)}/actions`, {
      body: action, ...(idempotencyKey ? { idempotencyKey } : {}),
    }),

  createSighting: (body: unknown, idempotencyKey: string) =>
    apiRequest<{ sightingId: string; caseId: string; caseCreated: boolean; risk: RiskLevel }>('POST', '/v1/sightings', { body, idempotencyKey }),

  createUpload: (body: { purpose: 'case_photo'; contentType: string; sizeBytes: number; caseId: string } | { purpose: 'check_in_photo'; contentType: string; sizeBytes: number }, idempotencyKey: string) =>
    apiRequest<z.output<typeof CreateUploadResponse>>('POST', '/v1/uploads', { body, idempotencyKey }),

  stats: (from: string, to: string, bucket?: 'hour' | 'day', signal?: AbortSignal) =>
    apiRequest<Stats>('GET', `/v1/stats${query({ from, to, bucket })}`, signal ? { signal } : {}),

  events: (position: { after?: string; since?: string }, signal?: AbortSignal) =>
    apiRequest<z.output<typeof EventPage>>('GET', `/v1/events${query({ ...position, limit: 200 })}`, signal ? { signal } : {}),

  /** Records an export in the access log of every case it holds; the file is made only once this answered. */
  recordExport: (format: 'csv' | 'geojson', caseIds: string[]) =>
    apiRequest<{ exportId: string; cases: number }>('POST', '/v1/exports', { body: { format, caseIds }, idempotencyKey: `export-${crypto.randomUUID()}` }),

  /** The teams a station can dispatch, with who is on duty (GET /v1/teams). */
  teams: (signal?: AbortSignal) => apiRequest<{ items: Team[] }>('GET', '/v1/teams', signal ? { signal } : {}),

  hotSpots: (signal?: AbortSignal) => apiRequest<{ items: HotSpot[] }>('GET', '/v1/hot-spots', signal ? { signal } : {}),
  supplies: (signal?: AbortSignal) => apiRequest<{ items: StationSupplies[] }>('GET', '/v1/supplies', signal ? { signal } : {}),
  countSupplies: (stationId: string, stock: Record<string, number>) =>
    apiRequest<StationSupplies>('PUT', `/v1/supplies/${encodeURIComponent(stationId)}`, { body: { stock } }),
  hotSpotsGeoJson: () => apiRequest<unknown>('GET', '/v1/hot-spots?format=geojson'),
  createHotSpot: (body: Omit<HotSpot, 'hotSpotId'>, idempotencyKey: string) => apiRequest<HotSpot>('POST', '/v1/hot-spots', { body, idempotencyKey }),
  deleteHotSpot: (hotSpotId: string) => apiRequest<void>('DELETE', `/v1/hot-spots/${encodeURIComponent(hotSpotId)}`),
  importHotSpots: (collection: unknown) => apiRequest<{ created: number; replaced: number }>('POST', '/v1/hot-spots/import', { body: collection }),

  /** A night's hot spots checked against their targets (tonight when `night` is absent). */
  coverage: (night?: string, signal?: AbortSignal) => apiRequest<Coverage>('GET', `/v1/coverage${query({ night })}`, signal ? { signal } : {}),

  /** The weather warnings in force now. */
  activeWarnings: (signal?: AbortSignal) => apiRequest<{ items: Warning[] }>('GET', '/v1/warnings?active=true', signal ? { signal } : {}),

  /** A batch of the team's positions (the token's team); a batch sent again is harmless. */
  sendPositions: (positions: readonly PositionFix[], idempotencyKey: string) =>
    apiRequest<{ accepted: number; duplicates: number; rejected: { index: number; error: string }[] }>('POST', '/v1/positions', { body: { positions }, idempotencyKey }),

  checkIn: (hotSpotId: string, body: { at: string; location: { lat: number; lon: number; accuracyM?: number }; outcome: 'nobody' | 'people_found'; people?: unknown[]; note?: string; photoUploadId?: string }, idempotencyKey: string) =>
    apiRequest<{ checkId: string; caseId?: string; distanceM: number }>('POST', `/v1/hot-spots/${encodeURIComponent(hotSpotId)}/checks`, { body, idempotencyKey }),

  person: (personId: string, signal?: AbortSignal) => apiRequest<PersonFile>('GET', `/v1/people/${encodeURIComponent(personId)}`, signal ? { signal } : {}),
  peopleToFollowUp: (signal?: AbortSignal) => apiRequest<{ items: PersonInStation[] }>('GET', '/v1/people?inStation=false', signal ? { signal } : {}),
  peopleInStation: (signal?: AbortSignal) => apiRequest<{ items: PersonInStation[] }>('GET', '/v1/people?inStation=true', signal ? { signal } : {}),
  personAction: (personId: string, body: Record<string, unknown>) => apiRequest<PersonInStation>('POST', `/v1/people/${encodeURIComponent(personId)}/actions`, { body }),
  publishNotice: (personId: string) => apiRequest<{ publishedAt?: string }>('POST', `/v1/people/${encodeURIComponent(personId)}/family-search-notice`),

  devToken: (body: { role: string; sub: string; name?: string; teamId?: string; stationId?: string }) =>
    apiRequest<{ token: string }>('POST', '/v1/dev/token', { body }),
};

/** The night's report as a file (GET /v1/reports/daily with Accept): a PDF to print, or CSV for a spreadsheet. */
export async function fetchDailyReport(format: 'pdf' | 'csv', date?: string): Promise<{ blob: Blob; fileName: string }> {
  const res = await apiFetch('GET', `/v1/reports/daily${query({ date })}`, { accept: format === 'pdf' ? 'application/pdf' : 'text/csv' });
  const fileName = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `daily-report.${format}`;
  return { blob: await res.blob(), fileName };
}

/** A person's family-search notice as a PDF to print (GET …/family-search-notice with Accept). */
export async function fetchNoticePdf(personId: string): Promise<{ blob: Blob; fileName: string }> {
  const res = await apiFetch('GET', `/v1/people/${encodeURIComponent(personId)}/family-search-notice`, { accept: 'application/pdf' });
  const fileName = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'family-search-notice.pdf';
  return { blob: await res.blob(), fileName };
}

/** Sends an upload's bytes to storage with the URL the API signed (S3, or the local S3 engine). */
export async function putUploadBytes(upload: { url: string; method: string; headers: Record<string, string> }, bytes: Blob) {
  let res: Response;
  try {
    res = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: bytes });
  } catch (error) {
    throw new OfflineError((error as Error).message);
  }
  if (!res.ok) throw new ApiError(res.status, { type: 'about:blank', title: 'upload refused', status: res.status, detail: (await res.text()).slice(0, 300) });
}
