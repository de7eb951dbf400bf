import type { z } from 'zod';
import type { CaseSummary as CaseSummarySchema } from '#shared/contract/responses';
import { type CaseStatus, RISK_LEVELS, type RiskLevel } from '#shared/contract/vocabulary';
import { type TimeWindow, windowRange } from './time-window';

// The contract's type rather than app/api's: this module is tested in node, without the DOM the API client needs.
type CaseSummary = z.output<typeof CaseSummarySchema>;

/**
 * What the coordinator chose to see. The same filter applies to the map, the list and the exports, so that what is
 * exported is exactly what is on the wall.
 */
export const STATUS_SCOPES = ['all', 'active', 'done'] as const;
export type StatusScope = (typeof STATUS_SCOPES)[number];

export interface CaseFilter {
  risks: RiskLevel[];
  statuses: StatusScope;
  window: TimeWindow;
}

export const DEFAULT_FILTER: CaseFilter = { risks: [...RISK_LEVELS], statuses: 'all', window: 'tonight' };

/** Someone is (or may be) still out in the cold, waiting for a check, a team or an outcome. */
const ACTIVE: ReadonlySet<string> = new Set<CaseStatus>(['unverified', 'open', 'alerted', 'acknowledged', 'on_scene']);

export const isActive = (status: string) => ACTIVE.has(status);

/** Drawn faded on the map: the street part is over. */
export const isSettled = (status: string) => status === 'resolved' || status === 'in_station' || status === 'closed';

/** A case that needs the coordinator's eye: its alert was escalated, or a deadline after acknowledgement passed. */
export const needsAttention = (c: CaseSummary) => (c.alert?.rung ?? 0) >= 1 || (c.due?.overdue ?? 0) >= 1;

/** The cases the filter lets through, at `now` (windows like "the last 24 hours" move with the clock). */
export function filterCases(cases: Iterable<CaseSummary>, filter: CaseFilter, now: number): CaseSummary[] {
  const range = windowRange(filter.window, now);
  const risks = new Set<string>(filter.risks);
  const shown: CaseSummary[] = [];
  for (const c of cases) {
    const opened = Date.parse(c.openedAt);
    if (opened < range.from || (range.to !== undefined && opened >= range.to)) continue;
    if (!risks.has(c.risk)) continue;
    if (filter.statuses === 'active' && !isActive(c.status)) continue;
    if (filter.statuses === 'done' && isActive(c.status)) continue;
    shown.push(c);
  }
  return shown;
}

export type CaseOrder = 'risk' | 'time';
const RISK_RANK: Record<string, number> = Object.fromEntries(RISK_LEVELS.map((risk, rank) => [risk, rank]));

/** Red first, then newest first within a risk (`risk`); or newest first (`time`). A new array. */
export function sortCases(cases: readonly CaseSummary[], order: CaseOrder): CaseSummary[] {
  const newestFirst = (a: CaseSummary, b: CaseSummary) => Date.parse(b.openedAt) - Date.parse(a.openedAt) || a.caseId.localeCompare(b.caseId);
  return [...cases].sort(order === 'risk'
    ? (a, b) => (RISK_RANK[a.risk] ?? 9) - (RISK_RANK[b.risk] ?? 9) || newestFirst(a, b)
    : newestFirst);
}
