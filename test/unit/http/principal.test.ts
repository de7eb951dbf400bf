import { describe, expect, it } from 'vitest';
import { actorOf, principalFromClaims } from '#shared/http/principal';

describe('principalFromClaims', () => {
  it('reads the groups of a decoded token, where they are an array', () => {
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': ['patrol', 'admin'] })).toEqual({ sub: 'u-1', roles: ['patrol', 'admin'] });
  });

  it("reads API Gateway's flattened form \"[patrol admin]\"", () => {
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': '[patrol admin]' })?.roles).toEqual(['patrol', 'admin']);
  });

  it('reads a single flattened group, with or without brackets, and comma-separated lists', () => {
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': '[station]' })?.roles).toEqual(['station']);
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': 'coordinator' })?.roles).toEqual(['coordinator']);
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': '[patrol, station]' })?.roles).toEqual(['patrol', 'station']);
  });

  it('drops groups that are not roles', () => {
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': ['volunteers', 'patrol', 'ADMIN'] })?.roles).toEqual(['patrol']);
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': '[us-east-1_pool_Google device]' })?.roles).toEqual(['device']);
  });

  it('gives no roles when the token has no groups', () => {
    expect(principalFromClaims({ sub: 'u-1' })).toEqual({ sub: 'u-1', roles: [] });
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': '[]' })?.roles).toEqual([]);
  });

  it('carries the custom team, station and device attributes', () => {
    expect(principalFromClaims({
      sub: 'u-2', 'cognito:groups': ['patrol'], 'custom:teamId': 'team-07', 'custom:stationId': 'st-nc-1', 'custom:deviceId': 'drone-03',
    })).toEqual({ sub: 'u-2', roles: ['patrol'], teamId: 'team-07', stationId: 'st-nc-1', deviceId: 'drone-03' });
  });

  it('leaves out empty or non-text custom attributes', () => {
    const principal = principalFromClaims({ sub: 'u-3', 'cognito:groups': ['station'], 'custom:teamId': '', 'custom:stationId': 7 });
    expect(principal).toEqual({ sub: 'u-3', roles: ['station'] });
    expect(principal).not.toHaveProperty('teamId');
  });

  it('is undefined without claims or without a subject', () => {
    expect(principalFromClaims(undefined)).toBeUndefined();
    expect(principalFromClaims({ 'cognito:groups': ['admin'] })).toBeUndefined();
    expect(principalFromClaims({ sub: 42, 'cognito:groups': ['admin'] })).toBeUndefined();
  });
});

describe('actorOf', () => {
  it('records the role the caller acted in on this route, without the role list', () => {
    const principal = { sub: 'u-1', roles: ['coordinator', 'station'] as const, stationId: 'st-1' };
    expect(actorOf({ ...principal, roles: [...principal.roles] }, ['patrol', 'station'])).toEqual({ sub: 'u-1', role: 'station', stationId: 'st-1' });
  });

  it("falls back to the caller's first role when none of them is listed (an admin)", () => {
    expect(actorOf({ sub: 'root', roles: ['admin'] }, ['patrol'])).toEqual({ sub: 'root', role: 'admin' });
  });
});
