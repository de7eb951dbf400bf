import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/adapters/aws-clients';
import type { LocalStack } from '#local/runtime/local-stack';
import { DEMO_TEAMS } from '#local/runtime/demo';
import { DirectoryStore } from '#shared/store/directory-store';
import { dynamoEndpoint } from '../support/engines';
import { ApiClient, loadDemoDirectory, startTestStack, synthesizeForTest } from '../support/local-stack';

/** GET /v1/teams: whom a station can dispatch, without the directory's secrets. */
let stack: LocalStack;
let api: ApiClient;

beforeAll(async () => {
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates);
  api = new ApiClient(stack.url);
  await loadDemoDirectory();
  // A team whose chat robot's URL is a secret, and members the pages have no business seeing.
  const directory = new DirectoryStore(createDocumentClient(dynamoEndpoint()), process.env.TABLE_NAME!);
  await directory.put('team', { ...DEMO_TEAMS[1]!, notify: { channel: 'webhook', url: 'https://robot.example/secret-key' }, members: ['chen.jie'] });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('GET /v1/teams', () => {
  it('lists every team, on duty first, with name, station and location only', async () => {
    const station = await api.token({ role: 'station', sub: 'duty-nc', stationId: 'station-nc' });
    const { status, body } = await api.call('GET', '/v1/teams', { token: station });
    expect(status).toBe(200);
    const ids = body.items.map((t: { teamId: string }) => t.teamId);
    expect(ids).toEqual([...DEMO_TEAMS].sort((a, b) => Number(b.onDuty) - Number(a.onDuty) || a.teamId.localeCompare(b.teamId)).map((t) => t.teamId));
    expect(ids.at(-1)).toBe('team-04'); // the demo's team off duty
    const xihu = body.items.find((t: { teamId: string }) => t.teamId === 'team-02');
    expect(xihu).toEqual({ teamId: 'team-02', name: DEMO_TEAMS[1]!.name, stationId: 'station-nc', stationName: '南昌市救助管理站', onDuty: true, location: DEMO_TEAMS[1]!.location });
    expect(JSON.stringify(body)).not.toContain('secret-key');
  });

  it('answers patrols and coordinators; refuses devices and callers without a token', async () => {
    for (const who of [{ role: 'patrol', sub: 'li.wei', teamId: 'team-01' }, { role: 'coordinator', sub: 'zhao.min' }] as const) {
      expect((await api.call('GET', '/v1/teams', { token: await api.token(who) })).status).toBe(200);
    }
    const device = await api.token({ role: 'device', sub: 'drone-03', deviceId: 'drone-03' });
    expect((await api.call('GET', '/v1/teams', { token: device })).status).toBe(403);
    expect((await api.call('GET', '/v1/teams')).status).toBe(401);
  });
});
