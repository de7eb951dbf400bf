import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Notification, NotificationRecord } from '../domain/notification';
import type { TransactItem } from './case-store';
import {
  createdBeforeBound, GSI_CASES_BY_STATUS, NOTIFICATIONS_PENDING, notificationKey,
  pendingNotificationIndexKeys,
} from './keys';

/** What one delivery attempt came to: the channels it went out on, or the error and when the next attempt is due. */
export type DeliveryAttempt =
  | { at: string; deliveredOn: string[] }
  | { at: string; error: string; nextAttemptAt?: string };

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi2pk', 'gsi2sk', 'entity'];
/** A receiver's error page can be long; the record keeps what a person needs to see why. */
const MAX_ERROR_LENGTH = 500;

const recordOf = (item: Record<string, unknown>): NotificationRecord =>
  Object.fromEntries(Object.entries(item).filter(([name]) => !KEY_ATTRIBUTES.includes(name))) as unknown as NotificationRecord;

/** The outbox: each notification stored under its case, with what became of its delivery. */
export class NotificationStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  /**
   * The write that puts a new notification in the outbox, to go in the same transaction as the case change. It
   * enters the pending index too, so one that never got a delivery started is found again without a scan.
   */
  put(notification: Notification): TransactItem {
    const record: NotificationRecord = { ...notification, status: 'pending', attempts: 0 };
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...notificationKey(notification.caseId, notification.notificationId),
          ...pendingNotificationIndexKeys(notification.createdAt, notification.caseId, notification.notificationId),
          entity: 'notification',
          ...record,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  async get(caseId: string, notificationId: string): Promise<NotificationRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({
      TableName: this.tableName, Key: notificationKey(caseId, notificationId), ConsistentRead: true,
    }));
    return Item ? recordOf(Item) : undefined;
  }

  /** Notifications still pending that were created before `before`, oldest first, a page at a time. */
  async *pendingBefore(before: string): AsyncGenerator<NotificationRecord[]> {
    for await (const page of paginateQuery({ client: this.db }, {
      TableName: this.tableName,
      IndexName: GSI_CASES_BY_STATUS,
      KeyConditionExpression: 'gsi2pk = :pending AND gsi2sk < :before',
      ExpressionAttributeValues: { ':pending': NOTIFICATIONS_PENDING, ':before': createdBeforeBound(before) },
    })) {
      // The index is eventually consistent: one delivered a moment ago may still be listed here.
      const records = (page.Items ?? []).map(recordOf).filter((record) => record.status === 'pending');
      if (records.length) yield records;
    }
  }

  /**
   * Records an attempt on a notification still pending with the attempts it was read with. False when that is no
   * longer so: another attempt was recorded, or it was delivered or given up meanwhile.
   */
  async recordAttempt(record: NotificationRecord, attempt: DeliveryAttempt): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = {
      ':pending': 'pending', ':read': record.attempts, ':attempts': record.attempts + 1, ':at': attempt.at,
    };
    const sets = ['attempts = :attempts', 'lastAttemptAt = :at'];
    const removes: string[] = [];
    if ('deliveredOn' in attempt) {
      Object.assign(values, { ':delivered': 'delivered', ':channels': attempt.deliveredOn });
      sets.push('#status = :delivered', 'deliveredAt = :at', 'channels = :channels');
      removes.push('nextAttemptAt', 'gsi2pk', 'gsi2sk');
    } else {
      values[':error'] = attempt.error.slice(0, MAX_ERROR_LENGTH);
      sets.push('lastError = :error');
      if (attempt.nextAttemptAt) {
        values[':next'] = attempt.nextAttemptAt;
        sets.push('nextAttemptAt = :next');
      } else {
        removes.push('nextAttemptAt');
      }
    }
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.tableName,
        Key: notificationKey(record.caseId, record.notificationId),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: '#status = :pending AND attempts = :read',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** The write that gives up on a pending notification, to go with the timeline entry that shows it on the case. */
  failed(record: NotificationRecord): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: notificationKey(record.caseId, record.notificationId),
        UpdateExpression: 'SET #status = :failed REMOVE gsi2pk, gsi2sk, nextAttemptAt',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':failed': 'failed', ':pending': 'pending' },
      },
    };
  }

  get client(): DynamoDBDocumentClient {
    return this.db;
  }
}
