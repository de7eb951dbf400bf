import type { JWTPayload } from 'jose';
import type { DeviceScope } from '../contract/vocabulary';
import { qualifiedScope } from '../domain/device-auth';
import { ROUTES, pathsOf } from '../api/routes';
import { flattenedClaims } from '../http/principal';
import type { DirectoryStore } from '../store/directory-store';

/**
 * Who may call a route that devices call too (uploads, detections, weather, warnings). Members send the ID token of
 * their sign-in, as everywhere; a device sends the access token of its own app client (OAuth client credentials),
 * which names no audience the API could list in advance, so this checks it: signed by the pool, issued to a client
 * the directory holds for an active device, with the scope the route needs. The directory is read on every call,
 * so a revoked device's token is refused on its next one.
 */
export interface CallerCheck {
  /** The token's claims when its signature, issuer and expiry hold; undefined otherwise. */
  verify(token: string): Promise<JWTPayload | undefined>;
  /** The app clients whose ID tokens are members' (the pages' sign-in, and the API's own client). */
  memberAudiences: readonly string[];
  directory: Pick<DirectoryStore, 'deviceByClient'>;
}

export type CallerDecision =
  | { isAuthorized: true; context: Record<string, string> }
  | { isAuthorized: false; reason: string };

/** The scope each route key needs of a device's token: only routes with a `deviceScope` take devices at all. */
const SCOPE_BY_ROUTE = new Map<string, DeviceScope>(ROUTES.flatMap((spec) => ('deviceScope' in spec && spec.deviceScope
  ? pathsOf(spec).map(({ method, path }) => [`${method} ${path}`, spec.deviceScope] as const) : [])));


export async function authorizeCaller(check: CallerCheck, request: { authorization?: string; routeKey: string }): Promise<CallerDecision> {
  const match = /^Bearer\s+(\S+)$/i.exec(request.authorization ?? '');
  if (!match) return { isAuthorized: false, reason: 'no bearer token' };
  const claims = await check.verify(match[1]!);
  if (!claims) return { isAuthorized: false, reason: 'the token is not valid (signature, issuer or expiry)' };
  if (claims.token_use === 'id') {
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.some((aud) => aud !== undefined && check.memberAudiences.includes(aud))) {
      return { isAuthorized: false, reason: 'an ID token of another app client' };
    }
    return { isAuthorized: true, context: flattenedClaims(claims) };
  }
  if (claims.token_use !== 'access' || typeof claims.client_id !== 'string') return { isAuthorized: false, reason: 'neither a member\'s ID token nor a device\'s access token' };
  const needed = SCOPE_BY_ROUTE.get(request.routeKey);
  if (!needed) return { isAuthorized: false, reason: `${request.routeKey} takes no device` };
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  if (!scopes.includes(qualifiedScope(needed))) return { isAuthorized: false, reason: `the token lacks the scope ${qualifiedScope(needed)}` };
  const device = await check.directory.deviceByClient(claims.client_id);
  if (!device) return { isAuthorized: false, reason: `client ${claims.client_id} is no active device of the directory` };
  // The device is its own subject (as on a timeline, in the quotas and idempotency scopes), whichever client it holds now.
  return {
    isAuthorized: true,
    context: {
      sub: device.deviceId, 'cognito:groups': '[device]', 'custom:deviceId': device.deviceId, client_id: claims.client_id,
      scope: claims.scope as string, token_use: 'access',
    },
  };
}
