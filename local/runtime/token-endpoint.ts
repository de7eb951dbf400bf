import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEVICE_TOKEN_MINUTES } from '#shared/domain/device-auth';
import { sendJson } from './http-replies';
import type { LocalCognito } from './local-cognito';
import type { LocalIssuer } from './local-issuer';

/**
 * `POST /oauth2/token` as the user pool's domain answers it, for the client-credentials grant only (what a device
 * uses): the client authenticates with HTTP Basic (or `client_id` and `client_secret` in the form), may ask for
 * fewer scopes than it has, and gets an access token. Errors are OAuth's (`{ error }`, 400), as Cognito's are.
 */
export async function serveTokenRequest(req: IncomingMessage, res: ServerResponse, body: Buffer, cognito: LocalCognito, issuer: LocalIssuer): Promise<void> {
  const refuse = (error: string, description: string) => sendJson(res, 400, { error, error_description: description });
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
    refuse('invalid_request', 'send the form as application/x-www-form-urlencoded');
    return;
  }
  const form = new URLSearchParams(body.toString('utf8'));
  if (form.get('grant_type') !== 'client_credentials') {
    refuse('unsupported_grant_type', 'only grant_type=client_credentials is served here (members sign in through the pages)');
    return;
  }
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  const [clientId, secret] = basic ? basicCredentials(basic[1]!) : [form.get('client_id') ?? undefined, form.get('client_secret') ?? undefined];
  const allowed = clientId && secret ? cognito.clientCredentials(clientId, secret) : undefined;
  if (!clientId || !allowed) {
    refuse('invalid_client', 'unknown client, wrong secret, or a client without the client-credentials grant');
    return;
  }
  const asked = form.get('scope')?.split(' ').filter(Boolean);
  if (asked?.some((scope) => !allowed.includes(scope))) {
    refuse('invalid_scope', `this client may ask for: ${allowed.join(' ')}`);
    return;
  }
  const seconds = DEVICE_TOKEN_MINUTES * 60;
  sendJson(res, 200, { access_token: await issuer.issueAccess(clientId, asked ?? allowed, seconds), expires_in: seconds, token_type: 'Bearer' });
}

/** HTTP Basic's `id:secret`, each form-encoded (RFC 6749 §2.3.1); nothing for a malformed header. */
function basicCredentials(encoded: string): [string | undefined, string | undefined] {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return [undefined, undefined];
  try {
    return [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
  } catch {
    return [undefined, undefined];
  }
}
