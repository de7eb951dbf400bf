import { AdminCreateUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/runtime/local-stack';
import { ApiClient, loadDemoDirectory, sightingBody, startTestStack, synthesizeForTest } from '../support/local-stack';

/**
 * Onboarding through the API: an admin adds a station, a team for it and a help point (its key shown once, used,
 * rotated, the old one refused, revoked), a coordinator reads the directory and its audit trail, and bad input is a
 * 4xx that stores nothing.
 */
let stack: LocalStack;
let api: ApiClient;
let admin: string;
let coordinator: string;
const run = Date.now().toString(36);

beforeAll(async () => {
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates);
  await loadDemoDirectory();
  api = new ApiClient(stack.url);
  admin = await api.token({ role: 'admin', sub: 'admin.wang' });
  coordinator = await api.token({ role: 'coordinator', sub: 'li.coord' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

/** An Open311 tip as a help point's kiosk files it. */
const tip = (apiKey: string) => fetch(`${stack.url}/open311/v2/requests.json`, {
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ service_code: 'person_in_need', lat: '28.7012', long: '115.8411', description: '路边有位老人躺着，穿得很少', api_key: apiKey }).toString(),
});

describe('onboarding a station, a team and a help point', () => {
  const stationId = `station-${run}`;
  const station = {
    stationId, name: '新建区救助站', location: { lat: 28.69, lon: 115.82 }, districts: ['新建区'], phone: '0791-83000000',
    notify: { channel: 'webhook', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-key' },
  };

  it('lets an admin add a station (and only an admin); a coordinator reads it, without its webhook URL', async () => {
    expect((await api.call('POST', '/v1/stations', { token: coordinator, body: station })).status).toBe(403);
    const created = await api.call('POST', '/v1/stations', { token: admin, body: station });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ stationId, name: '新建区救助站', notify: { channel: 'webhook' } });
    expect(JSON.stringify(created.body)).not.toContain('secret-key');
    expect((await api.call('POST', '/v1/stations', { token: admin, body: station })).status).toBe(409);
    const listed = await api.call('GET', '/v1/stations', { token: coordinator });
    expect(listed.body.items.find((s: { stationId: string }) => s.stationId === stationId)).toMatchObject({ districts: ['新建区'], notify: { channel: 'webhook' } });
    expect(JSON.stringify(listed.body)).not.toContain('secret-key');
    const patrol = await api.token({ role: 'patrol', sub: 'chen.jie', teamId: 'team-01' });
    expect((await api.call('GET', '/v1/stations', { token: patrol })).status).toBe(403);
  });

  it('refuses a team for a station that does not exist, storing nothing; adds one for a station that does', async () => {
    const team = { teamId: `team-${run}`, name: '新建区联合巡查一队', stationId: 'station-nowhere', location: { lat: 28.7, lon: 115.83 }, onDuty: true };
    const refused = await api.call('POST', '/v1/teams', { token: admin, body: team });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]).toMatchObject({ path: 'stationId' });
    expect((await api.call('GET', '/v1/teams', { token: coordinator })).body.items.some((t: { teamId: string }) => t.teamId === team.teamId)).toBe(false);

    const created = await api.call('POST', '/v1/teams', { token: admin, body: { ...team, stationId } });
    expect(created.status).toBe(201);
    const teams = (await api.call('GET', '/v1/teams', { token: coordinator })).body.items;
    expect(teams.find((t: { teamId: string }) => t.teamId === team.teamId)).toMatchObject({ stationId, stationName: '新建区救助站', onDuty: true });
    const moved = await api.call('PUT', `/v1/teams/${team.teamId}`, { token: admin, body: { ...team, stationId, onDuty: false, members: ['zhao.lei'] } });
    expect(moved.status).toBe(200);
    // Read back whole, to edit: its members and its channel's kind (a coordinator may read it; a patrol may not).
    expect((await api.call('GET', `/v1/teams/${team.teamId}`, { token: coordinator })).body).toMatchObject({ teamId: team.teamId, stationId, onDuty: false, members: ['zhao.lei'] });
    expect((await api.call('GET', '/v1/teams/team-nobody', { token: coordinator })).status).toBe(404);
    const patrol = await api.token({ role: 'patrol', sub: 'chen.jie', teamId: 'team-01' });
    expect((await api.call('GET', `/v1/teams/${team.teamId}`, { token: patrol })).status).toBe(403);
    const { teamId: _id, ...replacement } = team;
    expect((await api.call('PUT', '/v1/teams/team-nobody', { token: admin, body: { ...replacement, stationId } })).status).toBe(404);
    // The body may repeat its own id, never another's.
    expect((await api.call('PUT', `/v1/teams/${team.teamId}`, { token: admin, body: { ...team, teamId: 'team-01', stationId } })).status).toBe(400);
  });

  it("issues a help point's key once; the key files tips; rotated, the old key stops at once; revoked, none works", async () => {
    const helpPointId = `hp-${run}`;
    const body = { helpPointId, name: '新建区长堎求助点', stationId, location: { lat: 28.7012, lon: 115.8411 } };
    const { location: _none, ...withoutLocation } = body;
    const noPlace = await api.call('POST', '/v1/help-points', { token: admin, body: withoutLocation });
    expect(noPlace.status).toBe(400);
    expect(noPlace.body.errors[0].path).toBe('location');

    const created = await api.call('POST', '/v1/help-points', { token: admin, body });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const firstKey = created.body.apiKey as string;
    expect(firstKey).toMatch(/^hp_[A-Za-z0-9_-]{40,}$/);
    expect((await api.call('POST', '/v1/help-points', { token: admin, body })).status).toBe(409);
    const listed = (await api.call('GET', '/v1/help-points', { token: coordinator })).body.items.find((h: { helpPointId: string }) => h.helpPointId === helpPointId);
    expect(listed).toEqual({ ...body, keyActive: true });

    expect((await tip(firstKey)).status).toBe(201);
    const rotated = await api.call('POST', `/v1/help-points/${helpPointId}/rotate-key`, { token: admin });
    expect(rotated.status).toBe(200);
    const secondKey = rotated.body.apiKey as string;
    expect(secondKey).not.toBe(firstKey);
    expect((await tip(firstKey)).status).toBe(403);
    expect((await tip(secondKey)).status).toBe(201);

    const revoked = await api.call('POST', `/v1/help-points/${helpPointId}/revoke-key`, { token: admin });
    expect(revoked.body).toMatchObject({ helpPointId, keyActive: false });
    expect(revoked.body.apiKey).toBeUndefined();
    expect((await tip(secondKey)).status).toBe(403);
    // Its name and place change without touching its (absent) key.
    const renamed = await api.call('PUT', `/v1/help-points/${helpPointId}`, { token: admin, body: { ...withoutLocation, name: '长堎求助点', location: body.location } });
    expect(renamed.body).toMatchObject({ name: '长堎求助点', keyActive: false });
  });

  it('keeps every change in the audit trail, with who and when and which fields, for the coordinator to read', async () => {
    const renamed = await api.call('PUT', `/v1/stations/${stationId}`, { token: admin, body: { ...station, stationId: undefined, phone: '0791-83000001' } });
    expect(renamed.status).toBe(200);
    const { items } = (await api.call('GET', '/v1/directory/changes?limit=50', { token: coordinator })).body;
    const ours = items.filter((c: { id: string }) => c.id.endsWith(run));
    expect(ours.every((c: { sub: string }) => c.sub === 'admin.wang')).toBe(true);
    expect(ours.map((c: { kind: string; what: string }) => `${c.kind}:${c.what}`)).toEqual([
      'station:updated', 'help_point:updated', 'help_point:key_revoked', 'help_point:key_issued', 'help_point:created', 'team:updated', 'team:created', 'station:created',
    ]);
    expect(ours[0]).toMatchObject({ fields: ['phone'] });
    expect(ours.find((c: { kind: string; what: string }) => c.kind === 'team' && c.what === 'updated').fields).toEqual(['members', 'onDuty']);
    const page = await api.call('GET', '/v1/directory/changes?limit=2', { token: coordinator });
    expect(page.body.items).toHaveLength(2);
    const next = await api.call('GET', `/v1/directory/changes?limit=2&cursor=${encodeURIComponent(page.body.nextCursor)}`, { token: coordinator });
    expect(next.body.items[0].at <= page.body.items[1].at).toBe(true);
    expect((await api.call('GET', '/v1/directory/changes?cursor=forged', { token: coordinator })).status).toBe(400);
  });
});

describe('onboarding a device: client credentials, a batch accepted, revoked, refused', () => {
  const deviceId = `uav-${run}-1`;
  const stationId = 'station-nc';
  /** What the drone's ground station does: trade its id and secret for an access token at the pool's domain. */
  const tokenFor = async (credentials: { tokenUrl: string; clientId: string; clientSecret: string }, scope?: string) => {
    const response = await fetch(credentials.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }).toString(),
    });
    return { status: response.status, body: await response.json() as { access_token?: string; expires_in?: number; error?: string } };
  };
  const batch = (token: string, n: number) => api.call('POST', '/v1/detections', {
    token,
    body: {
      deviceId, source: 'drone_thermal',
      detections: [{ detectionId: `${deviceId}-${n}`, observedAt: new Date(Date.now() - 60_000).toISOString(), location: { lat: 28.6431 + n * 0.01, lon: 115.9322 }, confidence: 0.92, surfaceTempC: 30.5 }],
    },
  });
  let credentials: { tokenUrl: string; clientId: string; clientSecret: string; scope: string };

  it('refuses a device for a station that does not exist, or of no known kind, storing nothing; only an admin registers one', async () => {
    const device = { deviceId, name: '东湖区热成像无人机', kind: 'drone', stationId, owner: 'li.pilot' };
    expect((await api.call('POST', '/v1/devices', { token: coordinator, body: device })).status).toBe(403);
    const nowhere = await api.call('POST', '/v1/devices', { token: admin, body: { ...device, stationId: 'station-nowhere' } });
    expect(nowhere.status).toBe(400);
    expect(nowhere.body.errors[0]).toMatchObject({ path: 'stationId' });
    expect((await api.call('POST', '/v1/devices', { token: admin, body: { ...device, kind: 'satellite' } })).status).toBe(400);
    expect((await api.call('GET', '/v1/devices', { token: coordinator })).body.items.some((d: { deviceId: string }) => d.deviceId === deviceId)).toBe(false);
  });

  it('registers a drone and answers its client credentials once; a coordinator lists it without them', async () => {
    const created = await api.call('POST', '/v1/devices', { token: admin, body: { deviceId, name: '东湖区热成像无人机', kind: 'drone', stationId, owner: 'li.pilot' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.body).toMatchObject({ deviceId, kind: 'drone', stationId, status: 'active', scopes: ['detections:write', 'uploads:write'] });
    credentials = created.body.credentials;
    expect(credentials).toMatchObject({ tokenUrl: `${stack.url}/oauth2/token`, grantType: 'client_credentials', scope: 'street-rescue/detections:write street-rescue/uploads:write' });
    expect(credentials.clientSecret.length).toBeGreaterThanOrEqual(32);
    expect((await api.call('POST', '/v1/devices', { token: admin, body: { deviceId, name: 'again', kind: 'drone', stationId } })).status).toBe(409);
    const listed = await api.call('GET', '/v1/devices', { token: coordinator });
    expect(listed.body.items.find((d: { deviceId: string }) => d.deviceId === deviceId)).toMatchObject({ clientId: credentials.clientId, owner: 'li.pilot' });
    expect(JSON.stringify(listed.body)).not.toContain(credentials.clientSecret);
  });

  it("takes the device's token for a batch of detections, bound to the device, and for nothing beyond its scopes", async () => {
    expect((await tokenFor({ ...credentials, clientSecret: 'not-the-secret' })).body.error).toBe('invalid_client');
    const malformed = await fetch(credentials.tokenUrl, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('%zz:%zz').toString('base64')}` }, body: 'grant_type=client_credentials',
    });
    expect([malformed.status, ((await malformed.json()) as { error: string }).error]).toEqual([400, 'invalid_client']);
    expect((await fetch(credentials.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password' })).status).toBe(400);
    expect((await tokenFor(credentials, 'street-rescue/warnings:write')).body.error).toBe('invalid_scope');
    const { status, body } = await tokenFor(credentials);
    expect(status).toBe(200);
    expect(body.expires_in).toBe(3600);
    const token = body.access_token!;

    const accepted = await batch(token, 1);
    expect(accepted.status).toBe(200);
    expect(accepted.body.results[0]).toMatchObject({ detectionId: `${deviceId}-1`, status: 'accepted' });
    const detail = await api.call('GET', `/v1/cases/${accepted.body.results[0].caseId}`, { token: coordinator });
    expect(detail.body.detections[0]).toMatchObject({ deviceId, source: 'drone_thermal' });
    // It may ask for an upload URL (uploads:write), not send a warning (no warnings:write), and reads no cases.
    expect((await api.call('POST', '/v1/uploads', { token, body: { purpose: 'thermal_frame', contentType: 'image/tiff', sizeBytes: 1000 } })).status).toBeLessThan(300);
    expect((await api.call('POST', '/v1/warnings', { token, rawBody: '<alert/>', headers: { 'content-type': 'application/cap+xml' } })).status).toBe(403);
    expect((await api.call('GET', '/v1/cases', { token })).status).toBe(401);
    // A token narrowed to one scope is held to it.
    const narrow = (await tokenFor(credentials, 'street-rescue/uploads:write')).body.access_token!;
    expect((await batch(narrow, 2)).status).toBe(403);
  });

  it('refuses a revoked device on its next call, with the token it already holds; new credentials put it back', async () => {
    const token = (await tokenFor(credentials)).body.access_token!;
    const revoked = await api.call('POST', `/v1/devices/${deviceId}/revoke`, { token: admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ deviceId, status: 'revoked' });
    expect(revoked.body.clientId).toBeUndefined();
    expect((await batch(token, 3)).status).toBe(403);
    expect((await tokenFor(credentials)).body.error).toBe('invalid_client');
    expect((await api.call('POST', `/v1/devices/${deviceId}/revoke`, { token: admin })).status).toBe(200);

    const rotated = await api.call('POST', `/v1/devices/${deviceId}/rotate-secret`, { token: admin });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ status: 'active' });
    expect(rotated.body.credentials.clientId).not.toBe(credentials.clientId);
    const fresh = (await tokenFor(rotated.body.credentials)).body.access_token!;
    expect((await batch(fresh, 4)).body.results[0]).toMatchObject({ status: 'accepted' });
    // Rotated again, the previous credentials' token is refused at once.
    await api.call('POST', `/v1/devices/${deviceId}/rotate-secret`, { token: admin });
    expect((await batch(fresh, 5)).status).toBe(403);

    const { items } = (await api.call('GET', '/v1/directory/changes?limit=50', { token: coordinator })).body;
    expect(items.filter((c: { id: string }) => c.id === deviceId).map((c: { what: string }) => c.what))
      .toEqual(['key_issued', 'key_issued', 'key_revoked', 'created']);
  });
});

describe('inviting members', () => {
  const username = `zhao.${run}`;
  const devToken = (body: unknown) => fetch(`${stack.url}/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('refuses a patrol member without a team, with a team that does not exist, or without a way to send the invitation', async () => {
    const member = { username, name: '赵磊', role: 'patrol', teamId: 'team-01', phone: '+8613800000000' };
    expect((await api.call('POST', '/v1/members', { token: coordinator, body: member })).status).toBe(403);
    const { teamId: _team, ...teamless } = member;
    expect((await api.call('POST', '/v1/members', { token: admin, body: teamless })).body.errors[0]).toMatchObject({ path: 'teamId' });
    const nowhere = await api.call('POST', '/v1/members', { token: admin, body: { ...member, teamId: 'team-nowhere' } });
    expect(nowhere.status).toBe(400);
    expect(nowhere.body.errors[0]).toMatchObject({ path: 'teamId' });
    const { phone: _phone, ...unreachable } = member;
    expect((await api.call('POST', '/v1/members', { token: admin, body: unreachable })).status).toBe(400);
    expect((await api.call('POST', '/v1/members', { token: admin, body: { ...member, role: 'device' } })).status).toBe(400);
    expect((await api.call('GET', '/v1/members', { token: coordinator })).body.items.some((m: { username: string }) => m.username === username)).toBe(false);
  });

  it('completes an invitation the pool took but the directory never kept (a lost answer), and no other', async () => {
    // What a crash between the pool's answer and the directory's write leaves: the member in the pool only.
    const pool = new CognitoIdentityProviderClient({ endpoint: process.env.COGNITO_ENDPOINT });
    const poolId = process.env.USER_POOL_ID!;
    const attributes = (teamId: string) => [{ Name: 'name', Value: '钱进' }, { Name: 'custom:teamId', Value: teamId }];
    await pool.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: `qian.${run}`, UserAttributes: attributes('team-01') }));
    await pool.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: `sun.${run}`, UserAttributes: attributes('team-02') }));
    const again = await api.call('POST', '/v1/members', { token: admin, body: { username: `qian.${run}`, name: '钱进', role: 'patrol', teamId: 'team-01', phone: '+8613800000001' } });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ username: `qian.${run}`, teamId: 'team-01', status: 'invited' });
    // The pool's member works for another team than the invitation says: not the same person's invitation.
    const other = await api.call('POST', '/v1/members', { token: admin, body: { username: `sun.${run}`, name: '孙', role: 'patrol', teamId: 'team-01', phone: '+8613800000002' } });
    expect(other.status).toBe(409);
    pool.destroy();
  });

  it('invites one into the pool with the team the server sets; they sign in as that; disabled, they cannot', async () => {
    const invited = await api.call('POST', '/v1/members', { token: admin, body: { username, name: '赵磊', role: 'patrol', teamId: 'team-01', phone: '+8613800000000' } });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ username, name: '赵磊', role: 'patrol', teamId: 'team-01', status: 'invited', invitedBy: 'admin.wang' });
    expect(JSON.stringify(invited.body)).not.toContain('13800000000');
    expect((await api.call('POST', '/v1/members', { token: admin, body: { username, name: '赵磊', role: 'coordinator', email: 'z@example.org' } })).status).toBe(409);

    // The local issuer mints their token as the pool would: the group and team the invitation set.
    const minted = await devToken({ username });
    expect(minted.status).toBe(200);
    const { token } = await minted.json() as { token: string };
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ sub: invited.body.sub, 'cognito:groups': ['patrol'], 'custom:teamId': 'team-01', name: '赵磊' });
    expect((await api.call('GET', '/v1/cases?limit=1', { token })).status).toBe(200);

    const disabled = await api.call('POST', `/v1/members/${username}/disable`, { token: admin });
    expect(disabled.body).toMatchObject({ username, status: 'disabled' });
    expect((await devToken({ username })).status).toBe(404);
    expect((await api.call('POST', '/v1/members/nobody.here/disable', { token: admin })).status).toBe(404);
    const { items } = (await api.call('GET', '/v1/directory/changes?limit=50', { token: coordinator })).body;
    expect(items.filter((c: { id: string }) => c.id === username).map((c: { kind: string; what: string }) => `${c.kind}:${c.what}`)).toEqual(['member:updated', 'member:created']);
  });
});

describe("a station's area", () => {
  // A place 8 km from the city's station and 37 km from the new one, whose area nevertheless holds it.
  const place = { lat: 28.7300, lon: 115.9500 };
  const box = (lat: number, lon: number, d: number) => [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]];
  const stationId = `station-area-${run}`;

  it('refuses a ring that does not close or positions out of range, storing nothing', async () => {
    const station = { stationId, name: '湾里片区救助站', location: { lat: 28.60, lon: 115.60 } };
    const open = await api.call('POST', '/v1/stations', { token: admin, body: { ...station, area: { type: 'Polygon', coordinates: [box(place.lat, place.lon, 0.01)[0]!.slice(0, 4)] } } });
    expect(open.status).toBe(400);
    expect(open.body.errors[0].path).toMatch(/^area/);
    expect((await api.call('POST', '/v1/stations', { token: admin, body: { ...station, area: { type: 'Polygon', coordinates: [[[200, 0], [201, 0], [201, 1], [200, 0]]] } } })).status).toBe(400);
    expect((await api.call('GET', '/v1/stations', { token: coordinator })).body.items.some((s: { stationId: string }) => s.stationId === stationId)).toBe(false);
  });

  it("gives a station that names its districts their boundaries as its area, and refuses a district the city does not have", async () => {
    const id = `station-qsh-${run}`;
    const station = { stationId: id, name: '青山湖区救助站', location: { lat: 28.30, lon: 116.30 }, districts: ['青山湖区'] };
    const unknown = await api.call('POST', '/v1/stations', { token: admin, body: { ...station, districts: ['浦东新区'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('districts');
    const created = await api.call('POST', '/v1/stations', { token: admin, body: station });
    expect(created.status).toBe(201);
    expect(created.body.area.type).toBe('MultiPolygon');
    // 青山湖 itself: 45 km from this station's door, but in its district.
    const sighting = await api.call('POST', '/v1/sightings', { token: coordinator, body: sightingBody({ location: { lat: 28.6847, lon: 115.9395, accuracyM: 10 } }) });
    const desk = await api.token({ role: 'station', sub: `duty.qsh.${run}`, stationId: id });
    expect((await api.call('GET', `/v1/cases/${sighting.body.caseId}`, { token: desk })).status).toBe(200);
  });

  it('makes a case inside the area its case, though another station is nearer', async () => {
    const created = await api.call('POST', '/v1/stations', {
      token: admin, body: { stationId, name: '湾里片区救助站', location: { lat: 28.60, lon: 115.60 }, area: { type: 'Polygon', coordinates: box(place.lat, place.lon, 0.02) } },
    });
    expect(created.status).toBe(201);
    expect(created.body.area.type).toBe('Polygon');
    const sighting = await api.call('POST', '/v1/sightings', { token: coordinator, body: sightingBody({ location: { ...place, accuracyM: 10 } }) });
    expect(sighting.status).toBe(201);
    const areaDesk = await api.token({ role: 'station', sub: `duty.${run}`, stationId });
    const read = await api.call('GET', `/v1/cases/${sighting.body.caseId}`, { token: areaDesk });
    expect(read.status).toBe(200);
    // A case outside every area is still the nearest station's: the new station does not see one in the centre.
    const centre = await api.call('POST', '/v1/sightings', { token: coordinator, body: sightingBody({ location: { lat: 28.6625, lon: 115.9170, accuracyM: 10 } }) });
    expect((await api.call('GET', `/v1/cases/${centre.body.caseId}`, { token: areaDesk })).status).toBe(404);
  });
});

describe('importing a city from its files', () => {
  const id = (name: string) => `${name}-imp-${run}`;
  const post = (kind: string, type: string, body: string, dryRun = false) =>
    api.call('POST', `/v1/directory/import?kind=${kind}${dryRun ? '&dryRun=true' : ''}`, { token: admin, rawBody: body, headers: { 'content-type': type } });
  const area = JSON.stringify({ type: 'Polygon', coordinates: [[[115.5, 28.4], [115.7, 28.4], [115.7, 28.6], [115.5, 28.4]]] }).replaceAll('"', '""');
  const stationsCsv = [
    'stationId,name,lat,lon,districts,phone,beds,area',
    `${id('st-a')},进贤县救助站,28.3760,116.2410,进贤县,0791-85600000,30,`,
    `${id('st-b')},安义县救助站,28.8440,115.5490,安义县;新建区,,12,"${area}"`,
  ].join('\n');

  it('refuses a file with any fault, listing every one by row, and stores nothing', async () => {
    const bad = `${stationsCsv}\n${id('st-c')},,28.1,abc,,,,\n${id('st-a')},重复,28.3,116.2,,,,`;
    const refused = await post('station', 'text/csv', bad);
    expect(refused.status).toBe(400);
    const paths = refused.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['row 4.name', 'row 4.location.lon', 'row 5.stationId']));
    expect((await api.call('GET', '/v1/stations', { token: coordinator })).body.items.some((s: { stationId: string }) => s.stationId === id('st-a'))).toBe(false);
    expect((await post('station', 'application/pdf', stationsCsv)).status).toBe(415);
    expect((await api.call('POST', '/v1/directory/import?kind=station', { token: coordinator, rawBody: stationsCsv, headers: { 'content-type': 'text/csv' } })).status).toBe(403);
  });

  it('checks a file without storing it (dryRun), then imports it; the same file again changes nothing', async () => {
    const dry = await post('station', 'text/csv', stationsCsv, true);
    expect(dry.body).toMatchObject({ dryRun: true, created: 2, replaced: 0 });
    expect((await api.call('GET', '/v1/stations', { token: coordinator })).body.items.some((s: { stationId: string }) => s.stationId === id('st-a'))).toBe(false);
    const done = await post('station', 'text/csv', stationsCsv);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ dryRun: false, created: 2, replaced: 0, unchanged: 0 });
    const stations = (await api.call('GET', '/v1/stations', { token: coordinator })).body.items;
    expect(stations.find((s: { stationId: string }) => s.stationId === id('st-b'))).toMatchObject({ districts: ['安义县', '新建区'], beds: 12, area: { type: 'Polygon' } });
    expect((await post('station', 'text/csv', stationsCsv)).body).toMatchObject({ created: 0, replaced: 0, unchanged: 2 });
    const renamed = await post('station', 'text/csv', stationsCsv.replace('进贤县救助站', '进贤县救助管理站'));
    expect(renamed.body).toMatchObject({ replaced: 1, unchanged: 1 });
  });

  it('imports teams for stations it knows, refusing one for a station it does not', async () => {
    const teams = [
      'teamId,name,stationId,lat,lon,onDuty,members',
      `${id('team-a')},进贤巡查一队,${id('st-a')},28.38,116.24,是,hu.yi;hu.er`,
      `${id('team-x')},无站之队,station-nowhere,28.38,116.24,否,`,
    ].join('\n');
    const refused = await post('team', 'text/csv', teams);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'row 3.stationId' })]);
    const done = await post('team', 'text/csv', teams.split('\n').slice(0, 2).join('\n'));
    expect(done.body.created).toBe(1);
    expect((await api.call('GET', `/v1/teams/${id('team-a')}`, { token: coordinator })).body).toMatchObject({ onDuty: true, members: ['hu.yi', 'hu.er'], stationId: id('st-a') });
  });

  it("imports help points from GeoJSON, answering each new one's key once; the key files tips", async () => {
    const collection = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', id: id('hp-a'), geometry: { type: 'Point', coordinates: [116.2415, 28.3765] }, properties: { name: '进贤汽车站求助点', stationId: id('st-a') } }],
    };
    const done = await post('help_point', 'application/geo+json', JSON.stringify(collection));
    expect(done.status).toBe(200);
    expect(done.headers.get('cache-control')).toBe('no-store');
    expect(done.body.apiKeys).toEqual([{ helpPointId: id('hp-a'), apiKey: expect.stringMatching(/^hp_/) }]);
    expect((await tip(done.body.apiKeys[0].apiKey)).status).toBe(201);
    // Imported again: unchanged, no new key, the first one still works.
    const again = await post('help_point', 'application/geo+json', JSON.stringify(collection));
    expect(again.body).toMatchObject({ unchanged: 1, apiKeys: [] });
    expect((await tip(done.body.apiKeys[0].apiKey)).status).toBe(201);
  });

  it('imports hot spots from CSV, and keeps each import in the audit trail', async () => {
    const spots = ['hotSpotId,name,type,lat,lon,radiusM,priority,district', `${id('hs-a')},进贤大桥桥洞,bridge,28.3801,116.2502,60,high,进贤县`].join('\n');
    expect((await post('hot_spot', 'text/csv', spots)).body.created).toBe(1);
    const { items } = (await api.call('GET', '/v1/directory/changes?limit=100', { token: coordinator })).body;
    const ours = items.filter((c: { id: string }) => c.id.includes(`-imp-${run}`));
    expect(ours.every((c: { what: string; sub: string }) => c.what === 'imported' && c.sub === 'admin.wang')).toBe(true);
    expect(new Set(ours.map((c: { kind: string }) => c.kind))).toEqual(new Set(['station', 'team', 'help_point', 'hot_spot']));
    expect(ours.find((c: { id: string; fields?: string[] }) => c.id === id('st-a') && c.fields)?.fields).toEqual(['name']);
  });
});
