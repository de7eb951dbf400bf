import { describe, expect, it } from 'vitest';
import type { CaseWorkflow, WorkflowExecution } from '#shared/adapters/case-workflow';
import { CONTRACT_SIGHTING_EXAMPLE } from '#shared/contract/examples';
import { CreateSightingRequest } from '#shared/contract/schemas';
import type { Actor } from '#shared/domain/case';
import { DEFAULT_CORRELATION } from '#shared/domain/correlation';
import { DEFAULT_DISPOSAL } from '#shared/domain/disposal';
import type { Notification } from '#shared/domain/notification';
import { CaseStore } from '#shared/store/case-store';
import { IdempotencyStore } from '#shared/store/idempotency-store';
import { reconcileWorkflows } from '#shared/use-cases/reconcile-workflows';
import { reportSighting } from '#shared/use-cases/report-sighting';
import { openingDeps } from '../../support/evidence-deps';
import { useTestTables } from '../../support/test-tables';

/**
 * A case opened by a credible report is graded and alerted in the write that opens it; the message goes out and the
 * workflow starts right after. A crash between the write and those two leaves nothing lost: the reconciler finds
 * the message pending in the outbox and the case without an execution, and mends both.
 */
class Workflow implements CaseWorkflow {
  down = false;
  readonly started: string[] = [];
  async start(caseId: string) {
    if (this.down) throw new Error('the function died before starting the workflow');
    this.started.push(caseId);
  }
  async describe(caseId: string): Promise<WorkflowExecution> {
    return this.started.includes(caseId) ? { state: 'running' } : { state: 'missing' };
  }
  async completeWait() {
    return 'gone' as const;
  }
}

const PATROL: Actor = { sub: 'patrol-1', role: 'patrol', teamId: 'team-07' };
const tables = useTestTables();

async function world() {
  const tableName = await tables.fresh();
  const workflow = new Workflow();
  const opening = openingDeps(tables.db, tableName);
  let notifierDown = false;
  const dispatched: Notification[] = [];
  let clock = new Date();
  const deps = {
    ...opening,
    notifier: {
      dispatch: async (notifications: Notification[]) => {
        if (notifierDown) throw new Error('the function died before dispatching');
        dispatched.push(...notifications);
      },
    },
    cases: new CaseStore(tables.db, tableName), idempotency: new IdempotencyStore(tables.db, tableName), workflow,
    now: () => clock, correlation: DEFAULT_CORRELATION, disposal: DEFAULT_DISPOSAL,
  };
  await opening.directory.put('station', { stationId: 'station-nc', name: '南昌市救助站', location: { lat: 28.68, lon: 115.89 } });
  await opening.directory.put('team', { teamId: 'team-07', name: '七队', stationId: 'station-nc', location: { lat: 28.683, lon: 115.858 }, onDuty: true });
  const report = async () => (await reportSighting(deps, {
    request: CreateSightingRequest.parse({ ...CONTRACT_SIGHTING_EXAMPLE, observedAt: new Date(clock.getTime() - 60_000).toISOString() }), actor: PATROL,
  })).body.caseId;
  return {
    deps, workflow, dispatched, report,
    crash: (down: boolean) => { notifierDown = down; workflow.down = down; },
    later: (minutes: number) => { clock = new Date(clock.getTime() + minutes * 60_000); },
  };
}

describe('a case alerted as it opens', () => {
  it('is stored alerted to the nearest team with its deadline, the message dispatched and the workflow started at once', async () => {
    const { deps, workflow, dispatched, report } = await world();
    const caseId = await report();
    const detail = (await deps.cases.getCaseDetail(caseId))!;
    expect(detail.case).toMatchObject({ status: 'alerted', risk: 'red', alert: { rung: 0, target: { kind: 'team', id: 'team-07' }, risk: 'red' } });
    // Red: five minutes to acknowledge.
    expect(Date.parse(detail.case.alert!.deadline) - Date.parse(detail.case.alert!.alertedAt)).toBe(5 * 60_000);
    expect(detail.timeline.map((e) => e.type)).toEqual(['opened', 'sighting', 'triaged', 'alerted']);
    expect(dispatched.map((n) => [n.caseId, n.kind, n.to.id])).toEqual([[caseId, 'alert', 'team-07']]);
    expect(workflow.started).toEqual([caseId]);
  });

  it('loses nothing to a crash between the write and the dispatch: the reconciler sends the alert and starts the workflow', async () => {
    const { deps, workflow, dispatched, report, crash, later } = await world();
    crash(true);
    const caseId = await report();
    expect(dispatched).toEqual([]);
    expect(workflow.started).toEqual([]);
    const stored = (await deps.cases.getCaseDetail(caseId))!;
    expect(stored.case.status).toBe('alerted');
    expect(stored.notifications.map((n) => [n.kind, n.status])).toEqual([['alert', 'pending']]);

    crash(false);
    later(2);
    const figures = await reconcileWorkflows(deps);
    expect(figures).toMatchObject({ started: 1, redispatched: 1 });
    expect(workflow.started).toEqual([caseId]);
    expect(dispatched.map((n) => [n.caseId, n.kind, n.to.id])).toEqual([[caseId, 'alert', 'team-07']]);
  });
});
