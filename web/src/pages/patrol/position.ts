import type { Fix } from '../../outbox/outbox-rules';

/** A position fix and when it was taken (epoch ms). */
export interface KnownFix extends Fix {
  at: number;
}

export type LocateFailure = 'denied' | 'unavailable' | 'timeout' | 'unsupported';

const LAST_FIX_KEY = 'srp.patrol.lastFix';
const LOCATE_TIMEOUT_MS = 15_000;
const listeners = new Set<(fix: KnownFix) => void>();

/** The last fix this phone had, kept across page loads: a fallback when the sky is hidden under a bridge. */
export function lastKnownFix(): KnownFix | undefined {
  try {
    const stored = JSON.parse(localStorage.getItem(LAST_FIX_KEY) ?? 'null') as KnownFix | null;
    return stored && Number.isFinite(stored.lat) && Number.isFinite(stored.lon) && Number.isFinite(stored.at) ? stored : undefined;
  } catch {
    return undefined;
  }
}

/** A fix the phone got another way (the shift's watch): kept as the last one and told to every listener. */
export function noteFix(fix: KnownFix) {
  localStorage.setItem(LAST_FIX_KEY, JSON.stringify(fix));
  for (const listener of listeners) listener(fix);
}

/** Tells `listener` of every new fix; returns the unsubscribe function. */
export function onFix(listener: (fix: KnownFix) => void) {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}

/**
 * The phone's position (WGS-84, as the API takes it). `precise`: satellite accuracy for a report or an arrival;
 * otherwise a recent network fix is good enough (distances on the case list). Rejects with a LocateFailure.
 */
export function locate({ precise }: { precise: boolean }): Promise<KnownFix> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) {
      reject('unsupported' satisfies LocateFailure);
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const fix: KnownFix = {
          lat: position.coords.latitude, lon: position.coords.longitude, accuracyM: Math.round(position.coords.accuracy), at: position.timestamp || Date.now(),
        };
        localStorage.setItem(LAST_FIX_KEY, JSON.stringify(fix));
        for (const listener of listeners) listener(fix);
        resolve(fix);
      },
      (error) => reject((error.code === error.PERMISSION_DENIED ? 'denied' : error.code === error.TIMEOUT ? 'timeout' : 'unavailable') satisfies LocateFailure),
      precise
        ? { enableHighAccuracy: true, timeout: LOCATE_TIMEOUT_MS, maximumAge: 0 }
        : { enableHighAccuracy: false, timeout: LOCATE_TIMEOUT_MS, maximumAge: 120_000 },
    );
  });
}

const EARTH_RADIUS_M = 6_371_000;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance in metres (haversine): plenty for "how far is this case" across a city. */
export function distanceM(a: Fix, b: Fix): number {
  const dLat = radians(b.lat - a.lat);
  const dLon = radians(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
