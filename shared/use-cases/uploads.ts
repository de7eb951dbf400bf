import { fileTypeFromBuffer } from 'file-type';
import { monotonicFactory } from 'ulid';
import { type CreateUploadRequest, UPLOAD_LIMITS } from '../contract/schemas';
import type { Actor } from '../domain/case';
import { forbidden, notFound } from '../domain/errors';
import { uploadIdFromObjectKey, uploadObjectKey } from '../store/keys';
import { WriteConditionFailed } from '../store/case-store';
import type { Upload } from '../store/upload-store';
import type { Dependencies } from './dependencies';

const ulid = monotonicFactory();
/** Photos are shown through URLs that expire quickly: a leaked link stops working within minutes. */
export const PHOTO_URL_SECONDS = 5 * 60;
/** Enough of the file to recognise JPEG, PNG and WebP by their signatures. */
const SNIFF_BYTES = 4100;

type UploadDeps = Pick<Dependencies, 'cases' | 'uploads' | 'bucket' | 'now'>;

export async function requestUpload(deps: UploadDeps, input: { request: CreateUploadRequest; actor: Actor }) {
  const { request, actor } = input;
  if (request.purpose === 'case_photo') {
    if (actor.role === 'device') throw forbidden('devices upload thermal frames, not case photos');
    if (!(await deps.cases.getCase(request.caseId!))) throw notFound(`case ${request.caseId} does not exist`);
  }
  const now = deps.now();
  const uploadId = `upl-${ulid()}`;
  const key = uploadObjectKey(request.purpose, uploadId);
  const upload: Upload = {
    uploadId, key, purpose: request.purpose, contentType: request.contentType, sizeBytes: request.sizeBytes,
    ...(request.caseId ? { caseId: request.caseId } : {}),
    status: 'pending', uploadedBy: actor, createdAt: now.toISOString(),
  };
  await deps.uploads.create(upload, now);
  const signed = await deps.bucket.presignPut(key, request.contentType, request.sizeBytes, UPLOAD_LIMITS.urlSeconds);
  return {
    uploadId, key, url: signed.url, method: 'PUT', headers: signed.headers,
    expiresAt: new Date(now.getTime() + UPLOAD_LIMITS.urlSeconds * 1000).toISOString(),
  };
}

export async function getUpload(deps: UploadDeps, input: { uploadId: string; actor: Actor }) {
  const upload = await deps.uploads.get(input.uploadId);
  const mayRead = upload && (upload.uploadedBy.sub === input.actor.sub || ['coordinator', 'station', 'admin'].includes(input.actor.role));
  if (!upload || !mayRead) throw notFound(`upload ${input.uploadId} does not exist`);
  return upload;
}

/** Why landed bytes are refused, or undefined when they are what the upload said they would be. */
export async function inspectLandedObject(upload: Upload, landed: { sizeBytes: number }, start: Uint8Array): Promise<string | undefined> {
  if (landed.sizeBytes !== upload.sizeBytes) return `the file is ${landed.sizeBytes} bytes, but ${upload.sizeBytes} were announced`;
  const detected = await fileTypeFromBuffer(start);
  if (!detected) return `the file is not an image (expected ${upload.contentType})`;
  if (detected.mime !== upload.contentType) return `the file is ${detected.mime}, but ${upload.contentType} was announced`;
  return undefined;
}

/**
 * Runs when an object lands in the uploads bucket: checks the bytes are the image the upload announced, removes
 * the object if not (the reason stays on the upload for its sender), and attaches a photo to its case.
 * Repeated events for the same object change nothing.
 */
export async function processLandedObject(deps: UploadDeps, input: { key: string }): Promise<Upload['status'] | 'ignored'> {
  const uploadId = uploadIdFromObjectKey(input.key);
  const upload = uploadId ? await deps.uploads.get(uploadId) : undefined;
  if (!upload || upload.key !== input.key) {
    // Not written through a presigned upload of ours: nobody vouches for it.
    await deps.bucket.remove(input.key);
    return 'ignored';
  }
  if (upload.status !== 'pending') return upload.status;
  const landed = await deps.bucket.head(input.key);
  if (!landed) return 'ignored';
  const reason = await inspectLandedObject(upload, landed, await deps.bucket.readStart(input.key, SNIFF_BYTES));
  const now = deps.now();
  if (reason) {
    await deps.bucket.remove(input.key);
    await deps.uploads.settle(upload.uploadId, { status: 'rejected', reason }, now);
    return 'rejected';
  }
  if (upload.purpose === 'case_photo' && upload.caseId) {
    const at = now.toISOString();
    const photo = {
      uploadId: upload.uploadId, key: upload.key, contentType: upload.contentType, sizeBytes: upload.sizeBytes,
      uploadedBy: upload.uploadedBy, uploadedAt: at,
    };
    // One transaction: the photo, the case's count and timeline, and the upload settled. A repeated event finds
    // the upload settled and the whole transaction refused, so nothing is counted twice.
    try {
      await deps.cases.mutateCase(upload.caseId, (current) => ({
        set: { photoCount: current.photoCount + 1, updatedAt: at },
        timeline: [{ at, type: 'photo', actor: upload.uploadedBy, uploadId: upload.uploadId }],
        alongside: [deps.uploads.photoWrite(upload.caseId!, photo), deps.uploads.settleWrite(upload.uploadId, { status: 'stored' }, now)],
      }));
    } catch (error) {
      if (!(error instanceof WriteConditionFailed)) throw error;
    }
  } else {
    await deps.uploads.settle(upload.uploadId, { status: 'stored' }, now);
  }
  return 'stored';
}
