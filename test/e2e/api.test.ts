import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '#local/runtime/local-issuer';
import type { LocalStack } from '#local/runtime/local-stack';
import { ApiClient, sightingBody, startTestStack, synthesizeForTest, loadDemoDirectory } from '../support/local-stack';

/** The contract's API as an outside client sees it, served by the local runtime from the synthesized template. */
let stack: LocalStack;
let api: ApiClient;
let patrol: string;
let coordinator: string;
let device: string;

const caseCount = async () => (await api.allCases(coordinator)).length;

beforeAll(async () => {
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates);
  // The directory the access policy checks members against: the demo city's station and teams.
  await loadDemoDirectory();
  api = new ApiClient(stack.url);
  patrol = await api.token({ role: 'patrol', sub: 'li.wei', teamId: 'team-01' });
  coordinator = await api.token({ role: 'coordinator', sub: 'zhao.min' });
  device = await api.token({ role: 'device', sub: 'drone-03', deviceId: 'drone-03' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('local mode', () => {
  it('answers /health once the engines, tables and buckets are up', async () => {
    const health = await api.call('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    expect(health.body.tables).toHaveLength(1);
    // The uploads bucket, and the bucket its access logs go to in the cloud.
    expect(health.body.buckets).toHaveLength(2);
  });

  it('issues dev tokens only for known roles', async () => {
    const bad = await api.call('POST', '/v1/dev/token', { body: { role: 'mayor', sub: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors[0].path).toBe('role');
  });
});

describe('authorization as the JWT authorizer does it', () => {
  it('refuses a missing, forged or expired token', async () => {
    expect((await api.call('GET', '/v1/cases')).status).toBe(401);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ 'cognito:groups': ['admin'] }).setProtectedHeader({ alg: 'RS256' })
      .setSubject('mallory').setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setIssuedAt().setExpirationTime('1h').sign(privateKey);
    expect((await api.call('GET', '/v1/cases', { token: forged })).status).toBe(401);
    const anHourAgo = new Date(Date.now() - 3600_000);
    const expired = await stack.issuer.issue({ role: 'coordinator', sub: 'x', expiresInSeconds: 60 }, anHourAgo);
    expect((await api.call('GET', '/v1/cases', { token: expired })).status).toBe(401);
    const valid = await stack.issuer.issue({ role: 'coordinator', sub: 'x', expiresInSeconds: 60 });
    expect((await api.call('GET', '/v1/cases', { token: valid })).status).toBe(200);
    const tampered = `${patrol.slice(0, -4)}AAAA`;
    expect((await api.call('GET', '/v1/cases', { token: tampered })).status).toBe(401);
  });

  it('refuses a role the route does not allow, with a problem response', async () => {
    const r = await api.call('POST', '/v1/sightings', { token: device, body: sightingBody() });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ type: '/problems/forbidden', status: 403 });
    expect((await api.call('GET', '/v1/cases', { token: device })).status).toBe(403);
  });
});

describe('POST /v1/sightings', () => {
  it('creates a case and answers as the contract says', async () => {
    const r = await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody({ teamId: 'team-01' }) });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ sightingId: expect.any(String), caseId: expect.stringMatching(/^case-/), caseCreated: true, risk: 'red' });
    expect(r.headers.get('location')).toBe(`/v1/cases/${r.body.caseId}`);
  });

  it('honours Idempotency-Key: a retry returns the first response and creates nothing; another body is 409', async () => {
    const body = sightingBody({ note: 'idempotency check' });
    const headers = { 'idempotency-key': `retry-${Date.now()}` };
    const before = await caseCount();
    const first = await api.call('POST', '/v1/sightings', { token: patrol, body, headers });
    const again = await api.call('POST', '/v1/sightings', { token: patrol, body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    const different = await api.call('POST', '/v1/sightings', { token: patrol, body: { ...body, note: 'something else' }, headers });
    expect(different.status).toBe(409);
    expect(await caseCount()).toBe(before + 1);
  });

  it('refuses bad input with a clear problem and stores nothing', async () => {
    const before = await caseCount();
    const cases: [string, Parameters<ApiClient['call']>[2], number, string][] = [
      ['broken JSON', { token: patrol, rawBody: '{"observedAt": ' }, 400, '/problems/malformed-json'],
      ['wrong types', { token: patrol, body: sightingBody({ people: 'two' }) }, 400, '/problems/invalid-request'],
      ['impossible coordinates', { token: patrol, body: sightingBody({ location: { lat: 95, lon: 200 } }) }, 400, '/problems/invalid-request'],
      ['no offset', { token: patrol, body: sightingBody({ observedAt: '2026-01-12T22:41:00' }) }, 400, '/problems/invalid-request'],
      ['far future', { token: patrol, body: sightingBody({ observedAt: '2099-01-01T00:00:00+08:00' }) }, 400, '/problems/invalid-request'],
      ['unknown field', { token: patrol, body: sightingBody({ mood: 'calm' }) }, 400, '/problems/invalid-request'],
      ['oversize note', { token: patrol, body: sightingBody({ note: 'x'.repeat(2001) }) }, 400, '/problems/invalid-request'],
      ['21 people', { token: patrol, body: sightingBody({ people: Array.from({ length: 21 }, () => ({ ageGroup: 'adult' })) }) }, 400, '/problems/invalid-request'],
      ['not JSON', { token: patrol, rawBody: 'hello', headers: { 'content-type': 'text/plain' } }, 415, '/problems/unsupported-media-type'],
      ['another team', { token: patrol, body: sightingBody({ teamId: 'team-09' }) }, 403, '/problems/forbidden'],
      ['long idempotency key', { token: patrol, body: sightingBody(), headers: { 'idempotency-key': 'k'.repeat(129) } }, 400, '/problems/invalid-request'],
    ];
    for (const [what, options, status, type] of cases) {
      const r = await api.call('POST', '/v1/sightings', options);
      expect({ what, status: r.status, type: r.body?.type }).toEqual({ what, status, type });
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.detail.length).toBeGreaterThan(10);
    }
    const validation = await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody({ location: { lat: 95, lon: 115 } }) });
    expect(validation.body.errors).toEqual([{ path: 'location.lat', message: expect.stringContaining('90') }]);
    expect(await caseCount()).toBe(before);
  });
});

describe('cases', () => {
  it('lists with filters and a cursor, and shows the detail with its timeline', async () => {
    const created = [];
    for (let i = 0; i < 3; i += 1) {
      created.push((await api.call('POST', '/v1/sightings', {
        token: coordinator, body: sightingBody({ location: { lat: 30.5 + i * 0.001, lon: 114.3 } }),
      })).body.caseId as string);
    }
    const inBox = await api.call('GET', '/v1/cases?bbox=114.29,30.49,114.31,30.51&limit=2', { token: coordinator });
    expect(inBox.status).toBe(200);
    expect(inBox.body.items).toHaveLength(2);
    expect(inBox.body.nextCursor).toEqual(expect.any(String));
    const rest = await api.call('GET', `/v1/cases?bbox=114.29,30.49,114.31,30.51&limit=2&cursor=${inBox.body.nextCursor}`, { token: coordinator });
    const seen = [...inBox.body.items, ...rest.body.items].map((c: { caseId: string }) => c.caseId);
    expect(new Set(seen)).toEqual(new Set(created));
    expect(inBox.body.items[0]).toEqual(expect.objectContaining({
      caseId: expect.any(String), status: expect.any(String), risk: expect.any(String), location: expect.any(Object),
      placeType: 'bridge', openedAt: expect.any(String), updatedAt: expect.any(String), sightingCount: 1, detectionCount: 0,
    }));

    const detail = await api.call('GET', `/v1/cases/${created[0]}`, { token: patrol });
    expect(detail.status).toBe(200);
    expect(detail.body.timeline[0]).toMatchObject({ type: 'opened', actor: { sub: 'zhao.min', role: 'coordinator' } });
    expect(detail.body.sightings).toHaveLength(1);
    expect(detail.body.detections).toEqual([]);
    expect(detail.body.photos).toEqual([]);
    expect(detail.body.wait).toBeUndefined();

    const bad = await api.call('GET', '/v1/cases?bbox=1,2,3&limit=900', { token: coordinator });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['query.bbox', 'query.limit']);
    expect((await api.call('GET', '/v1/cases?cursor=bm9wZQ', { token: coordinator })).status).toBe(400);
    expect((await api.call('GET', '/v1/cases/case-01ARZ3NDEKTSV4RRFFQ69G5FAV', { token: coordinator })).status).toBe(404);
    expect((await api.call('GET', '/v1/cases/not-a-case', { token: coordinator })).status).toBe(400);
  });

  it('takes actions the status allows, records who, and refuses the rest with the reason', async () => {
    const { caseId } = (await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody() })).body;
    const note = await api.call('POST', `/v1/cases/${caseId}/actions`, { token: coordinator, body: { type: 'note', text: '已通知120待命' } });
    expect(note.status).toBe(200);
    expect(note.body.entry).toMatchObject({ type: 'note', text: '已通知120待命', actor: { sub: 'zhao.min', role: 'coordinator' } });

    const coordinatorAck = await api.call('POST', `/v1/cases/${caseId}/actions`, { token: coordinator, body: { type: 'acknowledge' } });
    expect(coordinatorAck.status).toBe(403);
    const discharge = await api.call('POST', `/v1/cases/${caseId}/actions`, {
      token: await api.token({ role: 'station', sub: 's1', stationId: 'station-nc' }), body: { type: 'discharge', reason: 'x' },
    });
    expect(discharge.status).toBe(409);
    expect(discharge.body.detail).toMatch(/cannot discharge/);
    const unknown = await api.call('POST', `/v1/cases/${caseId}/actions`, { token: patrol, body: { type: 'teleport' } });
    expect(unknown.status).toBe(400);
    const missing = await api.call('POST', `/v1/cases/${caseId}/actions`, { token: patrol, body: { type: 'resolve' } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].path).toBe('outcome');

    const detail = await api.call('GET', `/v1/cases/${caseId}`, { token: patrol });
    expect(detail.body.timeline.filter((e: { type: string }) => e.type === 'discharged')).toEqual([]);
  });
});
