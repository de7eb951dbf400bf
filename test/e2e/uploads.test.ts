import exifr from 'exifr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/runtime/local-stack';
import { jpegWithMetadata, plainJpeg, pngWithMetadata } from '../support/image-fixtures';
import { ApiClient, eventually, sightingBody, startTestStack, synthesizeForTest, loadDemoDirectory } from '../support/local-stack';

/** Direct uploads to the local S3 with presigned URLs, processed by the handler the bucket's event rule names. */
let stack: LocalStack;
let api: ApiClient;
let patrol: string;
let device: string;
let caseId: string;

// Whole, well-formed images: the processing reads their structure, not only the first bytes.
const jpeg = Buffer.from(plainJpeg());
const png = Buffer.from(pngWithMetadata({ make: 'FLIR', dateTimeOriginal: '2024:01:15 21:30:05' }));
/** As a phone takes it on patrol: time with its offset, and the GPS position. */
const phonePhoto = Buffer.from(jpegWithMetadata({
  make: 'HUAWEI', dateTimeOriginal: '2024:01:15 21:30:05', offsetTimeOriginal: '+08:00', gps: { lat: 28.6829, lon: 115.8579 },
}));

async function upload(token: string, request: Record<string, unknown>, bytes: Buffer, sentType?: string) {
  const created = await api.call('POST', '/v1/uploads', { token, body: request });
  expect(created.status).toBe(201);
  // Like a browser, fetch sets Content-Length from the body itself.
  const { 'content-length': _length, ...headers } = created.body.headers;
  const put = await fetch(created.body.url, {
    method: created.body.method,
    headers: { ...headers, 'content-type': sentType ?? created.body.headers['content-type'] },
    body: bytes,
  });
  return { created: created.body, put };
}

const settled = (token: string, uploadId: string) => eventually(async () => {
  const r = await api.call('GET', `/v1/uploads/${uploadId}`, { token });
  return r.body.status === 'pending' ? undefined : r.body;
}, 10_000, `upload ${uploadId} to be processed`);

beforeAll(async () => {
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates);
  // The directory the access policy checks members against: the demo city's station and teams.
  await loadDemoDirectory();
  api = new ApiClient(stack.url);
  patrol = await api.token({ role: 'patrol', sub: 'chen.jie', teamId: 'team-01' });
  device = await api.token({ role: 'device', sub: 'drone-03', deviceId: 'drone-03' });
  caseId = (await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody() })).body.caseId;
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('uploads', () => {
  it('gives a retry with the same Idempotency-Key the same upload and URL', async () => {
    const body = { purpose: 'case_photo', contentType: 'image/jpeg', sizeBytes: 1234, caseId };
    const headers = { 'idempotency-key': `upload-${Date.now()}` };
    const first = await api.call('POST', '/v1/uploads', { token: patrol, body, headers });
    const again = await api.call('POST', '/v1/uploads', { token: patrol, body, headers });
    expect(first.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect((await api.call('POST', '/v1/uploads', { token: patrol, body: { ...body, sizeBytes: 99 }, headers })).status).toBe(409);
  });

  it('attaches a photo to its case, shown only through a short-lived URL', async () => {
    const { created, put } = await upload(patrol, { purpose: 'case_photo', contentType: 'image/jpeg', sizeBytes: jpeg.length, caseId }, jpeg);
    expect(put.status).toBe(200);
    expect(created).toMatchObject({ uploadId: expect.stringMatching(/^upl-/), method: 'PUT', key: expect.stringContaining('uploads/case_photo/') });
    expect(Date.parse(created.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect((await settled(patrol, created.uploadId)).status).toBe('stored');

    const detail = await api.call('GET', `/v1/cases/${caseId}`, { token: patrol });
    expect(detail.body.photoCount).toBe(1);
    expect(detail.body.timeline.at(-1)).toMatchObject({ type: 'photo', uploadId: created.uploadId, actor: { sub: 'chen.jie' } });
    const [photo] = detail.body.photos;
    expect(photo.key).toBeUndefined();
    expect(photo.url).toContain('X-Amz-Expires=300');
    const fetched = await fetch(photo.url);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(jpeg)).toBe(true);
  });

  it('rejects bytes that are not the image announced, removes them, and tells the sender why', async () => {
    const { created, put } = await upload(patrol, { purpose: 'case_photo', contentType: 'image/png', sizeBytes: jpeg.length, caseId }, jpeg);
    expect(put.status).toBe(200);
    const verdict = await settled(patrol, created.uploadId);
    expect(verdict).toMatchObject({ status: 'rejected', reason: 'the file is image/jpeg, but image/png was announced' });
    const detail = await api.call('GET', `/v1/cases/${caseId}`, { token: patrol });
    expect(detail.body.photos.map((p: { uploadId: string }) => p.uploadId)).not.toContain(created.uploadId);
    const s3 = await fetch(`${stack.endpoints.s3}/${stack.model.buckets[0]!.name}/${created.key}`);
    expect(s3.status).toBeGreaterThanOrEqual(400);
  });

  it('reads time and place from a photo\'s EXIF, and shows only a copy without metadata', async () => {
    const { created } = await upload(patrol, { purpose: 'case_photo', contentType: 'image/jpeg', sizeBytes: phonePhoto.length, caseId }, phonePhoto);
    expect(await settled(patrol, created.uploadId)).toMatchObject({ status: 'stored', width: 32, height: 24 });

    const detail = await api.call('GET', `/v1/cases/${caseId}`, { token: patrol });
    const photo = detail.body.photos.find((p: { uploadId: string }) => p.uploadId === created.uploadId);
    expect(photo).toMatchObject({ takenAt: '2024-01-15T21:30:05+08:00', takenAtOffsetAssumed: false, location: { lat: 28.6829, lon: 115.8579 } });
    expect(photo.viewKey).toBeUndefined();
    expect(detail.body.timeline.find((e: { uploadId?: string }) => e.uploadId === created.uploadId))
      .toMatchObject({ type: 'photo', takenAt: '2024-01-15T21:30:05+08:00', location: { lat: 28.6829, lon: 115.8579 } });

    const url = new URL(photo.url);
    expect(url.pathname).not.toContain(created.key);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    const shown = new Uint8Array(await (await fetch(url)).arrayBuffer());
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(phonePhoto.length);
    expect(await exifr.parse(shown, { tiff: true, xmp: true, iptc: true, icc: false, jfif: false })).toBeUndefined();
    expect(await exifr.parse(phonePhoto, { tiff: true, xmp: true, iptc: true, icc: false, jfif: false })).toMatchObject({ latitude: 28.6829 });
  });

  it('rejects a photo cut short, telling the sender why', async () => {
    const cut = phonePhoto.subarray(0, phonePhoto.length - 100);
    const { created } = await upload(patrol, { purpose: 'case_photo', contentType: 'image/jpeg', sizeBytes: cut.length, caseId }, cut);
    expect(await settled(patrol, created.uploadId)).toMatchObject({ status: 'rejected', reason: 'the JPEG is cut short inside its image data' });
  });

  it('keeps thermal frames from devices without attaching them to a case', async () => {
    const { created, put } = await upload(device, { purpose: 'thermal_frame', contentType: 'image/png', sizeBytes: png.length }, png);
    expect(put.status).toBe(200);
    expect(await settled(device, created.uploadId)).toMatchObject({ status: 'stored', key: created.key, width: 4, height: 3 });
  });

  it('enforces type and size through the signed URL itself', async () => {
    const wrongType = await upload(patrol, { purpose: 'case_photo', contentType: 'image/jpeg', sizeBytes: jpeg.length, caseId }, jpeg, 'image/gif');
    expect(wrongType.put.status).toBe(403);
    const wrongSize = await upload(patrol, { purpose: 'case_photo', contentType: 'image/jpeg', sizeBytes: jpeg.length + 10, caseId }, jpeg);
    expect(wrongSize.put.status).toBe(403);
  });

  it('refuses uploads outside the limits with a problem response', async () => {
    const tooBig = await api.call('POST', '/v1/uploads', { token: patrol, body: { purpose: 'case_photo', contentType: 'image/jpeg', sizeBytes: 16 * 1024 * 1024, caseId } });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.errors[0].path).toBe('sizeBytes');
    const gif = await api.call('POST', '/v1/uploads', { token: patrol, body: { purpose: 'case_photo', contentType: 'image/gif', sizeBytes: 10, caseId } });
    expect(gif.status).toBe(400);
    const noCase = await api.call('POST', '/v1/uploads', { token: patrol, body: { purpose: 'case_photo', contentType: 'image/jpeg', sizeBytes: 10 } });
    expect(noCase.body.errors[0].path).toBe('caseId');
    const unknownCase = await api.call('POST', '/v1/uploads', {
      token: patrol, body: { purpose: 'case_photo', contentType: 'image/jpeg', sizeBytes: 10, caseId: 'case-01ARZ3NDEKTSV4RRFFQ69G5FAV' },
    });
    expect(unknownCase.status).toBe(404);
    const devicePhoto = await api.call('POST', '/v1/uploads', { token: device, body: { purpose: 'case_photo', contentType: 'image/jpeg', sizeBytes: 10, caseId } });
    expect(devicePhoto.status).toBe(403);
    const stranger = await api.token({ role: 'patrol', sub: 'someone.else' });
    const { created } = await upload(patrol, { purpose: 'case_photo', contentType: 'image/jpeg', sizeBytes: jpeg.length, caseId }, jpeg);
    expect((await api.call('GET', `/v1/uploads/${created.uploadId}`, { token: stranger })).status).toBe(404);
  });
});
