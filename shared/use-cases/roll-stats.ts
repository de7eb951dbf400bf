import { createHash } from 'node:crypto';
import { type AccessDirectory, responsibleStations } from '../domain/access-policy';
import { addFigures, countCase, type Figures, noFigures } from '../domain/stats';
import { shanghaiMidnight } from '../domain/shanghai-clock';
import { type FiguresScope, stationScope } from '../store/keys';
import type { RollMarker } from '../store/stats-store';
import type { Dependencies } from './dependencies';

/**
 * The kept figures (GET /v1/stats without reading every case): the figures of the cases opened in each hour, and in
 * each Shanghai day, for the whole city and for each station, kept up to date by a roller that runs every minute.
 *
 * A case's figures change whenever the case does (its status, its risk, its reports), so the roller does not add
 * deltas: it counts again every hour whose cases changed since its last pass (the change index notes each case's
 * last change, to the minute, with the hour it was opened in), and each day those hours lie in. Counting an hour
 * again is idempotent, so a pass that dies half-way, or runs twice, leaves nothing counted twice.
 *
 * History before the figures were kept (an upgrade), and the stations' figures after the stations changed, are
 * counted by a walk back through the opened cases, a bounded stretch per pass; until it is done, readers read those
 * hours from the cases (shared/use-cases/stats.ts).
 */

const HOUR_MS = 3_600_000;
/** How long after a change the roller counts it: a write is stamped when made and committed within seconds of it. */
export const ROLL_LAG_MS = 60_000;
/** Changes noted this long before where the last pass stopped are looked at again (writes stamped, then retried). */
export const ROLL_OVERLAP_MS = 120_000;

type RollDeps = Pick<Dependencies, 'stats' | 'directory' | 'now'>;

const hourStartOf = (instant: string | number) => Math.floor((typeof instant === 'string' ? Date.parse(instant) : instant) / HOUR_MS) * HOUR_MS;

/**
 * What the stations' figures depend on in the directory: which stations there are, where, and their areas (the one
 * whose area holds a case, else the nearest, is responsible).
 */
export function stationsStamp(stations: AccessDirectory['stations']): string {
  const described = [...stations].map((s) => `${s.stationId}@${s.location.lat},${s.location.lon}${s.area ? `#${JSON.stringify(s.area)}` : ''}`).sort().join('|');
  return createHash('sha256').update(described).digest('base64url').slice(0, 16);
}

/** One pass of the roller, until `until` (epoch ms). Nothing if another pass holds the lease. */
export async function rollStats(deps: RollDeps, until: number): Promise<{ skipped?: true; hours: number; days: number; walked: number }> {
  const now = deps.now().getTime();
  const leaseUntil = Math.max(until, now) + 30_000;
  const marker = await deps.stats.takeRollLease(now, leaseUntil);
  if (!marker) return { skipped: true, hours: 0, days: 0, walked: 0 };
  // Who is responsible for a case depends on the stations alone (responsibleStations reads no teams).
  const stations = await deps.directory.list('station');
  const directory: AccessDirectory = { stations, teams: [] };
  const stamp = stationsStamp(stations);
  const rollTo = new Date(now - ROLL_LAG_MS).toISOString();
  const next: RollMarker = { ...marker };
  // Fresh, or the stations moved: walk back through every hour from the current one (cases opened from here on are
  // noted as they change); the whole city's hours already kept stay kept.
  if (!marker.rolledTo || marker.stationsStamp !== stamp) {
    next.walkBefore = new Date(hourStartOf(now) + HOUR_MS).toISOString();
    next.stationsFrom = next.walkBefore;
    next.allFrom = marker.rolledTo ? marker.allFrom : next.walkBefore;
    next.stationsStamp = stamp;
  }

  const days = new Map<string, Set<FiguresScope>>();
  const roll = async (from: number, to: number) => {
    for (const [scope, day] of await rollHours(deps, directory, from, to)) {
      const scopes = days.get(day) ?? days.set(day, new Set()).get(day)!;
      scopes.add(scope);
    }
  };
  // Every hour whose cases changed since the last pass (less the overlap), up to the lag: a run of hours at a time.
  const since = marker.rolledTo ? new Date(Date.parse(marker.rolledTo) - ROLL_OVERLAP_MS).toISOString() : new Date(now - ROLL_LAG_MS - ROLL_OVERLAP_MS).toISOString();
  const changed = await deps.stats.changesSince(since, new Date(now).toISOString());
  const hours = [...new Set(changed.map((c) => Date.parse(c.openedHour)))].sort((a, b) => a - b);
  for (const [from, to] of runsOf(hours)) await roll(from, to);
  next.rolledTo = rollTo;

  // The walk back, while there is time: from where it stopped back to the start of the latest day with cases.
  let walked = 0;
  while (next.walkBefore && Date.now() < until) {
    const latest = await deps.stats.latestOpenedBefore(next.walkBefore);
    if (!latest) {
      delete next.walkBefore;
      next.allFrom = next.stationsFrom = new Date(0).toISOString();
      break;
    }
    const day = shanghaiMidnight(Date.parse(latest));
    await roll(day, Date.parse(next.walkBefore));
    walked += 1;
    next.walkBefore = next.stationsFrom = new Date(day).toISOString();
    if (!next.allFrom || next.walkBefore < next.allFrom) next.allFrom = next.walkBefore;
  }

  for (const [day, scopes] of days) {
    for (const scope of scopes) await rollDay(deps, scope, day, new Date(now).toISOString());
  }
  try {
    await deps.stats.releaseRollLease(next, leaseUntil);
  } catch (error) {
    // The pass outran its lease and another took over: what this one kept stands, where it stood is the other's to say.
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
  return { hours: hours.length, days: days.size, walked };
}

/**
 * Counts the cases opened in [from, to) (whole hours) again, hour by hour, for the city and each station responsible
 * for some of them, keeps what it counted, and answers which scopes' days it touched (a station that no longer has
 * cases in an hour loses its figures there).
 */
async function rollHours(deps: RollDeps, directory: AccessDirectory, from: number, to: number): Promise<[FiguresScope, string][]> {
  const [start, end] = [new Date(from).toISOString(), new Date(to).toISOString()];
  const [cases, before] = await Promise.all([deps.stats.casesOpenedIn(start, end, undefined, true), deps.stats.keptFigures('ALL', 'HOUR', start, end)]);
  const hours = new Map<number, { all: Figures; byStation: Map<string, Figures> }>();
  for (const c of cases) {
    const hour = hourStartOf(c.openedAt);
    const counted = hours.get(hour) ?? hours.set(hour, { all: noFigures(), byStation: new Map() }).get(hour)!;
    countCase(counted.all, c);
    for (const stationId of responsibleStations({ ...c, location: c.location! }, directory)) {
      countCase(counted.byStation.get(stationId) ?? counted.byStation.set(stationId, noFigures()).get(stationId)!, c);
    }
  }
  // Hours kept before with no case now (none, unless cases went) are kept as empty: their items go.
  for (const hour of before.keys()) if (!hours.has(Date.parse(hour))) hours.set(Date.parse(hour), { all: noFigures(), byStation: new Map() });
  const entries: Parameters<Dependencies['stats']['keepFigures']>[0] = [];
  const touched: [FiguresScope, string][] = [];
  for (const [hour, { all, byStation }] of hours) {
    const at = new Date(hour).toISOString();
    const day = new Date(shanghaiMidnight(hour)).toISOString();
    const gone = (before.get(at)?.stations ?? []).filter((stationId) => !byStation.has(stationId));
    entries.push({ scope: 'ALL', span: 'HOUR', start: at, kept: { figures: all, stations: [...byStation.keys()] } });
    for (const [stationId, figures] of byStation) entries.push({ scope: stationScope(stationId), span: 'HOUR', start: at, kept: { figures } });
    for (const stationId of gone) entries.push({ scope: stationScope(stationId), span: 'HOUR', start: at });
    touched.push(['ALL', day], ...[...byStation.keys(), ...gone].map((stationId) => [stationScope(stationId), day] as [FiguresScope, string]));
  }
  await deps.stats.keepFigures(entries, deps.now().toISOString());
  return touched;
}

/** Ascending starts of hours (or days) grouped into runs of consecutive ones: [from, to) each. */
export function runsOf(starts: number[], step = HOUR_MS): [number, number][] {
  const runs: [number, number][] = [];
  for (const start of starts) {
    const last = runs.at(-1);
    if (last && last[1] === start) last[1] = start + step;
    else runs.push([start, start + step]);
  }
  return runs;
}

/** A day's figures are its hours' added up. */
async function rollDay(deps: RollDeps, scope: FiguresScope, day: string, rolledAt: string) {
  const hours = await deps.stats.keptFigures(scope, 'HOUR', day, new Date(Date.parse(day) + 24 * HOUR_MS).toISOString());
  const figures = noFigures();
  for (const kept of hours.values()) addFigures(figures, kept.figures);
  await deps.stats.keepFigures([{ scope, span: 'DAY', start: day, kept: { figures } }], rolledAt);
}
