import { CASE_STATUSES, type CaseStatus } from '../contract/vocabulary';
import { executionName, type WorkflowExecution } from '../adapters/case-workflow';
import type { Case } from '../domain/case';
import { deadlineForRisk } from '../domain/disposal';
import { personDeadlines } from '../domain/person-file';
import type { Dependencies } from './dependencies';
import { redispatchPendingNotifications } from './redispatch-notifications';
import { finishWait } from './finish-wait';
import { countDeadExecutions, logger, recordOldestRedAlert } from '../adapters/observability';

/** Every status but `closed` has workflow work: a lead to verify, triage, a deadline to watch, a disposal to follow. */
export const WORKFLOW_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter((status) => status !== 'closed');

/** What one pass found: cases looked at, executions started where none existed, cases moved to a new generation. */
export interface ReconcileFigures {
  checked: number;
  started: number;
  resumed: number;
  /** Cases the pass could not settle (a failed call); the next pass tries them again. */
  failed: number;
  /** Notifications still pending a minute after they were written, handed to delivery again. */
  redispatched: number;
  /** Cases whose running deadline was later than their risk allows, sent back to be graded (and brought forward). */
  mended: number;
}

type ReconcileDeps = Pick<Dependencies, 'cases' | 'workflow' | 'now' | 'notifications' | 'notifier' | 'timeScale' | 'ackMinutes' | 'disposal'>
  & Partial<Pick<Dependencies, 'people' | 'personWorkflow' | 'personRules'>>;

/** A notification is normally dispatched the moment it is written; one still pending after this was lost. */
const PENDING_GRACE_MS = 60_000;

/**
 * Makes sure every case that still needs its workflow has a live execution, and every message is on its way: a running one is left alone, a missing
 * one is started (harmless if a use case is starting it at the same moment: same name, same input), and an ended one
 * is replaced by the next generation, since Step Functions refuses to start a finished name again. Reads the status
 * index, never the whole table.
 */
export async function reconcileWorkflows(deps: ReconcileDeps, options: { signal?: AbortSignal } = {}): Promise<ReconcileFigures> {
  const figures: ReconcileFigures = { checked: 0, started: 0, resumed: 0, failed: 0, redispatched: 0, mended: 0 };
  const open: Case[] = [];
  for (const status of WORKFLOW_STATUSES) {
    let cursor: string | undefined;
    do {
      const page = await deps.cases.listCases({ status, limit: 500, ...(cursor ? { cursor } : {}) });
      open.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
  }
  // The duty room's worst figure: how long the oldest red case has been waiting for someone to take it (since it was
  // opened: an escalation asks someone else, it does not make the wait shorter).
  const now = deps.now().getTime();
  const waitingRed = open.filter((c) => c.status === 'alerted' && c.risk === 'red').map((c) => (now - Date.parse(c.openedAt)) / 60_000);
  recordOldestRedAlert(waitingRed.length ? Math.max(...waitingRed) : 0);
  // The case whose deadline comes first gets its workflow back first: after a restart with thousands of open cases,
  // a red alert running out is not kept waiting behind last week's intakes.
  open.sort((a, b) => nextDeadline(a) - nextDeadline(b));
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(RECONCILE_IN_FLIGHT, open.length) }, async () => {
    // Stopped (the local runtime shutting down): the cases not begun are left to the next pass.
    while (next < open.length && !options.signal?.aborted) {
      const listed = open[next++]!;
      figures.checked += 1;
      try {
        if (await mendDeadline(deps, listed)) figures.mended += 1;
        const outcome = await reconcileCase(deps, listed);
        if (outcome !== 'alive') figures[outcome] += 1;
      } catch (error) {
        figures.failed += 1;
        logger.error('case workflow not reconciled', { caseId: listed.caseId, error: String(error) });
      }
    }
  }));
  // People's deadlines are kept by their own workflow: each file with one ahead has a live execution too.
  if (deps.people && deps.personWorkflow && deps.personRules && !options.signal?.aborted) {
    try {
      const people = await reconcilePeople({ ...deps, people: deps.people, personWorkflow: deps.personWorkflow, personRules: deps.personRules });
      figures.checked += people.checked;
      figures.started += people.started;
      figures.resumed += people.resumed;
    } catch (error) {
      figures.failed += 1;
      logger.error('person workflows not reconciled', { error: String(error) });
    }
  }
  // Messages are part of the workflow too: one whose dispatch or delivery execution was lost goes out again.
  try {
    figures.redispatched = await redispatchPendingNotifications(deps, new Date(deps.now().getTime() - PENDING_GRACE_MS * deps.timeScale));
  } catch (error) {
    figures.failed += 1;
    logger.error('pending notifications not redispatched', { error: String(error) });
  }
  // Executions that should have been running and were not (never started, or died): each is a bug or an outage.
  countDeadExecutions(figures.started + figures.resumed);
  return figures;
}

/**
 * Every person with a deadline ahead has a live execution of the person workflow: a missing one is started, an ended
 * one replaced by the next generation (the file's generation bumped, so the ended one's successor is the only one).
 */
async function reconcilePeople(deps: Pick<Dependencies, 'people' | 'personWorkflow' | 'personRules' | 'timeScale'>) {
  const figures = { checked: 0, started: 0, resumed: 0 };
  const files = (await deps.people.all()).filter((f) => personDeadlines(f, deps.personRules, deps.timeScale).length > 0);
  for (const file of files) {
    figures.checked += 1;
    const execution = await deps.personWorkflow.describe(file.personId, file.workflowGeneration);
    if (execution.state === 'running') continue;
    if (execution.state === 'missing') {
      await deps.personWorkflow.start(file.personId, file.workflowGeneration);
      figures.started += 1;
      continue;
    }
    const result = await deps.people.mutate(file.personId, (current) => (current.workflowGeneration !== file.workflowGeneration ? null
      : { file: { ...current, workflowGeneration: current.workflowGeneration + 1 } }));
    if (result && result.after.workflowGeneration !== file.workflowGeneration) {
      await deps.personWorkflow.start(file.personId, result.after.workflowGeneration);
      figures.resumed += 1;
    }
  }
  return figures;
}

/** Cases reconciled at once. */
const RECONCILE_IN_FLIGHT = 8;

/** When a case next needs its workflow: its alert's or its due's deadline; a case with neither (to triage) at once. */
const nextDeadline = (c: Case) => Date.parse(c.alert?.deadline ?? c.due?.at ?? c.openedAt);

async function reconcileCase(deps: ReconcileDeps, listed: Case): Promise<'alive' | 'started' | 'resumed'> {
  const generation = listed.workflowGeneration ?? 0;
  const execution = await deps.workflow.describe(listed.caseId, generation);
  if (execution.state === 'running') return 'alive';
  if (execution.state === 'missing') {
    await deps.workflow.start(listed.caseId, generation);
    return 'started';
  }
  const result = await deps.cases.mutateCase(listed.caseId, (current) => {
    if (!needsResumption(current, generation, execution)) return null;
    return {
      set: { workflowGeneration: generation + 1 },
      // The ended execution's task token can no longer be answered.
      remove: ['wait'],
      timeline: [{
        at: deps.now().toISOString(),
        type: 'workflow_resumed',
        generation: generation + 1,
        reason: `execution ${executionName(listed.caseId, generation)} ended ${execution.status}${execution.error ? ` (${execution.error})` : ''} while the case was ${current.status}`,
      }],
    };
  });
  if (!result || result.after.version === result.before.version) return 'alive';
  await deps.workflow.start(listed.caseId, generation + 1);
  return 'resumed';
}

/**
 * Decided on the case as it is now, not as listed: it may have moved on (closed, or a reopen already gave it a new
 * generation) since. An execution that succeeded had nothing left to do with the case as it saw it; only a change
 * after it ended can have given it work again.
 */
function needsResumption(current: Case, generation: number, execution: Extract<WorkflowExecution, { state: 'ended' }>): boolean {
  if ((current.workflowGeneration ?? 0) !== generation || !WORKFLOW_STATUSES.includes(current.status)) return false;
  return execution.status !== 'SUCCEEDED' || Date.parse(current.updatedAt) > Date.parse(execution.stoppedAt);
}

/**
 * A red case must never wait on a blue deadline. Whatever let it happen (a race, a setting changed, a case stored by
 * an older version), a case alerted or taken whose running deadline is later than its risk allows is flagged for a
 * new grading and its wait ended: the workflow grades it, brings the deadline forward and tells who has it.
 */
async function mendDeadline(deps: ReconcileDeps, listed: Case): Promise<boolean> {
  if (!deadlineForRisk(listed, listed.risk, deps)) return false;
  const result = await deps.cases.mutateCase(listed.caseId, (current) => {
    if (current.retriage || !deadlineForRisk(current, current.risk, deps)) return null;
    return {
      set: { retriage: true },
      timeline: [{ at: deps.now().toISOString(), type: 'deadline_check', reason: `the running deadline is later than a ${current.risk} case allows` }],
    };
  });
  if (!result || result.after.version === result.before.version) return false;
  if (result.after.wait) await finishWait(deps, listed.caseId, result.after.wait);
  return true;
}
