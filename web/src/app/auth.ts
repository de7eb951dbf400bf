import type { WebConfig } from './config';
import type { DemoMember } from './demo-members';
import { api } from './api';
import { jwtDecode } from 'jwt-decode';
import { MFA_SETUP_CLAIM } from '#shared/domain/mfa-policy';
import type { Enrolment } from './authenticator-enrolment';
import { forgetOnSignOut } from './forget-on-sign-out';
import { currentSession, type Session, sessionFromToken, setSession } from './session';

type CognitoAuth = Extract<WebConfig['auth'], { mode: 'cognito' }>;

const redirectUri = () => `${location.origin}/sign-in`;

/** The OIDC client is loaded only where Cognito signs people in: the local picker and a phone's first load skip it. */
async function cognitoManager(auth: CognitoAuth) {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  return new UserManager({
    authority: `https://cognito-idp.${auth.region}.amazonaws.com/${auth.userPoolId}`,
    client_id: auth.clientId,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: 'openid profile',
    // Kept across a phone closing the app, so the refresh token can renew the hour-long ID token; removed, and the
    // refresh token revoked, at sign-out.
    userStore: new WebStorageStateStore({ store: localStorage }),
    revokeTokenTypes: ['refresh_token'],
    automaticSilentRenew: false,
  });
}

/**
 * Cloud: a new ID token for the signed-in member from the refresh token (30 days), before the hour-long one expires.
 * Null when there is nothing to renew with (the member signs in again).
 */
export async function renewCognitoSession(auth: CognitoAuth): Promise<Session | null> {
  const manager = await cognitoManager(auth);
  const user = await manager.getUser();
  if (!user?.refresh_token) return null;
  const renewed = await manager.signinSilent();
  if (!renewed?.id_token) return null;
  const session = sessionFromToken(renewed.id_token);
  setSession(session);
  return session;
}

/** Local mode: a dev token for a demo member, from the local runtime's POST /v1/dev/token. */
export async function signInAsDemoMember(member: DemoMember): Promise<Session> {
  const { token } = await api.devToken({
    role: member.role, sub: member.sub, name: member.name['zh-CN'].replace(/（.*）$/, ''),
    ...(member.teamId ? { teamId: member.teamId } : {}), ...(member.stationId ? { stationId: member.stationId } : {}),
  });
  const session = sessionFromToken(token);
  setSession(session);
  return session;
}

/** Cloud: off to Cognito's managed sign-in page (authorization code with PKCE); it comes back to /sign-in. */
export async function startCognitoSignIn(auth: CognitoAuth) {
  await (await cognitoManager(auth)).signinRedirect();
}

/**
 * Back from Cognito with ?code=…: trades it for the tokens; the API takes the ID token (it carries the groups). A
 * station, coordinator or admin member without an authenticator app is not signed in: they enrol one first.
 */
export async function finishCognitoSignIn(auth: CognitoAuth): Promise<Session | Enrolment | null> {
  if (!new URLSearchParams(location.search).has('code')) return null;
  const user = await (await cognitoManager(auth)).signinRedirectCallback();
  if (!user.id_token) throw new Error('Cognito returned no ID token');
  const claims = jwtDecode<Record<string, unknown>>(user.id_token);
  if (claims[MFA_SETUP_CLAIM] === 'true') {
    return { region: auth.region, accessToken: user.access_token, account: String(claims['cognito:username'] ?? claims.sub) };
  }
  const session = sessionFromToken(user.id_token);
  setSession(session);
  return session;
}

/**
 * Signs out: what the phone keeps of cases, positions and sent reports goes (unsent reports stay for their member, as
 * the sign-out check told them), and in the cloud the refresh token is revoked before Cognito's own sign-out.
 */
export async function signOut(config: WebConfig) {
  const member = currentSession()?.sub;
  setSession(null);
  await forgetOnSignOut(member);
  if (config.auth.mode === 'cognito') {
    const manager = await cognitoManager(config.auth);
    // Revoked, a copy of the refresh token left anywhere can renew nothing; a failure (no signal) still signs out.
    await manager.revokeTokens(['refresh_token']).catch(() => undefined);
    await manager.removeUser();
    location.assign(`${config.auth.domain}/logout?client_id=${encodeURIComponent(config.auth.clientId)}&logout_uri=${encodeURIComponent(redirectUri())}`);
  }
}
