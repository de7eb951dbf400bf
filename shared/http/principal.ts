import { ROLES, type Role } from '../contract/vocabulary';
import type { Actor } from '../domain/case';

export interface Principal {
  sub: string;
  roles: Role[];
  teamId?: string;
  stationId?: string;
  deviceId?: string;
}

/** Claims as API Gateway's JWT authorizer hands them to a function: every value a string, arrays as "[a b]". */
export const flattenedClaims = (payload: Record<string, unknown>): Record<string, string> => Object.fromEntries(Object.entries(payload).map(([name, value]) => [
  name, Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'object' ? JSON.stringify(value) : String(value),
]));

/**
 * Reads the caller from the JWT claims the authorizer passed on. API Gateway HTTP APIs flatten array claims into a
 * string such as "[patrol admin]", while a decoded token has a real array; both are accepted.
 */
export function principalFromClaims(claims: Record<string, unknown> | undefined): Principal | undefined {
  if (!claims || typeof claims.sub !== 'string') return undefined;
  const raw = claims['cognito:groups'];
  const groups = Array.isArray(raw)
    ? raw.map(String)
    : typeof raw === 'string' ? raw.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean) : [];
  const roles = groups.filter((g): g is Role => (ROLES as readonly string[]).includes(g));
  const text = (name: string) => (typeof claims[name] === 'string' && claims[name] ? { [name.slice(7)]: claims[name] as string } : {});
  return { sub: claims.sub, roles, ...text('custom:teamId'), ...text('custom:stationId'), ...text('custom:deviceId') };
}

/** The principal as it appears on a timeline: the role it acted in on this route. */
export function actorOf(principal: Principal, allowed: readonly Role[] | 'public'): Actor {
  const role = allowed === 'public'
    ? principal.roles[0]!
    : principal.roles.find((r) => allowed.includes(r)) ?? principal.roles[0]!;
  const { roles: _roles, ...rest } = principal;
  return { ...rest, role };
}
