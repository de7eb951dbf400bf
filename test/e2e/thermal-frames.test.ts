import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/runtime/local-stack';
import { distanceM } from '#shared/domain/geo';
import { ApiClient, eventually, loadDemoDirectory, startTestStack, synthesizeForTest } from '../support/local-stack';
import { frameTiff, sweep } from '../support/thermal/frames';
import { radiometricTiff } from '../support/thermal/tiff-writer';

/**
 * A drone's radiometric frame from the presigned upload to a case: the bytes go straight to the local S3, the
 * bucket's event runs the upload processor the CDK app defines, and the hot spots come back as detections in cases
 * whose detail shows the frame's crop.
 */
let stack: LocalStack;
let api: ApiClient;
let device: string;
let coordinator: string;

async function sendFrame(token: string, bytes: Uint8Array, extra: Record<string, unknown> = {}) {
  const created = await api.call('POST', '/v1/uploads', { token, body: { purpose: 'thermal_frame', contentType: 'image/tiff', sizeBytes: bytes.length, ...extra } });
  expect(created.status).toBe(201);
  const { 'content-length': _length, ...headers } = created.body.headers;
  const put = await fetch(created.body.url, { method: 'PUT', headers, body: bytes });
  expect(put.status).toBe(200);
  return eventually(async () => {
    const r = await api.call('GET', `/v1/uploads/${created.body.uploadId}`, { token });
    return r.body.status === 'pending' ? undefined : r.body;
  }, 20_000, `frame ${created.body.uploadId} to be analysed`);
}

beforeAll(async () => {
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates);
  await loadDemoDirectory();
  api = new ApiClient(stack.url);
  device = await api.token({ role: 'device', sub: 'drone-03', deviceId: 'drone-03' });
  coordinator = await api.token({ role: 'coordinator', sub: 'li.coord' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('thermal frames', () => {
  it('finds the person in a drone frame and puts them in a case, with the crop of the frame around them', async () => {
    const [frame] = sweep(3, { people: 1, pairs: 0, blanketShare: 1, sittingShare: 0, distractors: ['vent'] }, { altitudeM: [40, 40], pitchDeg: [-90, -85] });
    const upload = await sendFrame(device, frameTiff(frame!, { takenAt: new Date(Date.now() - 120_000) }));
    expect(upload).toMatchObject({ status: 'analysed', width: 640, height: 512, pose: { from: 'frame', notes: [expect.stringContaining('Matrice 30T')] } });
    const people = upload.hotSpots.filter((h: { confidence: number }) => h.confidence >= 0.5);
    expect(people).toHaveLength(1);
    const [spot] = people;
    expect(spot).toMatchObject({ detectionId: `${upload.uploadId}/1`, caseId: expect.stringMatching(/^case-/), accuracyM: expect.any(Number) });
    expect(distanceM(spot, frame!.people[0]!)).toBeLessThan(8);

    const detail = await api.call('GET', `/v1/cases/${spot.caseId}`, { token: coordinator });
    expect(detail.status).toBe(200);
    const detection = detail.body.detections.find((d: { detectionId: string }) => d.detectionId === spot.detectionId);
    expect(detection).toMatchObject({ deviceId: 'drone-03', source: 'drone_thermal', box: spot.box, frameKey: upload.key });
    expect(new URL(detection.cropUrl).searchParams.get('X-Amz-Expires')).toBe('300');
    const crop = new Uint8Array(await (await fetch(detection.cropUrl)).arrayBuffer());
    expect([...crop.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    // The crop's URL is in the case's access log, as a photo's is.
    const log = await api.call('GET', `/v1/cases/${spot.caseId}/access-log`, { token: coordinator });
    expect(log.body.items.some((e: { what: string; count?: number }) => e.what === 'photo_url' && (e.count ?? 0) >= 1)).toBe(true);
  });

  it('refuses bad frames and bad requests with the reason, changing nothing', async () => {
    const flat = new Float32Array(64 * 48).fill(-1);
    const noPose = await sendFrame(device, radiometricTiff({ width: 64, height: 48, celsius: flat }));
    expect(noPose).toMatchObject({ status: 'rejected', reason: expect.stringContaining('no pose') });

    const tiffPhoto = await api.call('POST', '/v1/uploads', { token: coordinator, body: { purpose: 'case_photo', contentType: 'image/tiff', sizeBytes: 10, caseId: 'case-01ARZ3NDEKTSV4RRFFQ69G5FAV' } });
    expect(tiffPhoto.status).toBe(400);
    const lookingUp = await api.call('POST', '/v1/uploads', {
      token: device, body: {
        purpose: 'thermal_frame', contentType: 'image/tiff', sizeBytes: 10,
        pose: { lat: 28.68, lon: 115.86, relativeAltitudeM: 40, gimbalPitchDeg: 20, gimbalYawDeg: 0, hfovDeg: 45, capturedAt: new Date().toISOString() },
      },
    });
    expect(lookingUp.status).toBe(400);
    expect(lookingUp.body.errors[0].path).toBe('pose.gimbalPitchDeg');
    const otherDevice = await api.call('POST', '/v1/uploads', { token: device, body: { purpose: 'thermal_frame', contentType: 'image/tiff', sizeBytes: 10, deviceId: 'drone-07' } });
    expect(otherDevice.status).toBe(403);
  });
});
