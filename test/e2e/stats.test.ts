import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/runtime/local-stack';
import { ApiClient, eventually, sightingBody, startTestStack, synthesizeForTest, uniquePlace, loadDemoDirectory } from '../support/local-stack';

/** GET /v1/stats through the local API: reports, actions and the workflow as they happen, then the figures. */
let stack: LocalStack;
let api: ApiClient;
let patrol: string;
let coordinator: string;
let station: string;
let drone: string;

interface ApiCase { caseId: string; status: string; risk: string; openedAt: string; acknowledgedAt?: string; resolvedAt?: string; outcome?: string }

const UNRESOLVED = ['open', 'alerted', 'acknowledged', 'on_scene'];
const caseOf = async (caseId: string): Promise<ApiCase> => (await api.call('GET', `/v1/cases/${caseId}`, { token: coordinator })).body;
const statusOf = async (caseId: string, status: string) =>
  eventually(async () => ((await caseOf(caseId)).status === status ? true : undefined), 20_000, `case ${caseId} to be ${status}`);
const stats = (query: Record<string, string>, token = coordinator) =>
  api.call('GET', `/v1/stats?${new URLSearchParams(query).toString()}`, { token });
const detection = (id: string, location: { lat: number; lon: number }) => ({
  detectionId: id, observedAt: new Date(Date.now() - 30_000).toISOString(), location, confidence: 0.9,
});
const countBy = (cases: ApiCase[], key: 'status' | 'risk', keys: readonly string[]) =>
  Object.fromEntries(keys.map((k) => [k, cases.filter((c) => c[key] === k).length]));
const minutes = (c: ApiCase, step: 'acknowledgedAt' | 'resolvedAt') => (Date.parse(c[step]!) - Date.parse(c.openedAt)) / 60_000;
const tenth = (n: number) => Math.round(n * 10) / 10;

beforeAll(async () => {
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates);
  // The directory the access policy checks members against: the demo city's station and teams.
  await loadDemoDirectory();
  api = new ApiClient(stack.url);
  patrol = await api.token({ role: 'patrol', sub: 'li.wei', teamId: 'team-01' });
  coordinator = await api.token({ role: 'coordinator', sub: 'zhao.min' });
  station = await api.token({ role: 'station', sub: 'duty-officer', stationId: 'station-nc' });
  drone = await api.token({ role: 'device', sub: 'drone-03', deviceId: 'drone-03' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('GET /v1/stats', () => {
  it('counts the reports by source, the cases, their outcomes and minutes, of the window; and the red cases open now', async () => {
    const from = new Date().toISOString();
    // b: a patrol's sighting, a coordinator's, two drone frames; acknowledged and resolved.
    const there = uniquePlace();
    const b = (await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody({ location: there }) })).body.caseId as string;
    expect((await api.call('POST', '/v1/sightings', { token: coordinator, body: sightingBody({ location: there }) })).body.caseId).toBe(b);
    const frames = await api.call('POST', '/v1/detections', {
      token: drone, body: { deviceId: 'drone-03', source: 'drone_thermal', detections: [detection('s-1', there), detection('s-2', there)] },
    });
    expect(frames.body.results.map((r: { caseId: string }) => r.caseId)).toEqual([b, b]);
    // c: opened by a camera's three detections (sent by the coordinator for it).
    const elsewhere = uniquePlace();
    const camera = await api.call('POST', '/v1/detections', {
      token: coordinator,
      body: { deviceId: 'cam-07', source: 'camera_ai', detections: [detection('c-1', elsewhere), detection('c-2', elsewhere), detection('c-3', elsewhere)] },
    });
    const c = camera.body.results[0].caseId as string;
    // d: a patrol's sighting, acknowledged.
    const d = (await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody() })).body.caseId as string;

    expect((await api.call('POST', `/v1/cases/${b}/actions`, { token: patrol, body: { type: 'acknowledge' } })).status).toBe(200);
    expect((await api.call('POST', `/v1/cases/${d}/actions`, { token: patrol, body: { type: 'acknowledge' } })).status).toBe(200);
    const resolved = await api.call('POST', `/v1/cases/${b}/actions`, {
      token: patrol, body: { type: 'resolve', outcome: 'medical_handover', handover: { to: '120 急救车' } },
    });
    expect(resolved.status).toBe(200);
    // Let the workflow settle: a handed-over case closes, c is alerted, d waits for the team to arrive.
    await statusOf(b, 'closed');
    await statusOf(c, 'alerted');
    await statusOf(d, 'acknowledged');
    const to = new Date(Date.now() + 1).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = (await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody() })).body.caseId as string;

    const response = await stats({ from, to });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const figures = response.body;
    const inWindow = await Promise.all([b, c, d].map(caseOf));
    expect(figures).toMatchObject({ from, to, generatedAt: expect.any(String) });
    expect(figures.reports).toEqual({
      sightings: { total: 3, bySource: { patrol: 2, public: 0, coordinator: 1 } },
      detections: { total: 5, bySource: { drone_thermal: 2, fixed_thermal: 0, camera_ai: 3, city_management: 0 } },
    });
    expect(figures.cases).toEqual({
      opened: 3,
      byStatus: { unverified: 0, open: 0, alerted: 1, acknowledged: 1, on_scene: 0, resolved: 0, in_station: 0, closed: 1 },
      byRisk: countBy(inWindow, 'risk', ['red', 'orange', 'yellow', 'blue']),
      byLeadSource: { patrol: 2, public: 0, coordinator: 0, drone_thermal: 0, fixed_thermal: 0, camera_ai: 1, city_management: 0 },
    });
    expect(figures.outcomes).toMatchObject({ medical_handover: 1 });
    expect(Object.values(figures.outcomes).reduce((sum: number, n) => sum + (n as number), 0)).toBe(1);
    const [acknowledgedB, acknowledgedD] = [minutes(inWindow[0]!, 'acknowledgedAt'), minutes(inWindow[2]!, 'acknowledgedAt')];
    expect(figures.minutes).toEqual({
      openedToAcknowledged: {
        count: 2, medianMinutes: tenth((acknowledgedB + acknowledgedD) / 2), p90Minutes: tenth(Math.max(acknowledgedB, acknowledgedD)),
      },
      openedToResolved: { count: 1, medianMinutes: tenth(minutes(inWindow[0]!, 'resolvedAt')), p90Minutes: tenth(minutes(inWindow[0]!, 'resolvedAt')) },
    });
    // Every case of this stack, whenever opened: the later one too.
    const everyCase = await Promise.all((await api.allCases(coordinator)).map((x) => caseOf(x.caseId)));
    expect(figures.openRed).toBe(everyCase.filter((x) => x.risk === 'red' && UNRESOLVED.includes(x.status)).length);
    // Under two days: by the hour, every hour of the window listed, all three cases in them.
    expect(figures.series.bucket).toBe('hour');
    expect(figures.series.points.length).toBeGreaterThanOrEqual(1);
    expect(figures.series.points.reduce((sum: number, p: { opened: number }) => sum + p.opened, 0)).toBe(3);
    expect(figures.series.points.reduce((sum: number, p: { acknowledged: number }) => sum + p.acknowledged, 0)).toBe(2);

    // The window selects by opening: from `to` on, only the later case; the default window (the last day) has all four.
    const after = (await stats({ from: to })).body;
    expect(after.cases.opened).toBe(1);
    expect(after.cases.byLeadSource.patrol).toBe(1);
    expect(after.reports.sightings.total).toBe(1);
    expect((await caseOf(later)).openedAt >= to).toBe(true);
    const lastDay = await stats({}, station);
    expect(lastDay.status).toBe(200);
    expect(lastDay.body.cases.opened).toBe(4);
    expect(lastDay.body.series.points).toHaveLength(25);
    // Shanghai days on request: a window of two Shanghai days has two points, from their midnights.
    const days = (await stats({ from: '2026-01-11T00:00:00+08:00', to: '2026-01-13T00:00:00+08:00', bucket: 'day' })).body;
    expect(days.series.points.map((p: { start: string }) => p.start)).toEqual(['2026-01-10T16:00:00.000Z', '2026-01-11T16:00:00.000Z']);
  }, 90_000);

  it('refuses a window that is not one, naming the parameter', async () => {
    const problem = async (query: Record<string, string>, path: string) => {
      const response = await stats(query);
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.errors.map((e: { path: string }) => e.path), JSON.stringify(response.body)).toContain(path);
      return response.body.detail as string;
    };
    expect(await problem({ from: 'yesterday' }, 'query.from')).toMatch(/RFC 3339/);
    expect(await problem({ to: '2026-01-12T00:00:00' }, 'query.to')).toMatch(/RFC 3339/);
    expect(await problem({ bucket: 'week' }, 'query.bucket')).toBeTruthy();
    expect(await problem({ since: '2026-01-12T00:00:00Z' }, 'query.since')).toBeTruthy();
    expect(await problem({ from: '2026-01-12T00:00:00Z', to: '2026-01-12T00:00:00Z' }, 'query.from')).toMatch(/must be before to/);
    expect(await problem({ from: '2026-01-12T00:00:00Z', to: '2026-01-11T00:00:00Z' }, 'query.from')).toMatch(/must be before to/);
    expect(await problem({ from: '2025-06-01T00:00:00+08:00', to: '2026-01-01T00:00:00+08:00' }, 'query.from')).toMatch(/at most 200 days/);
    expect(await problem({ from: '2025-12-01T00:00:00+08:00', to: '2026-01-12T00:00:00+08:00', bucket: 'hour' }, 'query.bucket')).toMatch(/bucket=day/);
    // The future is a fine end for a window.
    expect((await stats({ to: new Date(Date.now() + 86_400_000).toISOString() })).status).toBe(200);
  });

  it('is for coordinators and stations: patrol members and devices are refused', async () => {
    for (const token of [patrol, drone]) {
      const response = await stats({}, token);
      expect(response.status).toBe(403);
      expect(response.body.detail).toMatch(/coordinator, station/);
    }
    expect((await api.call('GET', '/v1/stats')).status).toBe(401);
  });
});
