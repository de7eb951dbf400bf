import { describe, expect, it } from 'vitest';
import { readRadiometricFrame } from '#shared/adapters/radiometric-frame';
import { resolvePose } from '#shared/domain/thermal/frame-pose';
import { djiXmp, radiometricTiff, type TiffOptions } from '../../support/thermal/tiff-writer';

/** Radiometric TIFFs as drones write them: bytes in, temperatures and pose out, or the reason they cannot be used. */
const NOW = new Date('2026-01-13T00:00:00+08:00');
const W = 64;
const H = 48;
const scene = () => {
  const c = new Float32Array(W * H).fill(-2.5);
  c[10 * W + 20] = 31.25;
  return c;
};
const M30T = { lat: 28.6711, lon: 115.8812, relativeAltitudeM: 40.2, gimbalPitchDeg: -89.9, gimbalYawDeg: 123.4 };
const tiff = (options: Partial<TiffOptions> = {}) => radiometricTiff({
  width: W, height: H, celsius: scene(), xmp: djiXmp(M30T), make: 'DJI', model: 'M30T', dateTimeOriginal: '2026:01:12 23:10:04', ...options,
});

async function read(bytes: Uint8Array) {
  const reading = await readRadiometricFrame(bytes, { now: NOW });
  if (!reading.ok) throw new Error(reading.reason);
  return reading;
}

describe('reading a radiometric frame', () => {
  it('reads 32-bit float °C and 16-bit 0.01 K alike', async () => {
    const float = await read(tiff());
    const centi = await read(tiff({ encoding: 'uint16_centikelvin' }));
    expect(float.image).toMatchObject({ width: W, height: H });
    expect(float.image.celsius[10 * W + 20]).toBeCloseTo(31.25, 3);
    expect(centi.image.celsius[10 * W + 20]).toBeCloseTo(31.25, 1);
    expect(centi.image.celsius[0]).toBeCloseTo(-2.5, 1);
  });

  it("reads DJI's drone-dji XMP pose, the camera model's field of view and the capture time in China's zone", async () => {
    const { metadata, image } = await read(tiff());
    expect(metadata).toMatchObject({ make: 'DJI', model: 'M30T', takenAt: '2026-01-12T23:10:04+08:00' });
    const pose = resolvePose({ frame: metadata, width: image.width });
    expect(pose).toMatchObject({
      ok: true, from: 'frame', capturedAt: '2026-01-12T23:10:04+08:00',
      pose: { lat: 28.6711, lon: 115.8812, relativeAltitudeM: 40.2, gimbalPitchDeg: -89.9, gimbalYawDeg: 123.4, hfovDeg: 45.5 },
    });
    expect(pose.ok && pose.notes.join()).toContain('Matrice 30T');
  });

  it("reads older firmware's misspelled GpsLongtitude", async () => {
    const { metadata, image } = await read(tiff({ xmp: djiXmp({ ...M30T, misspelledLongitude: true }) }));
    expect(resolvePose({ frame: metadata, width: image.width })).toMatchObject({ ok: true, pose: { lon: 115.8812 } });
  });

  it('takes the flight heading and a camera looking straight down when the gimbal angles are all 0 (not recorded)', async () => {
    const { metadata, image } = await read(tiff({ xmp: djiXmp({ ...M30T, gimbalPitchDeg: 0, gimbalYawDeg: 0, gimbalRollDeg: 0, flightYawDeg: -75.5 }) }));
    const pose = resolvePose({ frame: metadata, width: image.width });
    expect(pose).toMatchObject({ ok: true, pose: { gimbalPitchDeg: -90, gimbalYawDeg: -75.5 } });
    expect(pose.ok && pose.uncertainty.pitchDeg).toBeGreaterThan(1);
  });

  it('reads a gimbal reported upside down as the same rotation, upright', async () => {
    const { metadata, image } = await read(tiff({ xmp: djiXmp({ ...M30T, gimbalPitchDeg: -100, gimbalYawDeg: 10, gimbalRollDeg: 180 }) }));
    const pose = resolvePose({ frame: metadata, width: image.width });
    expect(pose).toMatchObject({ ok: true, pose: { gimbalPitchDeg: -80, gimbalYawDeg: -170, gimbalRollDeg: 0 } });
  });

  it("prefers the upload's pose to the frame's", async () => {
    const { metadata, image } = await read(tiff());
    const requested = { ...M30T, lat: 28.7, gimbalPitchDeg: -60, hfovDeg: 40, capturedAt: '2026-01-12T23:11:00+08:00' };
    expect(resolvePose({ requested, frame: metadata, width: image.width })).toMatchObject({
      ok: true, from: 'request', capturedAt: '2026-01-12T23:11:00+08:00', pose: { lat: 28.7, gimbalPitchDeg: -60, hfovDeg: 40 },
    });
  });

  it('says why a frame cannot be placed: no pose anywhere, an unknown camera, an impossible height', async () => {
    const bare = await read(tiff({ xmp: undefined as unknown as string }));
    expect(resolvePose({ frame: bare.metadata, width: W })).toMatchObject({ ok: false, reason: expect.stringContaining('has no pose') });
    const unknown = await read(tiff({ model: 'SOME-CAM 9' }));
    expect(resolvePose({ frame: unknown.metadata, width: W })).toMatchObject({ ok: false, reason: expect.stringContaining('send pose.hfovDeg') });
    const underground = await read(tiff({ xmp: djiXmp({ ...M30T, relativeAltitudeM: -3 }) }));
    expect(resolvePose({ frame: underground.metadata, width: W })).toMatchObject({ ok: false, reason: expect.stringContaining('height of -3 m') });
    const upward = await read(tiff({ xmp: djiXmp({ ...M30T, gimbalPitchDeg: 20 }) }));
    expect(resolvePose({ frame: upward.metadata, width: W })).toMatchObject({ ok: false, reason: expect.stringContaining('does not look down') });
  });

  it('refuses what is not one channel of temperatures, or whose size lies', async () => {
    const reason = async (bytes: Uint8Array) => {
      const reading = await readRadiometricFrame(bytes, { now: NOW });
      return reading.ok ? 'read' : reading.reason;
    };
    expect(await reason(tiff({ samplesPerPixel: 3 }))).toContain('3 channels');
    expect(await reason(tiff({ claimedSize: { width: 640, height: 512 } }))).toMatch(/says 640 × 512 pixels .* but stores/);
    expect(await reason(tiff({ claimedSize: { width: 60_000, height: 60_000 } }))).toContain('not a thermal sensor');
    const bytes = tiff();
    expect(await reason(bytes.subarray(0, 200))).toMatch(/cannot be read|beyond its end/);
    const kelvinAsCelsius = tiff({ celsius: new Float32Array(W * H).fill(270) });
    expect(await reason(kelvinAsCelsius)).toBe('read');
    const notTemperatures = tiff({ celsius: new Float32Array(W * H).fill(5000) });
    expect(await reason(notTemperatures)).toContain('are not temperatures');
  });
});
