import { randomBytes } from 'node:crypto';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketCorsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeS3EventKey, type S3EventRecord, type S3Local } from '#local/engines/s3-local';
import { startTestS3, testS3Client } from '../../support/engines';

const Bucket = 'sighting-photos';

describe('s3rver', () => {
  let s3: S3Local;
  let client: S3Client;
  const records: S3EventRecord[] = [];

  beforeAll(async () => {
    s3 = await startTestS3((event) => void records.push(...event.Records));
    client = testS3Client(s3.endpoint);
    await client.send(new CreateBucketCommand({ Bucket }));
  });
  afterAll(async () => {
    client.destroy();
    await s3.stop();
  });

  it('stores a presigned PUT byte for byte and reports it as an S3 ObjectCreated record', async () => {
    const Key = 'uploads/case 42/photo (1).jpg';
    const body = randomBytes(64 * 1024);
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket, Key, ContentType: 'image/jpeg' }), {
      expiresIn: 300,
    });

    const upload = await fetch(url, { method: 'PUT', body, headers: { 'content-type': 'image/jpeg' } });
    expect(upload.status).toBe(200);

    const stored = await client.send(new GetObjectCommand({ Bucket, Key }));
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(body)).toBe(true);

    const record = await waitFor(() => records.find((r) => r.eventName === 'ObjectCreated:Put'));
    expect(record.eventSource).toBe('aws:s3');
    expect(record.s3.bucket).toMatchObject({ name: Bucket, arn: `arn:aws:s3:::${Bucket}` });
    expect(record.s3.object).toMatchObject({
      key: 'uploads/case+42/photo+%281%29.jpg',
      size: body.length,
      eTag: stored.ETag!.replaceAll('"', ''),
    });
    // How a handler reads the key back, as on AWS.
    expect(decodeURIComponent(record.s3.object.key.replaceAll('+', ' '))).toBe(Key);
  });

  it('reports copies with their eTag and deletes by key', async () => {
    await client.send(new PutObjectCommand({ Bucket, Key: 'original.txt', Body: 'evidence' }));
    await client.send(new CopyObjectCommand({ Bucket, Key: 'copy.txt', CopySource: `${Bucket}/original.txt` }));
    await client.send(new DeleteObjectCommand({ Bucket, Key: 'original.txt' }));

    const copy = await waitFor(() => records.find((r) => r.eventName === 'ObjectCreated:Copy'));
    const original = records.find((r) => r.eventName === 'ObjectCreated:Put' && r.s3.object.key === 'original.txt');
    expect(copy.s3.object).toMatchObject({ key: 'copy.txt', size: 8, eTag: original?.s3.object.eTag });
    const deletion = await waitFor(() => records.find((r) => r.eventName === 'ObjectRemoved:Delete'));
    expect(deletion.s3.object.key).toBe('original.txt');
  });

  it('answers browser preflights for a bucket given CORS through PutBucketCors', async () => {
    await client.send(
      new PutBucketCorsCommand({
        Bucket,
        CORSConfiguration: {
          CORSRules: [{ AllowedOrigins: ['http://localhost:5173'], AllowedMethods: ['PUT'], AllowedHeaders: ['*'] }],
        },
      }),
    );

    const preflight = await fetch(`${s3.endpoint}/${Bucket}/uploads/x.jpg`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type',
      },
    });

    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
  });
});

describe('s3rver shutdown', () => {
  it('stops promptly while a keep-alive client is still open', async () => {
    const s3 = await startTestS3();
    const client = testS3Client(s3.endpoint);
    let elapsed: number;
    try {
      await client.send(new CreateBucketCommand({ Bucket: 'keep-alive' }));
      await client.send(new PutObjectCommand({ Bucket: 'keep-alive', Key: 'a', Body: 'a' }));
      await client.send(new ListObjectsV2Command({ Bucket: 'keep-alive' }));

      const started = performance.now();
      await s3.stop();
      elapsed = performance.now() - started;
    } finally {
      client.destroy();
      await s3.stop();
    }

    // A hang check, not a benchmark: a hang would be the test timeout.
    expect(elapsed).toBeLessThan(2_000);
    await expect(s3.stop()).resolves.toBeUndefined();
  });
});

describe('encodeS3EventKey', () => {
  it('encodes as S3 does in event records', () => {
    expect(encodeS3EventKey('a/b c/é+(x)=1.jpg')).toBe('a/b+c/%C3%A9%2B%28x%29%3D1.jpg');
  });
});

async function waitFor<T>(find: () => T | undefined, timeoutMs = 2_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Nothing arrived within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
