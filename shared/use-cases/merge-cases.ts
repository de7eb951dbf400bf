import type { CaseAction } from '../contract/schemas';
import type { CaseStatus } from '../contract/vocabulary';
import { mayAct } from '../domain/access-policy';
import type { Actor, Case, CaseSummary, TimelineEntry } from '../domain/case';
import { conflict, forbidden, invalid } from '../domain/errors';
import { distanceM } from '../domain/geo';
import { nextStatus } from '../domain/lifecycle';
import { type Notification, notificationFor } from '../domain/notification';
import { addSums, caseSums, estimateOf, gateM } from '../domain/position-estimate';
import { higherRisk } from '../domain/risk';
import type { CaseChange } from '../store/case-store';
import { type CaseGate, caseView, missingCase } from './case-access';
import type { Dependencies } from './dependencies';
import { finishWait } from './finish-wait';
import { logger } from '../adapters/observability';

type MergeAction = Extract<CaseAction, { type: 'merge' }>;
type MergeDeps = Pick<Dependencies, 'cases' | 'workflow' | 'notifications' | 'notifier' | 'now' | 'correlation'>;

/** How far along the disposal a case is: the case further along survives a merge (someone may be on the way). */
const PROGRESS: readonly CaseStatus[] = ['unverified', 'open', 'alerted', 'acknowledged', 'on_scene'];

/**
 * Two cases of the same people become one (a station or coordinator saw that they are; or a report far off made a
 * second case of one man). The case further along survives (taken before alerted, alerted before open; then the
 * older) and takes the other's counts, evidence, position, relations and the higher risk; its workflow carries on and
 * grades the risk again. The other is closed, merged into it: its workflow ends, and a team it alerted that is not
 * the one going is stood down. Nothing is moved or deleted: the merged case's sightings, detections and photos stay
 * under it and are read with the survivor. Both timelines say so, in one transaction with both changes.
 *
 * Refused with 409: either case no longer worked on (resolved, in station, closed, merged), or two places too far
 * apart to be one (see refuseFarApart).
 */
export async function mergeCases(
  deps: MergeDeps,
  input: { caseId: string; action: MergeAction; actor: Actor; gate: CaseGate | 'system' },
): Promise<{ case: CaseSummary; entry: TimelineEntry }> {
  const { caseId, action, actor, gate } = input;
  if (action.with === caseId) throw invalid('a case cannot be merged with itself', [{ path: 'with', message: 'is this case' }]);
  let entry!: TimelineEntry;
  let notify: Notification[] = [];
  const { before, after } = await deps.cases.mutateCases([caseId, action.with], ([a, b]) => {
    for (const [c, id] of [[a, caseId], [b, action.with]] as const) {
      const access = !c ? 'none' : gate === 'system' ? 'full' : gate.access(c);
      if (!c || access === 'none') throw missingCase(id);
      if (gate !== 'system' && !mayAct(gate.caller, access, action)) throw forbidden(`case ${id} is not yet yours to merge: take it first`);
      nextStatus(c, action);
    }
    const [survivor, merged] = survivorFirst(a!, b!);
    refuseFarApart(survivor, merged, deps.correlation);
    const at = deps.now().toISOString();
    const risk = higherRisk(survivor.risk, merged.risk);
    const sums = addSums(caseSums(survivor), caseSums(merged));
    const reports = { ...survivor.reportsBySource };
    for (const [source, count] of Object.entries(merged.reportsBySource ?? {})) {
      reports[source as keyof typeof reports] = (reports[source as keyof typeof reports] ?? 0) + count;
    }
    const devices = [...new Set([...(survivor.sourceDevices ?? []), ...(merged.sourceDevices ?? [])])];
    const lastSeenAt = Date.parse(merged.lastSeenAt) > Date.parse(survivor.lastSeenAt) ? merged.lastSeenAt : survivor.lastSeenAt;
    const { type: _type, with: _with, ...details } = action;
    entry = { at, type: 'merged', actor, ...details, from: merged.caseId, into: survivor.caseId };
    // Whoever the merged case had asked, and who is not the one going to the survivor, is told not to go.
    const asked = merged.alert?.target;
    const going = survivor.assignedTeamId ?? (survivor.alert?.target.kind === 'team' ? survivor.alert.target.id : undefined);
    notify = asked?.kind === 'team' && asked.id !== going
      ? [notificationFor(merged, { kind: 'stood_down', to: asked, at, detail: `与案件尾号 ${survivor.caseId.slice(-6)} 为同一处，已合并` })]
      : [];
    const survivorChange: CaseChange = {
      set: {
        updatedAt: at, lastSeenAt, estimateSums: sums, location: estimateOf(sums),
        sightingCount: survivor.sightingCount + merged.sightingCount,
        detectionCount: survivor.detectionCount + merged.detectionCount,
        photoCount: survivor.photoCount + merged.photoCount,
        reportsBySource: reports,
        mergedFrom: [...(survivor.mergedFrom ?? []), merged.caseId, ...(merged.mergedFrom ?? [])],
        mergeCandidates: (survivor.mergeCandidates ?? []).filter((id) => id !== merged.caseId),
        ...(devices.length ? { sourceDevices: devices } : {}),
        ...(merged.maxConfidence !== undefined && merged.maxConfidence > (survivor.maxConfidence ?? -1) ? { maxConfidence: merged.maxConfidence } : {}),
        ...(risk !== survivor.risk ? { risk } : {}),
        riskReasons: [...new Set([...survivor.riskReasons, ...merged.riskReasons])],
        // Alerted or taken: the workflow grades the joined evidence again (a child in the other case makes it red).
        ...(['alerted', 'acknowledged', 'on_scene'].includes(survivor.status) ? { retriage: true as const } : {}),
        ...(survivor.placeName || !merged.placeName ? {} : { placeName: merged.placeName, placeNameSource: merged.placeNameSource ?? 'report' }),
      },
      timeline: [entry],
    };
    const mergedChange: CaseChange = {
      set: {
        status: 'closed', updatedAt: at, closedAt: at, mergedInto: survivor.caseId,
        closeReason: `merged into case ${survivor.caseId}: the same people`,
      },
      remove: ['alert', 'wait', 'due', 'retriage', 'pendingVisit'],
      timeline: [{ ...entry }, { at, type: 'closed', reason: `merged into case ${survivor.caseId}` }],
      alongside: notify.map((n) => deps.notifications.put(n)),
    };
    return [
      // The survivor's readers keep reading what they read before, under it.
      {
        caseId: survivor.caseId, change: survivorChange,
        relate: { teams: merged.relatedTeams ?? [], stations: merged.relatedStations ?? [] },
      },
      { caseId: merged.caseId, change: mergedChange },
    ];
  });
  const [survivorBefore, mergedBefore] = before;
  const [survivorAfter] = after;
  // The merged case's workflow finds it closed and ends; the survivor's grades the evidence again.
  const waits = [
    { caseId: mergedBefore!.caseId, wait: mergedBefore!.wait },
    { caseId: survivorAfter!.caseId, wait: survivorAfter!.retriage ? survivorBefore!.wait : undefined },
  ];
  for (const { caseId: waiting, wait } of waits) {
    if (!wait) continue;
    await finishWait(deps, waiting, wait).catch((error: unknown) => {
      logger.error('workflow wait not completed; the reconciler will', { caseId: waiting, error: String(error) });
    });
  }
  if (notify.length) {
    await deps.notifier.dispatch(notify).catch((error: unknown) => {
      logger.error('notification dispatch failed; the reconciler will', { caseId, error: String(error) });
    });
  }
  return { case: caseView(survivorAfter!, 'full'), entry };
}

/** The case further along first, then the older. */
function survivorFirst(a: Case, b: Case): [Case, Case] {
  const progress = PROGRESS.indexOf(a.status) - PROGRESS.indexOf(b.status);
  if (progress !== 0) return progress > 0 ? [a, b] : [b, a];
  return a.openedAt <= b.openedAt ? [a, b] : [b, a];
}

/**
 * A person may merge two cases as far apart as the widest gate (75 m), which correlation would not join on its own
 * (two precise positions 60 m apart); a case that names no place (an address-only tip placed at its help point) as
 * far as its accuracy reaches. Places farther apart are two places.
 */
function refuseFarApart(a: Case, b: Case, settings: MergeDeps['correlation']) {
  const metres = distanceM(a.location, b.location);
  const accuracy = (c: Case) => c.location.accuracyM ?? settings.radiusM;
  const vague = Math.max(...[a, b].map(accuracy).filter((m) => m > settings.vagueM), 0);
  const allowed = Math.max(settings.maxGateM, gateM({ accuracyM: accuracy(a) }, { accuracyM: accuracy(b) }, settings), vague);
  if (metres > allowed) {
    throw conflict(`cannot merge: the two cases are ${Math.round(metres)} m apart, more than one place can be (${Math.round(allowed)} m for their positions' accuracy); they are two places`);
  }
}
