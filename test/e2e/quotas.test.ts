import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/runtime/local-stack';
import { DEMO_HELP_POINT_KEY } from '#local/runtime/demo';
import { ApiClient, loadDemoDirectory, startTestStack, synthesizeForTest } from '../support/local-stack';

/**
 * Quotas on new cases (contract v1.1): a help point opens at most 20 an hour, a device at most 300. Here they are
 * set to 2 and 3 (the same settings a deployment changes) so a flood is a few requests. Past the quota a request
 * stores nothing and answers 429 with Retry-After (Open311: its own error form); in a detections batch the refused
 * detections are rejected with the reason and the others land; reports that join an existing case are never refused.
 */
process.env.QUOTA_HELP_POINT_CASES_PER_HOUR = '2';
process.env.QUOTA_DEVICE_CASES_PER_HOUR = '3';

let stack: LocalStack;
let api: ApiClient;
let coordinator: string;
let device: string;

beforeAll(async () => {
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates);
  await loadDemoDirectory();
  api = new ApiClient(stack.url);
  coordinator = await api.token({ role: 'coordinator', sub: 'quota.check' });
  device = await api.token({ role: 'device', sub: 'drone-07', deviceId: 'drone-07' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

/** Places 200 m apart, far from the demo's: each one a new case. */
let place = 0;
const newPlace = () => {
  place += 1;
  return { lat: 28.5500 + place * 0.0018, lon: 115.7000, accuracyM: 8 };
};
const detection = (id: string, location: { lat: number; lon: number }) =>
  ({ detectionId: id, observedAt: new Date(Date.now() - 30_000).toISOString(), location, confidence: 0.9 });
const postDetections = (detections: unknown[], headers: Record<string, string> = {}) =>
  api.call('POST', '/v1/detections', { token: device, body: { deviceId: 'drone-07', source: 'drone_thermal', detections }, headers });
const caseCount = async () => (await api.allCases(coordinator)).length;

describe("a device's quota of new cases", () => {
  it('lands the detections within the quota and rejects the rest with the reason, in one 200', async () => {
    const places = Array.from({ length: 5 }, newPlace);
    const before = await caseCount();
    const answer = await postDetections(places.map((p, i) => detection(`flood-a-${i}`, p)));
    expect(answer.status).toBe(200);
    const statuses = answer.body.results.map((r: { status: string }) => r.status);
    expect(statuses.filter((s: string) => s === 'accepted')).toHaveLength(3);
    const refused = answer.body.results.filter((r: { status: string }) => r.status === 'rejected');
    expect(refused).toHaveLength(2);
    expect(refused[0].error).toMatch(/^quota: device#drone-07 has opened 3 new cases this hour/);
    expect(await caseCount()).toBe(before + 3);

    // A detection of a place that already has a case joins it: never refused.
    const accepted = answer.body.results.find((r: { status: string }) => r.status === 'accepted');
    const at = places[statuses.indexOf('accepted')]!;
    const join = await postDetections([detection('flood-a-join', { ...at, lat: at.lat + 3 / 111_320 })]);
    expect(join.body.results[0]).toMatchObject({ status: 'accepted', caseId: accepted.caseId });
  });

  it('answers 429 with Retry-After when nothing could land, and stores nothing, not even under its Idempotency-Key', async () => {
    const before = await caseCount();
    const key = `flood-b-${Date.now()}`;
    const refused = await postDetections([detection('flood-b-0', newPlace()), detection('flood-b-1', newPlace())], { 'Idempotency-Key': key });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3_600);
    expect(refused.body).toMatchObject({ status: 429, type: '/problems/too-many-requests' });
    expect(await caseCount()).toBe(before);
    // Nothing was recorded under the key: the same request is tried again (and refused again), not replayed.
    const again = await postDetections([detection('flood-b-0', newPlace()), detection('flood-b-1', newPlace())], { 'Idempotency-Key': key });
    expect(again.status).toBe(429);
    expect(again.headers.get('idempotency-replayed')).toBeNull();
  });
});

describe("a help point's quota of new cases (Open311)", () => {
  const tip = (location: { lat: number; lon: number }) => new URLSearchParams({
    api_key: DEMO_HELP_POINT_KEY, service_code: 'person_in_need', lat: location.lat.toFixed(6), long: location.lon.toFixed(6),
    description: '桥洞里有人，衣着单薄',
  }).toString();
  const postTip = (location: { lat: number; lon: number }) => fetch(`${stack.url}/open311/v2/requests.json`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: tip(location),
  });

  it('files tips up to the quota, then answers 429 in Open311\'s error form, and still takes a tip about a known case', async () => {
    const first = newPlace();
    for (const location of [first, newPlace()]) expect((await postTip(location)).status).toBe(201);
    const before = await caseCount();
    const refused = await postTip(newPlace());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const errors = await refused.json() as { code: number; description: string }[];
    expect(errors).toEqual([{ code: 429, description: expect.stringContaining('help_point#hp-bayi-square has opened 2 new cases this hour') }]);
    expect(await caseCount()).toBe(before);

    // Someone else reports the first place again: it joins the case there.
    expect((await postTip({ ...first, lat: first.lat + 5 / 111_320 })).status).toBe(201);
    expect(await caseCount()).toBe(before);
  });
});
