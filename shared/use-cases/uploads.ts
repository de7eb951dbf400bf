import { fileTypeFromBuffer } from 'file-type';
import { monotonicFactory } from 'ulid';
import { type CreateUploadRequest, UPLOAD_LIMITS } from '../contract/schemas';
import type { Actor } from '../domain/case';
import { forbidden, notFound } from '../domain/errors';
import { type InspectedImage, inspectImage, readCaptureMetadata, stripImageMetadata, UnreadableImage } from '../domain/image-metadata';
import { uploadIdFromObjectKey, uploadObjectKey, viewObjectKey } from '../store/keys';
import { WriteConditionFailed } from '../store/case-store';
import type { Photo, Upload } from '../store/upload-store';
import { seesEverything } from '../domain/access-policy';
import { type CaseGate, missingCase } from './case-access';
import { mayReadFile } from './people';
import type { Dependencies } from './dependencies';
import { type IdempotentRequest, idempotentCreate } from './idempotent';
import { analyseThermalFrame, type FrameDeps } from './thermal-frames';

const ulid = monotonicFactory();
/** Photos are shown through URLs that expire quickly: a leaked link stops working within minutes. */
export const PHOTO_URL_SECONDS = 5 * 60;

type UploadDeps = Pick<Dependencies, 'cases' | 'uploads' | 'bucket' | 'now'> & Partial<Pick<Dependencies, 'people'>>;

/**
 * A presigned URL for one upload. With an Idempotency-Key a retry gets the same upload and URL back (while the URL
 * lives), instead of a second pending upload.
 */
export async function requestUpload(
  deps: UploadDeps & Pick<Dependencies, 'idempotency'>,
  input: { request: CreateUploadRequest; actor: Actor; gate: CaseGate; idempotency?: IdempotentRequest },
) {
  const { request, actor } = input;
  if (request.purpose === 'check_in_photo' && actor.role !== 'patrol') throw forbidden('a check-in photo is a patrol team\'s, taken at a hot spot');
  if (request.purpose === 'case_photo') {
    if (actor.role === 'device') throw forbidden('devices upload thermal frames, not case photos');
    // A photo goes only to a case its sender may read in full (the access policy): any other is missing to them.
    const found = await deps.cases.getCase(request.caseId!);
    if (!found || input.gate.access(found) !== 'full') throw missingCase(request.caseId!);
  }
  if (request.purpose === 'thermal_frame' && actor.role === 'device' && request.deviceId && request.deviceId !== actor.deviceId) {
    throw forbidden(`this token is for device ${actor.deviceId ?? '(none)'}, not ${request.deviceId}`);
  }
  if (request.purpose === 'person_photo') {
    // A person's photo goes only to a file its sender may read: a station's own, or any for a coordinator.
    const file = deps.people ? await deps.people.get(request.personId!) : undefined;
    if (!file || !mayReadFile(input.gate.caller, file)) throw notFound(`person ${request.personId} does not exist`);
  }
  return idempotentCreate(deps, input.idempotency, async () => ({ statusCode: 201, body: await createUpload(deps, request, actor) }));
}

async function createUpload(deps: UploadDeps, request: CreateUploadRequest, actor: Actor) {
  const now = deps.now();
  const uploadId = `upl-${ulid()}`;
  const key = uploadObjectKey(request.purpose, uploadId);
  const upload: Upload = {
    uploadId, key, purpose: request.purpose, contentType: request.contentType, sizeBytes: request.sizeBytes,
    ...(request.caseId ? { caseId: request.caseId } : {}),
    ...(request.purpose === 'person_photo' && request.personId ? { personId: request.personId } : {}),
    ...(request.pose ? { requestedPose: request.pose } : {}),
    ...(request.source ? { source: request.source } : {}),
    ...(request.deviceId ? { deviceId: request.deviceId } : {}),
    status: 'pending', uploadedBy: actor, createdAt: now.toISOString(),
  };
  await deps.uploads.create(upload, now);
  const signed = await deps.bucket.presignPut(key, request.contentType, request.sizeBytes, UPLOAD_LIMITS.urlSeconds);
  return {
    uploadId, key, url: signed.url, method: 'PUT', headers: signed.headers,
    expiresAt: new Date(now.getTime() + UPLOAD_LIMITS.urlSeconds * 1000).toISOString(),
  };
}

/**
 * An upload's state, for whoever sent it, a coordinator, or (a case photo) whoever may read its case in full; to
 * anyone else it does not exist.
 */
export async function getUpload(deps: UploadDeps, input: { uploadId: string; actor: Actor; gate: CaseGate }) {
  const upload = await deps.uploads.get(input.uploadId);
  const missing = () => notFound(`upload ${input.uploadId} does not exist`);
  if (!upload) throw missing();
  if (upload.uploadedBy.sub === input.actor.sub || seesEverything(input.gate.caller)) return upload;
  if (upload.personId) throw missing();
  const found = upload.caseId ? await deps.cases.getCase(upload.caseId) : undefined;
  if (!found || input.gate.access(found) !== 'full') throw missing();
  return upload;
}

/** What the landed bytes are: the image, or why they are refused. */
type Inspection = { accepted: true; image: InspectedImage } | { accepted: true; radiometric: true } | { accepted: false; reason: string };

/** Checks the landed bytes are the whole, well-formed image the upload announced. */
export async function inspectLandedObject(upload: Upload, bytes: Uint8Array): Promise<Inspection> {
  const refuse = (reason: string): Inspection => ({ accepted: false, reason });
  if (bytes.length !== upload.sizeBytes) return refuse(`the file is ${bytes.length} bytes, but ${upload.sizeBytes} were announced`);
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected) return refuse(`the file is not an image (expected ${upload.contentType})`);
  if (detected.mime !== upload.contentType) return refuse(`the file is ${detected.mime}, but ${upload.contentType} was announced`);
  // A radiometric frame's structure is checked as it is read for analysis.
  if (detected.mime === 'image/tiff') return { accepted: true, radiometric: true };
  try {
    return { accepted: true, image: inspectImage(bytes) };
  } catch (error) {
    if (error instanceof UnreadableImage) return refuse(error.message);
    throw error;
  }
}


/**
 * Runs when an object lands in the uploads bucket: checks the bytes are the image the upload announced, removes
 * the object if not (the reason stays on the upload for its sender), and attaches a photo to its case with the
 * time and place from its EXIF and a copy without metadata for viewing. Thermal frames are kept as they are; a
 * radiometric one (TIFF) is analysed for hot spots, which become detections of its device (thermal-frames.ts).
 * Repeated events for the same object change nothing; a retry after a crash redoes the work and ends the same.
 */
export async function processLandedObject(deps: UploadDeps | (UploadDeps & FrameDeps), input: { key: string }): Promise<Upload['status'] | 'ignored'> {
  const uploadId = uploadIdFromObjectKey(input.key);
  const upload = uploadId ? await deps.uploads.get(uploadId) : undefined;
  if (!upload || upload.key !== input.key) {
    // Not written through a presigned upload of ours: nobody vouches for it.
    await deps.bucket.remove(input.key);
    return 'ignored';
  }
  if (upload.status !== 'pending') {
    // An upload URL is used once: bytes that land again under a settled upload (a photo's original is removed once
    // its copy is made, so the conditional write cannot see it) are nobody's; a stored thermal frame is never touched.
    if (upload.purpose !== 'thermal_frame' || upload.status === 'rejected') await deps.bucket.remove(input.key);
    return upload.status;
  }
  if (!(await deps.bucket.head(input.key))) {
    // Gone: a photo's original is removed once a processor of the same event stored its clean copy.
    const now = await deps.uploads.get(upload.uploadId);
    return now && now.status !== 'pending' ? now.status : 'ignored';
  }
  const bytes = await deps.bucket.read(input.key);
  const inspection = await inspectLandedObject(upload, bytes);
  const now = deps.now();
  if (!inspection.accepted) {
    await deps.bucket.remove(input.key);
    // A view written by an attempt that crashed, before the object was replaced by these bytes, must not outlive it.
    if (upload.purpose !== 'thermal_frame') await deps.bucket.remove(viewObjectKey(upload.purpose, upload.uploadId));
    await deps.uploads.settle(upload.uploadId, { status: 'rejected', reason: inspection.reason }, now);
    return 'rejected';
  }
  if ('radiometric' in inspection) {
    if (!('workflow' in deps)) throw new Error('thermal frames are analysed by a processor given the case workflow and notifier');
    return (await analyseThermalFrame(deps, upload, bytes)).status;
  }
  const { image } = inspection;
  const size = { width: image.width, height: image.height };
  if (upload.purpose === 'case_photo' && upload.caseId) {
    // Written before the transaction under a key fixed by the upload: a retry after a crash writes it again and
    // commits, and a view without a committed photo is never handed out.
    const { capture, viewKey } = await putCleanCopy(deps, upload, bytes, image, now);
    const at = now.toISOString();
    const found = {
      ...(capture.takenAt ? { takenAt: capture.takenAt, takenAtOffsetAssumed: capture.takenAtOffsetAssumed } : {}),
      ...(capture.location ? { location: capture.location } : {}),
    };
    const photo: Photo = {
      uploadId: upload.uploadId, key: upload.key, viewKey, contentType: upload.contentType, sizeBytes: upload.sizeBytes,
      ...size, ...found, uploadedBy: upload.uploadedBy, uploadedAt: at,
    };
    // One transaction: the photo, the case's count and timeline, and the upload settled. A repeated event finds
    // the upload settled and the whole transaction refused, so nothing is counted twice.
    try {
      await deps.cases.mutateCase(upload.caseId, (current) => ({
        set: { photoCount: current.photoCount + 1, updatedAt: at },
        timeline: [{ at, type: 'photo', actor: upload.uploadedBy, uploadId: upload.uploadId, ...found }],
        alongside: [deps.uploads.photoWrite(upload.caseId!, photo), deps.uploads.settleWrite(upload.uploadId, { status: 'stored', size }, now)],
      }));
    } catch (error) {
      if (!(error instanceof WriteConditionFailed)) throw error;
    }
    // The original keeps the phone's EXIF (where and when, the device): once the clean copy is the photo, it goes.
    // (A crash before this leaves it to the bucket's lifecycle rule, which expires originals after a day.)
    await deps.bucket.remove(upload.key);
  } else if (upload.purpose === 'person_photo' && upload.personId && deps.people) {
    // Kept as its copy without metadata, on the person's file; a repeated event finds the photo there already.
    const { viewKey } = await putCleanCopy(deps, upload, bytes, image, now);
    await deps.people.mutate(upload.personId, (file) => (file.photos.some((p) => p.uploadId === upload.uploadId) || file.erasedAt ? null : {
      file: { ...file, photos: [...file.photos, { uploadId: upload.uploadId, viewKey, contentType: upload.contentType, at: now.toISOString(), by: upload.uploadedBy.sub }], updatedAt: now.toISOString() },
    }));
    await deps.uploads.settle(upload.uploadId, { status: 'stored', size }, now);
    await deps.bucket.remove(upload.key);
  } else if (upload.purpose === 'check_in_photo') {
    // A check-in photo is kept as its copy without metadata (where the phone was is the check-in's own location).
    await putCleanCopy(deps, upload, bytes, image, now);
    await deps.uploads.settle(upload.uploadId, { status: 'stored', size }, now);
    await deps.bucket.remove(upload.key);
  } else {
    // Thermal frames stay as the device sent them, under their upload key, for detections to reference.
    await deps.uploads.settle(upload.uploadId, { status: 'stored', size }, now);
  }
  return 'stored';
}

/** The copy of a photo people are shown, without its metadata (turned upright first); with what its EXIF said. */
async function putCleanCopy(deps: Pick<UploadDeps, 'bucket'>, upload: Upload, bytes: Uint8Array, image: InspectedImage, now: Date) {
  const capture = await readCaptureMetadata(image.exif, { now });
  const viewKey = viewObjectKey(upload.purpose, upload.uploadId);
  await deps.bucket.put(viewKey, stripImageMetadata(bytes, { orientation: capture.orientation }), upload.contentType);
  return { capture, viewKey };
}
