import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceM } from '#shared/domain/geo';
import { canonicalAngles } from '#shared/domain/thermal/frame-pose';
import { type CameraPose, groundAccuracyM, groundSampleM, groundToPixel, latLonToOffset, pixelToGround } from '#shared/domain/thermal/camera';

const FRAME = { width: 640, height: 512 };
const NADIR: CameraPose = { lat: 28.68, lon: 115.86, relativeAltitudeM: 40, gimbalPitchDeg: -90, gimbalYawDeg: 0, gimbalRollDeg: 0, hfovDeg: 45.5 };

const poses = fc.record({
  lat: fc.double({ min: 18, max: 50, noNaN: true }),
  lon: fc.double({ min: 75, max: 130, noNaN: true }),
  relativeAltitudeM: fc.double({ min: 5, max: 150, noNaN: true }),
  gimbalPitchDeg: fc.double({ min: -90, max: -30, noNaN: true }),
  gimbalYawDeg: fc.double({ min: -180, max: 180, noNaN: true }),
  gimbalRollDeg: fc.double({ min: -10, max: 10, noNaN: true }),
  hfovDeg: fc.double({ min: 20, max: 70, noNaN: true }),
});

describe('the camera model', () => {
  it('puts the centre of a frame looking straight down directly below the drone', () => {
    const below = pixelToGround(NADIR, FRAME, { x: 320, y: 256 })!;
    expect(distanceM(below, NADIR)).toBeLessThan(0.01);
  });

  it('sees north at the top of the frame at yaw 0, and east at the top at yaw 90', () => {
    const top = latLonToOffset(NADIR, pixelToGround(NADIR, FRAME, { x: 320, y: 0 })!);
    expect(top.north).toBeGreaterThan(10);
    expect(Math.abs(top.east)).toBeLessThan(0.01);
    const right = latLonToOffset(NADIR, pixelToGround(NADIR, FRAME, { x: 640, y: 256 })!);
    expect(right.east).toBeCloseTo(40 * Math.tan((45.5 / 2) * Math.PI / 180), 1);
    const turned = { ...NADIR, gimbalYawDeg: 90 };
    const topTurned = latLonToOffset(NADIR, pixelToGround(turned, FRAME, { x: 320, y: 0 })!);
    expect(topTurned.east).toBeGreaterThan(10);
    expect(Math.abs(topTurned.north)).toBeLessThan(0.01);
  });

  it('looks ahead along the yaw when pitched up from nadir', () => {
    const ahead = latLonToOffset(NADIR, pixelToGround({ ...NADIR, gimbalPitchDeg: -45, gimbalYawDeg: 90 }, FRAME, { x: 320, y: 256 })!);
    expect(ahead.east).toBeCloseTo(40, 0);
    expect(Math.abs(ahead.north)).toBeLessThan(0.01);
  });

  it('takes a ground point to a pixel and back to the same ground point', () => {
    fc.assert(fc.property(poses, fc.double({ min: 0, max: 639, noNaN: true }), fc.double({ min: 0, max: 511, noNaN: true }), (pose, x, y) => {
      const ground = pixelToGround(pose, FRAME, { x, y });
      if (!ground) return true;
      const pixel = groundToPixel(pose, FRAME, ground)!;
      expect(pixel.x).toBeCloseTo(x, 4);
      expect(pixel.y).toBeCloseTo(y, 4);
      expect(distanceM(pixelToGround(pose, FRAME, pixel)!, ground)).toBeLessThan(0.001);
      return true;
    }), { numRuns: 300 });
  });

  it('places a gimbal reported upside down (roll 180, yaw + 180, pitch past nadir) where the upright pose does', () => {
    fc.assert(fc.property(poses, fc.double({ min: 0, max: 639, noNaN: true }), fc.double({ min: 0, max: 511, noNaN: true }), (pose, x, y) => {
      const roll = pose.gimbalRollDeg ?? 0;
      const flipped = { ...pose, gimbalYawDeg: pose.gimbalYawDeg + 180, gimbalPitchDeg: -180 - pose.gimbalPitchDeg, gimbalRollDeg: roll > 0 ? roll - 180 : roll + 180 };
      const upright = pixelToGround(pose, FRAME, { x, y });
      const asFlipped = pixelToGround(flipped, FRAME, { x, y });
      if (!upright) return asFlipped === undefined;
      expect(distanceM(asFlipped!, upright)).toBeLessThan(0.001);
      // Read back as the upright angles they are.
      const canonical = canonicalAngles(flipped);
      expect(canonical.gimbalPitchDeg).toBeCloseTo(pose.gimbalPitchDeg, 6);
      expect(canonical.gimbalRollDeg).toBeCloseTo(roll, 6);
      expect(distanceM(pixelToGround(canonical, FRAME, { x, y })!, upright)).toBeLessThan(0.001);
      return true;
    }), { numRuns: 200 });
  });

  it('finds nothing on the ground above the horizon', () => {
    expect(pixelToGround({ ...NADIR, gimbalPitchDeg: -5 }, FRAME, { x: 320, y: 0 })).toBeUndefined();
  });

  it('has pixels cover more ground the higher and the more obliquely it looks', () => {
    const low = groundSampleM(NADIR, FRAME, { x: 320, y: 256 })!;
    const high = groundSampleM({ ...NADIR, relativeAltitudeM: 80 }, FRAME, { x: 320, y: 256 })!;
    expect(high.across).toBeCloseTo(2 * low.across, 3);
    const oblique = groundSampleM({ ...NADIR, gimbalPitchDeg: -45 }, FRAME, { x: 320, y: 256 })!;
    expect(oblique.along).toBeGreaterThan(1.9 * low.along);
  });

  it('is less sure of a place seen obliquely than of one straight below', () => {
    const below = groundAccuracyM(NADIR, FRAME, { x: 320, y: 256 })!;
    const oblique = groundAccuracyM({ ...NADIR, gimbalPitchDeg: -45 }, FRAME, { x: 320, y: 256 })!;
    const far = groundAccuracyM({ ...NADIR, gimbalPitchDeg: -30 }, FRAME, { x: 320, y: 100 })!;
    expect(below).toBeGreaterThan(2);
    expect(below).toBeLessThan(4);
    expect(oblique).toBeGreaterThan(below);
    expect(far).toBeGreaterThan(3 * below);
  });
});
