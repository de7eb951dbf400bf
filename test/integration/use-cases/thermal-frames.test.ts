import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { monotonicFactory } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Local } from '#local/engines/s3-local';
import { S3UploadBucket } from '#shared/adapters/upload-bucket';
import { DEFAULT_CORRELATION } from '#shared/domain/correlation';
import { distanceM } from '#shared/domain/geo';
import { CaseStore } from '#shared/store/case-store';
import { DynamoDetectionIdLookup } from '#shared/store/detection-id-lookup';
import { IdempotencyStore } from '#shared/store/idempotency-store';
import { frameCropKey, uploadObjectKey } from '#shared/store/keys';
import { LandingStore } from '#shared/store/landing-store';
import { type Upload, UploadStore } from '#shared/store/upload-store';
import { processLandedObject } from '#shared/use-cases/uploads';
import { IdleWorkflow, openingDeps } from '../../support/evidence-deps';
import { startTestS3, testS3Client } from '../../support/engines';
import { useTestTables } from '../../support/test-tables';
import { frameTiff, sweep } from '../../support/thermal/frames';
import { radiometricTiff } from '../../support/thermal/tiff-writer';

/**
 * A thermal frame analysed where it lands: the use case the upload processor runs, against DynamoDB Local and s3rver,
 * called directly so that events can be delivered again. Frames are generated scenes written as DJI's TIFFs.
 */
const DEVICE = { sub: 'drone-03', role: 'device' as const, deviceId: 'drone-03' };
const BUCKET = 'frames-under-test';
const ulid = monotonicFactory();
const tables = useTestTables();
let s3Local: S3Local;
let s3: S3Client;
let deps: Parameters<typeof processLandedObject>[0] & { cases: CaseStore; uploads: UploadStore };

beforeAll(async () => {
  const tableName = await tables.fresh();
  s3Local = await startTestS3();
  s3 = testS3Client(s3Local.endpoint);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  deps = {
    ...openingDeps(tables.db, tableName),
    cases: new CaseStore(tables.db, tableName), idempotency: new IdempotencyStore(tables.db, tableName), uploads: new UploadStore(tables.db, tableName),
    landings: new LandingStore(tables.db, tableName), detectionIds: new DynamoDetectionIdLookup(tables.db, tableName), workflow: new IdleWorkflow(),
    now: () => new Date(), correlation: DEFAULT_CORRELATION, quotas: { helpPointCasesPerHour: 20, deviceCasesPerHour: 300 },
    bucket: new S3UploadBucket(s3, () => BUCKET),
  };
});

afterAll(async () => {
  s3?.destroy();
  await s3Local?.stop();
});

async function landed(bytes: Uint8Array, extra: Partial<Upload> = {}): Promise<Upload> {
  const uploadId = `upl-${ulid()}`;
  const upload: Upload = {
    uploadId, key: uploadObjectKey('thermal_frame', uploadId), purpose: 'thermal_frame', contentType: 'image/tiff', sizeBytes: bytes.length,
    status: 'pending', uploadedBy: DEVICE, createdAt: new Date().toISOString(), ...extra,
  };
  await deps.uploads.create(upload, new Date());
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: upload.key, Body: bytes, ContentType: 'image/tiff' }));
  return upload;
}

const exists = (key: string) => s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(() => true, () => false);
const SENSOR = { width: 320, height: 256 };

describe('analysing a thermal frame where it lands', () => {
  it("turns a person in the frame into a detection of the device, in a case near where they are, with the frame's crop", async () => {
    const [frame] = sweep(7, { people: 1, pairs: 0, blanketShare: 0, sittingShare: 0, distractors: ['dog'] }, { altitudeM: [35, 35], pitchDeg: [-90, -80], sensor: SENSOR });
    const upload = await landed(frameTiff(frame!));
    expect(await processLandedObject(deps, { key: upload.key })).toBe('analysed');

    const settled = (await deps.uploads.get(upload.uploadId))!;
    expect(settled).toMatchObject({ status: 'analysed', width: 320, height: 256, pose: { from: 'frame', hfovDeg: 45.5 } });
    const [spot] = settled.hotSpots!;
    expect(spot).toMatchObject({ detectionId: `${upload.uploadId}/1`, caseId: expect.stringMatching(/^case-/), box: expect.any(Array) });
    expect(spot!.confidence).toBeGreaterThanOrEqual(0.5);
    expect(distanceM(spot!, frame!.people[0]!)).toBeLessThan(8);
    expect(await exists(frameCropKey(upload.uploadId, 1))).toBe(true);
    // The frame itself is kept, as a device's frame is, for its detections to name.
    expect(await exists(upload.key)).toBe(true);

    const detail = (await deps.cases.getCaseDetail(spot!.caseId!))!;
    expect(detail.detections.find((d) => d.detectionId === spot!.detectionId))
      .toMatchObject({ deviceId: 'drone-03', source: 'drone_thermal', frameKey: upload.key, box: spot!.box });
  });

  it('analysed again after a crash between its detections and its verdict, yields the same detections once', async () => {
    const [frame] = sweep(8, { people: 2, pairs: 0, blanketShare: 0.5, sittingShare: 0, distractors: [] }, { altitudeM: [30, 40], sensor: SENSOR });
    const upload = await landed(frameTiff(frame!));
    const crashing = { ...deps, uploads: Object.assign(Object.create(deps.uploads) as UploadStore, { settle: async () => { throw new Error('ran out of time'); } }) };
    await expect(processLandedObject(crashing, { key: upload.key })).rejects.toThrow('ran out of time');
    expect((await deps.uploads.get(upload.uploadId))!.status).toBe('pending');

    expect(await processLandedObject(deps, { key: upload.key })).toBe('analysed');
    const spots = (await deps.uploads.get(upload.uploadId))!.hotSpots!;
    expect(spots.filter((h) => h.confidence >= 0.5)).toHaveLength(2);
    for (const spot of spots) {
      const detail = (await deps.cases.getCaseDetail(spot.caseId!))!;
      expect(detail.detections.filter((d) => d.detectionId === spot.detectionId)).toHaveLength(1);
      expect(detail.case.detectionCount).toBe(detail.detections.length);
    }
    // And an event delivered once more changes nothing.
    expect(await processLandedObject(deps, { key: upload.key })).toBe('analysed');
    expect((await deps.uploads.get(upload.uploadId))!.hotSpots).toEqual(spots);
  });

  it("makes one case of a sweep's frames of one person", async () => {
    const frames = sweep(9, { people: 1, pairs: 0, blanketShare: 0, sittingShare: 0, distractors: [] }, { count: 4, stepM: 5, altitudeM: [40, 40], pitchDeg: [-85, -70], sensor: SENSOR });
    const caseIds = new Set<string>();
    for (const frame of frames) {
      const upload = await landed(frameTiff(frame));
      expect(await processLandedObject(deps, { key: upload.key })).toBe('analysed');
      for (const hot of (await deps.uploads.get(upload.uploadId))!.hotSpots!.filter((h) => h.confidence >= 0.5)) caseIds.add(hot.caseId!);
    }
    expect(caseIds.size).toBe(1);
    const detail = (await deps.cases.getCaseDetail([...caseIds][0]!))!;
    expect(detail.case.detectionCount).toBeGreaterThanOrEqual(4);
    expect(distanceM(detail.case.location, frames[0]!.people[0]!)).toBeLessThan(6);
  });

  it('rejects a frame it cannot read or place, says why, and removes its bytes', async () => {
    const flat = new Float32Array(64 * 48).fill(-2);
    const threeChannels = await landed(radiometricTiff({ width: 64, height: 48, celsius: flat, samplesPerPixel: 3 }));
    expect(await processLandedObject(deps, { key: threeChannels.key })).toBe('rejected');
    expect(await deps.uploads.get(threeChannels.uploadId)).toMatchObject({ status: 'rejected', reason: expect.stringContaining('3 channels') });
    expect(await exists(threeChannels.key)).toBe(false);

    const noPose = await landed(radiometricTiff({ width: 64, height: 48, celsius: flat, make: 'DJI', model: 'M30T' }));
    expect(await processLandedObject(deps, { key: noPose.key })).toBe('rejected');
    expect(await deps.uploads.get(noPose.uploadId)).toMatchObject({ status: 'rejected', reason: expect.stringContaining('no pose') });
    expect(await exists(noPose.key)).toBe(false);
  });

  it('places a frame without metadata by the pose sent with its upload', async () => {
    const [frame] = sweep(10, { people: 1, pairs: 0, blanketShare: 0, sittingShare: 1, distractors: [] }, { altitudeM: [30, 30], pitchDeg: [-90, -90], sensor: SENSOR });
    const p = frame!.reportedPose;
    const bare = radiometricTiff({ width: frame!.width, height: frame!.height, celsius: frame!.celsius, encoding: 'uint16_centikelvin' });
    const capturedAt = new Date(Date.now() - 60_000).toISOString();
    const upload = await landed(bare, { source: 'fixed_thermal', requestedPose: { lat: p.lat, lon: p.lon, relativeAltitudeM: p.relativeAltitudeM, gimbalPitchDeg: p.gimbalPitchDeg, gimbalYawDeg: p.gimbalYawDeg, hfovDeg: 45.5, capturedAt } });
    expect(await processLandedObject(deps, { key: upload.key })).toBe('analysed');
    const settled = (await deps.uploads.get(upload.uploadId))!;
    expect(settled.pose).toMatchObject({ from: 'request', capturedAt });
    const [spot] = settled.hotSpots!;
    expect(distanceM(spot!, frame!.people[0]!)).toBeLessThan(8);
    const detail = (await deps.cases.getCaseDetail(spot!.caseId!))!;
    expect(detail.detections[0]).toMatchObject({ source: 'fixed_thermal', observedAt: capturedAt });
  });
});
