import { jwtDecode } from 'jwt-decode';
import { useSyncExternalStore } from 'react';
import type { Role } from '#shared/contract/vocabulary';

/** Who is signed in, read from the ID token the API checks (Cognito's, or the local runtime's dev token). */
export interface Session {
  token: string;
  sub: string;
  /** The member's name (the ID token's `name`), when the issuer gives one. */
  name?: string;
  role: Role;
  teamId?: string;
  stationId?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

const SESSION_KEY = 'srp.session';
const KNOWN_ROLES: readonly Role[] = ['admin', 'coordinator', 'station', 'patrol', 'device'];
const listeners = new Set<() => void>();

interface IdTokenClaims {
  sub: string;
  name?: string;
  exp: number;
  'cognito:groups'?: string[] | string;
  'custom:teamId'?: string;
  'custom:stationId'?: string;
}

export function sessionFromToken(token: string): Session {
  const claims = jwtDecode<IdTokenClaims>(token);
  const groups = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'] : [claims['cognito:groups'] ?? ''];
  const role = KNOWN_ROLES.find((r) => groups.includes(r));
  if (!role) throw new Error('the token carries no role (cognito:groups)');
  return {
    token, sub: claims.sub, role, expiresAt: claims.exp * 1000,
    ...(claims.name ? { name: claims.name } : {}),
    ...(claims['custom:teamId'] ? { teamId: claims['custom:teamId'] } : {}),
    ...(claims['custom:stationId'] ? { stationId: claims['custom:stationId'] } : {}),
  };
}

let current: Session | null = read();

function read(): Session | null {
  const token = localStorage.getItem(SESSION_KEY);
  if (!token) return null;
  try {
    const session = sessionFromToken(token);
    return session.expiresAt > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export function currentSession(): Session | null {
  if (current && current.expiresAt <= Date.now()) setSession(null);
  return current;
}

export function setSession(session: Session | null) {
  current = session;
  if (session) localStorage.setItem(SESSION_KEY, session.token);
  else localStorage.removeItem(SESSION_KEY);
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export const useSession = () => useSyncExternalStore(subscribe, currentSession);

/** Which pages a role may open, and where it lands after signing in. */
export const PAGE_ROLES = {
  coordinator: ['coordinator', 'admin'],
  station: ['station', 'coordinator', 'admin'],
  patrol: ['patrol', 'admin'],
  admin: ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type PageName = keyof typeof PAGE_ROLES;

export const homePageOf = (role: Role): PageName =>
  role === 'patrol' ? 'patrol' : role === 'station' ? 'station' : role === 'admin' ? 'admin' : 'coordinator';

export const mayOpen = (session: Session, page: PageName) => (PAGE_ROLES[page] as readonly Role[]).includes(session.role);
