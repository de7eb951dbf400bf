import { describe, expect, it } from 'vitest';
import { finishEnrolment, startEnrolment } from '../../web/src/app/authenticator-enrolment';

/** Cognito's JSON API as the page calls it: each call recorded, each answered from the script. */
function cognito(answers: Record<string, { status?: number; body: unknown }>) {
  const calls: { action: string; body: Record<string, unknown>; url: string }[] = [];
  const fetcher = async (url: string, init: RequestInit) => {
    const action = String((init.headers as Record<string, string>)['x-amz-target']).split('.')[1]!;
    calls.push({ action, url, body: JSON.parse(String(init.body)) });
    const answer = answers[action] ?? { status: 400, body: { message: `unexpected ${action}` } };
    return new Response(JSON.stringify(answer.body), { status: answer.status ?? 200 });
  };
  return { calls, fetcher };
}

const enrolment = { region: 'cn-north-1', accessToken: 'access-token', account: 'liu.duty' };

describe('enrolling an authenticator app', () => {
  it('gets a secret and an otpauth link for the member, then verifies a code and makes the app their second factor', async () => {
    const { calls, fetcher } = cognito({
      AssociateSoftwareToken: { body: { SecretCode: 'JBSWY3DPEHPK3PXP' } },
      VerifySoftwareToken: { body: { Status: 'SUCCESS' } },
      SetUserMFAPreference: { body: {} },
    });
    const started = await startEnrolment(enrolment, '街面巡查救助', fetcher);
    expect(started.secret).toBe('JBSWY3DPEHPK3PXP');
    expect(started.link).toBe(`otpauth://totp/${encodeURIComponent('街面巡查救助:liu.duty')}?secret=JBSWY3DPEHPK3PXP&issuer=${encodeURIComponent('街面巡查救助')}`);
    await finishEnrolment(enrolment, '123 456', fetcher);
    expect(calls.map((c) => c.action)).toEqual(['AssociateSoftwareToken', 'VerifySoftwareToken', 'SetUserMFAPreference']);
    expect(calls[0]!.url).toBe('https://cognito-idp.cn-north-1.amazonaws.com/');
    expect(calls[1]!.body).toMatchObject({ AccessToken: 'access-token', UserCode: '123456' });
    expect(calls[2]!.body).toEqual({ AccessToken: 'access-token', SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
  });

  it('says why when the code is refused, and does not make the app the second factor', async () => {
    const { calls, fetcher } = cognito({
      VerifySoftwareToken: { status: 400, body: { __type: 'EnableSoftwareTokenMFAException', message: 'Code mismatch' } },
    });
    await expect(finishEnrolment(enrolment, '000000', fetcher)).rejects.toThrow('Code mismatch');
    expect(calls.map((c) => c.action)).toEqual(['VerifySoftwareToken']);
  });
});
