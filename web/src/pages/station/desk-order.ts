import type { z } from 'zod';
import type { CaseSummary as CaseSummarySchema, TimelineEntry as TimelineEntrySchema } from '#shared/contract/responses';
import type { ActionType, CaseStatus, RiskLevel, Role } from '#shared/contract/vocabulary';
import { fill } from '../../app/messages';
import { distanceM } from '#shared/domain/geo';
import { ACTION_ROLES } from '#shared/domain/lifecycle';

/**
 * What the station desk shows where, in what order, and the words of its clocks: DOM-free, so that it is unit-tested
 * in node (test/web/station-desk-order.test.ts).
 */

type CaseSummary = z.output<typeof CaseSummarySchema>;
type TimelineEntry = z.output<typeof TimelineEntrySchema>;

export type DeskColumn = 'incoming' | 'inHand' | 'arriving' | 'inStation';

/** The statuses the desk loads: everything that still needs someone, up to the person leaving the station. */
export const DESK_STATUSES = ['unverified', 'open', 'alerted', 'acknowledged', 'on_scene', 'resolved', 'in_station'] as const satisfies readonly CaseStatus[];

/** Where a case sits on the desk; undefined once it is none of the desk's business (closed, resolved otherwise). */
export function deskColumn(c: Pick<CaseSummary, 'status' | 'outcome'>): DeskColumn | undefined {
  switch (c.status) {
    case 'unverified':
    case 'open':
    case 'alerted':
      return 'incoming';
    case 'acknowledged':
    case 'on_scene':
      return 'inHand';
    case 'resolved':
      return c.outcome === 'escorted_to_station' ? 'arriving' : undefined;
    case 'in_station':
      return 'inStation';
    default:
      return undefined;
  }
}

/**
 * The desk's cases with `summary` in: the newer of the two by `updatedAt`, so that a list loaded slowly does not undo
 * a live event or an action's result that arrived meanwhile. Cases that leave the desk stay in the map (as they are
 * now): the columns are derived with deskColumn, and a stale list can then never bring one back.
 */
export function mergeNewer(cases: ReadonlyMap<string, CaseSummary>, summary: CaseSummary): Map<string, CaseSummary> {
  const next = new Map(cases);
  const known = cases.get(summary.caseId);
  if (!known || Date.parse(known.updatedAt) <= Date.parse(summary.updatedAt)) next.set(summary.caseId, summary);
  return next;
}

/** Whether the signed-in role may take an action at all (the API says so too, with a 403): coordinators watch the desk. */
export const mayAct = (role: Role, action: ActionType): boolean => role === 'admin' || ACTION_ROLES[action].includes(role);

const RISK_RANK: Record<RiskLevel, number> = { red: 0, orange: 1, yellow: 2, blue: 3 };

/** The deadline the desk counts down to: the open alert's, else the step the workflow waits for. */
export const deskDeadline = (c: Pick<CaseSummary, 'alert' | 'due'>): string | undefined => c.alert?.deadline ?? c.due?.at;

/** Nobody took the first alert, or the alert now waits for a station or the coordinator: for this desk to act. */
export const isEscalated = (c: Pick<CaseSummary, 'alert'>): boolean =>
  !!c.alert && (c.alert.rung >= 1 || c.alert.target.kind === 'station' || c.alert.target.kind === 'coordinator');

export function isOverdue(c: Pick<CaseSummary, 'alert' | 'due'>, now: number): boolean {
  if ((c.due?.overdue ?? 0) >= 1) return true;
  const deadline = deskDeadline(c);
  return deadline !== undefined && Date.parse(deadline) <= now;
}

/** Red first; within a risk level the nearest deadline first, cases without one after, then the oldest. */
export function compareByRiskThenDeadline(a: CaseSummary, b: CaseSummary): number {
  const risk = RISK_RANK[a.risk] - RISK_RANK[b.risk];
  if (risk !== 0) return risk;
  const da = deskDeadline(a);
  const db = deskDeadline(b);
  if (da !== db) {
    if (da === undefined) return 1;
    if (db === undefined) return -1;
    return Date.parse(da) - Date.parse(db);
  }
  return Date.parse(a.openedAt) - Date.parse(b.openedAt);
}

export interface DurationWords { minutes: string; hoursMinutes: string; daysHours: string }

/** "12 分钟" below two hours, "3 小时 5 分钟" below two days, then "4 天 2 小时": as precise as a desk needs. */
export function durationText(totalMinutes: number, words: DurationWords): string {
  const minutes = Math.max(0, Math.floor(totalMinutes));
  if (minutes < 120) return fill(words.minutes, { minutes });
  if (minutes < 48 * 60) return fill(words.hoursMinutes, { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
  return fill(words.daysHours, { days: Math.floor(minutes / 1440), hours: Math.floor((minutes % 1440) / 60) });
}

export interface Countdown { overdue: boolean; minutes: number }

/** Whole minutes left before a deadline (rounded up) or past it (at least one once it has passed). */
export function countdown(deadline: string, now: number): Countdown {
  const ms = Date.parse(deadline) - now;
  return { overdue: ms <= 0, minutes: Math.max(1, Math.ceil(Math.abs(ms) / 60_000)) };
}

/** "还剩 12 分钟" / "已超时 3 分钟". */
export function countdownText(deadline: string, now: number, words: { left: string; over: string } & DurationWords): string {
  const { overdue, minutes } = countdown(deadline, now);
  return fill(overdue ? words.over : words.left, { time: durationText(minutes, words) });
}

/** Great-circle kilometres to one decimal, the precision a dispatcher compares teams by. */
export const distanceKm = (a: { lat: number; lon: number }, b: { lat: number; lon: number }): number =>
  Math.round(distanceM(a, b) / 100) / 10;

export interface TeamLike { teamId: string; onDuty: boolean; location?: { lat: number; lon: number } }
export type RankedTeam<T extends TeamLike> = T & { distanceKm?: number };

/** Teams on duty first, each group nearest the case first; teams whose place is unknown last in their group. */
export function rankTeams<T extends TeamLike>(teams: readonly T[], caseLocation: { lat: number; lon: number }): RankedTeam<T>[] {
  return teams
    .map((team): RankedTeam<T> => (team.location ? { ...team, distanceKm: distanceKm(caseLocation, team.location) } : { ...team }))
    .sort((a, b) => {
      if (a.onDuty !== b.onDuty) return a.onDuty ? -1 : 1;
      if (a.distanceKm === undefined || b.distanceKm === undefined) {
        return a.distanceKm === b.distanceKm ? a.teamId.localeCompare(b.teamId) : a.distanceKm === undefined ? 1 : -1;
      }
      return a.distanceKm - b.distanceKm || a.teamId.localeCompare(b.teamId);
    });
}

/** When the person came in: the latest intake on the timeline (a case reopened and taken in again counts anew). */
export function intakeTime(timeline: readonly TimelineEntry[]): string | undefined {
  for (let i = timeline.length - 1; i >= 0; i -= 1) if (timeline[i]!.type === 'intake') return timeline[i]!.at;
  return undefined;
}

