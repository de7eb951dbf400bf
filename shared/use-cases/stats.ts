import type { Stats, StatsQuery } from '../contract/stats';
import { keyFigures, statsWindow, UNRESOLVED_STATUSES } from '../domain/stats';
import { type CaseRelationsView, seesEverything } from '../domain/access-policy';
import type { CaseGate } from './case-access';
import type { Dependencies } from './dependencies';

/**
 * GET /v1/stats: the key figures of the cases opened in a window, and the red cases that still need someone now.
 * Read through the indexes (the window's slice of the all-cases index, the open statuses' partitions), never a Scan.
 */
export async function campaignStats(deps: Pick<Dependencies, 'stats' | 'now'>, query: StatsQuery, gate?: CaseGate): Promise<Stats> {
  const now = deps.now();
  const window = statsWindow(query, now);
  // A coordinator's figures are the city's; a station's are its own cases (those it may read in full).
  const keep = gate && !seesEverything(gate.caller) ? (c: CaseRelationsView) => gate.access(c) === 'full' : undefined;
  const [cases, openRed] = await Promise.all([
    deps.stats.casesOpenedIn(window.from.toISOString(), window.to.toISOString(), keep),
    deps.stats.countInStatuses(UNRESOLVED_STATUSES, 'red', keep),
  ]);
  return keyFigures(cases, window, { openRed, generatedAt: now });
}
