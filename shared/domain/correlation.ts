import type { CaseStatus } from '../contract/vocabulary';
import { distanceM } from './geo';
import { fitOf, type GateSettings, type Position } from './position-estimate';

/**
 * How reports become cases. Defaults (all settings, see shared/settings.ts):
 * - radiusM 40, gateSigmas 3, maxGateM 75, vagueM 100: the join test of two uncertain positions
 *   (shared/domain/position-estimate.ts): one place is 40 m across; a report joins a case while it lies within three
 *   combined standard errors of the case's estimate beyond that, never more than 75 m off.
 * - windowMinutes 360: an open case keeps drawing reports of its place for 6 hours after it was last seen.
 * - relinkHours 72: a report where a case was resolved in the last 3 days reopens that case, more urgent than before.
 * - confidenceThreshold 0.5: machine detections below it alone alert nobody; they open an unverified lead.
 */
export interface CorrelationSettings extends GateSettings {
  windowMinutes: number;
  relinkHours: number;
  confidenceThreshold: number;
}

export const DEFAULT_CORRELATION: CorrelationSettings = {
  radiusM: 40, gateSigmas: 3, maxGateM: 75, vagueM: 100, windowMinutes: 360, relinkHours: 72, confidenceThreshold: 0.5,
};

/** How far from a report the place index is searched: the widest gate, and how far a case's entry may lag its estimate. */
export const searchRadiusM = (settings: GateSettings) => settings.maxGateM + REF_DRIFT_M;
/** A case's entry in the place index is moved once its estimate has moved this far from it (m). */
export const REF_DRIFT_M = 10;

export interface Point { lat: number; lon: number }

/** A case near a new report, as the place index and the case itself tell it. */
export interface NearbyCase {
  caseId: string;
  /** Where its people are estimated to be, and how surely. */
  estimate: Position;
  status: CaseStatus;
  lastSeenAt: string;
  resolvedAt?: string;
}

export type CorrelationDecision =
  | { kind: 'join'; caseId: string }
  | { kind: 'reopen'; caseId: string }
  | { kind: 'create' };

/** Statuses in which a case is still being worked on the street, so new reports of its place join it. */
export const JOINABLE_STATUSES: readonly CaseStatus[] = ['unverified', 'open', 'alerted', 'acknowledged', 'on_scene'];
/** Statuses after which a person seen again at the same place is likely the same person, back in the cold. */
const ENDED: readonly CaseStatus[] = ['resolved', 'closed'];

/**
 * Which case a report belongs to: of the active cases seen within the window whose estimate the report fits, the one
 * it fits best; else the best-fitting case resolved within the relink window (it is reopened); else a new case.
 * A report vaguer than `vagueM` (a help-point tip given only as an address) cannot tell which case it belongs to: it
 * opens its own, and nothing is joined to such a case by position.
 */
export function decideCorrelation(
  report: { position: Position; observedAt: string }, nearby: NearbyCase[], settings: CorrelationSettings,
): CorrelationDecision {
  const at = Date.parse(report.observedAt);
  const fitting = nearby
    .map((c) => ({ c, fit: fitOf(report.position, c.estimate, settings) }))
    .filter((f): f is { c: NearbyCase; fit: number } => f.fit !== undefined && f.fit <= 1)
    .sort((a, b) => a.fit - b.fit);
  const active = fitting.find(({ c }) => JOINABLE_STATUSES.includes(c.status)
    && Math.abs(at - Date.parse(c.lastSeenAt)) <= settings.windowMinutes * 60_000);
  if (active) return { kind: 'join', caseId: active.c.caseId };
  const ended = fitting.find(({ c }) => ENDED.includes(c.status) && c.resolvedAt !== undefined
    && at - Date.parse(c.resolvedAt) <= settings.relinkHours * 3_600_000 && at >= Date.parse(c.resolvedAt) - settings.windowMinutes * 60_000);
  if (ended) return { kind: 'reopen', caseId: ended.c.caseId };
  return { kind: 'create' };
}

// Geohash (Niemeyer): base-32 interleaved bits of longitude and latitude.
const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

export function geohash(lat: number, lon: number, precision: number): string {
  let [latMin, latMax, lonMin, lonMax] = [-90, 90, -180, 180];
  let hash = '';
  let bits = 0;
  let value = 0;
  let evenBit = true;
  while (hash.length < precision) {
    if (evenBit) {
      const mid = (lonMin + lonMax) / 2;
      if (lon >= mid) { value = value * 2 + 1; lonMin = mid; } else { value *= 2; lonMax = mid; }
    } else {
      const mid = (latMin + latMax) / 2;
      if (lat >= mid) { value = value * 2 + 1; latMin = mid; } else { value *= 2; latMax = mid; }
    }
    evenBit = !evenBit;
    bits += 1;
    if (bits === 5) {
      hash += BASE32[value];
      bits = 0;
      value = 0;
    }
  }
  return hash;
}

/**
 * Geohash-7 cells are about 150 m × 135 m here: small enough that one holds few recent cases, large enough that a
 * disk of the default radius touches at most four.
 */
export const PLACE_CELL_PRECISION = 7;
const METRES_PER_DEGREE_LAT = 111_320;
const LON_BITS = Math.ceil((5 * PLACE_CELL_PRECISION) / 2);
const LAT_BITS = Math.floor((5 * PLACE_CELL_PRECISION) / 2);
const CELL_LON_DEG = 360 / 2 ** LON_BITS;
const CELL_LAT_DEG = 180 / 2 ** LAT_BITS;

/** The place-index cells a disk of `radiusM` around a point touches (its bounding box, sampled finer than a cell). */
export function cellsAround(point: Point, radiusM: number): string[] {
  const dLat = radiusM / METRES_PER_DEGREE_LAT;
  const dLon = radiusM / (METRES_PER_DEGREE_LAT * Math.max(0.01, Math.cos((point.lat * Math.PI) / 180)));
  const cells = new Set<string>();
  const latSteps = Math.ceil((2 * dLat) / (CELL_LAT_DEG / 2));
  const lonSteps = Math.ceil((2 * dLon) / (CELL_LON_DEG / 2));
  for (let i = 0; i <= latSteps; i += 1) {
    const lat = Math.max(-90, Math.min(90, point.lat - dLat + (2 * dLat * i) / latSteps));
    for (let j = 0; j <= lonSteps; j += 1) {
      const lon = point.lon - dLon + (2 * dLon * j) / lonSteps;
      cells.add(geohash(lat, ((lon + 540) % 360) - 180, PLACE_CELL_PRECISION));
    }
  }
  return [...cells].sort();
}

export const cellOf = (point: Point) => geohash(point.lat, point.lon, PLACE_CELL_PRECISION);

/**
 * Groups reports that are the same place at nearly the same time (a drone's frames of one person seconds apart),
 * so each group is correlated once. Each report joins the group whose anchor is nearest, within the radius and the
 * window; two people a street apart, both within the radius of a frame, keep their own frames.
 */
export function groupByPlace<T extends { location: Point; observedAt: string }>(reports: T[], settings: CorrelationSettings): T[][] {
  const groups: { anchor: T; members: T[] }[] = [];
  for (const report of reports) {
    const at = Date.parse(report.observedAt);
    let nearest: { group: (typeof groups)[number]; distance: number } | undefined;
    for (const group of groups) {
      const distance = distanceM(group.anchor.location, report.location);
      const inTime = Math.abs(at - Date.parse(group.anchor.observedAt)) <= settings.windowMinutes * 60_000;
      if (distance <= settings.radiusM && inTime && (!nearest || distance < nearest.distance)) nearest = { group, distance };
    }
    if (nearest) nearest.group.members.push(report);
    else groups.push({ anchor: report, members: [report] });
  }
  return groups.map((g) => g.members);
}
