import { readRadiometricFrame } from '../adapters/radiometric-frame';
import { frameCropPng } from '../adapters/thermal-crop';
import type { Actor } from '../domain/case';
import { type CameraPose, groundAccuracyM, pixelToGround, pixelToGroundOffset } from '../domain/thermal/camera';
import { resolvePose } from '../domain/thermal/frame-pose';
import { findHotSpots } from '../domain/thermal/hot-spots';
import { frameCropKey } from '../store/keys';
import type { AnalysedPose, FrameHotSpot, Upload } from '../store/upload-store';
import type { Dependencies } from './dependencies';
import { ingestDetections } from './ingest-detections';

/**
 * A radiometric thermal frame, analysed where it lands: its pose read (the upload's, or the frame's own metadata),
 * its hot spots found by contrast to their surroundings, each placed on the ground with how far off it may be, and
 * sent as a detection of the device through the same correlation as `POST /v1/detections`, so that a sweep's frames
 * of one person make one case. A frame that cannot be read or placed is rejected with the reason, its bytes removed.
 *
 * Analysing a frame twice (an event delivered again, a retry after a crash) finds the same hot spots under the same
 * detection ids: the second time they are duplicates pointing at the same cases, and nothing is counted twice.
 */

/** Hot spots under this are not reported at all (noise, a warm stone); from it to 0.5 they open unverified leads. */
export const REPORTED_CONFIDENCE = 0.3;
/** At most this many hot spots a frame: a frame with more is a warm surface broken into pieces, not a crowd. */
const MAX_HOT_SPOTS = 40;

export type FrameDeps = Parameters<typeof ingestDetections>[0] & Pick<Dependencies, 'bucket' | 'uploads' | 'now'>;

export type FrameOutcome = { status: 'analysed'; hotSpots: FrameHotSpot[] } | { status: 'rejected'; reason: string };

/**
 * What a frame shows and where: read, posed, its hot spots found and placed on the ground. Pure of storage, so that
 * the benchmark measures exactly what the processor runs.
 */
export async function locateHotSpots(bytes: Uint8Array, context: { requestedPose?: Upload['requestedPose']; now: Date }) {
  const reading = await readRadiometricFrame(bytes, { now: context.now });
  if (!reading.ok) return reading;
  const { image, metadata } = reading;
  const frame = { width: image.width, height: image.height };
  const resolved = resolvePose({ ...(context.requestedPose ? { requested: context.requestedPose } : {}), frame: metadata, width: image.width });
  if (!resolved.ok) return resolved;
  const { pose, uncertainty } = resolved;
  const found = findHotSpots(image, (x, y) => pixelToGroundOffset(pose, frame, { x, y }), { minConfidence: REPORTED_CONFIDENCE }).slice(0, MAX_HOT_SPOTS);
  const placed = found.flatMap((spot) => {
    const at = pixelToGround(pose, frame, spot.centre);
    const accuracy = groundAccuracyM(pose, frame, spot.centre, uncertainty);
    // Seen so near the horizon that a degree of pitch moves it by a street: not placed.
    if (!at || accuracy === undefined || accuracy > 100) return [];
    return [{ spot, at, accuracyM: Math.round(Math.max(1, accuracy) * 10) / 10, crop: () => frameCropPng(image, spot.box) }];
  });
  return { ok: true as const, frame, resolved, placed };
}

export async function analyseThermalFrame(deps: FrameDeps, upload: Upload, bytes: Uint8Array): Promise<FrameOutcome> {
  const now = deps.now();
  const located = await locateHotSpots(bytes, { ...(upload.requestedPose ? { requestedPose: upload.requestedPose } : {}), now });
  if (!located.ok) return reject(deps, upload, located.reason);
  const { frame, resolved, placed } = located;
  const { pose } = resolved;

  const observedAt = observedTime(resolved.capturedAt, now);
  const deviceId = upload.deviceId ?? upload.uploadedBy.deviceId ?? upload.uploadedBy.sub;
  // The crops first, under keys fixed by the upload: a retry writes them again, and a detection never points at none.
  await Promise.all(placed.map(({ crop }, i) => deps.bucket.put(frameCropKey(upload.uploadId, i + 1), crop(), 'image/png')));
  const detections = placed.map(({ spot, at, accuracyM }, i) => ({
    detectionId: `${upload.uploadId}/${i + 1}`,
    observedAt,
    location: { lat: round7(at.lat), lon: round7(at.lon), accuracyM },
    confidence: spot.confidence,
    surfaceTempC: Math.max(-60, Math.min(60, spot.surfaceTempC)),
    frameKey: upload.key,
    box: spot.box,
  }));
  const caseOf = new Map<string, string | undefined>();
  if (detections.length) {
    const ingested = await ingestDetections(deps, { deviceId, source: upload.source ?? 'drone_thermal', detections, actor: frameSender(upload.uploadedBy, deviceId) });
    for (const result of ingested.body.results) caseOf.set(result.detectionId, result.caseId);
  }
  const hotSpots: FrameHotSpot[] = detections.map((d, i) => ({
    lat: d.location.lat, lon: d.location.lon, accuracyM: d.location.accuracyM, confidence: d.confidence,
    surfaceTempC: placed[i]!.spot.surfaceTempC, box: d.box, detectionId: d.detectionId,
    ...(caseOf.get(d.detectionId) ? { caseId: caseOf.get(d.detectionId)! } : {}),
  }));
  const usedPose: AnalysedPose = { ...roundPose(pose), ...(resolved.capturedAt ? { capturedAt: resolved.capturedAt } : {}), from: resolved.from, notes: resolved.notes };
  await deps.uploads.settle(upload.uploadId, { status: 'analysed', size: frame, hotSpots, pose: usedPose }, now);
  return { status: 'analysed', hotSpots };
}

async function reject(deps: FrameDeps, upload: Upload, reason: string): Promise<FrameOutcome> {
  await deps.bucket.remove(upload.key);
  await deps.uploads.settle(upload.uploadId, { status: 'rejected', reason }, deps.now());
  return { status: 'rejected', reason };
}

/** When the frame was taken: the pose's time or the frame's EXIF time; when it landed if neither says, or it is ahead. */
function observedTime(capturedAt: string | undefined, now: Date): string {
  const at = capturedAt ? Date.parse(capturedAt) : Number.NaN;
  return Number.isFinite(at) && at <= now.getTime() + 60_000 ? capturedAt! : now.toISOString();
}

/** The detections are the device's, sent through whoever uploaded the frame (a device itself, or a coordinator). */
const frameSender = (uploader: Actor, deviceId: string): Actor => (uploader.role === 'device' ? { ...uploader, deviceId } : uploader);

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;
const roundPose = (pose: CameraPose): CameraPose => ({
  lat: round7(pose.lat), lon: round7(pose.lon), relativeAltitudeM: Math.round(pose.relativeAltitudeM * 100) / 100,
  gimbalPitchDeg: Math.round(pose.gimbalPitchDeg * 100) / 100, gimbalYawDeg: Math.round(pose.gimbalYawDeg * 100) / 100,
  ...(pose.gimbalRollDeg !== undefined ? { gimbalRollDeg: Math.round(pose.gimbalRollDeg * 100) / 100 } : {}),
  hfovDeg: Math.round(pose.hfovDeg * 100) / 100,
});
