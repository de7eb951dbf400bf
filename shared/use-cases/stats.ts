import type { Stats, StatsQuery } from '../contract/stats';
import { type AccessDirectory, type CaseRelationsView, responsibleStations, seesEverything } from '../domain/access-policy';
import { type FiguresPiece, hourlyPieces, statsOf, type StatsWindow, statsWindow, UNRESOLVED_STATUSES } from '../domain/stats';
import { shanghaiMidnight } from '../domain/shanghai-clock';
import { type FiguresScope, stationScope } from '../store/keys';
import type { RollMarker } from '../store/stats-store';
import type { CaseGate } from './case-access';
import type { Dependencies } from './dependencies';
import { ROLL_OVERLAP_MS, runsOf, stationsStamp } from './roll-stats';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Reads of one answer in flight at once. */
const READS_IN_FLIGHT = 8;

/**
 * GET /v1/stats: the key figures of the cases opened in a window, and the red cases that still need someone now.
 *
 * Read from the figures kept per hour and per day (shared/use-cases/roll-stats.ts), so a winter's figures cost a few
 * hundred items, not every case: the kept days and hours the window covers, and the cases themselves only where
 * nothing is kept yet: the window's partial first and last hours, the hours whose cases changed since the roller's
 * last pass (so the figures are never behind what was written), and history the roller has not walked yet.
 * `openRed` counts the red cases open now, through the by-status index: bounded by what is open, not by history.
 */
export async function campaignStats(deps: Pick<Dependencies, 'stats' | 'now'>, query: StatsQuery, gate?: CaseGate): Promise<Stats> {
  const now = deps.now();
  const window = statsWindow(query, now);
  // A coordinator's figures are the city's; a station's are those of the cases it is responsible for.
  const scope = figuresScopeOf(gate);
  const keep = scope === undefined
    ? () => false
    : scope === 'ALL' ? undefined : (c: CaseRelationsView) => responsibleStations(c, gate!.directory).has(scope.slice('STATION#'.length));
  const [pieces, openRed] = await Promise.all([
    scope === undefined ? [] : windowPieces(deps, window, scope, keep, gate?.directory),
    deps.stats.countInStatuses(UNRESOLVED_STATUSES, 'red', keep),
  ]);
  return statsOf(window, pieces, { openRed, generatedAt: now });
}

/** Whose figures a caller reads: the city's, its station's, or none (a station member whose station is not in the directory). */
function figuresScopeOf(gate: CaseGate | undefined): FiguresScope | undefined {
  if (!gate || seesEverything(gate.caller)) return 'ALL';
  return gate.caller.stationId ? stationScope(gate.caller.stationId) : undefined;
}

/** The hours from which on the scope's figures are kept and current, as the roller left them; none if nothing is kept. */
function keptFrom(marker: RollMarker | undefined, scope: FiguresScope, directory: AccessDirectory | undefined): number | undefined {
  if (!marker?.rolledTo) return undefined;
  if (scope === 'ALL') return marker.allFrom ? Date.parse(marker.allFrom) : undefined;
  // The stations' figures were kept for other stations than the directory has now: read from the cases.
  if (!directory || marker.stationsStamp !== stationsStamp(directory.stations) || !marker.stationsFrom) return undefined;
  return Date.parse(marker.stationsFrom);
}

async function windowPieces(
  deps: Pick<Dependencies, 'stats' | 'now'>, window: StatsWindow, scope: FiguresScope,
  keep: ((c: CaseRelationsView) => boolean) | undefined, directory: AccessDirectory | undefined,
): Promise<FiguresPiece[]> {
  const from = window.from.getTime();
  const to = window.to.getTime();
  const marker = await deps.stats.rollMarker();
  const keptSince = keptFrom(marker, scope, directory);
  const casesIn = async (start: number, end: number) => hourlyPieces(await deps.stats.casesOpenedIn(new Date(start).toISOString(), new Date(end).toISOString(), keep));
  const firstHour = Math.ceil(from / HOUR_MS) * HOUR_MS;
  const lastHour = Math.floor(to / HOUR_MS) * HOUR_MS;
  if (keptSince === undefined || firstHour >= lastHour) return casesIn(from, to);

  // Hours whose cases changed since the roller's last pass (less its overlap) are read from the cases.
  const dirty = new Set((await deps.stats.changesSince(new Date(Date.parse(marker!.rolledTo!) - ROLL_OVERLAP_MS).toISOString(), deps.now().toISOString()))
    .map((change) => Date.parse(change.openedHour)));
  const kept = (hour: number) => hour >= keptSince && !dirty.has(hour);

  const reads: (() => Promise<FiguresPiece[]>)[] = [];
  if (from < firstHour) reads.push(() => casesIn(from, firstHour));
  if (lastHour < to) reads.push(() => casesIn(lastHour, to));
  // Whole days (for a day-bucketed window) whose every hour is kept come from the day's figures; other hours from
  // the hours' figures; runs of hours not kept from their cases.
  const wholeDays: number[] = [];
  const hours: number[] = [];
  for (let hour = firstHour; hour < lastHour;) {
    const day = shanghaiMidnight(hour);
    if (window.bucket === 'day' && day === hour && day + DAY_MS <= lastHour
      && Array.from({ length: 24 }, (_, i) => day + i * HOUR_MS).every(kept)) {
      wholeDays.push(day);
      hour += DAY_MS;
    } else {
      hours.push(hour);
      hour += HOUR_MS;
    }
  }
  for (const [start, end] of runsOf(wholeDays, DAY_MS)) reads.push(() => keptPieces(deps, scope, 'DAY', start, end));
  for (const [start, end] of runsOf(hours.filter(kept))) reads.push(() => keptPieces(deps, scope, 'HOUR', start, end));
  for (const [start, end] of runsOf(hours.filter((hour) => !kept(hour)))) reads.push(() => casesIn(start, end));
  // A few reads at a time: a window whose changed hours lie scattered makes many short runs.
  const pieces: FiguresPiece[] = [];
  for (let i = 0; i < reads.length; i += READS_IN_FLIGHT) {
    for (const read of await Promise.all(reads.slice(i, i + READS_IN_FLIGHT).map((run) => run()))) pieces.push(...read);
  }
  return pieces;
}

/** The kept figures of the hours or days starting in [start, end). */
async function keptPieces(deps: Pick<Dependencies, 'stats'>, scope: FiguresScope, span: 'HOUR' | 'DAY', start: number, end: number): Promise<FiguresPiece[]> {
  const kept = await deps.stats.keptFigures(scope, span, new Date(start).toISOString(), new Date(end).toISOString());
  return [...kept].map(([at, { figures }]) => ({ start: new Date(at), figures }));
}
