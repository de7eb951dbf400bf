import type { LeadSource } from '../contract/stats';
import { distanceM } from './geo';

/**
 * Where a case's people are, as the evidence tells it, and how sure that is.
 *
 * Every report's position is uncertain: its `accuracyM` (the radius a device says holds about two fixes in three), or
 * the default of its source when it gives none. A case keeps an estimate refined by every report that joins it,
 * weighted by the inverse square of each report's accuracy: a fixed camera's 3 m outweighs a tip's 30 m a hundredfold.
 * The estimate is kept as three sums that reports add to (the weight, and the weighted latitude and longitude), so
 * concurrent reports joining one case add their share without reading each other's.
 */

/** What a report's position is taken to be worth when it states no accuracy, by where it came from (m). */
export const DEFAULT_ACCURACY_M: Readonly<Record<LeadSource, number>> = {
  drone_thermal: 10,
  fixed_thermal: 5,
  camera_ai: 20,
  city_management: 15,
  patrol: 15,
  coordinator: 30,
  public: 30,
};

/**
 * No report is better than this (m): a stated accuracy of 0 (or less than this) is read as this. Nor is an estimate,
 * however many reports it averages: the frames of one camera share its error, which averaging does not remove.
 */
export const MIN_ACCURACY_M = 3;
/** Frames of one pass share most of their error: a group of them counts as at most this many independent looks. */
const INDEPENDENT_LOOKS = 4;

export interface Position { lat: number; lon: number; accuracyM: number }

/** The additive form of an estimate: Σw, Σw·lat, Σw·lon, with w = 1 / accuracy². */
export interface EstimateSums { w: number; wLat: number; wLon: number }

/** A report's accuracy as correlation uses it: its own, floored, or its source's default. */
export function accuracyOf(location: { accuracyM?: number }, source: LeadSource): number {
  return Math.max(MIN_ACCURACY_M, location.accuracyM ?? DEFAULT_ACCURACY_M[source]);
}

export function sumsOf(position: Position): EstimateSums {
  const w = 1 / Math.max(MIN_ACCURACY_M, position.accuracyM) ** 2;
  return { w, wLat: w * position.lat, wLon: w * position.lon };
}

/** A case's estimate as sums: its own, or (a case stored before they were kept) its location as the one report it was. */
export function caseSums(c: { estimateSums?: EstimateSums; location: { lat: number; lon: number; accuracyM?: number }; leadSource?: LeadSource }): EstimateSums {
  return c.estimateSums ?? sumsOf({ lat: c.location.lat, lon: c.location.lon, accuracyM: accuracyOf(c.location, c.leadSource ?? 'patrol') });
}

export const addSums = (a: EstimateSums, b: EstimateSums): EstimateSums => ({ w: a.w + b.w, wLat: a.wLat + b.wLat, wLon: a.wLon + b.wLon });

export function estimateOf(sums: EstimateSums): Position {
  return {
    lat: round7(sums.wLat / sums.w),
    lon: round7(sums.wLon / sums.w),
    accuracyM: Math.round(Math.max(MIN_ACCURACY_M, 1 / Math.sqrt(sums.w)) * 10) / 10,
  };
}

/**
 * One position for several fixes of the same place moments apart (a drone's frames of one person): their weighted
 * mean, as sure as the best of them seen a few times over, never surer.
 */
export function pooled(fixes: Position[]): Position {
  const sums = fixes.map(sumsOf).reduce(addSums);
  const best = Math.min(...fixes.map((f) => Math.max(MIN_ACCURACY_M, f.accuracyM)));
  const { lat, lon } = estimateOf(sums);
  return { lat, lon, accuracyM: Math.round(Math.max(MIN_ACCURACY_M, best / Math.sqrt(Math.min(fixes.length, INDEPENDENT_LOOKS))) * 10) / 10 };
}

/**
 * How the join test is tuned (settings, see shared/settings.ts):
 * - radiusM 40: the extent of one place (a group under one bridge): two exact positions this far apart are one place.
 * - gateSigmas 3: how many combined standard errors a report may lie from a case and still be its place.
 * - maxGateM 75: no pair is ever joined farther apart than this, however vague: places 150 m apart never meet halfway.
 * - vagueM 100: a report (or a case) vaguer than this cannot tell which place it is: it opens its own case, and
 *   nothing joins such a case by position.
 */
export interface GateSettings { radiusM: number; gateSigmas: number; maxGateM: number; vagueM: number }

/** How far apart two positions may be and still be one place: the place's extent and both errors, bounded. */
export function gateM(a: Pick<Position, 'accuracyM'>, b: Pick<Position, 'accuracyM'>, settings: GateSettings): number {
  const combined = Math.hypot(Math.max(MIN_ACCURACY_M, a.accuracyM), Math.max(MIN_ACCURACY_M, b.accuracyM));
  return Math.min(Math.max(settings.radiusM, settings.maxGateM), Math.hypot(settings.radiusM, settings.gateSigmas * combined));
}

/**
 * How well two positions fit one place: their distance over the gate (≤ 1 within it; the lower, the likelier), or
 * undefined where either is too vague to say.
 */
export function fitOf(a: Position, b: Position, settings: GateSettings): number | undefined {
  if (a.accuracyM > settings.vagueM || b.accuracyM > settings.vagueM) return undefined;
  return distanceM(a, b) / gateM(a, b, settings);
}

const round7 = (n: number) => Math.round(n * 1e7) / 1e7;
