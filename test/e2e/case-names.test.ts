import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/runtime/local-stack';
import { ApiClient, eventually, loadDemoDirectory, sightingBody, startTestStack, synthesizeForTest } from '../support/local-stack';

/**
 * One name for a case, the best one: a machine's lead is named after the known hot spot it is near, with the
 * district; a person's report that names the place renames it, and its place type replaces the machine's "other";
 * every message carries that name. The people of a case keep the most specific description of every report.
 */
let stack: LocalStack;
let api: ApiClient;
let camera: string;
let patrol: string;
let coordinator: string;

beforeAll(async () => {
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates);
  await loadDemoDirectory();
  api = new ApiClient(stack.url);
  camera = await api.token({ role: 'device', sub: 'skynet-gw-2', deviceId: 'skynet-gw-2' });
  patrol = await api.token({ role: 'patrol', sub: 'chen.jun', teamId: 'team-02' });
  coordinator = await api.token({ role: 'coordinator', sub: 'wang.coord' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const detailOf = async (caseId: string) => (await api.call('GET', `/v1/cases/${caseId}`, { token: coordinator })).body;
/** 20 m south of a hot spot of the demo city: 朝阳大桥东引桥 (西湖区). */
const UNDER_CHAOYANG_BRIDGE = { lat: 28.6403 - 20 / 111_320, lon: 115.8722, accuracyM: 15 };

async function cameraLead(location: { lat: number; lon: number; accuracyM?: number }) {
  const response = await api.call('POST', '/v1/detections', {
    token: camera,
    body: {
      deviceId: 'skynet-gw-2', source: 'camera_ai',
      detections: [{ detectionId: `name-${Date.now()}-${Math.random()}`, observedAt: new Date(Date.now() - 30_000).toISOString(), location, confidence: 0.9 }],
    },
  });
  expect(response.status).toBe(200);
  return response.body.results[0].caseId as string;
}

describe('the name of a case', () => {
  it("is the nearest hot spot's, with its district, for a lead no person named; a report naming the place renames it everywhere", async () => {
    const caseId = await cameraLead(UNDER_CHAOYANG_BRIDGE);
    const named = await eventually(async () => {
      const c = await detailOf(caseId);
      return c.status === 'alerted' ? c : undefined;
    }, 15_000, 'the alert');
    expect(named).toMatchObject({ placeName: '西湖区 · 朝阳大桥东引桥附近', placeNameSource: 'nearby', placeType: 'other' });
    expect(named.notifications.find((n: { kind: string }) => n.kind === 'alert').text).toContain('朝阳大桥东引桥附近');
    expect(named.notifications[0].text).not.toContain(caseId);

    const report = await api.call('POST', '/v1/sightings', {
      token: patrol,
      body: sightingBody({
        location: UNDER_CHAOYANG_BRIDGE, place: { type: 'bridge', name: '朝阳大桥东引桥下' },
        people: [{ ageGroup: 'elderly', sex: 'male', conditions: ['inadequate_clothing'] }],
      }),
    });
    expect(report.body).toMatchObject({ caseId, caseCreated: false });
    const renamed = await detailOf(caseId);
    expect(renamed).toMatchObject({ placeName: '朝阳大桥东引桥下', placeNameSource: 'report', placeType: 'bridge', placeTypeSource: 'sighting' });
    const listed = (await api.call('GET', '/v1/cases?limit=500', { token: coordinator })).body.items.find((c: { caseId: string }) => c.caseId === caseId);
    expect(listed).toMatchObject({ placeName: '朝阳大桥东引桥下', placeType: 'bridge' });

    // A later report with another name, or none, or a vaguer description, changes neither the name nor who is there.
    await api.call('POST', '/v1/sightings', {
      token: patrol,
      body: sightingBody({ location: UNDER_CHAOYANG_BRIDGE, place: { type: 'street', name: '桥边' }, people: [{ ageGroup: 'unknown' }] }),
    });
    const after = await detailOf(caseId);
    expect(after).toMatchObject({ placeName: '朝阳大桥东引桥下', placeType: 'bridge' });
    expect(after.people).toEqual([{ ageGroup: 'elderly', sex: 'male', conditions: ['inadequate_clothing'] }]);
  });

  it('stays unnamed far from every known place, and the pages name it by its coordinates', async () => {
    const caseId = await cameraLead({ lat: 28.55, lon: 116.2, accuracyM: 15 });
    const c = await eventually(async () => {
      const detail = await detailOf(caseId);
      return detail.status === 'alerted' ? detail : undefined;
    }, 15_000, 'the alert');
    expect(c.placeName).toBeUndefined();
  });
});

/** A new case reported by the patrol, once its workflow has alerted someone (an arrival is refused before). */
async function alertedCase() {
  const created = await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody() });
  return eventually(async () => {
    const c = await detailOf(created.body.caseId);
    return c.status === 'alerted' ? c : undefined;
  }, 15_000, 'the alert');
}

describe('an arrival', () => {
  it('keeps its distance from the case on the timeline, and marks one beyond 300 m far', async () => {
    const { caseId, location: where } = await alertedCase();
    const kmAway = { lat: where.lat + 3_200 / 111_320, lon: where.lon };
    const arrived = await api.call('POST', `/v1/cases/${caseId}/actions`, { token: patrol, body: { type: 'arrive', location: kmAway } });
    expect(arrived.status).toBe(200);
    expect(arrived.body.entry).toMatchObject({ type: 'arrived', far: true });
    expect(arrived.body.entry.distanceM).toBeGreaterThan(3_150);
    expect(arrived.body.entry.distanceM).toBeLessThan(3_250);

    const nearCase = await alertedCase();
    const close = await api.call('POST', `/v1/cases/${nearCase.caseId}/actions`, {
      token: patrol, body: { type: 'arrive', location: { lat: nearCase.location.lat + 30 / 111_320, lon: nearCase.location.lon } },
    });
    expect(close.body.entry.far).toBeUndefined();
    expect(close.body.entry.distanceM).toBe(30);
  });
});

describe('a report from a phone without a fix, and a phone shared by two members', () => {
  it('takes a report placed by a typed address at its district (an honest accuracy of kilometres): it opens a case of its own', async () => {
    const near = await alertedCase();
    // Placed by hand at 西湖区's centre with the district's radius, though it is in fact 30 m from the case above.
    const placed = await api.call('POST', '/v1/sightings', {
      token: patrol,
      body: sightingBody({
        location: { lat: near.location.lat + 30 / 111_320, lon: near.location.lon, accuracyM: 5_700 },
        place: { type: 'underpass', name: '抚河北路与中山路交叉口东南角（西湖区）' },
        note: '（位置为手动填写：抚河北路与中山路交叉口东南角（西湖区），未经定位）',
      }),
    });
    expect(placed.status).toBe(201);
    expect(placed.body.caseCreated).toBe(true);
    expect(placed.body.caseId).not.toBe(near.caseId);
    expect((await detailOf(placed.body.caseId)).placeName).toBe('抚河北路与中山路交叉口东南角（西湖区）');
  });

  it("keeps each member's idempotency keys theirs: the same key from another member on the same phone is another report", async () => {
    const other = await api.token({ role: 'patrol', sub: 'zhou.member', teamId: 'team-02' });
    const body = sightingBody();
    const key = `phone-outbox-${Date.now()}`;
    const mine = await api.call('POST', '/v1/sightings', { token: patrol, body, headers: { 'Idempotency-Key': key } });
    const again = await api.call('POST', '/v1/sightings', { token: patrol, body, headers: { 'Idempotency-Key': key } });
    const theirs = await api.call('POST', '/v1/sightings', { token: other, body, headers: { 'Idempotency-Key': key } });
    expect([mine.status, again.status, theirs.status]).toEqual([201, 201, 201]);
    expect(again.body.sightingId).toBe(mine.body.sightingId);
    expect(theirs.body.sightingId).not.toBe(mine.body.sightingId);
  });
});
