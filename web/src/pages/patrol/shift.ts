import { api, ApiError, OfflineError, type PositionFix, putUploadBytes } from '../../app/api';
import { currentSession } from '../../app/session';
import { noteFix } from './position';
import { worthKeeping } from './shift-rules';

/**
 * The team's shift on this phone: while it is on, the phone's positions are kept (sparsely: a fix when the team has
 * moved, and one every two minutes standing still, so that a 5-minute stop at a hot spot is seen) and sent in batches.
 * Every fix is written to this phone's storage first and removed only once the API has it, so a culvert without
 * signal loses nothing: the batch goes when the signal is back, late and in any order, as the contract allows.
 * Check-ins at hot spots are kept and sent the same way.
 */

/** What is kept is tried again this often (and at once when the signal comes back, and as each fix is kept). */
const SEND_EVERY_MS = 60_000;
/** The API takes up to 500 a batch. */
const BATCH = 500;

interface Shift { owner: string; teamId: string; since: number }
export interface CheckInDraft {
  key: string;
  hotSpotId: string;
  name: string;
  body: { at: string; location: { lat: number; lon: number; accuracyM?: number }; outcome: 'nobody' | 'people_found'; note?: string; photoUploadId?: string };
}

export interface ShiftSnapshot {
  on: boolean;
  since?: number;
  queued: number;
  checkInsQueued: number;
  lastSentAt?: number;
  /** The phone refused or could not give positions. */
  locateError?: 'denied' | 'unavailable';
  /** The last check-in the API refused, and why (too far from the hot spot, say). */
  refused?: string;
}

const SHIFT_KEY = 'srp.patrol.shift';
// The shift ends at sign-out (srp.patrol.* is forgotten then); what is not sent yet stays for its member, as reports do.
const queueKey = (owner: string) => `srp.unsent.positions.${owner}`;
const checkInKey = (owner: string) => `srp.unsent.checkIns.${owner}`;

const read = <T>(key: string, fallback: T): T => {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
};
const write = (key: string, value: unknown) => localStorage.setItem(key, JSON.stringify(value));

let snapshot: ShiftSnapshot = { on: false, queued: 0, checkInsQueued: 0 };
const listeners = new Set<() => void>();
export const subscribeShift = (listener: () => void) => {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
};
export const getShiftSnapshot = () => snapshot;

function publish(next: Partial<ShiftSnapshot> = {}) {
  const owner = currentSession()?.sub;
  const shift = read<Shift | null>(SHIFT_KEY, null);
  const on = !!shift && shift.owner === owner;
  snapshot = {
    ...snapshot, ...next, on, ...(on ? { since: shift!.since } : {}),
    queued: owner ? read<PositionFix[]>(queueKey(owner), []).length : 0,
    checkInsQueued: owner ? read<CheckInDraft[]>(checkInKey(owner), []).length : 0,
  };
  if (!on) {
    delete snapshot.since;
    // Another member signed in on this phone: the one on shift is not tracked through them.
    if (watchId !== undefined) unwatch();
  }
  for (const listener of listeners) listener();
}

let watchId: number | undefined;
let timer: ReturnType<typeof setInterval> | undefined;
let lastKept: { at: number; lat: number; lon: number } | undefined;



function keep(position: GeolocationPosition) {
  const owner = currentSession()?.sub;
  // Signed out, or another member: this shift is over on this phone.
  if (!owner || read<Shift | null>(SHIFT_KEY, null)?.owner !== owner) {
    unwatch();
    publish();
    return;
  }
  // When the page got it: the clock the sparse rule and the API's "not in the future" both read.
  const fix = { at: Date.now(), lat: position.coords.latitude, lon: position.coords.longitude };
  noteFix({ ...fix, accuracyM: Math.round(position.coords.accuracy) });
  if (!worthKeeping(fix, lastKept)) return;
  lastKept = fix;
  const queue = read<PositionFix[]>(queueKey(owner), []);
  queue.push({ at: new Date(fix.at).toISOString(), lat: fix.lat, lon: fix.lon, accuracyM: Math.round(position.coords.accuracy) });
  write(queueKey(owner), queue);
  publish({ locateError: undefined } as Partial<ShiftSnapshot>);
  // Kept fixes are sparse (one a minute or two): each goes at once when there is signal; without, they gather into
  // one batch for when it is back.
  void sendKept();
}

function watch() {
  if (watchId !== undefined || !('geolocation' in navigator)) return;
  watchId = navigator.geolocation.watchPosition(keep, (error) => {
    publish({ locateError: error.code === error.PERMISSION_DENIED ? 'denied' : 'unavailable' });
  }, { enableHighAccuracy: true, maximumAge: 15_000, timeout: 60_000 });
}

function unwatch() {
  if (watchId !== undefined) navigator.geolocation.clearWatch(watchId);
  watchId = undefined;
  lastKept = undefined;
}

let sending = false;

/** Sends what is kept: positions in batches, then check-ins one by one. Anything not answered stays for the next try. */
export async function sendKept(): Promise<void> {
  const owner = currentSession()?.sub;
  if (!owner || sending) return;
  sending = true;
  try {
    for (;;) {
      const queue = read<PositionFix[]>(queueKey(owner), []);
      if (!queue.length) break;
      const batch = queue.slice(0, BATCH);
      try {
        await api.sendPositions(batch, `pos-${owner}-${batch[0]!.at}-${batch.at(-1)!.at}-${batch.length}`);
      } catch (error) {
        // A refusal of the whole batch will not change by sending it again (no team, say): it is dropped, not retried
        // forever. No signal or a server fault: kept for the next try.
        if (!(error instanceof ApiError) || error.status >= 500 || error.status === 429) throw error;
      }
      const sent = new Set(batch.map((p) => p.at));
      write(queueKey(owner), read<PositionFix[]>(queueKey(owner), []).filter((p) => !sent.has(p.at)));
      publish({ lastSentAt: Date.now() });
    }
    for (const draft of read<CheckInDraft[]>(checkInKey(owner), [])) {
      let refused: string | undefined;
      try {
        await api.checkIn(draft.hotSpotId, draft.body, draft.key);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500 || error.status === 429) throw error;
        refused = `${draft.name}：${error.problem.detail ?? error.message}`;
      }
      write(checkInKey(owner), read<CheckInDraft[]>(checkInKey(owner), []).filter((d) => d.key !== draft.key));
      publish(refused ? { refused } : {});
    }
  } catch (error) {
    if (!(error instanceof OfflineError) && !(error instanceof ApiError)) throw error;
  } finally {
    sending = false;
    publish();
  }
}

let started = false;

/** Picks up a shift left on (the page reloaded, the phone slept) and starts sending what is kept. */
export function startShiftTracking() {
  if (!started) {
    started = true;
    window.addEventListener('online', () => void sendKept());
  }
  const shift = read<Shift | null>(SHIFT_KEY, null);
  if (shift && shift.owner === currentSession()?.sub) {
    watch();
    timer ??= setInterval(() => void sendKept(), SEND_EVERY_MS);
  }
  publish();
  void sendKept();
}

export function startShift() {
  const session = currentSession();
  if (!session?.teamId) return;
  write(SHIFT_KEY, { owner: session.sub, teamId: session.teamId, since: Date.now() } satisfies Shift);
  startShiftTracking();
}

/** Ends the shift: no more positions are kept; those kept are still sent. */
export function endShift() {
  localStorage.removeItem(SHIFT_KEY);
  unwatch();
  if (timer) clearInterval(timer);
  timer = undefined;
  publish();
  void sendKept();
}

/**
 * A check-in with its photo (拍照打卡): the photo goes first, while there is signal, and the check-in names it; with
 * no signal the check-in is kept without it (a photo is not worth losing the check-in for). Resolves whether the
 * photo went.
 */
export async function checkInWithPhoto(draft: Omit<CheckInDraft, 'key'>, photo: Blob): Promise<boolean> {
  let photoUploadId: string | undefined;
  try {
    const upload = await api.createUpload({ purpose: 'check_in_photo', contentType: photo.type, sizeBytes: photo.size }, `check-photo-${crypto.randomUUID()}`);
    await putUploadBytes(upload, photo);
    photoUploadId = upload.uploadId;
  } catch (error) {
    if (!(error instanceof OfflineError) && !(error instanceof ApiError)) throw error;
  }
  checkIn({ ...draft, body: { ...draft.body, ...(photoUploadId ? { photoUploadId } : {}) } });
  return photoUploadId !== undefined;
}

/** Keeps a check-in at a hot spot and sends it (now, or when there is signal). */
export function checkIn(draft: Omit<CheckInDraft, 'key'>) {
  const owner = currentSession()?.sub;
  if (!owner) return;
  const queue = read<CheckInDraft[]>(checkInKey(owner), []);
  queue.push({ ...draft, key: `chk-${crypto.randomUUID()}` });
  write(checkInKey(owner), queue);
  publish({ refused: undefined } as Partial<ShiftSnapshot>);
  void sendKept();
}
