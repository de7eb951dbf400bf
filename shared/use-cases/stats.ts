import type { Stats, StatsQuery } from '../contract/stats';
import { keyFigures, statsWindow, UNRESOLVED_STATUSES } from '../domain/stats';
import type { Dependencies } from './dependencies';

/**
 * GET /v1/stats: the key figures of the cases opened in a window, and the red cases that still need someone now.
 * Read through the indexes (the window's slice of the all-cases index, the open statuses' partitions), never a Scan.
 */
export async function campaignStats(deps: Pick<Dependencies, 'stats' | 'now'>, query: StatsQuery): Promise<Stats> {
  const now = deps.now();
  const window = statsWindow(query, now);
  const [cases, openRed] = await Promise.all([
    deps.stats.casesOpenedIn(window.from.toISOString(), window.to.toISOString()),
    deps.stats.countInStatuses(UNRESOLVED_STATUSES, 'red'),
  ]);
  return keyFigures(cases, window, { openRed, generatedAt: now });
}
