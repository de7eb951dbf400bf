import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { Detection } from '../contract/schemas';
import type { DetectionSource } from '../contract/vocabulary';
import type { Actor } from '../domain/case';
import { LANDING_PARTITION, landingKey, quotaKey } from './keys';

/**
 * Detections a request accepted but had no time left to land (a batch of hundreds of new places): stored before the
 * answer, in the groups the request made, and landed within a minute by the landing sweep (functions/maintenance/
 * land-deferred.ts). The device's quota of new cases was already counted for them when they were accepted.
 */
export interface DeferredLanding {
  id: string;
  receivedAt: string;
  deviceId: string;
  source: DetectionSource;
  actor: Actor;
  groups: Detection[][];
}

export class LandingStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async put(landing: Omit<DeferredLanding, 'id'>): Promise<DeferredLanding> {
    const stored = { ...landing, id: ulid() };
    await this.db.send(new PutCommand({
      TableName: this.tableName,
      Item: { ...landingKey(stored.receivedAt, stored.id), entity: 'landing', ...stored },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
    return stored;
  }

  /** The oldest waiting, first. */
  async oldest(limit: number): Promise<DeferredLanding[]> {
    const { Items } = await this.db.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': LANDING_PARTITION },
      ConsistentRead: true,
      Limit: limit,
    }));
    return (Items ?? []).map(({ pk: _pk, sk: _sk, entity: _entity, ...landing }) => landing as DeferredLanding);
  }

  async remove(landing: Pick<DeferredLanding, 'id' | 'receivedAt'>): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: landingKey(landing.receivedAt, landing.id) }));
  }

  /** Gives back quota counted for new cases that were not opened (their reports joined known places). */
  async releaseQuota(quota: { subject: string; hour: string }, unused: number): Promise<void> {
    await this.db.send(new UpdateCommand({
      TableName: this.tableName,
      Key: quotaKey(quota.subject, quota.hour),
      UpdateExpression: 'ADD #opened :minus',
      ConditionExpression: 'attribute_exists(#opened)',
      ExpressionAttributeNames: { '#opened': 'opened' },
      ExpressionAttributeValues: { ':minus': -unused },
    })).catch((error: unknown) => {
      // Already expired and gone: nothing to give back.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    });
  }

  /**
   * Counts up to `wanted` new cases against a subject's hourly quota at once, as many as it has room for, and says
   * how many: what a deferred landing may open without being refused after it was accepted.
   */
  async reserveQuota(quota: { subject: string; hour: string; limit: number; expiresAt: number }, wanted: number): Promise<number> {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: quotaKey(quota.subject, quota.hour), ConsistentRead: true }));
      const opened = typeof Item?.opened === 'number' ? Item.opened : 0;
      const room = Math.min(wanted, Math.max(0, quota.limit - opened));
      if (room === 0) return 0;
      try {
        await this.db.send(new UpdateCommand({
          TableName: this.tableName,
          Key: quotaKey(quota.subject, quota.hour),
          UpdateExpression: 'ADD #opened :n SET #entity = :entity, #expiresAt = :expiresAt',
          ConditionExpression: Item ? '#opened = :read' : 'attribute_not_exists(#opened)',
          ExpressionAttributeNames: { '#opened': 'opened', '#entity': 'entity', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':n': room, ':entity': 'quota', ':expiresAt': quota.expiresAt, ...(Item ? { ':read': opened } : {}) },
        }));
        return room;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
    return 0;
  }
}
