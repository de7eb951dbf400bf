import { type AGE_GROUPS, type CaseStatus, type Condition, CONDITIONS, type Outcome, type PlaceType } from '#shared/contract/vocabulary';
import { shanghaiIso } from '#shared/domain/shanghai-clock';

export type AgeGroup = (typeof AGE_GROUPS)[number];

/**
 * The outbox's decisions, free of the DOM and of IndexedDB so that they are unit tested: when to try again, what
 * an answer means, and the exact bytes a report is sent as (the same bytes on every retry, so that the API's
 * Idempotency-Key replay answers a retry with the first response instead of a second case).
 */

export const FIRST_RETRY_MS = 5_000;
export const MAX_RETRY_MS = 120_000;
/** Sent reports stay listed on the phone (as "my recent reports") this long, then are pruned. */
export const SENT_KEPT_MS = 24 * 60 * 60_000;
/** A presigned URL this close to its expiry is not worth starting a slow upload with. */
export const UPLOAD_URL_MARGIN_MS = 60_000;

/** 5 s after the first failure, doubling, at most 2 min. */
export function retryDelayMs(failures: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1), MAX_RETRY_MS);
}

/** What went wrong with one request: no answer at all, or an HTTP status. */
export type Failure = { kind: 'offline' } | { kind: 'http'; status: number };

/**
 * - retry: no signal, a timeout, throttling or a server fault; the same request is sent again later.
 * - signed-out: the token expired; the item waits, untouched, until the member signs in again.
 * - failed: the API refused the request; it is never resent silently, the member sees why and retries or deletes it.
 */
export type Verdict = 'retry' | 'signed-out' | 'failed';

export function verdictOf(failure: Failure): Verdict {
  if (failure.kind === 'offline') return 'retry';
  const { status } = failure;
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  if (status === 401) return 'signed-out';
  return 'failed';
}

/** The Idempotency-Key of a report's i-th photo upload; a renewal (after its URL expired) asks for a new upload. */
export function photoUploadKey(reportKey: string, index: number, renewal: number): string {
  return renewal === 0 ? `${reportKey}/photo/${index}` : `${reportKey}/photo/${index}/renewal/${renewal}`;
}

/**
 * Replaying an upload's key returns the first upload again, URL and all, even after the URL expired (the key
 * lives 24 h, the URL 15 min): such an upload needs a new key.
 */
export function uploadUrlExpired(expiresAt: string, now: number, marginMs = UPLOAD_URL_MARGIN_MS): boolean {
  const at = Date.parse(expiresAt);
  return !Number.isFinite(at) || at - now < marginMs;
}


export interface Fix {
  lat: number;
  lon: number;
  accuracyM?: number;
}

/** Six decimals are 0.1 m: more digits are noise from the phone, and fixed digits keep the body stable. */
const canonicalLocation = (fix: Fix): Fix => ({
  lat: Math.round(fix.lat * 1e6) / 1e6,
  lon: Math.round(fix.lon * 1e6) / 1e6,
  ...(fix.accuracyM !== undefined && Number.isFinite(fix.accuracyM) ? { accuracyM: Math.round(fix.accuracyM) } : {}),
});

const text = (value: string | undefined) => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

export interface SightingDraft {
  /** When the member pressed "report". */
  observedAt: Date | number;
  location: Fix;
  placeType: PlaceType;
  placeName?: string;
  /** 1–20 people, all with the age group and conditions below. */
  people: number;
  ageGroup: AgeGroup;
  conditions: readonly Condition[];
  note?: string;
  teamId?: string;
}

/** The body of POST /v1/sightings as the JSON text stored in the outbox and sent, unchanged, on every attempt. */
export function sightingBody(draft: SightingDraft): string {
  const conditions = CONDITIONS.filter((c) => draft.conditions.includes(c));
  const count = Math.min(20, Math.max(1, Math.round(draft.people)));
  const placeName = text(draft.placeName);
  const note = text(draft.note);
  return JSON.stringify({
    observedAt: shanghaiIso(draft.observedAt),
    location: canonicalLocation(draft.location),
    place: { type: draft.placeType, ...(placeName ? { name: placeName } : {}) },
    people: Array.from({ length: count }, () => ({ ageGroup: draft.ageGroup, conditions })),
    ...(note ? { note } : {}),
    ...(draft.teamId ? { teamId: draft.teamId } : {}),
  });
}

export interface Handover {
  to: string;
  place?: string;
  at?: Date | number;
}

/** The actions a patrol member takes on the team's cases. */
export type PatrolAction =
  | { type: 'acknowledge' }
  | { type: 'arrive'; location: Fix }
  | { type: 'resolve'; outcome: Outcome; handover?: Handover; handedOver?: readonly string[]; location?: Fix; note?: string };

/** The body of POST /v1/cases/{caseId}/actions as stored and sent, like a report's. */
export function actionBody(action: PatrolAction): string {
  switch (action.type) {
    case 'acknowledge':
      return JSON.stringify({ type: 'acknowledge' });
    case 'arrive':
      return JSON.stringify({ type: 'arrive', location: canonicalLocation(action.location) });
    case 'resolve': {
      const note = text(action.note);
      const handover = action.outcome === 'medical_handover' && action.handover ? action.handover : undefined;
      const place = text(handover?.place);
      const handedOver = action.outcome === 'declined_help' ? (action.handedOver ?? []).map((h) => h.trim()).filter(Boolean) : [];
      return JSON.stringify({
        type: 'resolve',
        outcome: action.outcome,
        ...(handover ? {
          handover: {
            to: handover.to.trim(), ...(place ? { place } : {}), ...(handover.at !== undefined ? { at: shanghaiIso(handover.at) } : {}),
          },
        } : {}),
        ...(handedOver.length ? { handedOver } : {}),
        ...(action.location ? { location: canonicalLocation(action.location) } : {}),
        ...(note ? { note } : {}),
      });
    }
  }
}

/** What the case must look like for an action to count as done. */
const DONE_WHEN: Record<PatrolAction['type'], readonly CaseStatus[]> = {
  acknowledge: ['acknowledged', 'on_scene', 'resolved', 'in_station', 'closed'],
  arrive: ['on_scene', 'resolved', 'in_station', 'closed'],
  resolve: ['resolved', 'in_station', 'closed'],
};

/**
 * Actions carry no idempotency on the API: a resend after a lost answer is refused with a 409. It is the same action
 * done once when the case already is where the action leads, for this team (and with this outcome); otherwise
 * the 409 is a real refusal (another team took the case, it was closed…) and the member is told.
 */
export function actionAlreadyDone(
  action: { type: PatrolAction['type']; outcome?: Outcome },
  current: { status: string; assignedTeamId?: string; outcome?: string },
  teamId: string | undefined,
): boolean {
  if (!(DONE_WHEN[action.type] as readonly string[]).includes(current.status)) return false;
  if (action.type === 'resolve') return current.outcome === action.outcome;
  return teamId !== undefined && current.assignedTeamId === teamId;
}

/** Sent items are kept a day for the "my recent reports" list. */
export const isStale = (item: { state: string; sentAt?: number }, now: number) =>
  item.state === 'sent' && item.sentAt !== undefined && now - item.sentAt > SENT_KEPT_MS;
