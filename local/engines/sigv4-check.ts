import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData) => (typeof data === 'string' ? data
  : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength));

/** SHA-256 (and its HMAC) in the shape the SDK's signer expects. */
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData) {
    this.hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

/** The query parameters a presigner adds; everything else in the query was part of the request it signed. */
const SIGNING_PARAMETERS = new Set([
  'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature',
  'X-Amz-Content-Sha256', 'X-Amz-Security-Token',
]);

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** S3's dates in presigned URLs: 20261122T094821Z. */
const parseAmzDate = (value: string) => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
};

/**
 * What S3 checks on a presigned (query-signed) request and s3rver does not: the signature over the method, path,
 * query and the signed headers (so a URL signed for image/jpeg of 2,012 bytes takes nothing else), and its expiry.
 * Returns why the request is refused, or undefined. Requests signed in the Authorization header come from the
 * system's own SDK clients and are left to s3rver; anonymous requests are refused, as the bucket blocks public access.
 */
export async function presignedRequestProblem(req: IncomingMessage, credentials: Credentials, now = new Date()): Promise<string | undefined> {
  // Browsers send CORS preflights without credentials; S3 answers them from the bucket's CORS rules.
  if (req.method === 'OPTIONS') return undefined;
  const url = new URL(req.url ?? '/', 'http://local');
  const query = url.searchParams;
  if (!query.has('X-Amz-Signature')) {
    return req.headers.authorization || query.has('Signature') ? undefined : 'anonymous access is blocked on this bucket';
  }
  const [accessKeyId, , region, service] = (query.get('X-Amz-Credential') ?? '').split('/');
  const signedAt = parseAmzDate(query.get('X-Amz-Date') ?? '');
  const expiresIn = Number(query.get('X-Amz-Expires'));
  if (!signedAt || !Number.isInteger(expiresIn) || !region || !service) return 'the presigned URL is malformed';
  if (accessKeyId !== credentials.accessKeyId) return 'the presigned URL was signed with an unknown key';
  if (now.getTime() > signedAt.getTime() + expiresIn * 1000) return 'Request has expired';

  const signedHeaders = (query.get('X-Amz-SignedHeaders') ?? '').split(';').filter(Boolean);
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = req.headers[name];
    if (value === undefined) return `the signed header ${name} is missing`;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const unsigned: Record<string, string | string[]> = {};
  for (const [name, value] of query) {
    if (SIGNING_PARAMETERS.has(name)) continue;
    const existing = unsigned[name];
    unsigned[name] = existing === undefined ? value : ([] as string[]).concat(existing, value);
  }
  // Signing the same request again, with the same presigner the client used, must give the same signature.
  const presigner = new S3RequestPresigner({ credentials, region, service, sha256: Sha256 });
  const expected = await presigner.presign(
    { method: req.method ?? 'GET', protocol: 'http:', hostname: url.hostname, path: url.pathname, query: unsigned, headers },
    { signingDate: signedAt, expiresIn, signableHeaders: new Set(signedHeaders) },
  );
  const given = Buffer.from(query.get('X-Amz-Signature')!);
  const computed = Buffer.from(String(expected.query?.['X-Amz-Signature'] ?? ''));
  return given.length === computed.length && timingSafeEqual(given, computed)
    ? undefined
    : 'The request signature we calculated does not match the signature you provided';
}
