import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { settings } from '../settings';

/**
 * Cursors are sealed by the server: the position they hold, and an HMAC over it and the list it was issued for
 * (its filters), so a cursor that was altered, made up or taken to another list opens as nothing, a 400, rather than
 * a query DynamoDB refuses or a silent first page. The key is the `CURSOR_KEY` setting (a secret in the cloud, a
 * file under the data directory locally); without one, a key made for this process, so cursors outlive neither it
 * nor a second process.
 */
const MAC_BYTES = 16;
let processKey: Buffer | undefined;

const keyOf = () => {
  const configured = settings.cursorKey;
  if (configured) return Buffer.from(configured, 'utf8');
  processKey ??= randomBytes(32);
  return processKey;
};

const mac = (scope: string, payload: string) => createHmac('sha256', keyOf()).update(`${scope}\n${payload}`).digest().subarray(0, MAC_BYTES);

/** `payload` (any text) sealed for `scope` (which list, which filters). */
export function sealCursor(scope: string, payload: string): string {
  const body = Buffer.from(payload, 'utf8').toString('base64url');
  return `${body}.${mac(scope, body).toString('base64url')}`;
}

/** The payload of a cursor sealed for this scope, or undefined when it was not. */
export function openCursor(scope: string, cursor: string): string | undefined {
  const match = /^([A-Za-z0-9_-]{1,1000})\.([A-Za-z0-9_-]{22})$/.exec(cursor);
  if (!match) return undefined;
  const given = Buffer.from(match[2]!, 'base64url');
  const expected = mac(scope, match[1]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  // Base64's last character carries spare bits that decoding ignores: only the one spelling issued is the cursor.
  const payload = Buffer.from(match[1]!, 'base64url');
  if (given.toString('base64url') !== match[2] || payload.toString('base64url') !== match[1]) return undefined;
  return payload.toString('utf8');
}
