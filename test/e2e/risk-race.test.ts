import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/runtime/local-stack';
import { DEFAULT_ACK_MINUTES } from '#shared/domain/alert-policy';
import { ApiClient, eventually, sightingBody, startTestStack, synthesizeForTest, uniquePlace, loadDemoDirectory } from '../support/local-stack';

/**
 * A rising risk must never be lost to timing. A camera-network lead opens a case at −6 °C, and 0–2 s later a patrol
 * reports an ill elderly man at the same spot: the report lands while the case is being triaged, alerted, or after.
 * Before the fix, reports that landed within about 300 ms of the lead left the case yellow (the grading, reading the
 * case before the report joined, wrote its older risk back) or red on a yellow case's 60-minute deadline (the join
 * raised the risk just after the alert went out, and nobody graded it again).
 */
let stack: LocalStack;
let api: ApiClient;
let patrol: string;
let coordinator: string;
let camera: string;

beforeAll(async () => {
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates);
  // The directory the access policy checks members against: the demo city's station and teams.
  await loadDemoDirectory();
  api = new ApiClient(stack.url);
  patrol = await api.token({ role: 'patrol', sub: 'li.wei', teamId: 'team-01' });
  coordinator = await api.token({ role: 'coordinator', sub: 'zhao.min' });
  camera = await api.token({ role: 'device', sub: 'skynet-gw-1', deviceId: 'skynet-gw-1' });
  const weather = await api.call('POST', '/v1/weather', {
    token: coordinator, body: { observedAt: new Date(Date.now() - 60_000).toISOString(), airTempC: -6, source: '市气象台' },
  });
  expect(weather.status).toBe(201);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const RED_WINDOW_MS = DEFAULT_ACK_MINUTES.red * 60_000;

/** One probe: the lead, then the patrol's report `delayMs` later; answers the case id. */
async function leadThenReport(index: number, delayMs: number): Promise<string> {
  const place = uniquePlace();
  const lead = await api.call('POST', '/v1/detections', {
    token: camera,
    body: {
      deviceId: 'skynet-gw-1', source: 'camera_ai',
      detections: [{ detectionId: `race-${index}-${Date.now()}`, observedAt: new Date(Date.now() - 20_000).toISOString(), location: place, confidence: 0.92 }],
    },
  });
  expect(lead.status).toBe(200);
  const caseId = lead.body.results[0].caseId as string;
  await sleep(delayMs);
  const report = await api.call('POST', '/v1/sightings', {
    token: patrol,
    body: sightingBody({
      location: { ...place, lat: place.lat + 5 / 111_320 }, place: { type: 'bridge', name: '朝阳大桥东引桥下' },
      people: [{ ageGroup: 'elderly', sex: 'male', conditions: ['ill'] }],
    }),
  });
  expect(report.status).toBe(201);
  expect(report.body.caseId).toBe(caseId);
  return caseId;
}

describe('a patrol report racing the triage of a device lead', () => {
  it('ends red on a red deadline however the report and the workflow interleave', async () => {
    // Fourteen probes, the report 0–1.95 s after its lead; run together, so the workflows and joins contend as on a busy night.
    const delays = Array.from({ length: 14 }, (_, i) => i * 150);
    const caseIds = await Promise.all(delays.map((delay, index) => leadThenReport(index, delay)));
    for (const caseId of caseIds) {
      const settled = await eventually(async () => {
        const c = (await api.call('GET', `/v1/cases/${caseId}`, { token: coordinator })).body;
        const window = c.alert ? Date.parse(c.alert.deadline) - Date.parse(c.alert.alertedAt) : Infinity;
        return c.status === 'alerted' && c.risk === 'red' && window <= RED_WINDOW_MS ? c : undefined;
      }, 20_000, `case ${caseId} red with a red deadline`);
      // Graded red by the workflow, not only marked red by the report's quick grade.
      const gradings = settled.timeline.filter((e: { type: string }) => e.type === 'triaged');
      expect(gradings.at(-1)).toMatchObject({ risk: 'red' });
      // The people asked know: either the alert itself was red, or a risk_raised message followed it.
      const told = settled.notifications.filter((n: { kind: string; risk: string }) =>
        (n.kind === 'alert' && n.risk === 'red') || n.kind === 'risk_raised');
      expect(told.length, JSON.stringify(settled.notifications)).toBeGreaterThan(0);
    }
  }, 90_000);
});
