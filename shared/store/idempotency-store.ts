import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { idempotencyKey } from './keys';

/** Keys live at least 24 hours (contract); the TTL sweep may take up to two days more to remove them. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600 + 3600;

export interface IdempotencyRecord {
  scope: string;
  requestHash: string;
  response: { statusCode: number; body: unknown };
  createdAt: string;
  expiresAt: number;
}

/** Scopes a client's key to who sent it and where, so two clients choosing the same key never collide. */
export const idempotencyScope = (route: string, principal: string, key: string) => `${route}#${principal}#${key}`;

export const requestHash = (body: unknown) => createHash('sha256').update(JSON.stringify(body ?? null)).digest('base64url');

export function idempotencyRecord(scope: string, hash: string, response: IdempotencyRecord['response'], now: Date): IdempotencyRecord {
  return {
    scope,
    requestHash: hash,
    response,
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
  };
}

export class IdempotencyStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  /**
   * Saves a response for a create that spans several transactions (a detection batch): the first to save wins,
   * and a later one is told so (the caller then answers with the winner's response).
   */
  async save(record: IdempotencyRecord): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({
        TableName: this.tableName,
        Item: { ...idempotencyKey(record.scope), entity: 'idempotency', ...record },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': Math.floor(Date.now() / 1000) },
      }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async find(scope: string): Promise<IdempotencyRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: idempotencyKey(scope), ConsistentRead: true }));
    if (!Item || (typeof Item.expiresAt === 'number' && Item.expiresAt * 1000 < Date.now())) return undefined;
    return Item as unknown as IdempotencyRecord;
  }
}
