/**
 * Enrolling an authenticator app (TOTP) for a member whose role requires one (shared/domain/mfa-policy.ts), with the
 * access token of their first sign-in: Cognito's own API, called from the page (no AWS credentials: the access token
 * with the `aws.cognito.signin.user.admin` scope is the credential).
 */
export interface Enrolment {
  region: string;
  accessToken: string;
  /** The member, for the authenticator app's label. */
  account: string;
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

async function cognitoCall<T>(fetcher: Fetch, region: string, action: string, body: Record<string, unknown>): Promise<T> {
  const res = await fetcher(`https://cognito-idp.${region}.amazonaws.com/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${action}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) as Record<string, unknown> : {};
  if (!res.ok) throw new Error(String(json.message ?? json.Message ?? `${action} failed (${res.status})`));
  return json as T;
}

/** The secret to put in the authenticator app, and the otpauth:// link a phone's authenticator opens. */
export async function startEnrolment(enrolment: Enrolment, issuer: string, fetcher: Fetch = fetch): Promise<{ secret: string; link: string }> {
  const { SecretCode } = await cognitoCall<{ SecretCode: string }>(fetcher, enrolment.region, 'AssociateSoftwareToken', { AccessToken: enrolment.accessToken });
  const label = encodeURIComponent(`${issuer}:${enrolment.account}`);
  return { secret: SecretCode, link: `otpauth://totp/${label}?secret=${SecretCode}&issuer=${encodeURIComponent(issuer)}` };
}

/** Checks a code from the app, then makes the app the member's second factor from the next sign-in on. */
export async function finishEnrolment(enrolment: Enrolment, code: string, fetcher: Fetch = fetch): Promise<void> {
  const verified = await cognitoCall<{ Status: string }>(fetcher, enrolment.region, 'VerifySoftwareToken', {
    AccessToken: enrolment.accessToken, UserCode: code.replace(/\s+/g, ''), FriendlyDeviceName: 'authenticator',
  });
  if (verified.Status !== 'SUCCESS') throw new Error('the code was not accepted: check the phone\'s clock and try the next code');
  await cognitoCall(fetcher, enrolment.region, 'SetUserMFAPreference', {
    AccessToken: enrolment.accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
  });
}
