import type { CaseAction } from '../contract/schemas';
import type { ActionType, Role } from '../contract/vocabulary';
import { type Actor, type Case, type CaseSummary, summarize, type TimelineEntry } from '../domain/case';
import { notFound } from '../domain/errors';
import { authorizeAction, nextStatus } from '../domain/lifecycle';
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

export async function takeCaseAction(
  deps: Pick<Dependencies, 'cases' | 'workflow' | 'now'>,
  input: { caseId: string; action: CaseAction; actor: Actor; roles: Role[] },
): Promise<{ case: CaseSummary; entry: TimelineEntry }> {
  const { action, actor } = input;
  authorizeAction(action.type, input.roles);
  let entry!: TimelineEntry;
  const result = await deps.cases.mutateCase(input.caseId, (current) => {
    const status = nextStatus(current.status, action.type);
    const at = deps.now().toISOString();
    const { type: _type, ...details } = action;
    entry = { at, type: TIMELINE_TYPE[action.type], actor, ...details };
    const leavesWait = current.wait !== undefined && status !== current.status;
    const set: Partial<Case> = { status, updatedAt: at };
    if (action.type === 'intake') set.stationId = action.stationId;
    if (action.type === 'resolve') Object.assign(set, { resolvedAt: at, outcome: action.outcome });
    return {
      set,
      remove: [...(status !== 'alerted' && current.alert ? ['alert' as const] : []), ...(leavesWait ? ['wait' as const] : [])],
      timeline: [entry],
    };
  });
  if (!result) throw notFound(`case ${input.caseId} does not exist`);
  // The workflow's wait ends only after the case is stored in its new state, so the workflow reads that state.
  const wait = result.before.wait;
  if (wait && !result.after.wait) await deps.workflow.completeWait(wait.token, { caseId: input.caseId });
  return { case: summarize(result.after), entry };
}
