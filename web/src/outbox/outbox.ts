import { api, ApiError, OfflineError, putUploadBytes } from '../app/api';
import { currentSession } from '../app/session';
import { type ActionItem, deleteItem, getItem, listItems, type OutboxItem, putItem, type SightingItem } from './outbox-db';
import {
  actionAlreadyDone, actionBody, type Failure, isStale, type PatrolAction, photoUploadKey, retryDelayMs, sightingBody,
  type SightingDraft, uploadUrlExpired, verdictOf,
} from './outbox-rules';

/**
 * The sender: every report and action is stored first, then sent in the order it was made, one at a time, by one
 * tab at a time (a Web Lock). No signal, a timeout or a server fault: it waits (5 s, doubling to 2 min) and tries
 * again with the same key and bytes, at once when the phone comes back online or the page opens. A refusal marks
 * the item failed with the API's reason; nothing is resent without the member asking.
 */

const LOCK_NAME = 'srp-outbox';
const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel('srp-outbox');

export interface OutboxSnapshot {
  /** The signed-in member's items, oldest first. */
  items: OutboxItem[];
  /** Items other members left unsent on this phone: theirs, sent when they sign in again, never by this member. */
  othersUnsent: number;
  /** The item this tab is sending now. */
  sending?: string;
  /** False until IndexedDB has been read once. */
  ready: boolean;
  /** IndexedDB could not be opened (private mode, storage disabled): nothing can be kept offline. */
  storageError?: string;
}

let snapshot: OutboxSnapshot = { items: [], othersUnsent: 0, ready: false };
const listeners = new Set<() => void>();

export const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
export const getSnapshot = () => snapshot;

function publish(next: Partial<OutboxSnapshot>) {
  snapshot = { ...snapshot, ...next };
  for (const listener of listeners) listener();
}

async function refresh() {
  const owner = currentSession()?.sub;
  try {
    const all = await listItems();
    publish({
      items: all.filter((item) => item.owner === owner),
      othersUnsent: all.filter((item) => item.owner !== owner && item.state !== 'sent').length,
      ready: true,
    });
  } catch (error) {
    publish({ ready: true, storageError: (error as Error).message });
  }
}

/** Stores an item's progress and tells this tab's and the other tabs' lists. */
async function save(item: OutboxItem) {
  await putItem(item);
  channel?.postMessage('changed');
  await refresh();
}

let started = false;

/** Starts sending (once per page) and reads the signed-in member's items again. */
export function startOutbox() {
  if (!started) {
    started = true;
    window.addEventListener('online', () => kick(true));
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') kick(false); });
    channel?.addEventListener('message', () => void refresh());
  }
  void pruneSent().then(refresh);
  kick(true);
}

async function pruneSent() {
  const owner = currentSession()?.sub;
  if (!owner) return;
  const now = Date.now();
  for (const item of await listItems(owner)) if (isStale(item, now)) await deleteItem(item.key);
}

/** A member's sent reports, gone from the phone (at sign-out); what is not yet sent stays. */
export async function forgetSent(owner: string) {
  for (const item of await listItems(owner)) if (item.state === 'sent') await deleteItem(item.key);
  channel?.postMessage('changed');
}

function ownerOrThrow() {
  const session = currentSession();
  if (!session) throw new Error('not signed in');
  return session;
}

/** Keeps a report (and its photos) on the phone, then starts sending it. Resolves once it is stored. */
export async function enqueueSighting(draft: Omit<SightingDraft, 'teamId'>, photos: readonly Blob[], options: { take?: boolean } = {}): Promise<string> {
  const session = ownerOrThrow();
  const item: SightingItem = {
    kind: 'sighting',
    key: crypto.randomUUID(),
    owner: session.sub,
    createdAt: Date.now(),
    state: 'pending',
    failures: 0,
    body: sightingBody({ ...draft, ...(session.teamId ? { teamId: session.teamId } : {}) }),
    label: { placeType: draft.placeType, ...(draft.placeName?.trim() ? { placeName: draft.placeName.trim() } : {}), people: draft.people },
    photos: photos.map((blob) => ({ blob, contentType: blob.type, sizeBytes: blob.size, renewal: 0, done: false })),
    ...(options.take && session.teamId ? { take: true } : {}),
  };
  await save(item);
  void askForPersistentStorage();
  kick(true);
  return item.key;
}

/** Keeps an action on one of the team's cases, then starts sending it. */
export async function enqueueAction(caseId: string, action: PatrolAction): Promise<string> {
  const session = ownerOrThrow();
  const item: ActionItem = {
    kind: 'action',
    key: crypto.randomUUID(),
    owner: session.sub,
    createdAt: Date.now(),
    state: 'pending',
    failures: 0,
    caseId,
    ...(session.teamId ? { teamId: session.teamId } : {}),
    action: { type: action.type, ...(action.type === 'resolve' ? { outcome: action.outcome } : {}) },
    body: actionBody(action),
  };
  await save(item);
  kick(true);
  return item.key;
}

/** The member asks for a failed item to be sent again: same key, same body. */
export async function retryItem(key: string) {
  const item = await getItem(key);
  if (!item || item.state !== 'failed') return;
  const { problem: _problem, nextAttemptAt: _next, ...rest } = item;
  await save({ ...rest, state: 'pending', failures: 0 } as OutboxItem);
  kick(true);
}

export async function removeItem(key: string) {
  await deleteItem(key);
  channel?.postMessage('changed');
  await refresh();
}

/** The signed-in member's items not yet in (waiting, or refused and not dealt with). */
export async function unsentItems(): Promise<OutboxItem[]> {
  const owner = currentSession()?.sub;
  return owner ? (await listItems(owner)).filter((item) => item.state !== 'sent') : [];
}

/**
 * Before signing out with signal: sends what is waiting, now, and answers what is still unsent after at most
 * `timeoutMs` (refused items, or items the network did not let through).
 */
export async function sendNow(timeoutMs: number): Promise<OutboxItem[]> {
  const until = Date.now() + timeoutMs;
  kick(true);
  for (;;) {
    const unsent = await unsentItems();
    if (!unsent.some((item) => item.state === 'pending') || Date.now() >= until) return unsent;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Without this a browser short of space may clear IndexedDB, reports and photos with it. */
async function askForPersistentStorage() {
  if (navigator.storage?.persist && !(await navigator.storage.persisted())) await navigator.storage.persist();
}

let running = false;
let runAgain = false;
let forceAgain = false;
let timer: ReturnType<typeof setTimeout> | undefined;

/** Sends what is due; `force` ignores the backoff (the phone just came online, the page just opened). */
function kick(force: boolean) {
  if (running) {
    runAgain = true;
    forceAgain ||= force;
    return;
  }
  running = true;
  clearTimeout(timer);
  void exclusively(() => drain(force))
    .catch((error: unknown) => console.error('outbox', error))
    .finally(() => {
      running = false;
      if (runAgain) {
        const again = forceAgain;
        runAgain = false;
        forceAgain = false;
        kick(again);
      }
    });
}

/** One tab sends at a time; the others wait their turn and then find nothing left to send. */
function exclusively(run: () => Promise<void>): Promise<void> {
  return navigator.locks ? navigator.locks.request(LOCK_NAME, run) : run();
}

function kickAfter(ms: number) {
  clearTimeout(timer);
  timer = setTimeout(() => kick(false), ms);
}

async function drain(force: boolean) {
  // Once one item went through, the network works: the others go now, whatever their backoff said.
  for (let ignoreBackoff = force; ; ignoreBackoff = true) {
    const session = currentSession();
    // Without a session nothing can be sent; without a network the 'online' event comes back here.
    if (!session || !navigator.onLine) return;
    const pending = (await listItems(session.sub)).filter((item) => item.state === 'pending');
    // Reports and actions first, in order; photos after them, so that one slow photo does not hold up a new case.
    const next = pending.find((item) => !(item.kind === 'sighting' && item.result)) ?? pending[0];
    if (!next) return;
    const wait = (next.nextAttemptAt ?? 0) - Date.now();
    if (wait > 0 && !ignoreBackoff) {
      kickAfter(wait);
      return;
    }
    if (!(await send(next))) return;
  }
}

/** Sends one item as far as it goes; false when the queue has to wait (no signal, signed out). */
async function send(item: OutboxItem): Promise<boolean> {
  publish({ sending: item.key });
  try {
    if (item.kind === 'sighting') await sendSighting(item);
    else await sendAction(item);
    return true;
  } catch (error) {
    const failure = failureOf(error);
    const verdict = failure ? verdictOf(failure) : 'failed';
    if (verdict === 'signed-out') return false;
    if (verdict === 'retry') {
      const failures = item.failures + 1;
      const delay = retryDelayMs(failures);
      await save({ ...item, failures, nextAttemptAt: Date.now() + delay });
      kickAfter(delay);
      return false;
    }
    await save({ ...item, state: 'failed', problem: problemText(error) });
    return true;
  } finally {
    publish({ sending: undefined });
  }
}

function failureOf(error: unknown): Failure | undefined {
  if (error instanceof OfflineError) return { kind: 'offline' };
  if (error instanceof ApiError) return { kind: 'http', status: error.status };
  return undefined;
}

/** The problem's detail; storage answers in XML, of which the <Message> is the readable part. */
function problemText(error: unknown): string {
  const text = error instanceof ApiError ? error.problem.detail || error.problem.title : (error as Error).message;
  return /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? text;
}

/** A step went through: the backoff starts over. */
function madeProgress(item: OutboxItem) {
  item.failures = 0;
  delete item.nextAttemptAt;
}

/** The sighting first (and, for 我来处置, the team taking its case); its photos on a later turn, once the other waiting reports are in. */
async function sendSighting(item: SightingItem) {
  let justReported = false;
  if (!item.result) {
    const { sightingId, caseId, caseCreated, risk } = await api.createSighting(JSON.parse(item.body), item.key);
    item.result = { sightingId, caseId, caseCreated, risk };
    madeProgress(item);
    await save(item);
    justReported = true;
  }
  if (item.take && !item.taken) {
    item.taken = await takeReportedCase(item.key, item.result.caseId, (JSON.parse(item.body) as { teamId?: string }).teamId);
    madeProgress(item);
    await save(item);
  }
  if (justReported && item.photos.some((photo) => !photo.done)) return;
  for (let index = 0; index < item.photos.length; index++) {
    if (!item.photos[index]!.done) await sendPhoto(item, index, item.result.caseId);
  }
  const { nextAttemptAt: _next, problem: _problem, ...rest } = item;
  await save({ ...rest, state: 'sent', sentAt: Date.now() });
}

/**
 * 我来处置: the reporting member's team acknowledges the case its report landed in. Another team may have it already
 * (the report joined a case in hand): that is an answer, not a failure. No signal or a server fault throws (retried).
 */
async function takeReportedCase(itemKey: string, caseId: string, teamId: string | undefined): Promise<NonNullable<SightingItem['taken']>> {
  try {
    await api.takeAction(caseId, { type: 'acknowledge' }, `${itemKey}:take`);
    return { ok: true };
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 409)) throw error;
    // As for a resent action: the case may already be ours (an earlier attempt whose answer was lost).
    if (actionAlreadyDone({ type: 'acknowledge' }, await api.getCase(caseId), teamId)) return { ok: true };
    return { ok: false, detail: error.problem.detail };
  }
}

/**
 * Asks for an upload and sends the bytes. A replayed key hands back the first upload, whose URL may have expired
 * meanwhile (a first attempt that lost its signal an hour ago): then, once per attempt, a new key asks for a new URL.
 */
async function sendPhoto(item: SightingItem, index: number, caseId: string) {
  const photo = item.photos[index]!;
  let renewed = false;
  const renew = async () => {
    renewed = true;
    photo.renewal += 1;
    await save(item);
  };
  for (;;) {
    const upload = await api.createUpload(
      { purpose: 'case_photo', contentType: photo.contentType, sizeBytes: photo.sizeBytes, caseId },
      photoUploadKey(item.key, index, photo.renewal),
    );
    if (!renewed && uploadUrlExpired(upload.expiresAt, Date.now())) {
      await renew();
      continue;
    }
    try {
      await putUploadBytes(upload, photo.blob!);
    } catch (error) {
      // Storage refuses an expired signature with 403 (the phone's clock may have hidden the expiry).
      if (!renewed && error instanceof ApiError && error.status === 403) {
        await renew();
        continue;
      }
      throw error;
    }
    photo.done = true;
    delete photo.blob;
    madeProgress(item);
    await save(item);
    return;
  }
}

async function sendAction(item: ActionItem) {
  let result: ActionItem['result'];
  try {
    const answer = await api.takeAction(item.caseId, JSON.parse(item.body), item.key);
    result = { case: answer.case, alreadyDone: false };
  } catch (error) {
    // Actions are not idempotent on the API: a resend after a lost answer is a 409, and the case shows it was done.
    if (!(error instanceof ApiError && error.status === 409)) throw error;
    const current = await api.getCase(item.caseId);
    if (!actionAlreadyDone(item.action, current, item.teamId)) throw error;
    const { timeline: _t, sightings: _s, detections: _d, photos: _p, notifications: _n, ...summary } = current;
    result = { case: summary, alreadyDone: true };
  }
  const { nextAttemptAt: _next, problem: _problem, ...rest } = item;
  await save({ ...rest, state: 'sent', sentAt: Date.now(), result });
}
