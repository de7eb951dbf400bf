import {
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** The uploads bucket as the use cases see it. */
export interface UploadBucket {
  presignPut(key: string, contentType: string, sizeBytes: number, expiresInSeconds: number): Promise<{ url: string; headers: Record<string, string> }>;
  presignGet(key: string, expiresInSeconds: number): Promise<string>;
  head(key: string): Promise<{ sizeBytes: number; contentType?: string } | undefined>;
  /** The whole object (uploads are at most 15 MB). */
  read(key: string): Promise<Uint8Array>;
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  remove(key: string): Promise<void>;
}

export class S3UploadBucket implements UploadBucket {
  constructor(private readonly s3: S3Client, private readonly bucket: () => string) {}

  /**
   * Content type and length are signed into the URL, so S3 refuses any other type or size: the limits are
   * enforced by the URL itself, not by trusting the client. So is `If-None-Match: *` (an S3 conditional write): the
   * URL writes the object once, and a second PUT while it is there is refused (412), so a landed frame cannot be
   * replaced behind the detections that cite it.
   */
  async presignPut(key: string, contentType: string, sizeBytes: number, expiresInSeconds: number) {
    const command = new PutObjectCommand({ Bucket: this.bucket(), Key: key, ContentType: contentType, ContentLength: sizeBytes, IfNoneMatch: '*' });
    const url = await getSignedUrl(this.s3, command, {
      expiresIn: expiresInSeconds,
      signableHeaders: new Set(['content-type', 'content-length', 'if-none-match']),
    });
    return { url, headers: { 'content-type': contentType, 'content-length': String(sizeBytes), 'if-none-match': '*' } };
  }

  presignGet(key: string, expiresInSeconds: number) {
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket(), Key: key }), { expiresIn: expiresInSeconds });
  }

  async head(key: string) {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket(), Key: key }));
      return { sizeBytes: head.ContentLength ?? 0, ...(head.ContentType ? { contentType: head.ContentType } : {}) };
    } catch (error) {
      if ((error as Error).name === 'NotFound' || (error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async read(key: string) {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket(), Key: key }));
    return object.Body ? object.Body.transformToByteArray() : new Uint8Array();
  }

  async put(key: string, bytes: Uint8Array, contentType: string) {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket(), Key: key, Body: bytes, ContentType: contentType }));
  }

  async remove(key: string) {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket(), Key: key }));
  }
}
