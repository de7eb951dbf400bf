import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionName, workflowInput } from '#shared/adapters/case-workflow';
import type { CaseStore } from '#shared/store/case-store';
import type { LocalStack } from '#local/runtime/local-stack';
import { ApiClient, eventually, loadDemoDirectory, sightingBody, startTestStack, synthesizeForTest, uniquePlace } from '../support/local-stack';

/**
 * What happens after a case is taken, run by the synthesized workflow on the local engines and driven through the
 * API: arrival and outcome deadlines, each outcome's branch (intake and discharge, handover, revisits, a second
 * search, closing), new evidence graded again, and the actions the case's state refuses.
 *
 * TIME_SCALE 0.001: red 5 min to acknowledge → 0.3 s (task timeouts round up to 1 s), red 20 min to arrive → 1.2 s,
 * 60 min for an outcome → 3.6 s, 90 min for the intake → 5.4 s, a revisit 45 min after a -12 °C night → 2.7 s.
 */
const TIME_SCALE = 0.001;

let stack: LocalStack;
let api: ApiClient;
let cases: CaseStore;
let patrol: string;
let station: string;
let coordinator: string;
let device: string;

type Entry = { type: string; at: string; [detail: string]: any };
const detailOf = async (caseId: string) => (await api.call('GET', `/v1/cases/${caseId}`, { token: coordinator })).body;
const entries = (c: { timeline: Entry[] }, type: string) => c.timeline.filter((e) => e.type === type);

/** The case once `check` holds for it. */
const caseWhen = (caseId: string, check: (c: any) => boolean, what: string, timeoutMs = 15_000) =>
  eventually(async () => {
    const c = await detailOf(caseId);
    return check(c) ? c : undefined;
  }, timeoutMs, what);

/** Waits until the workflow holds a wait on the case for it to leave `status` (so an action ends that wait). */
const waitingOn = (caseId: string, status: string) => eventually(async () => {
  const stored = await cases.getCase(caseId);
  return stored?.status === status && stored.wait?.status === status ? stored : undefined;
}, 15_000, `the workflow to wait on ${status}`);

const act = async (caseId: string, token: string, body: Record<string, unknown>) => {
  const response = await api.call('POST', `/v1/cases/${caseId}/actions`, { token, body });
  return response;
};
const actOk = async (caseId: string, token: string, body: Record<string, unknown>) => {
  const response = await act(caseId, token, body);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
};

/** A new case reported by the patrol, once the workflow has alerted someone. */
async function alertedCase(overrides: Record<string, unknown> = {}) {
  const created = await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody(overrides) });
  expect(created.status).toBe(201);
  const caseId = created.body.caseId as string;
  await waitingOn(caseId, 'alerted');
  return caseId;
}

/** Acknowledged by the patrol and arrived: the workflow waits for the outcome. */
async function caseOnScene(overrides: Record<string, unknown> = {}) {
  const caseId = await alertedCase(overrides);
  await actOk(caseId, patrol, { type: 'acknowledge' });
  await actOk(caseId, patrol, { type: 'arrive', location: { lat: 28.683, lon: 115.858, accuracyM: 6 } });
  await waitingOn(caseId, 'on_scene');
  return caseId;
}

beforeAll(async () => {
  process.env.REVISIT_LIMIT = '2';
  const { templates } = await synthesizeForTest({ timeScale: TIME_SCALE });
  stack = await startTestStack(templates, { timeScale: TIME_SCALE });
  cases = await loadDemoDirectory();
  api = new ApiClient(stack.url);
  patrol = await api.token({ role: 'patrol', sub: 'wang.fang', teamId: 'team-02' });
  station = await api.token({ role: 'station', sub: 'duty-officer', stationId: 'station-nc' });
  coordinator = await api.token({ role: 'coordinator', sub: 'li.wei' });
  device = await api.token({ role: 'device', sub: 'drone-03', deviceId: 'drone-03' });
}, 60_000);

afterAll(async () => {
  delete process.env.REVISIT_LIMIT;
  await stack?.stop();
});

describe('disposal (synthesized workflow, local engines)', () => {
  it('acknowledge → arrive → resolve as reunited: each step on the timeline with who, when and where, then closed', async () => {
    const caseId = await alertedCase();
    const ack = await actOk(caseId, patrol, { type: 'acknowledge', location: { lat: 28.69, lon: 115.86 } });
    expect(ack.case).toMatchObject({ status: 'acknowledged', assignedTeamId: 'team-02', due: { kind: 'arrival', overdue: 0 } });
    // Red: 20 minutes to arrive, scaled.
    expect(Date.parse(ack.case.due.at) - Date.parse(ack.case.due.since)).toBeCloseTo(20 * 60_000 * TIME_SCALE, -2);
    await waitingOn(caseId, 'acknowledged');
    const arrived = await actOk(caseId, patrol, { type: 'arrive', location: { lat: 28.683, lon: 115.858, accuracyM: 6 } });
    expect(arrived.case.due).toMatchObject({ kind: 'outcome' });
    await waitingOn(caseId, 'on_scene');
    await actOk(caseId, patrol, { type: 'resolve', outcome: 'reunited_with_family', note: 'daughter came to fetch him' });

    const closed = await caseWhen(caseId, (c) => c.status === 'closed', 'the case to close');
    expect(closed).toMatchObject({ outcome: 'reunited_with_family', closeReason: 'reunited with family' });
    expect(closed.due).toBeUndefined();
    const patrolMember = { sub: 'wang.fang', role: 'patrol', teamId: 'team-02' };
    expect(entries(closed, 'acknowledged')[0]).toMatchObject({ actor: patrolMember, location: { lat: 28.69, lon: 115.86 } });
    expect(entries(closed, 'arrived')[0]).toMatchObject({ actor: patrolMember, location: { lat: 28.683, lon: 115.858, accuracyM: 6 } });
    expect(entries(closed, 'resolved')[0]).toMatchObject({ actor: patrolMember, outcome: 'reunited_with_family', note: 'daughter came to fetch him' });
    expect(entries(closed, 'closed')[0]).toMatchObject({ reason: 'reunited with family' });
    const types = closed.timeline.map((e: Entry) => e.type);
    expect(types.indexOf('acknowledged')).toBeLessThan(types.indexOf('arrived'));
    expect(types.indexOf('resolved')).toBeLessThan(types.indexOf('closed'));
  }, 30_000);

  it('chases a missed arrival: the station first, then the coordinator, each with a new deadline', async () => {
    const caseId = await alertedCase();
    await actOk(caseId, patrol, { type: 'acknowledge' });
    const chased = await caseWhen(caseId, (c) => entries(c, 'overdue').length >= 2, 'two missed arrival deadlines');
    const [first, second] = entries(chased, 'overdue');
    expect(first).toMatchObject({ stage: 'arrival', to: { kind: 'station', id: 'station-nc' }, overdue: 1 });
    expect(second).toMatchObject({ stage: 'arrival', to: { kind: 'coordinator' }, overdue: 2 });
    expect(Date.parse(first!.deadline)).toBeGreaterThan(Date.parse(first!.missed));
    expect(chased.status).toBe('acknowledged');
    // Arriving ends the chase; the outcome is awaited next.
    await actOk(caseId, patrol, { type: 'arrive', location: { lat: 28.683, lon: 115.858 } });
    await waitingOn(caseId, 'on_scene');
  }, 30_000);

  it('follows someone escorted to the station through intake to discharge', async () => {
    const caseId = await caseOnScene();
    await actOk(caseId, patrol, { type: 'resolve', outcome: 'escorted_to_station' });
    const awaiting = await caseWhen(caseId, (c) => c.due?.kind === 'intake', 'the intake to be awaited');
    expect(awaiting.status).toBe('resolved');
    expect(entries(awaiting, 'awaiting_intake')[0]).toMatchObject({ station: { kind: 'station', id: 'station-nc' } });
    await waitingOn(caseId, 'resolved');
    // A patrol member cannot take someone in: that is the station's.
    expect((await act(caseId, patrol, { type: 'intake', stationId: 'station-nc' })).status).toBe(403);
    const intake = await actOk(caseId, station, { type: 'intake', stationId: 'station-nc', note: 'bed 12' });
    expect(intake.case).toMatchObject({ status: 'in_station', due: { kind: 'discharge' } });
    await waitingOn(caseId, 'in_station');
    await actOk(caseId, station, { type: 'discharge', reason: 'bought a train ticket home' });
    const closed = await caseWhen(caseId, (c) => c.status === 'closed', 'the discharge to close the case');
    expect(closed.closeReason).toContain('bought a train ticket home');
    expect(entries(closed, 'discharged')[0]).toMatchObject({ actor: { sub: 'duty-officer', role: 'station' } });
    expect(closed.timeline.map((e: Entry) => e.type)).toEqual(expect.arrayContaining(['resolved', 'awaiting_intake', 'intake', 'discharged']));
    expect(entries(closed, 'closed')).toEqual([expect.objectContaining({ outcome: 'escorted_to_station', reason: closed.closeReason })]);
  }, 30_000);

  it('records who took the person, where and when, on a medical handover, and closes', async () => {
    const caseId = await caseOnScene();
    const missing = await act(caseId, patrol, { type: 'resolve', outcome: 'medical_handover' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'handover' })]));
    expect((await detailOf(caseId)).status).toBe('on_scene');
    await actOk(caseId, patrol, {
      type: 'resolve', outcome: 'medical_handover', handover: { to: '120 急救车 赣A-1234, 李医生', place: '八一大桥北匝道' },
    });
    const closed = await caseWhen(caseId, (c) => c.status === 'closed', 'the case to close');
    expect(closed.handover).toMatchObject({ to: '120 急救车 赣A-1234, 李医生', place: '八一大桥北匝道' });
    expect(Date.parse(closed.handover.at)).toBeGreaterThan(0);
    expect(closed.closeReason).toBe('handed over to medical care');
  }, 30_000);

  it.each([
    ['referred_to_police', 'referred to the police'],
    ['false_alarm', 'false alarm'],
  ])('closes a case resolved as %s with its reason', async (outcome, reason) => {
    const caseId = await caseOnScene();
    await actOk(caseId, station, { type: 'resolve', outcome });
    const closed = await caseWhen(caseId, (c) => c.status === 'closed', 'the case to close');
    expect(entries(closed, 'closed')[0]).toMatchObject({ reason, outcome });
    expect(closed).toMatchObject({ outcome, closeReason: reason });
  }, 30_000);

  it('goes back to someone who declined help, sooner on a colder night, up to the revisit limit', async () => {
    const location = uniquePlace();
    const caseId = await caseOnScene({ location });
    // A thermal drone over the same spot reads -12 °C air.
    const detected = await api.call('POST', '/v1/detections', {
      token: device,
      body: {
        deviceId: 'drone-03', source: 'drone_thermal',
        detections: [{ detectionId: `cold-${caseId}`, observedAt: new Date().toISOString(), location, confidence: 0.9, ambientTempC: -12 }],
      },
    });
    expect(detected.body.results[0]).toMatchObject({ status: 'accepted', caseId });

    for (const visit of [1, 2]) {
      await waitingOn(caseId, 'on_scene');
      await actOk(caseId, patrol, { type: 'resolve', outcome: 'declined_help', handedOver: ['棉被', '热食'] });
      const scheduled = await caseWhen(caseId, (c) => entries(c, 'revisit_scheduled').length === visit, `revisit ${visit} to be scheduled`);
      const entry = entries(scheduled, 'revisit_scheduled')[visit - 1]!;
      // -12 °C: 45 minutes, not the 2 hours of a night of unknown temperature.
      expect(entry).toMatchObject({ number: visit, of: 2, delayMinutes: 45, coldestAirC: -12 });
      expect(scheduled.handedOver).toEqual(['棉被', '热食']);
      // When it is due, the case opens again and a team is alerted for the revisit.
      const revisiting = await caseWhen(caseId, (c) => entries(c, 'alerted').some((e) => e.purpose === 'revisit' && Date.parse(e.at) > Date.parse(entry.at)), `revisit ${visit} to alert a team`);
      expect(entries(revisiting, 'revisit_due').at(-1)).toMatchObject({ number: visit });
      await waitingOn(caseId, 'alerted');
      await actOk(caseId, patrol, { type: 'acknowledge' });
      await actOk(caseId, patrol, { type: 'arrive', location });
    }
    await waitingOn(caseId, 'on_scene');
    await actOk(caseId, patrol, { type: 'resolve', outcome: 'declined_help' });
    const closed = await caseWhen(caseId, (c) => c.status === 'closed', 'the case to close at the revisit limit');
    expect(closed.closeReason).toMatch(/declined help; visited again 2 time/);
    expect(closed.revisitCount).toBe(2);
    expect(entries(closed, 'revisit_scheduled')).toHaveLength(2);
  }, 60_000);

  it('searches once more when nobody was found, then closes', async () => {
    const caseId = await caseOnScene();
    await actOk(caseId, patrol, { type: 'resolve', outcome: 'not_found' });
    const again = await caseWhen(caseId, (c) => entries(c, 'alerted').some((e) => e.purpose === 'search_again'), 'the second search to be alerted');
    expect(entries(again, 'search_again')).toHaveLength(1);
    expect(again.searchCount).toBe(1);
    await waitingOn(caseId, 'alerted');
    await actOk(caseId, patrol, { type: 'acknowledge' });
    await actOk(caseId, patrol, { type: 'resolve', outcome: 'not_found' });
    const closed = await caseWhen(caseId, (c) => c.status === 'closed', 'the case to close after the second search');
    expect(closed.closeReason).toBe('not found after a second search');
    expect(entries(closed, 'search_again')).toHaveLength(1);
  }, 30_000);

  it('grades an alerted case again when a report adds who is there, and brings the deadline forward', async () => {
    const location = uniquePlace();
    // Yellow: an adult without enough clothes on a street, 60 minutes to acknowledge.
    const caseId = await alertedCase({ location, place: { type: 'street' }, people: [{ ageGroup: 'adult', conditions: ['inadequate_clothing'] }] });
    const before = await detailOf(caseId);
    expect(before.risk).toBe('yellow');
    const created = await api.call('POST', '/v1/sightings', {
      token: patrol,
      body: sightingBody({ location, place: { type: 'street' }, people: [{ ageGroup: 'child', conditions: ['unaccompanied_minor', 'injured'] }] }),
    });
    expect(created.body).toMatchObject({ caseId, caseCreated: false });
    const raised = await caseWhen(caseId, (c) => entries(c, 'triaged').some((e) => e.retriage), 'the case to be graded again');
    expect(raised.risk).toBe('red');
    expect(entries(raised, 'triaged').find((e) => e.retriage)).toMatchObject({ from: 'yellow', risk: 'red' });
    // Red allows 5 minutes from the alert, not yellow's 60: the deadline came forward.
    expect(Date.parse(raised.alert.deadline)).toBeLessThan(Date.parse(before.alert.deadline));
    expect(raised.notifications.some((n: { kind: string }) => n.kind === 'risk_raised')).toBe(true);
  }, 30_000);

  it('lets a station dispatch one of its teams, who is told', async () => {
    const caseId = await alertedCase();
    const ack = await actOk(caseId, station, { type: 'acknowledge', teamId: 'team-03' });
    expect(ack.case.assignedTeamId).toBe('team-03');
    const told = await caseWhen(caseId, (c) => c.notifications?.some((n: { kind: string }) => n.kind === 'dispatch'), 'the dispatch message');
    expect(told.notifications.find((n: { kind: string }) => n.kind === 'dispatch')).toMatchObject({ to: { kind: 'team', id: 'team-03' } });
    // A patrol member takes a case for their own team only, and an unknown team is refused.
    const other = await alertedCase();
    expect((await act(other, patrol, { type: 'acknowledge', teamId: 'team-03' })).status).toBe(403);
    const unknown = await act(other, station, { type: 'acknowledge', teamId: 'team-99' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: 'teamId' })]);
  }, 30_000);

  it('refuses what the state does not allow with 409 and the reason, and the wrong role with 403, changing nothing', async () => {
    const caseId = await alertedCase();
    const refusals: [string, Record<string, unknown>, number, RegExp][] = [
      [station, { type: 'discharge', reason: 'x' }, 409, /cannot discharge: the case is alerted/],
      [station, { type: 'intake', stationId: 'station-nc' }, 409, /cannot intake/],
      [patrol, { type: 'resolve', outcome: 'declined_help' }, 409, /nobody has acknowledged/],
      [coordinator, { type: 'acknowledge' }, 403, /patrol or station/],
      [device, { type: 'note', text: 'hello' }, 403, /./],
      [station, { type: 'arrive', location: { lat: 28.68, lon: 115.85 } }, 403, /patrol only/],
    ];
    const before = await detailOf(caseId);
    for (const [token, body, status, detail] of refusals) {
      const response = await act(caseId, token, body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.detail).toMatch(detail);
    }
    const after = await detailOf(caseId);
    expect(after.status).toBe('alerted');
    expect(after.timeline.filter((e: Entry) => ['discharged', 'intake', 'resolved', 'acknowledged', 'note', 'arrived'].includes(e.type))).toEqual(
      before.timeline.filter((e: Entry) => ['discharged', 'intake', 'resolved', 'acknowledged', 'note', 'arrived'].includes(e.type)),
    );
  }, 30_000);

  it('chases a case stored before deadlines were kept: a taken case without one gets it from its last change', async () => {
    const stale = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const caseId = `case-${ulid()}`;
    await cases.writeEvidence({
      cells: [], items: [], detections: [],
      case: { create: {
        caseId, status: 'acknowledged', risk: 'orange', riskReasons: ['elderly'], location: uniquePlace(), placeType: 'bridge',
        openedAt: stale, updatedAt: stale, lastSeenAt: stale, sightingCount: 1, detectionCount: 0, photoCount: 0,
        workflowGeneration: 0, version: 1,
      } },
    });
    await stack.stepFunctions.startExecution({
      stateMachineArn: stack.model.stateMachines.find((m) => m.name.endsWith('case-workflow'))!.arn,
      name: executionName(caseId, 0), input: JSON.stringify(workflowInput(caseId, 0)),
    });
    const chased = await caseWhen(caseId, (c) => entries(c, 'overdue').length >= 1, 'the stale case to be chased');
    expect(entries(chased, 'overdue')[0]).toMatchObject({ stage: 'arrival', to: { kind: 'station' }, overdue: 1 });
    expect(chased.due).toMatchObject({ kind: 'arrival', overdue: 1 });
  }, 30_000);

  // Last in this file: the record stands for the city's air for the next hours, so it would grade later cases too.
  it('weighs the latest weather record in triage and in the revisit delay', async () => {
    const reading = { observedAt: new Date(Date.now() - 10 * 60_000).toISOString(), airTempC: -8, source: '南昌市气象台' };
    const headers = { 'idempotency-key': `weather-${Date.now()}` };
    const first = await api.call('POST', '/v1/weather', { token: station, body: reading, headers });
    expect(first.status).toBe(201);
    const again = await api.call('POST', '/v1/weather', { token: station, body: reading, headers });
    expect(again.body.recordId).toBe(first.body.recordId);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect((await api.call('POST', '/v1/weather', { token: patrol, body: reading })).status).toBe(403);
    const bad = await api.call('POST', '/v1/weather', { token: station, body: { ...reading, airTempC: 'cold' } });
    expect(bad.status).toBe(400);
    // Implausible readings are refused and change nothing (contract v1.1: −60…+50 °C).
    for (const airTempC of [50.5, 60, -60.1]) {
      const implausible = await api.call('POST', '/v1/weather', { token: station, body: { ...reading, airTempC } });
      expect(implausible.status, String(airTempC)).toBe(400);
      expect(implausible.body.errors).toEqual([expect.objectContaining({ path: 'airTempC' })]);
    }
    expect((await api.call('POST', '/v1/weather', { token: station, body: { ...reading, airTempC: 50, observedAt: new Date(Date.now() - 3 * 3_600_000 * 24).toISOString() } })).status).toBe(201);

    const caseId = await caseOnScene({ place: { type: 'street' }, people: [{ ageGroup: 'adult', conditions: ['inadequate_clothing'] }] });
    const graded = await detailOf(caseId);
    expect(entries(graded, 'triaged')[0]!.reasons).toContain('air:-8C');
    await actOk(caseId, patrol, { type: 'resolve', outcome: 'declined_help' });
    const scheduled = await caseWhen(caseId, (c) => entries(c, 'revisit_scheduled').length === 1, 'the revisit to be scheduled');
    // -8 °C: an hour, where a night of unknown temperature would wait two.
    expect(entries(scheduled, 'revisit_scheduled')[0]).toMatchObject({ delayMinutes: 60, coldestAirC: -8 });
  }, 30_000);

  it('holds back a reading far from the others of the last hours, until another sender reports the like', async () => {
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    expect((await api.call('POST', '/v1/weather', { token: station, body: { observedAt: at(8), airTempC: -7, source: '站内温度计' } })).status).toBe(201);
    const drone = await api.token({ role: 'device', sub: 'drone-07', deviceId: 'drone-07' });
    const far = await api.call('POST', '/v1/weather', { token: drone, body: { observedAt: at(5), airTempC: 21, source: 'drone sensor' } });
    expect(far.status).toBe(201);
    expect(far.body).toMatchObject({ heldBack: true, heldBackReason: expect.stringContaining('°C') });
    // Nothing is graded on it: a case opened now is graded on the latest reading that stands.
    const caseId = await caseOnScene({ place: { type: 'street' }, people: [{ ageGroup: 'adult', conditions: ['inadequate_clothing'] }] });
    const reasons = entries(await detailOf(caseId), 'triaged')[0]!.reasons as string[];
    expect(reasons).toContain('air:-7C');
    expect(reasons.join(' ')).not.toContain('air:21C');
    // Another sender reports the like: both stand.
    const camera = await api.token({ role: 'device', sub: 'cam-9', deviceId: 'cam-9' });
    const confirming = await api.call('POST', '/v1/weather', { token: camera, body: { observedAt: at(2), airTempC: 19 } });
    expect(confirming.status).toBe(201);
    expect(confirming.body).not.toHaveProperty('heldBack');
  }, 30_000);
});
