import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Device } from '#shared/store/directory-store';
import { authorizeCaller, type CallerCheck } from '#shared/use-cases/authorize-caller';

/**
 * The Callers authorizer's decisions, on tokens whose signature already held (the verify step is jose's): members'
 * ID tokens pass as the JWT authorizer would pass them; a device's access token passes only for an active device of
 * the directory, on a route that takes devices, with the scope that route needs.
 */
const unsigned = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
const drone: Device = {
  deviceId: 'uav-01', name: '无人机', kind: 'drone', stationId: 'station-nc', scopes: ['detections:write', 'uploads:write'],
  status: 'active', clientId: 'client-uav-01', createdAt: '2026-12-01T00:00:00Z',
};
const check = (devices: Device[] = [drone]): CallerCheck => ({
  verify: async (token) => (token.endsWith('.') ? decodeJwt(token) : undefined),
  memberAudiences: ['pages-client', 'api-client'],
  directory: { deviceByClient: async (clientId) => devices.find((d) => d.clientId === clientId && d.status === 'active') },
});
const decide = (claims: Record<string, unknown> | string, routeKey = 'POST /v1/detections', devices?: Device[]) =>
  authorizeCaller(check(devices), { authorization: typeof claims === 'string' ? claims : `Bearer ${unsigned(claims)}`, routeKey });
const access = (scope: string, clientId = 'client-uav-01') => ({ token_use: 'access', client_id: clientId, sub: clientId, scope });

describe('authorizeCaller', () => {
  it("passes a member's ID token on, its claims flattened as the JWT authorizer flattens them", async () => {
    const decision = await decide({ token_use: 'id', aud: 'pages-client', sub: 'chen.jie', 'cognito:groups': ['patrol'], 'custom:teamId': 'team-01' }, 'POST /v1/uploads');
    expect(decision).toEqual({ isAuthorized: true, context: { token_use: 'id', aud: 'pages-client', sub: 'chen.jie', 'cognito:groups': '[patrol]', 'custom:teamId': 'team-01' } });
  });

  it('refuses an ID token made for another app client, a missing or malformed header, and a token that does not verify', async () => {
    expect((await decide({ token_use: 'id', aud: 'someone-else', sub: 'x' })).isAuthorized).toBe(false);
    expect((await authorizeCaller(check(), { routeKey: 'POST /v1/detections' })).isAuthorized).toBe(false);
    expect((await decide('Basic abc')).isAuthorized).toBe(false);
    expect((await decide('Bearer not.a.jwt-signed')).isAuthorized).toBe(false);
  });

  it("takes an active device's token with the route's scope, as the device itself", async () => {
    const decision = await decide(access('street-rescue/detections:write street-rescue/uploads:write'));
    expect(decision).toMatchObject({ isAuthorized: true, context: { sub: 'uav-01', client_id: 'client-uav-01', 'cognito:groups': '[device]', 'custom:deviceId': 'uav-01' } });
    expect((await decide(access('street-rescue/uploads:write'), 'GET /v1/uploads/{uploadId}')).isAuthorized).toBe(true);
  });

  it('refuses a device without the scope, on a route that takes no device, or not (or no longer) in the directory', async () => {
    expect(await decide(access('street-rescue/uploads:write'))).toMatchObject({ isAuthorized: false, reason: expect.stringContaining('detections:write') });
    expect((await decide(access('street-rescue/detections:write'), 'GET /v1/cases')).isAuthorized).toBe(false);
    expect((await decide(access('street-rescue/detections:write', 'client-unknown'))).isAuthorized).toBe(false);
    expect((await decide(access('street-rescue/detections:write'), 'POST /v1/detections', [{ ...drone, status: 'revoked' }])).isAuthorized).toBe(false);
    // A scope of another resource server that happens to share the name is not this API's.
    expect((await decide(access('other-api/detections:write'))).isAuthorized).toBe(false);
    // An access token from a member's sign-in (no device behind its client) is not a member's ID token either.
    expect((await decide({ token_use: 'access', client_id: 'pages-client', sub: 'chen.jie', scope: 'openid' })).isAuthorized).toBe(false);
  });
});
