import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseStore } from '#shared/store/case-store';
import type { LocalStack } from '#local/runtime/local-stack';
import type { StackTemplate } from '#local/template/synthesize';
import { ApiClient, eventually, loadDemoDirectory, sightingBody, startTestStack, synthesizeForTest } from '../support/local-stack';

/**
 * The synthesized case workflow, run by the local Step Functions service against DynamoDB Local, driven through the
 * API. TIME_SCALE shortens the acknowledgement deadlines: red 5 min × 0.004 = 1.2 s (a task timeout rounds up to 2 s).
 */
const TIME_SCALE = 0.004;

let templates: StackTemplate[];
let stack: LocalStack;
let api: ApiClient;
let patrol: string;
let station: string;
let cases: CaseStore;

/** Waits until the case's running execution holds a wait on the case for it to leave `status`. */
const awaitingIn = (caseId: string, status: string) => eventually(async () => {
  const { executions } = await stack.stepFunctions.listExecutions({ stateMachineArn: caseWorkflowArn() });
  const running = executions.some((e) => e.name.startsWith(caseId) && e.status === 'RUNNING');
  const stored = await cases.getCase(caseId);
  return running && stored?.status === status && stored.wait?.status === status ? stored : undefined;
}, 10_000, `the workflow to wait on ${status}`);
const caseWorkflowArn = () => stack.model.stateMachines.find((m) => m.name.endsWith('case-workflow'))!.arn;

const timelineOf = async (caseId: string) => (await api.call('GET', `/v1/cases/${caseId}`, { token: station })).body;

beforeAll(async () => {
  ({ templates } = await synthesizeForTest({ timeScale: TIME_SCALE }));
  stack = await startTestStack(templates, { timeScale: TIME_SCALE });
  cases = await loadDemoDirectory();
  api = new ApiClient(stack.url);
  patrol = await api.token({ role: 'patrol', sub: 'wang.fang', teamId: 'team-02' });
  station = await api.token({ role: 'station', sub: 'duty-officer', stationId: 'station-nc' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('case workflow (synthesized definition, local engines)', () => {
  it('triages and alerts the nearest team on duty with a deadline set by the risk', async () => {
    const created = await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody() });
    expect(created.status).toBe(201);
    const detail = await eventually(async () => {
      const c = await timelineOf(created.body.caseId);
      return c.status === 'alerted' ? c : undefined;
    }, 10_000, 'the case to be alerted');
    const types = detail.timeline.map((e: { type: string }) => e.type);
    expect(types.slice(0, 4)).toEqual(['opened', 'sighting', 'triaged', 'alerted']);
    const alerted = detail.timeline.find((e: { type: string }) => e.type === 'alerted');
    // 八一大桥 is nearest to team-02 (西湖区); team-04 is nearer still but off duty.
    expect(alerted.to).toMatchObject({ kind: 'team', id: 'team-02' });
    expect(alerted.risk).toBe('red');
    const allowedMs = Date.parse(alerted.deadline) - Date.parse(alerted.at);
    expect(allowedMs).toBeCloseTo(5 * 60_000 * TIME_SCALE, -1);
  });

  it('escalates up the ladder while nobody acknowledges, and stops when someone does', async () => {
    const created = await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody() });
    const caseId = created.body.caseId as string;
    const escalated = await eventually(async () => {
      const c = await timelineOf(caseId);
      const rungs = c.timeline.filter((e: { type: string }) => e.type === 'escalated');
      return rungs.length >= 3 ? c : undefined;
    }, 30_000, 'three escalations');
    const [toTeam, toStation, toCoordinator] = escalated.timeline.filter((e: { type: string }) => e.type === 'escalated');
    // Another team (the next nearest on duty), the station's duty officer, the coordinator.
    expect(toTeam).toMatchObject({ from: { kind: 'team', id: 'team-02' }, to: { kind: 'team' }, rung: 1 });
    expect(toTeam.to.id).not.toBe('team-02');
    expect(toStation).toMatchObject({ from: { kind: 'team' }, to: { kind: 'station', id: 'station-nc' }, rung: 2 });
    expect(toCoordinator).toMatchObject({ from: { kind: 'station' }, to: { kind: 'coordinator' }, rung: 3 });
    expect(escalated.alert.target.kind).toBe('coordinator');
    // Each rung has its own deadline, counted from when it was asked.
    for (const rung of [toTeam, toStation, toCoordinator]) {
      expect(Date.parse(rung.deadline) - Date.parse(rung.at)).toBeCloseTo(5 * 60_000 * TIME_SCALE, -2);
    }

    const ack = await api.call('POST', `/v1/cases/${caseId}/actions`, { token: station, body: { type: 'acknowledge' } });
    expect(ack.status).toBe(200);
    expect(ack.body.case.status).toBe('acknowledged');
    // The workflow now waits for the arrival, with its own deadline; escalation stopped.
    expect(ack.body.case.due).toMatchObject({ kind: 'arrival', overdue: 0 });
    await awaitingIn(caseId, 'acknowledged');
    const before = (await timelineOf(caseId)).timeline.length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const after = await timelineOf(caseId);
    expect(after.timeline.length).toBe(before);
    expect(after.timeline.filter((e: { type: string }) => e.type === 'escalated')).toHaveLength(3);
    expect(after.timeline.at(-1)).toMatchObject({ type: 'acknowledged', actor: { sub: 'duty-officer', role: 'station' } });
  });

  it('ends the wait when the acknowledgement beats the workflow to it', async () => {
    const created = await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody({ place: { type: 'street' } }) });
    const caseId = created.body.caseId as string;
    // Acknowledge as soon as the case can be acknowledged, racing the workflow's own steps.
    await eventually(async () => {
      const r = await api.call('POST', `/v1/cases/${caseId}/actions`, { token: patrol, body: { type: 'acknowledge' } });
      return r.status === 200 ? r : undefined;
    }, 10_000, 'the acknowledgement');
    await awaitingIn(caseId, 'acknowledged');
    const c = await timelineOf(caseId);
    expect(c.status).toBe('acknowledged');
    expect(c.timeline.filter((e: { type: string }) => e.type === 'escalated')).toEqual([]);
  });

  it('resumes waiting cases after a restart, waiting only what remains of the deadline', async () => {
    // Yellow: 60 min × TIME_SCALE = 14.4 s to acknowledge.
    const created = await api.call('POST', '/v1/sightings', {
      token: patrol, body: sightingBody({ people: [{ ageGroup: 'adult', conditions: ['inadequate_clothing'] }], place: { type: 'street' } }),
    });
    expect(created.body.risk).toBe('yellow');
    const caseId = created.body.caseId as string;
    const alerted = await eventually(async () => {
      const c = await timelineOf(caseId);
      return c.status === 'alerted' ? c : undefined;
    }, 10_000, 'the case to be alerted');
    const deadline = Date.parse(alerted.alert.deadline);
    const fullWaitMs = deadline - Date.parse(alerted.alert.alertedAt);
    expect(fullWaitMs).toBeCloseTo(60 * 60_000 * TIME_SCALE, -2);

    // Down for a third of the wait, then up again.
    await new Promise((resolve) => setTimeout(resolve, fullWaitMs / 3));
    await stack.stop();
    stack = await startTestStack(templates, { timeScale: TIME_SCALE, restartOf: stack });
    api = new ApiClient(stack.url);
    // Without a data directory the local issuer's key does not outlive the stack: sign in again.
    station = await api.token({ role: 'station', sub: 'duty-officer', stationId: 'station-nc' });
    const resumedAt = Date.now();

    // The open cases' workflows come back in the background, the nearest deadline first.
    await eventually(async () => {
      const { executions } = await stack.stepFunctions.listExecutions({ stateMachineArn: caseWorkflowArn() });
      return executions.some((e) => e.name.startsWith(caseId) && e.status === 'RUNNING') || undefined;
    }, 5_000, 'the execution to be resumed');
    const escalated = await eventually(async () => {
      const c = await timelineOf(caseId);
      return c.timeline.find((e: { type: string }) => e.type === 'escalated');
    }, 30_000, 'the escalation after the restart');
    // The stored deadline governs: a fresh wait would escalate a whole wait after the restart.
    expect(Date.parse(escalated.at)).toBeGreaterThanOrEqual(deadline);
    expect(Date.parse(escalated.at)).toBeLessThan(deadline + 2_500);
    expect(Date.parse(escalated.at)).toBeLessThan(resumedAt + fullWaitMs - 2_500);
  }, 60_000);
});
