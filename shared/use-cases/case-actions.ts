import type { CaseAction } from '../contract/schemas';
import type { ActionType, Role } from '../contract/vocabulary';
import { type Actor, type Case, type CaseSummary, summarize, type TimelineEntry } from '../domain/case';
import { newDue } from '../domain/disposal';
import { forbidden, invalid, notFound } from '../domain/errors';
import { authorizeAction, nextStatus } from '../domain/lifecycle';
import { type Notification, notificationFor } from '../domain/notification';
import type { CaseChange } from '../store/case-store';
import type { Dependencies } from './dependencies';

/** The timeline word for each action: what happened, in the past tense. */
const TIMELINE_TYPE: Record<ActionType, string> = {
  acknowledge: 'acknowledged',
  arrive: 'arrived',
  resolve: 'resolved',
  intake: 'intake',
  discharge: 'discharged',
  note: 'note',
  verify: 'verified',
};

type ActionDeps = Pick<Dependencies, 'cases' | 'directory' | 'workflow' | 'notifications' | 'notifier' | 'now' | 'timeScale' | 'disposal'>;

/**
 * Takes an action on a case: checks the role and the case's state, records who did what, when and where, sets the
 * next deadline, and ends the workflow's wait so the workflow goes on from the case's new state.
 */
export async function takeCaseAction(
  deps: ActionDeps,
  input: { caseId: string; action: CaseAction; actor: Actor; roles: Role[] },
): Promise<{ case: CaseSummary; entry: TimelineEntry }> {
  const { action, actor } = input;
  authorizeAction(action.type, input.roles);
  const dispatched = action.type === 'acknowledge' && action.teamId ? await dispatchedTeam(deps, action.teamId, actor, input.roles) : undefined;
  let entry!: TimelineEntry;
  let notify: Notification[] = [];
  const result = await deps.cases.mutateCase(input.caseId, (current) => {
    const status = nextStatus(current, action);
    const now = deps.now();
    const at = now.toISOString();
    const { type: _type, ...details } = action;
    entry = { at, type: TIMELINE_TYPE[action.type], actor, ...details };
    const set: Partial<Case> = { status, updatedAt: at };
    const remove: NonNullable<CaseChange['remove']> = [];
    const due = (kind: Parameters<typeof newDue>[0]) => newDue(kind, current.risk, now, deps.disposal, deps.timeScale);
    notify = [];
    // A case closed by the action itself says so on its timeline, as one closed by the workflow does.
    const closing: TimelineEntry[] = [];
    switch (action.type) {
      case 'acknowledge':
        Object.assign(set, { acknowledgedAt: current.acknowledgedAt ?? at, due: due('arrival') });
        if (dispatched ?? actor.teamId) set.assignedTeamId = dispatched?.teamId ?? actor.teamId;
        if (dispatched) {
          notify = [notificationFor(current, {
            kind: 'dispatch', to: { kind: 'team', id: dispatched.teamId, name: dispatched.name }, at, deadline: set.due!.at,
          })];
        }
        break;
      case 'arrive':
        Object.assign(set, { arrivedAt: at, acknowledgedAt: current.acknowledgedAt ?? at, due: due('outcome') });
        if (!current.assignedTeamId && actor.teamId) set.assignedTeamId = actor.teamId;
        break;
      case 'resolve':
        Object.assign(set, { resolvedAt: at, outcome: action.outcome });
        if (action.handover) set.handover = { ...action.handover, at: action.handover.at ?? at };
        if (action.handedOver) set.handedOver = action.handedOver;
        if (action.stationId) set.stationId = action.stationId;
        remove.push('due');
        break;
      case 'intake':
        Object.assign(set, { stationId: action.stationId, due: due('discharge') });
        // Brought straight in from the scene: the outcome is the escort, resolved now.
        if (current.status === 'on_scene') Object.assign(set, { outcome: 'escorted_to_station', resolvedAt: at });
        break;
      case 'discharge':
        Object.assign(set, { closedAt: at, closeReason: `discharged from the station: ${action.reason}` });
        remove.push('due');
        closing.push({ at, type: 'closed', reason: set.closeReason, outcome: current.outcome });
        break;
      case 'verify':
      case 'note':
        break;
    }
    if (status !== 'alerted' && current.alert) remove.push('alert');
    // The workflow waits for the case to leave its status; a note leaves it where it is.
    if (current.wait && status !== current.status) remove.push('wait');
    return {
      set,
      remove,
      timeline: [entry, ...closing],
      alongside: notify.map((n) => deps.notifications.put(n)),
    };
  });
  if (!result) throw notFound(`case ${input.caseId} does not exist`);
  // The workflow's wait ends only after the case is stored in its new state, so the workflow reads that state.
  const wait = result.before.wait;
  if (wait && !result.after.wait) await deps.workflow.completeWait(wait.token, { caseId: input.caseId });
  if (notify.length) {
    await deps.notifier.dispatch(notify).catch((error: unknown) => {
      console.error(JSON.stringify({ level: 'error', message: 'notification dispatch failed; the reconciler will', caseId: input.caseId, error: String(error) }));
    });
  }
  return { case: summarize(result.after), entry };
}

/** A station (or coordinator) sends one of the teams; a patrol member may only take a case for their own team. */
async function dispatchedTeam(deps: Pick<Dependencies, 'directory'>, teamId: string, actor: Actor, roles: Role[]) {
  if (roles.includes('patrol') && !roles.some((r) => r === 'station' || r === 'admin') && teamId !== actor.teamId) {
    throw forbidden(`a patrol member acknowledges for their own team (${actor.teamId ?? 'none in the token'}), not for ${teamId}`);
  }
  const team = (await deps.directory.list('team')).find((t) => t.teamId === teamId);
  if (!team) throw invalid(`there is no team ${teamId}`, [{ path: 'teamId', message: 'is not a team in the directory' }]);
  return team;
}
