import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/runtime/local-stack';
import { ApiClient, eventually, sightingBody, startTestStack, synthesizeForTest, uniquePlace, loadDemoDirectory } from '../support/local-stack';

/** Correlation through the API, on DynamoDB Local: the stream of reports becomes the right cases. */
let stack: LocalStack;
let api: ApiClient;
let patrol: string;
let coordinator: string;
let drone: string;
let station: string;

const metresNorth = (place: { lat: number; lon: number }, metres: number) => ({ ...place, lat: place.lat + metres / 111_320 });
const caseOf = async (caseId: string) => (await api.call('GET', `/v1/cases/${caseId}`, { token: coordinator })).body;
const detection = (id: string, location: { lat: number; lon: number; accuracyM?: number }, extra: Record<string, unknown> = {}) => ({
  detectionId: id, observedAt: new Date(Date.now() - 30_000).toISOString(), location, confidence: 0.9, ...extra,
});

beforeAll(async () => {
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates);
  // The directory the access policy checks members against: the demo city's station and teams.
  await loadDemoDirectory();
  api = new ApiClient(stack.url);
  patrol = await api.token({ role: 'patrol', sub: 'sun.li', teamId: 'team-03' });
  coordinator = await api.token({ role: 'coordinator', sub: 'zhao.min' });
  drone = await api.token({ role: 'device', sub: 'drone-03', deviceId: 'drone-03' });
  station = await api.token({ role: 'station', sub: 'duty', stationId: 'station-nc' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('sightings', () => {
  it('makes exactly one case of fifty simultaneous first reports of the same spot', async () => {
    const spot = uniquePlace();
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => api.call('POST', '/v1/sightings', {
      token: patrol, body: sightingBody({ location: metresNorth(spot, (i % 7) - 3), note: `report ${i}` }),
    })));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    const caseIds = new Set(responses.map((r) => r.body.caseId));
    expect(caseIds.size).toBe(1);
    expect(responses.filter((r) => r.body.caseCreated)).toHaveLength(1);
    const c = await caseOf([...caseIds][0]!);
    expect(c.sightingCount).toBe(50);
    expect(c.sightings).toHaveLength(50);
  }, 60_000);

  it('keeps a group at one place as one case, and two places a street apart as two', async () => {
    const place = uniquePlace();
    const group = await api.call('POST', '/v1/sightings', {
      token: patrol, body: sightingBody({ location: place, people: [{ ageGroup: 'adult' }, { ageGroup: 'adult' }, { ageGroup: 'child' }] }),
    });
    const sameGroupAgain = await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody({ location: metresNorth(place, 15) }) });
    const acrossTheStreet = await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody({ location: metresNorth(place, 70) }) });
    expect(sameGroupAgain.body).toMatchObject({ caseId: group.body.caseId, caseCreated: false });
    expect(acrossTheStreet.body.caseCreated).toBe(true);
    expect(acrossTheStreet.body.caseId).not.toBe(group.body.caseId);
  });

  it('answers with the case risk when a sighting joins a more urgent case', async () => {
    const place = uniquePlace();
    const first = await api.call('POST', '/v1/sightings', {
      token: patrol, body: sightingBody({ location: place, place: { type: 'culvert' }, people: [{ ageGroup: 'elderly', conditions: ['ill', 'injured'] }] }),
    });
    expect(first.body.risk).toBe('red');
    const mild = await api.call('POST', '/v1/sightings', {
      token: patrol, body: sightingBody({ location: place, place: { type: 'street' }, people: [{ ageGroup: 'adult' }] }),
    });
    expect(mild.body).toMatchObject({ caseId: first.body.caseId, caseCreated: false, risk: 'red' });
  });

  it('reopens a recently resolved case seen again at its place, more urgent than before', async () => {
    const place = uniquePlace();
    const first = await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody({ location: place, people: [{ ageGroup: 'adult' }] }) });
    const caseId = first.body.caseId as string;
    const before = await eventually(async () => {
      const c = await caseOf(caseId);
      return c.status === 'alerted' ? c : undefined;
    }, 10_000, 'the alert');
    expect((await api.call('POST', `/v1/cases/${caseId}/actions`, { token: patrol, body: { type: 'acknowledge' } })).status).toBe(200);
    expect((await api.call('POST', `/v1/cases/${caseId}/actions`, { token: patrol, body: { type: 'arrive', location: place } })).status).toBe(200);
    expect((await api.call('POST', `/v1/cases/${caseId}/actions`, { token: patrol, body: { type: 'resolve', outcome: 'declined_help', note: '拒绝入站，已发放棉被' } })).status).toBe(200);

    const again = await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody({ location: metresNorth(place, 10), people: [{ ageGroup: 'adult' }] }) });
    expect(again.body).toMatchObject({ caseId, caseCreated: false });
    const reopened = await eventually(async () => {
      const c = await caseOf(caseId);
      return c.status === 'alerted' && c.reopenCount === 1 ? c : undefined;
    }, 10_000, 'the reopened case to be alerted again');
    const order = ['blue', 'yellow', 'orange', 'red'];
    expect(order.indexOf(reopened.risk)).toBeGreaterThan(order.indexOf(before.risk));
    expect(reopened.timeline.find((e: { type: string }) => e.type === 'reopened')).toMatchObject({ previousOutcome: 'declined_help' });
  });
});

describe('detections', () => {
  it('answers one result per detection, in order: accepted, duplicate, rejected', async () => {
    const place = uniquePlace();
    const batch = {
      deviceId: 'drone-03', source: 'drone_thermal',
      detections: [
        detection('d-1', place, { surfaceTempC: 29.5, ambientTempC: -2 }),
        { detectionId: 'd-bad', observedAt: 'yesterday', location: place, confidence: 0.9 },
        detection('d-1', place),
        detection('d-2', metresNorth(place, 3)),
        { detectionId: 'd-far-future', observedAt: '2099-01-01T00:00:00Z', location: place, confidence: 0.9 },
        detection('d-3', { lat: 95, lon: 0 }),
      ],
    };
    const r = await api.call('POST', '/v1/detections', { token: drone, body: batch });
    expect(r.status).toBe(200);
    expect(r.body.results[2].caseId).toBe(r.body.results[0].caseId);
    expect(r.body.results.map((x: { detectionId: string; status: string }) => [x.detectionId, x.status])).toEqual([
      ['d-1', 'accepted'], ['d-bad', 'rejected'], ['d-1', 'duplicate'], ['d-2', 'accepted'], ['d-far-future', 'rejected'], ['d-3', 'rejected'],
    ]);
    expect(r.body.results[1].error).toMatch(/observedAt/);
    expect(r.body.results[5].error).toMatch(/location\.lat/);
    const caseId = r.body.results[0].caseId;
    expect(r.body.results[3].caseId).toBe(caseId);
    // Sent again (a retry without a key): every one is a harmless duplicate pointing at the same case.
    const again = await api.call('POST', '/v1/detections', { token: drone, body: { ...batch, detections: [batch.detections[0], batch.detections[3]] } });
    expect(again.body.results).toEqual([
      { detectionId: 'd-1', status: 'duplicate', caseId }, { detectionId: 'd-2', status: 'duplicate', caseId },
    ]);
    const c = await caseOf(caseId);
    expect(c.detectionCount).toBe(2);
    expect(c.detections).toHaveLength(2);
    expect(c.detections[0]).toMatchObject({ deviceId: 'drone-03', source: 'drone_thermal' });
  });

  it('collapses forty frames of one person seconds apart, with GPS noise, into one case', async () => {
    const place = uniquePlace();
    const frames = Array.from({ length: 40 }, (_, i) => detection(`sweep-1/${i}`, metresNorth(place, (i % 9) - 4), {
      observedAt: new Date(Date.now() - 60_000 + i * 500).toISOString(), confidence: 0.7 + (i % 3) * 0.1,
    }));
    const r = await api.call('POST', '/v1/detections', { token: drone, body: { deviceId: 'drone-03', source: 'drone_thermal', detections: frames } });
    const cases = new Set(r.body.results.map((x: { caseId: string }) => x.caseId));
    expect(r.body.results.every((x: { status: string }) => x.status === 'accepted')).toBe(true);
    expect(cases.size).toBe(1);
    expect((await caseOf([...cases][0] as string)).detectionCount).toBe(40);
  });

  it('opens an unverified lead for a low-confidence detection, alerts nobody, and alerts once a person corroborates it', async () => {
    const place = uniquePlace();
    const r = await api.call('POST', '/v1/detections', {
      token: drone, body: { deviceId: 'drone-03', source: 'drone_thermal', detections: [detection('weak-1', place, { confidence: 0.3 })] },
    });
    const caseId = r.body.results[0].caseId as string;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const lead = await caseOf(caseId);
    expect(lead.status).toBe('unverified');
    expect(lead.timeline.map((e: { type: string }) => e.type)).not.toContain('alerted');
    const ack = await api.call('POST', `/v1/cases/${caseId}/actions`, { token: patrol, body: { type: 'acknowledge' } });
    expect(ack.status).toBe(409);
    expect(ack.body.detail).toMatch(/unverified/);

    const seen = await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody({ location: metresNorth(place, 5) }) });
    expect(seen.body).toMatchObject({ caseId, caseCreated: false });
    const alerted = await eventually(async () => {
      const c = await caseOf(caseId);
      return c.status === 'alerted' ? c : undefined;
    }, 10_000, 'the corroborated lead to be alerted');
    expect(alerted.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['corroborated', 'triaged', 'alerted']));
  });

  it('lets a station verify a lead; weak detections from a second device still alert nobody', async () => {
    const placeA = uniquePlace();
    const a = await api.call('POST', '/v1/detections', {
      token: drone, body: { deviceId: 'drone-03', source: 'drone_thermal', detections: [detection('weak-a', placeA, { confidence: 0.2 })] },
    });
    const verified = await api.call('POST', `/v1/cases/${a.body.results[0].caseId}/actions`, { token: station, body: { type: 'verify' } });
    expect(verified.status).toBe(200);
    expect(verified.body.case.status).toBe('open');

    const placeB = uniquePlace();
    const b = await api.call('POST', '/v1/detections', {
      token: drone, body: { deviceId: 'drone-03', source: 'drone_thermal', detections: [detection('weak-b', placeB, { confidence: 0.2 })] },
    });
    const camera = await api.token({ role: 'device', sub: 'cam-12', deviceId: 'cam-12' });
    const c = await api.call('POST', '/v1/detections', {
      token: camera, body: { deviceId: 'cam-12', source: 'fixed_thermal', detections: [detection('weak-c', metresNorth(placeB, 8), { confidence: 0.4 })] },
    });
    expect(c.body.results[0].caseId).toBe(b.body.results[0].caseId);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const lead = await caseOf(b.body.results[0].caseId);
    expect(lead.status).toBe('unverified');
    expect(lead.sourceDevices.sort()).toEqual(['cam-12', 'drone-03']);
    expect(lead.timeline.map((e: { type: string }) => e.type)).not.toContain('alerted');
    // A confident detection is corroboration.
    await api.call('POST', '/v1/detections', {
      token: camera, body: { deviceId: 'cam-12', source: 'fixed_thermal', detections: [detection('sure-c', metresNorth(placeB, 4), { confidence: 0.8 })] },
    });
    await eventually(async () => ((await caseOf(b.body.results[0].caseId)).status === 'alerted' ? true : undefined), 10_000, 'a confident detection to corroborate');
  });

  it('refuses a batch that is not one: oversize, empty, another device, wrong role', async () => {
    const place = uniquePlace();
    const oversize = Array.from({ length: 501 }, (_, i) => detection(`o-${i}`, place));
    expect((await api.call('POST', '/v1/detections', { token: drone, body: { deviceId: 'drone-03', source: 'drone_thermal', detections: oversize } })).status).toBe(400);
    expect((await api.call('POST', '/v1/detections', { token: drone, body: { deviceId: 'drone-03', source: 'drone_thermal', detections: [] } })).status).toBe(400);
    expect((await api.call('POST', '/v1/detections', { token: drone, body: { deviceId: 'drone-09', source: 'drone_thermal', detections: [detection('x', place)] } })).status).toBe(403);
    expect((await api.call('POST', '/v1/detections', { token: patrol, body: { deviceId: 'drone-03', source: 'drone_thermal', detections: [detection('x', place)] } })).status).toBe(403);
    expect((await api.call('POST', '/v1/detections', { token: drone, body: { deviceId: 'drone-03', source: 'satellite', detections: [detection('x', place)] } })).status).toBe(400);
    const key = { 'idempotency-key': `batch-${Date.now()}` };
    const body = { deviceId: 'drone-03', source: 'drone_thermal', detections: [detection(`k-${Date.now()}`, place)] };
    const first = await api.call('POST', '/v1/detections', { token: drone, body, headers: key });
    const replay = await api.call('POST', '/v1/detections', { token: drone, body, headers: key });
    expect(replay.body).toEqual(first.body);
    expect(first.body.results[0].status).toBe('accepted');
    expect(replay.headers.get('idempotency-replayed')).toBe('true');
  });
});

describe('a second case of the same person', () => {
  it('is offered to the desk and merged through the actions route; a patrol may not merge; two places 150 m apart are refused', async () => {
    const place = uniquePlace();
    const first = await api.call('POST', '/v1/detections', {
      token: drone, body: { deviceId: 'drone-03', source: 'fixed_thermal', detections: [detection(`m-${Date.now()}-a`, { ...place, accuracyM: 3 })] },
    });
    // The same person placed 70 m off by a precise fix: another case, offered as a merge.
    const second = await api.call('POST', '/v1/detections', {
      token: drone, body: { deviceId: 'drone-03', source: 'fixed_thermal', detections: [detection(`m-${Date.now()}-b`, { ...metresNorth(place, 70), accuracyM: 3 })] },
    });
    const [a, b] = [first.body.results[0].caseId as string, second.body.results[0].caseId as string];
    expect(b).not.toBe(a);
    const listed = await api.call('GET', `/v1/cases?bbox=${place.lon - 0.01},${place.lat - 0.01},${place.lon + 0.01},${place.lat + 0.01}`, { token: station });
    expect(listed.body.items.find((c: { caseId: string }) => c.caseId === b)?.mergeCandidates).toEqual([a]);

    const byPatrol = await api.call('POST', `/v1/cases/${b}/actions`, { token: patrol, body: { type: 'merge', with: a } });
    expect(byPatrol.status).toBe(403);
    const merged = await api.call('POST', `/v1/cases/${b}/actions`, { token: station, body: { type: 'merge', with: a } });
    expect(merged.status).toBe(200);
    expect(merged.body.case.caseId).toBe(a);
    expect(merged.body.entry).toMatchObject({ type: 'merged', from: b, into: a });
    expect((await caseOf(b))).toMatchObject({ status: 'closed', mergedInto: a });
    expect((await caseOf(a))).toMatchObject({ detectionCount: 2, mergedFrom: [b] });

    const far = await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody({ location: metresNorth(place, -150) }) });
    const refused = await api.call('POST', `/v1/cases/${far.body.caseId}/actions`, { token: station, body: { type: 'merge', with: a } });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/m apart/);
  });
});
