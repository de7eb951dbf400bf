import {
  type AccessDirectory, type Caller, callerOf, type CaseAccess, caseAccess, type CaseRelationsView,
} from '../domain/access-policy';
import { type Case, type CaseSummary, summarize, type TimelineEntry } from '../domain/case';
import { notFound } from '../domain/errors';
import { personalFieldsOf } from '../domain/retention';
import type { Principal } from '../http/principal';
import type { Dependencies } from './dependencies';

/**
 * The access policy applied: the caller checked against the directory once per request, then one decision per case
 * (shared/domain/access-policy.ts). Reads, lists, the feed, figures, photos and actions all come through here.
 */
export interface CaseGate {
  caller: Caller;
  directory: AccessDirectory;
  access(c: CaseRelationsView): CaseAccess;
}

export async function caseGate(deps: Pick<Dependencies, 'directory'>, principal: Principal): Promise<CaseGate> {
  const [teams, stations] = await Promise.all([deps.directory.list('team'), deps.directory.list('station')]);
  const directory: AccessDirectory = { teams, stations };
  const caller = callerOf(principal, directory);
  return { caller, directory, access: (c) => caseAccess(caller, c, directory) };
}

/** The case, if the caller may read it at all; otherwise the same 404 as a case that does not exist. */
export async function readableCase(deps: Pick<Dependencies, 'cases'>, gate: CaseGate, caseId: string): Promise<{ case: Case; access: Exclude<CaseAccess, 'none'> }> {
  const found = await deps.cases.getCase(caseId);
  const access = found ? gate.access(found) : 'none';
  if (!found || access === 'none') throw missingCase(caseId);
  return { case: found, access };
}

/** What a caller that may not read a case is told: exactly what it would be told if the case did not exist. */
export const missingCase = (caseId: string) => notFound(`case ${caseId} does not exist`);

/** A case in a list, the feed or an action's answer, as much of it as the caller may read. */
export function caseView(c: Case, access: Exclude<CaseAccess, 'none'>): CaseSummary {
  if (access === 'full') return { ...summarize(c), access };
  // Where and how urgent, not who: no team or person sent, no outcome, no handover.
  return {
    caseId: c.caseId, status: c.status, risk: c.risk, location: c.location, placeType: c.placeType,
    ...(c.placeName ? { placeName: c.placeName } : {}),
    openedAt: c.openedAt, updatedAt: c.updatedAt, lastSeenAt: c.lastSeenAt ?? c.openedAt,
    sightingCount: c.sightingCount, detectionCount: c.detectionCount, photoCount: c.photoCount,
    ...(c.alert ? { alert: { ...c.alert, target: { kind: c.alert.target.kind, id: c.alert.target.id } } } : {}),
    ...(c.reopenCount ? { reopenCount: c.reopenCount } : {}),
    access,
  };
}

/**
 * A timeline entry as the feed carries it: what happened and who acted, without what was said about people (the
 * case's detail has it, for whoever may read it); for a summary case, only what happened and when.
 */
export function feedEntryView(entry: TimelineEntry, access: Exclude<CaseAccess, 'none'>): TimelineEntry {
  if (access === 'summary') return { at: entry.at, type: entry.type };
  // Notes, who came in, handover names, what was handed over: never in the feed (the case's detail has them).
  const view: TimelineEntry = { ...entry };
  for (const field of personalFieldsOf(view)) delete view[field];
  return view;
}
