import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Actor } from '../domain/case';
import type { CameraPose } from '../domain/thermal/camera';
import { photoKey, uploadKey } from './keys';

/** A pending upload the client has not sent within a week is forgotten (its URL expired long before). */
const PENDING_TTL_SECONDS = 7 * 86_400;

/** A stored image's pixel size, read from its headers. */
export interface ImageSize {
  width: number;
  height: number;
}

/** A hot spot of an analysed thermal frame, as its upload answers it. */
export interface FrameHotSpot {
  lat: number;
  lon: number;
  accuracyM: number;
  confidence: number;
  surfaceTempC: number;
  box: [number, number, number, number];
  detectionId: string;
  caseId?: string;
}

/** The pose an analysed frame was placed with, where it came from, and how it was read. */
export interface AnalysedPose extends CameraPose {
  capturedAt?: string;
  from: 'request' | 'frame';
  notes: string[];
}

type Verdict =
  | { status: 'stored'; size?: ImageSize }
  | { status: 'analysed'; size: ImageSize; hotSpots: FrameHotSpot[]; pose: AnalysedPose }
  | { status: 'rejected'; reason: string };

export interface Upload {
  uploadId: string;
  key: string;
  purpose: 'case_photo' | 'thermal_frame' | 'check_in_photo' | 'person_photo';
  contentType: string;
  sizeBytes: number;
  caseId?: string;
  /** A person photo's file. */
  personId?: string;
  status: 'pending' | 'stored' | 'analysed' | 'rejected';
  reason?: string;
  /** A thermal frame's pose as its upload request gave it (the frame's own metadata is read when it lands). */
  requestedPose?: CameraPose & { capturedAt: string };
  /** A thermal frame's source and device, for the detections its hot spots become. */
  source?: 'drone_thermal' | 'fixed_thermal';
  deviceId?: string;
  hotSpots?: FrameHotSpot[];
  pose?: AnalysedPose;
  uploadedBy: Actor;
  createdAt: string;
  processedAt?: string;
  width?: number;
  height?: number;
}

export interface Photo {
  uploadId: string;
  /** The original as uploaded, metadata and all: kept, but never handed out. */
  key: string;
  /** The copy without metadata that people are shown. */
  viewKey: string;
  contentType: string;
  sizeBytes: number;
  width: number;
  height: number;
  /** From the photo's EXIF: when it was taken (RFC 3339, with the camera's UTC offset). */
  takenAt?: string;
  /** The camera recorded no UTC offset, so China Standard Time (+08:00) was assumed for `takenAt`. */
  takenAtOffsetAssumed?: boolean;
  /** From the photo's EXIF GPS tags (WGS-84). */
  location?: { lat: number; lon: number };
  uploadedBy: Actor;
  uploadedAt: string;
}

export class UploadStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async create(upload: Upload, now: Date): Promise<void> {
    await this.db.send(new PutCommand({
      TableName: this.tableName,
      Item: { ...uploadKey(upload.uploadId), entity: 'upload', ...upload, expiresAt: Math.floor(now.getTime() / 1000) + PENDING_TTL_SECONDS },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
  }

  async get(uploadId: string): Promise<Upload | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: uploadKey(uploadId), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, expiresAt: _expiresAt, ...upload } = Item;
    return upload as Upload;
  }

  /**
   * Records the verdict on a pending upload, once: a repeated object-created event finds it settled and returns
   * false. A stored upload is kept for good (its expiry removed).
   */
  async settle(uploadId: string, verdict: Verdict, now: Date): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand(this.settleWrite(uploadId, verdict, now).Update));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** The settling update, for a transaction that must settle the upload together with other writes. */
  settleWrite(uploadId: string, verdict: Verdict, now: Date) {
    const size = verdict.status !== 'rejected' ? verdict.size : undefined;
    const analysed = verdict.status === 'analysed' ? verdict : undefined;
    return {
      Update: {
        TableName: this.tableName,
        Key: uploadKey(uploadId),
        UpdateExpression: verdict.status !== 'rejected'
          ? `SET #status = :status, processedAt = :now${size ? ', #width = :width, #height = :height' : ''}${analysed ? ', hotSpots = :hotSpots, pose = :pose' : ''} REMOVE expiresAt`
          : 'SET #status = :status, processedAt = :now, reason = :reason',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status', ...(size ? { '#width': 'width', '#height': 'height' } : {}) },
        ExpressionAttributeValues: {
          ':status': verdict.status, ':now': now.toISOString(), ':pending': 'pending',
          ...(verdict.status === 'rejected' ? { ':reason': verdict.reason } : {}),
          ...(size ? { ':width': size.width, ':height': size.height } : {}),
          ...(analysed ? { ':hotSpots': analysed.hotSpots, ':pose': analysed.pose } : {}),
        },
      },
    };
  }

  photoWrite(caseId: string, photo: Photo) {
    return { Put: { TableName: this.tableName, Item: { ...photoKey(caseId, photo.uploadId), entity: 'photo', ...photo } } };
  }
}
