/**
 * Drone frames as bytes: a generated scene rendered and written as the radiometric TIFF a DJI thermal camera makes,
 * its reported pose (with the sensors' errors) in the `drone-dji:` XMP.
 */
import { type FrameSpec, makeScene, movedDrone, randomFrameSpec, renderFrame, type RenderedFrame, type SceneMix, seeded } from './scenes';
import { djiXmp, radiometricTiff, type RadiometricEncoding } from './tiff-writer';

export const NANCHANG = { lat: 28.6829, lon: 115.8579 };

/** `YYYY:MM:DD HH:MM:SS` in China's zone, as DJI writes DateTimeOriginal (no offset). */
export const djiTime = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, ':');

export function frameTiff(frame: RenderedFrame, options: { takenAt?: Date; encoding?: RadiometricEncoding; model?: string } = {}): Uint8Array {
  const pose = frame.reportedPose;
  return radiometricTiff({
    width: frame.width, height: frame.height, celsius: frame.celsius, encoding: options.encoding ?? 'float32_celsius',
    make: 'DJI', model: options.model ?? 'M30T', dateTimeOriginal: djiTime(options.takenAt ?? new Date()),
    xmp: djiXmp({ lat: pose.lat, lon: pose.lon, relativeAltitudeM: pose.relativeAltitudeM, gimbalPitchDeg: pose.gimbalPitchDeg, gimbalYawDeg: pose.gimbalYawDeg, gimbalRollDeg: pose.gimbalRollDeg ?? 0 }),
  });
}

/**
 * A sweep: the same scene seen `count` times as the drone flies on `stepM` metres between frames (the scene placed
 * in view of the first). Sensor 640 × 512 unless told; the camera is an M30T's (45.5°).
 */
export function sweep(seed: number, mix: SceneMix, options: { count?: number; stepM?: number; origin?: { lat: number; lon: number }; altitudeM?: [number, number]; pitchDeg?: [number, number]; sensor?: { width: number; height: number } } = {}): RenderedFrame[] {
  const random = seeded(seed);
  const spec: FrameSpec = randomFrameSpec(random, options.origin ?? NANCHANG, {
    ...(options.altitudeM ? { altitudeM: options.altitudeM } : {}), ...(options.pitchDeg ? { pitchDeg: options.pitchDeg } : {}),
    ...(options.sensor ? { sensor: options.sensor } : {}),
  });
  const scene = makeScene(random, spec, mix);
  const heading = random() * 2 * Math.PI;
  return Array.from({ length: options.count ?? 1 }, (_, i) => {
    const moved = movedDrone(spec, scene, { east: Math.sin(heading) * (options.stepM ?? 4) * i, north: Math.cos(heading) * (options.stepM ?? 4) * i });
    return renderFrame(random, moved.spec, moved.scene);
  });
}
