import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import exifr from 'exifr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestTables } from '../../support/test-tables';
import type { S3Local } from '#local/engines/s3-local';
import { S3UploadBucket } from '#shared/adapters/upload-bucket';
import type { Actor } from '#shared/domain/case';
import { stripImageMetadata } from '#shared/domain/image-metadata';
import { CaseStore } from '#shared/store/case-store';
import { caseKey, uploadObjectKey } from '#shared/store/keys';
import { type Upload, UploadStore } from '#shared/store/upload-store';
import { processLandedObject } from '#shared/use-cases/uploads';
import { jpegWithMetadata, pngWithMetadata } from '../../support/image-fixtures';
import { startTestS3, testS3Client } from '../../support/engines';

/** The object-created use case against DynamoDB Local and s3rver, called directly: events are ours to repeat. */
const PATROL: Actor = { sub: 'chen.jie', role: 'patrol', teamId: 'team-01' };
const DEVICE: Actor = { sub: 'drone-03', role: 'device', deviceId: 'drone-03' };
const NOW = new Date('2024-01-16T02:00:00Z');
const BUCKET = 'uploads-under-test';
const capture = { make: 'HUAWEI', dateTimeOriginal: '2024:01:15 21:30:05', gps: { lat: 28.6829, lon: 115.8579 } };

const tables = useTestTables();
let s3Local: S3Local;
let s3: S3Client;
let tableName: string;
let cases: CaseStore;
let uploads: UploadStore;
let deps: Parameters<typeof processLandedObject>[0];

beforeAll(async () => {
  tableName = await tables.fresh();
  // No event handler: nothing runs unless the test calls it.
  s3Local = await startTestS3();
  s3 = testS3Client(s3Local.endpoint);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  cases = new CaseStore(tables.db, tableName);
  uploads = new UploadStore(tables.db, tableName);
  deps = { cases, uploads, bucket: new S3UploadBucket(s3, () => BUCKET), now: () => NOW };
});

afterAll(async () => {
  s3?.destroy();
  await s3Local?.stop();
});

/** A case as the store reads it; only what the photo transaction touches matters here. */
async function openCase(): Promise<string> {
  const caseId = `case-${randomUUID()}`;
  await tables.db.send(new PutCommand({
    TableName: tableName,
    Item: { ...caseKey(caseId), entity: 'case', caseId, status: 'open', photoCount: 0, version: 1, openedAt: NOW.toISOString() },
  }));
  return caseId;
}

/** What a presigned upload leaves behind: the pending record, then the bytes under its key. */
async function landed(purpose: Upload['purpose'], bytes: Uint8Array, contentType: string, caseId?: string): Promise<Upload> {
  const uploadId = `upl-${randomUUID().replace(/-/g, '').slice(0, 26).toUpperCase()}`;
  const upload: Upload = {
    uploadId, key: uploadObjectKey(purpose, uploadId), purpose, contentType, sizeBytes: bytes.length,
    ...(caseId ? { caseId } : {}), status: 'pending', uploadedBy: purpose === 'case_photo' ? PATROL : DEVICE, createdAt: NOW.toISOString(),
  };
  await uploads.create(upload, NOW);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: upload.key, Body: bytes, ContentType: contentType }));
  return upload;
}

const objectBytes = async (key: string) =>
  new Uint8Array(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToByteArray());
const exists = (key: string) => s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(() => true, () => false);
const gps = (bytes: Uint8Array) => exifr.parse(bytes, { tiff: true, xmp: true, iptc: true, icc: false, jfif: false, ihdr: false });

async function photosOf(caseId: string) {
  const detail = (await cases.getCaseDetail(caseId))!;
  return { count: detail.case.photoCount, photos: detail.photos, entries: detail.timeline.filter((e) => e.type === 'photo') };
}

describe('processLandedObject', () => {
  it('attaches a photo with its EXIF time and place, keeps a copy without metadata, and deletes the original', async () => {
    const caseId = await openCase();
    const bytes = jpegWithMetadata(capture);
    const upload = await landed('case_photo', bytes, 'image/jpeg', caseId);

    expect(await processLandedObject(deps, { key: upload.key })).toBe('stored');

    const { count, photos, entries } = await photosOf(caseId);
    expect(count).toBe(1);
    expect(photos).toEqual([expect.objectContaining({
      uploadId: upload.uploadId, key: upload.key, viewKey: `views/case_photo/${upload.uploadId}`, width: 32, height: 24,
      takenAt: '2024-01-15T21:30:05+08:00', takenAtOffsetAssumed: true, location: { lat: 28.6829, lon: 115.8579 },
    })]);
    expect(entries).toEqual([expect.objectContaining({
      uploadId: upload.uploadId, takenAt: '2024-01-15T21:30:05+08:00', location: { lat: 28.6829, lon: 115.8579 },
    })]);
    expect(await gps(await objectBytes(photos[0]!.viewKey))).toBeUndefined();
    // The original, with the phone's make and position in its EXIF, is gone once the clean copy is the photo.
    expect(await exists(upload.key)).toBe(false);
    expect(await uploads.get(upload.uploadId)).toMatchObject({ status: 'stored', width: 32, height: 24 });
  });

  it('treats an upload URL as used once: bytes put again under a stored photo are removed and attach nothing', async () => {
    const caseId = await openCase();
    const upload = await landed('case_photo', jpegWithMetadata(capture), 'image/jpeg', caseId);
    expect(await processLandedObject(deps, { key: upload.key })).toBe('stored');
    // The same URL used again (in the cloud S3 refuses it while the object is there; the original is gone by now).
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: upload.key, Body: jpegWithMetadata(capture), ContentType: 'image/jpeg' }));
    expect(await processLandedObject(deps, { key: upload.key })).toBe('stored');
    expect(await exists(upload.key)).toBe(false);
    expect((await photosOf(caseId)).count).toBe(1);
  });

  it('changes nothing when the event comes again, one after the other or at the same time', async () => {
    const caseId = await openCase();
    const upload = await landed('case_photo', jpegWithMetadata(capture), 'image/jpeg', caseId);
    const outcomes = await Promise.all([processLandedObject(deps, { key: upload.key }), processLandedObject(deps, { key: upload.key })]);
    expect(outcomes).toEqual(['stored', 'stored']);
    expect(await processLandedObject(deps, { key: upload.key })).toBe('stored');

    const { count, photos, entries } = await photosOf(caseId);
    expect(count).toBe(1);
    expect(photos).toHaveLength(1);
    expect(entries).toHaveLength(1);
  });

  it('ends right when retried after a crash between writing the view and the transaction', async () => {
    const caseId = await openCase();
    const bytes = jpegWithMetadata(capture);
    const upload = await landed('case_photo', bytes, 'image/jpeg', caseId);
    const crashing = {
      ...deps,
      cases: Object.assign(Object.create(cases) as CaseStore, {
        mutateCase: async () => { throw new Error('the function ran out of time'); },
      }),
    };

    await expect(processLandedObject(crashing, { key: upload.key })).rejects.toThrow('ran out of time');
    const viewKey = `views/case_photo/${upload.uploadId}`;
    expect(await exists(viewKey)).toBe(true);
    expect((await uploads.get(upload.uploadId))!.status).toBe('pending');
    expect((await photosOf(caseId)).count).toBe(0);

    expect(await processLandedObject(deps, { key: upload.key })).toBe('stored');
    const { count, photos, entries } = await photosOf(caseId);
    expect(count).toBe(1);
    expect(photos.map((p) => p.viewKey)).toEqual([viewKey]);
    expect(entries).toHaveLength(1);
    expect(Buffer.from(await objectBytes(viewKey)).equals(Buffer.from(stripImageMetadata(bytes)))).toBe(true);
  });

  it('rejects a damaged photo with the reason, and keeps neither it nor a view of it', async () => {
    const caseId = await openCase();
    const whole = jpegWithMetadata(capture);
    const upload = await landed('case_photo', whole.subarray(0, whole.length - 100), 'image/jpeg', caseId);

    expect(await processLandedObject(deps, { key: upload.key })).toBe('rejected');
    expect(await uploads.get(upload.uploadId)).toMatchObject({ status: 'rejected', reason: 'the JPEG is cut short inside its image data' });
    expect(await exists(upload.key)).toBe(false);
    expect(await exists(`views/case_photo/${upload.uploadId}`)).toBe(false);
    expect((await photosOf(caseId)).count).toBe(0);
  });

  it('keeps a thermal frame as the device sent it, under its upload key, with its size', async () => {
    const bytes = pngWithMetadata(capture);
    const upload = await landed('thermal_frame', bytes, 'image/png');

    expect(await processLandedObject(deps, { key: upload.key })).toBe('stored');
    expect(await uploads.get(upload.uploadId)).toMatchObject({ status: 'stored', key: upload.key, width: 4, height: 3 });
    expect(Buffer.from(await objectBytes(upload.key)).equals(Buffer.from(bytes))).toBe(true);
    expect(await exists(`views/thermal_frame/${upload.uploadId}`)).toBe(false);
  });
});
