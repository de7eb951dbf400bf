import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/runtime/local-stack';
import { ApiClient, eventually, loadDemoDirectory, sightingBody, startTestStack, synthesizeForTest } from '../support/local-stack';

/**
 * Who goes when a case is taken. A station takes a case by sending someone: a team, or a person of its own whom it
 * names; an acknowledgement never silently ends the alert of the team that would have gone.
 */
let stack: LocalStack;
let api: ApiClient;
let station: string;
let coordinator: string;
let patrol01: string;

beforeAll(async () => {
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates);
  await loadDemoDirectory();
  api = new ApiClient(stack.url);
  station = await api.token({ role: 'station', sub: 'liu.duty', stationId: 'station-nc' });
  coordinator = await api.token({ role: 'coordinator', sub: 'wang.coord' });
  patrol01 = await api.token({ role: 'patrol', sub: 'li.wei', teamId: 'team-01' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const detailOf = async (caseId: string) => (await api.call('GET', `/v1/cases/${caseId}`, { token: coordinator })).body;

/** A case reported by the coordinator (so no team reported it), once its workflow has alerted a team. */
async function alertedCase(): Promise<{ caseId: string; alertedTeam: string }> {
  const created = await api.call('POST', '/v1/sightings', { token: coordinator, body: sightingBody() });
  expect(created.status).toBe(201);
  const caseId = created.body.caseId as string;
  const c = await eventually(async () => {
    const detail = await detailOf(caseId);
    return detail.status === 'alerted' ? detail : undefined;
  }, 15_000, 'the alert');
  expect(c.alert.target.kind).toBe('team');
  return { caseId, alertedTeam: c.alert.target.id };
}

const act = (caseId: string, token: string, body: Record<string, unknown>) => api.call('POST', `/v1/cases/${caseId}/actions`, { token, body });
const notificationsOf = (detail: { notifications: { kind: string; to: { id: string } }[] }, kind: string) =>
  detail.notifications.filter((n) => n.kind === kind).map((n) => n.to.id);

describe("a station's acknowledgement sends someone", () => {
  it('with nothing named, sends the team that was alerted, and tells it so', async () => {
    const { caseId, alertedTeam } = await alertedCase();
    const taken = await act(caseId, station, { type: 'acknowledge' });
    expect(taken.status).toBe(200);
    expect(taken.body.case).toMatchObject({ status: 'acknowledged', assignedTeamId: alertedTeam });
    expect(taken.body.entry).toMatchObject({ type: 'acknowledged', teamId: alertedTeam });
    const detail = await detailOf(caseId);
    expect(notificationsOf(detail, 'dispatch')).toEqual([alertedTeam]);
    expect(notificationsOf(detail, 'stood_down')).toEqual([]);
  });

  it('dispatching another team tells the alerted team it is not needed', async () => {
    const { caseId, alertedTeam } = await alertedCase();
    const other = alertedTeam === 'team-03' ? 'team-02' : 'team-03';
    const taken = await act(caseId, station, { type: 'acknowledge', teamId: other });
    expect(taken.status).toBe(200);
    expect(taken.body.case.assignedTeamId).toBe(other);
    const detail = await detailOf(caseId);
    expect(notificationsOf(detail, 'dispatch')).toEqual([other]);
    expect(notificationsOf(detail, 'stood_down')).toEqual([alertedTeam]);
  });

  it('a station going itself names the person, and the alerted team is stood down', async () => {
    const { caseId, alertedTeam } = await alertedCase();
    const taken = await act(caseId, station, { type: 'acknowledge', assignee: '刘值班' });
    expect(taken.status).toBe(200);
    expect(taken.body.case).toMatchObject({ status: 'acknowledged', assignee: '刘值班' });
    expect(taken.body.case.assignedTeamId).toBeUndefined();
    const detail = await detailOf(caseId);
    expect(detail.stationId).toBe('station-nc');
    const stoodDown = detail.notifications.find((n: { kind: string }) => n.kind === 'stood_down');
    expect(stoodDown).toMatchObject({ to: { id: alertedTeam } });
    expect(stoodDown.text).toContain('刘值班');
  });

  it('refuses a team and a person at once, and changes nothing', async () => {
    const { caseId } = await alertedCase();
    const refused = await act(caseId, station, { type: 'acknowledge', teamId: 'team-02', assignee: '刘值班' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'assignee' })]);
    expect((await detailOf(caseId)).status).toBe('alerted');
  });

  it("a patrol member's team takes the case, and the team alerted before is told", async () => {
    const { caseId, alertedTeam } = await alertedCase();
    const mine = alertedTeam === 'team-01' ? patrol01 : await api.token({ role: 'patrol', sub: 'zhou.qiang', teamId: alertedTeam === 'team-02' ? 'team-03' : 'team-02' });
    const myTeam = alertedTeam === 'team-01' ? 'team-01' : alertedTeam === 'team-02' ? 'team-03' : 'team-02';
    const taken = await act(caseId, mine, { type: 'acknowledge' });
    expect(taken.status).toBe(200);
    expect(taken.body.case.assignedTeamId).toBe(myTeam);
    const detail = await detailOf(caseId);
    expect(notificationsOf(detail, 'stood_down')).toEqual(myTeam === alertedTeam ? [] : [alertedTeam]);
  });
});

describe('an intake', () => {
  it('records who came in, and they stand for the case\'s people from then on', async () => {
    const { caseId, alertedTeam } = await alertedCase();
    const team = await api.token({ role: 'patrol', sub: 'on.scene', teamId: alertedTeam });
    expect((await act(caseId, team, { type: 'acknowledge' })).status).toBe(200);
    const here = (await detailOf(caseId)).location;
    expect((await act(caseId, team, { type: 'arrive', location: here })).status).toBe(200);
    const people = [
      { ageGroup: 'elderly', sex: 'male', conditions: ['ill'] },
      { ageGroup: 'adult', sex: 'female', conditions: [] },
    ];
    const intake = await act(caseId, station, { type: 'intake', stationId: 'station-nc', people });
    expect(intake.status).toBe(200);
    expect(intake.body.entry).toMatchObject({ type: 'intake', people });
    const detail = await detailOf(caseId);
    expect(detail).toMatchObject({ status: 'in_station', intakePeople: people, people });

    const bad = await act(caseId, station, { type: 'note', text: 'x', people });
    expect(bad.status).toBe(400);
  });

  it('refuses a registration of nobody, and still takes an intake without one (the contract allows it)', async () => {
    const { caseId, alertedTeam } = await alertedCase();
    const team = await api.token({ role: 'patrol', sub: 'on.scene.2', teamId: alertedTeam });
    await act(caseId, team, { type: 'acknowledge' });
    await act(caseId, team, { type: 'arrive', location: (await detailOf(caseId)).location });
    const empty = await act(caseId, station, { type: 'intake', stationId: 'station-nc', people: [] });
    expect(empty.status).toBe(400);
    expect((await detailOf(caseId)).status).toBe('on_scene');
    expect((await act(caseId, station, { type: 'intake', stationId: 'station-nc' })).status).toBe(200);
  });
});
