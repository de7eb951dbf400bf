import { distanceM } from './geo';
import type { HotSpotPriority } from './campaign';

/**
 * Which hot spots a night's patrols checked, from the teams' positions and their check-ins.
 *
 * A team **dwells** at a hot spot while its positions stay within the hot spot's radius: a run of positions inside
 * it, in time order, ends at the first position outside or at a silence longer than `maxSilenceMinutes` (a phone with
 * no signal says nothing about where it was). Phones err by tens of metres, so a position counts as inside when it is
 * within the radius plus its own stated accuracy, capped at `toleranceM`. Runs of one team at one hot spot less than
 * `revisitMinutes` apart are one visit (a fix that strays outside for a moment does not make two checks of one stop),
 * and a visit whose runs add up to `dwellMinutes` is a check. A check-in is a check by itself, and one made during a
 * visit (or within `revisitMinutes` of it) is the same check, not a second one.
 *
 * The answer depends only on the set of positions, not on the order they arrived in.
 */
export interface CoverageRules {
  dwellMinutes: number;
  maxSilenceMinutes: number;
  revisitMinutes: number;
  toleranceM: number;
}

export const DEFAULT_COVERAGE_RULES: CoverageRules = { dwellMinutes: 5, maxSilenceMinutes: 10, revisitMinutes: 30, toleranceM: 30 };

export interface TeamPosition { at: number; lat: number; lon: number; accuracyM?: number }
export interface CoveredSpot { hotSpotId: string; location: { lat: number; lon: number }; radiusM: number; priority: HotSpotPriority }
export interface CheckIn { hotSpotId: string; teamId: string; at: number }

/** One check of a hot spot by a team: when it was made (the visit's last moment there) and how. */
export interface Check { hotSpotId: string; teamId: string; at: number; by: 'dwell' | 'check_in' }

const MINUTE_MS = 60_000;

/** A coarse grid of hot spots, so that each position is compared with the few near it, not with every one. */
class SpotGrid {
  private readonly cells = new Map<string, CoveredSpot[]>();
  private readonly cellDeg: number;

  constructor(spots: readonly CoveredSpot[], reachM: number) {
    // A cell at least as wide as the farthest a position may be from a spot and still count (in latitude degrees;
    // longitude degrees are shorter, so the cells are wider than needed east–west, never narrower).
    this.cellDeg = Math.max(reachM, 1) / 111_000;
    for (const spot of spots) {
      const key = this.key(spot.location.lat, spot.location.lon);
      (this.cells.get(key) ?? this.cells.set(key, []).get(key)!).push(spot);
    }
  }

  private key(lat: number, lon: number, dLat = 0, dLon = 0) {
    return `${Math.floor(lat / this.cellDeg) + dLat}:${Math.floor(lon / this.cellDeg) + dLon}`;
  }

  near(lat: number, lon: number): CoveredSpot[] {
    const found: CoveredSpot[] = [];
    for (let dLat = -1; dLat <= 1; dLat += 1) {
      for (let dLon = -1; dLon <= 1; dLon += 1) found.push(...(this.cells.get(this.key(lat, lon, dLat, dLon)) ?? []));
    }
    return found;
  }
}

interface Run { from: number; to: number }

/** The in-radius runs of one team's positions at each hot spot. */
function runsOf(positions: readonly TeamPosition[], grid: SpotGrid, rules: CoverageRules): Map<string, Run[]> {
  const sorted = [...positions].sort((a, b) => a.at - b.at);
  const runs = new Map<string, Run[]>();
  const open = new Map<string, Run>();
  const close = (hotSpotId: string) => {
    const run = open.get(hotSpotId)!;
    (runs.get(hotSpotId) ?? runs.set(hotSpotId, []).get(hotSpotId)!).push(run);
    open.delete(hotSpotId);
  };
  for (const position of sorted) {
    const slack = Math.min(position.accuracyM ?? rules.toleranceM, rules.toleranceM);
    const inside = new Set(grid.near(position.lat, position.lon)
      .filter((spot) => distanceM(position, spot.location) <= spot.radiusM + slack).map((spot) => spot.hotSpotId));
    for (const [hotSpotId, run] of open) {
      if (!inside.has(hotSpotId) || position.at - run.to > rules.maxSilenceMinutes * MINUTE_MS) close(hotSpotId);
    }
    for (const hotSpotId of inside) {
      const run = open.get(hotSpotId);
      if (run) run.to = position.at;
      else open.set(hotSpotId, { from: position.at, to: position.at });
    }
  }
  for (const hotSpotId of [...open.keys()]) close(hotSpotId);
  return runs;
}

interface Visit { from: number; to: number; dwellMs: number; checkIn?: number }

/** Runs and check-ins of one team at one hot spot, in time order, gathered into visits. */
function visitsOf(runs: readonly Run[], checkIns: readonly number[], rules: CoverageRules): Visit[] {
  const events: Visit[] = [
    ...runs.map((run) => ({ from: run.from, to: run.to, dwellMs: run.to - run.from })),
    ...checkIns.map((at) => ({ from: at, to: at, dwellMs: 0, checkIn: at })),
  ].sort((a, b) => a.from - b.from);
  const visits: Visit[] = [];
  for (const event of events) {
    const last = visits.at(-1);
    if (last && event.from - last.to < rules.revisitMinutes * MINUTE_MS) {
      last.to = Math.max(last.to, event.to);
      last.dwellMs += event.dwellMs;
      if (event.checkIn !== undefined) last.checkIn ??= event.checkIn;
    } else {
      visits.push({ ...event });
    }
  }
  return visits;
}

/**
 * Every check of the night: `positions` by team (only those within the night's hours), `checkIns` as recorded.
 */
export function checksOf(
  spots: readonly CoveredSpot[], positions: ReadonlyMap<string, readonly TeamPosition[]>, checkIns: readonly CheckIn[],
  rules: CoverageRules = DEFAULT_COVERAGE_RULES,
): Check[] {
  const reach = Math.max(0, ...spots.map((s) => s.radiusM)) + rules.toleranceM;
  const grid = new SpotGrid(spots, reach);
  const checks: Check[] = [];
  const teams = new Set([...positions.keys(), ...checkIns.map((c) => c.teamId)]);
  for (const teamId of teams) {
    const runs = runsOf(positions.get(teamId) ?? [], grid, rules);
    const theirs = checkIns.filter((c) => c.teamId === teamId);
    for (const hotSpotId of new Set([...runs.keys(), ...theirs.map((c) => c.hotSpotId)])) {
      const visits = visitsOf(runs.get(hotSpotId) ?? [], theirs.filter((c) => c.hotSpotId === hotSpotId).map((c) => c.at), rules);
      for (const visit of visits) {
        if (visit.checkIn !== undefined) checks.push({ hotSpotId, teamId, at: visit.checkIn, by: 'check_in' });
        else if (visit.dwellMs >= rules.dwellMinutes * MINUTE_MS) checks.push({ hotSpotId, teamId, at: visit.to, by: 'dwell' });
      }
    }
  }
  return checks.sort((a, b) => a.at - b.at);
}

export interface CoverageItem {
  hotSpotId: string;
  target: number;
  checks: number;
  lastCheckedAt?: number;
  lastTeamId?: string;
  covered: boolean;
}

/** Each hot spot's checks against its target. */
export function coverageOf(spots: readonly CoveredSpot[], checks: readonly Check[], targetOf: (spot: CoveredSpot) => number): CoverageItem[] {
  return spots.map((spot) => {
    const theirs = checks.filter((c) => c.hotSpotId === spot.hotSpotId);
    const last = theirs.at(-1);
    const target = targetOf(spot);
    return {
      hotSpotId: spot.hotSpotId, target, checks: theirs.length,
      ...(last ? { lastCheckedAt: last.at, lastTeamId: last.teamId } : {}),
      covered: theirs.length >= target,
    };
  });
}
