import { randomUUID } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { useTestTables } from '../../support/test-tables';
import { type CaseWorkflow, executionName, type WorkflowExecution } from '#shared/adapters/case-workflow';
import type { CaseStatus } from '#shared/contract/vocabulary';
import type { Case } from '#shared/domain/case';
import { CaseStore } from '#shared/store/case-store';
import { NotificationStore } from '#shared/store/notification-store';
import { COORDINATOR_TARGET } from '#shared/domain/alert-routing';
import { type Notification, notificationFor } from '#shared/domain/notification';
import { reconcileWorkflows } from '#shared/use-cases/reconcile-workflows';
import { DEFAULT_ACK_MINUTES } from '#shared/domain/alert-policy';
import { DEFAULT_DISPOSAL } from '#shared/domain/disposal';
import { DEFAULT_PERSON_RULES, type PersonFile, startStay } from '#shared/domain/person-file';
import { PeopleStore } from '#shared/store/people-store';

/**
 * The reconciler against DynamoDB Local, with Step Functions played by a script: what each execution's fate is,
 * and what happens to a case while the reconciler looks at it (the races it must survive).
 */
const NOW = new Date('2026-01-12T15:30:00Z');
const minutesBefore = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

class ScriptedWorkflow implements CaseWorkflow {
  readonly executions = new Map<string, WorkflowExecution>();
  readonly starts: string[] = [];
  /** Runs when an execution is described: the world moving on while the reconciler looks. */
  readonly onDescribe = new Map<string, () => Promise<void>>();
  /** Executions Step Functions will not describe (throttled, say). */
  readonly unreachable = new Set<string>();

  async start(caseId: string, generation: number) {
    this.starts.push(executionName(caseId, generation));
  }

  async describe(caseId: string, generation: number): Promise<WorkflowExecution> {
    const name = executionName(caseId, generation);
    await this.onDescribe.get(name)?.();
    if (this.unreachable.has(name)) throw new Error('Rate exceeded');
    return this.executions.get(name) ?? { state: 'missing' };
  }

  readonly completed: string[] = [];

  async completeWait(token: string) {
    this.completed.push(token);
    return 'gone' as const;
  }
}

const tables = useTestTables();

async function freshWorld() {
  const tableName = await tables.fresh();
  const cases = new CaseStore(tables.db, tableName);
  const workflow = new ScriptedWorkflow();
  const addCase = async (status: CaseStatus, extra: Partial<Case> = {}) => {
    const c: Case = {
      caseId: `case-${randomUUID()}`, status, risk: 'red', riskReasons: ['elderly'], location: { lat: 28.6829, lon: 115.8579 },
      placeType: 'bridge', openedAt: minutesBefore(30), updatedAt: minutesBefore(20), lastSeenAt: minutesBefore(30),
      sightingCount: 1, detectionCount: 0, photoCount: 0, workflowGeneration: 0, version: 1, ...extra,
    };
    await cases.writeEvidence({ cells: [], case: { create: c }, items: [], detections: [] });
    return c.caseId;
  };
  const notifications = new NotificationStore(tables.db, tableName);
  const dispatched: string[] = [];
  const notifier = { dispatch: async (batch: readonly Notification[]) => { dispatched.push(...batch.map((n) => n.notificationId)); } };
  const reconcile = () => reconcileWorkflows({
    cases, workflow, notifications, notifier, timeScale: 1, now: () => NOW, ackMinutes: DEFAULT_ACK_MINUTES, disposal: DEFAULT_DISPOSAL,
  });
  /** A notification about `caseId` stored `minutesAgo`, still pending. */
  const addPendingNotification = async (caseId: string, minutesAgo: number) => {
    const n = { ...notificationFor({ caseId, risk: 'red', placeType: 'bridge' }, { kind: 'alert', to: COORDINATOR_TARGET, at: minutesBefore(minutesAgo) }) };
    await tables.db.send(new TransactWriteCommand({ TransactItems: [notifications.put(n)] }));
    return n.notificationId;
  };
  return { cases, workflow, addCase, reconcile, addPendingNotification, dispatched };
}

const ended = (status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED', stoppedMinutesAgo: number, error?: string): WorkflowExecution => ({
  state: 'ended', status, stoppedAt: minutesBefore(stoppedMinutesAgo), ...(error ? { error } : {}),
});

describe('reconcileWorkflows', () => {
  it('leaves running executions alone, starts missing ones, and never looks at closed cases', async () => {
    const { workflow, addCase, reconcile } = await freshWorld();
    const running = await addCase('alerted');
    const missing = await addCase('on_scene', { workflowGeneration: 2 });
    await addCase('closed');
    workflow.executions.set(executionName(running, 0), { state: 'running' });

    expect(await reconcile()).toEqual({ checked: 2, started: 1, resumed: 0, failed: 0, redispatched: 0, mended: 0 });
    expect(workflow.starts).toEqual([executionName(missing, 2)]);
  });

  it('moves a case whose execution died to the next generation, dropping the dead wait, and starts it', async () => {
    const { cases, workflow, addCase, reconcile } = await freshWorld();
    const caseId = await addCase('alerted', { wait: { token: 'dead-token', status: 'alerted', since: minutesBefore(20) } });
    workflow.executions.set(executionName(caseId, 0), ended('FAILED', 5, 'States.TaskFailed'));

    expect(await reconcile()).toEqual({ checked: 1, started: 0, resumed: 1, failed: 0, redispatched: 0, mended: 0 });
    expect(workflow.starts).toEqual([executionName(caseId, 1)]);
    const detail = await cases.getCaseDetail(caseId);
    expect(detail!.case).toMatchObject({ status: 'alerted', workflowGeneration: 1, version: 2 });
    expect(detail!.case.wait).toBeUndefined();
    expect(detail!.timeline).toEqual([expect.objectContaining({
      type: 'workflow_resumed', at: NOW.toISOString(), generation: 1,
      reason: `execution ${executionName(caseId, 0)} ended FAILED (States.TaskFailed) while the case was alerted`,
    })]);

    // The next pass finds the new generation's execution running and does nothing more.
    workflow.executions.set(executionName(caseId, 1), { state: 'running' });
    expect(await reconcile()).toEqual({ checked: 1, started: 0, resumed: 0, failed: 0, redispatched: 0, mended: 0 });
  });

  it('resumes after a success only if the case changed after the execution ended', async () => {
    const { workflow, addCase, reconcile } = await freshWorld();
    // Ended after the case's last change: it saw the case as it is and found nothing to do.
    const seen = await addCase('acknowledged', { updatedAt: minutesBefore(10) });
    workflow.executions.set(executionName(seen, 0), ended('SUCCEEDED', 5));
    // Changed after its execution ended: work the execution never saw.
    const changedSince = await addCase('acknowledged', { updatedAt: minutesBefore(1) });
    workflow.executions.set(executionName(changedSince, 0), ended('SUCCEEDED', 5));

    expect(await reconcile()).toMatchObject({ checked: 2, resumed: 1 });
    expect(workflow.starts).toEqual([executionName(changedSince, 1)]);
  });

  it('decides on the case as it is when it writes: closed meanwhile, or given a new generation by someone else', async () => {
    const { cases, workflow, addCase, reconcile } = await freshWorld();
    const closing = await addCase('in_station');
    workflow.executions.set(executionName(closing, 0), ended('ABORTED', 1));
    workflow.onDescribe.set(executionName(closing, 0), async () => {
      await cases.mutateCase(closing, () => ({ set: { status: 'closed', updatedAt: NOW.toISOString() } }));
    });
    const reopened = await addCase('resolved');
    workflow.executions.set(executionName(reopened, 0), ended('TIMED_OUT', 1));
    workflow.onDescribe.set(executionName(reopened, 0), async () => {
      await cases.mutateCase(reopened, () => ({ set: { status: 'open', workflowGeneration: 1, updatedAt: NOW.toISOString() } }));
    });

    expect(await reconcile()).toEqual({ checked: 2, started: 0, resumed: 0, failed: 0, redispatched: 0, mended: 0 });
    expect(workflow.starts).toEqual([]);
    expect((await cases.getCase(closing))!.workflowGeneration).toBe(0);
    expect((await cases.getCase(reopened))!.workflowGeneration).toBe(1);
  });

  it('counts a case it could not settle and goes on with the others', async () => {
    const { workflow, addCase, reconcile } = await freshWorld();
    const throttled = await addCase('open');
    workflow.unreachable.add(executionName(throttled, 0));
    const missing = await addCase('open');

    expect(await reconcile()).toEqual({ checked: 2, started: 1, resumed: 0, failed: 1, redispatched: 0, mended: 0 });
    expect(workflow.starts).toEqual([executionName(missing, 0)]);
  });

  it('hands notifications still pending after a minute to delivery again, and leaves fresh ones to their own dispatch', async () => {
    const { addCase, addPendingNotification, reconcile, dispatched } = await freshWorld();
    const caseId = await addCase('alerted');
    const lost = await addPendingNotification(caseId, 5);
    await addPendingNotification(caseId, 0);
    expect((await reconcile()).redispatched).toBe(1);
    expect(dispatched).toEqual([lost]);
  });

  it('sends a case whose deadline is later than its risk allows back to be graded, and ends its wait', async () => {
    const { cases, workflow, addCase, reconcile } = await freshWorld();
    const alert = { rung: 0, target: { kind: 'team' as const, id: 'team-02' }, alertedAt: minutesBefore(2) };
    // Red, but still on the 60 minutes a yellow case gets (a report raised it as the alert went out).
    const late = await addCase('alerted', {
      alert: { ...alert, deadline: new Date(Date.parse(alert.alertedAt) + 60 * 60_000).toISOString() },
      wait: { token: 'late-token', status: 'alerted', since: minutesBefore(2) },
    });
    const onTime = await addCase('alerted', { alert: { ...alert, deadline: new Date(Date.parse(alert.alertedAt) + 5 * 60_000).toISOString() } });
    // Arrival after acknowledgement: red allows 20 minutes, this one was given 120.
    const slowArrival = await addCase('acknowledged', {
      due: { kind: 'arrival', since: minutesBefore(3), at: new Date(Date.parse(minutesBefore(3)) + 120 * 60_000).toISOString(), overdue: 0 },
    });
    for (const caseId of [late, onTime, slowArrival]) workflow.executions.set(executionName(caseId, 0), { state: 'running' });

    expect(await reconcile()).toMatchObject({ checked: 3, mended: 2, failed: 0 });
    expect((await cases.getCase(late))!.retriage).toBe(true);
    expect((await cases.getCase(slowArrival))!.retriage).toBe(true);
    expect((await cases.getCase(onTime))!.retriage).toBeUndefined();
    expect(workflow.completed).toEqual(['late-token']);
    expect((await cases.getCaseDetail(late))!.timeline).toEqual([expect.objectContaining({ type: 'deadline_check' })]);
    // Flagged once: the next pass leaves it to the workflow.
    expect(await reconcile()).toMatchObject({ mended: 0 });
  });

  it("gives each person with a deadline ahead a live execution of the person workflow: missing started, ended resumed, none for a file with nothing ahead", async () => {
    const tableName = await tables.fresh();
    const people = new PeopleStore(tables.db, tableName);
    const cases = new CaseStore(tables.db, tableName);
    const caseWorkflow = new ScriptedWorkflow();
    const personWorkflow = new ScriptedWorkflow();
    const base = (n: number, extra: Partial<PersonFile>): PersonFile => ({
      personId: `per-${String(n).padStart(26, '0')}`, number: `WM-${n}`, identified: false, ageGroup: 'adult', sex: 'male', conditions: [],
      createdAt: minutesBefore(60), createdBy: { sub: 'duty', role: 'station' }, updatedAt: minutesBefore(60), stations: ['station-nc'], encounters: [],
      grade: { level: 'green', reasons: [], set: 'rules', at: minutesBefore(60) }, stays: 1, familySearch: { status: 'not_started' }, followUps: [], photos: [],
      workflowGeneration: 1, version: 1, ...extra,
    });
    const staying = startStay(base(0, {}), { stationId: 'station-nc', at: minutesBefore(60) }, DEFAULT_PERSON_RULES, 1);
    const missing = base(1, { ...staying });
    const died = base(2, { ...staying, workflowGeneration: 3 });
    const quiet = base(3, { identified: true, name: '老周', familySearch: { status: 'not_needed' } });
    for (const f of [missing, died, quiet]) await people.put(f);
    personWorkflow.executions.set(executionName(died.personId, 3), ended('FAILED', 5, 'States.TaskFailed'));
    const figures = await reconcileWorkflows({
      cases, workflow: caseWorkflow, notifications: new NotificationStore(tables.db, tableName), notifier: { dispatch: async () => {} },
      timeScale: 1, now: () => NOW, ackMinutes: DEFAULT_ACK_MINUTES, disposal: DEFAULT_DISPOSAL, people, personWorkflow, personRules: DEFAULT_PERSON_RULES,
    });
    expect(figures).toMatchObject({ checked: 2, started: 1, resumed: 1, failed: 0 });
    expect(personWorkflow.starts.sort()).toEqual([executionName(missing.personId, 1), executionName(died.personId, 4)].sort());
    expect((await people.get(died.personId))!.workflowGeneration).toBe(4);
  });
});
