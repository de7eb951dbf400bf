import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Location } from '../contract/schemas';
import type { CaseStatus } from '../contract/vocabulary';
import {
  caseKey, open311ContactKey, open311HelpPointEntryKey, open311HelpPointPartition, open311RequestedBetween, open311RequestKey,
} from './keys';

/** A help point's report as Open311 knows it; the sighting it became carries the case. */
export interface Open311Record {
  /** The sighting's id: one report, one sighting, whatever case it joins. */
  requestId: string;
  helpPointId: string;
  caseId: string;
  serviceCode: string;
  requestedAt: string;
  description?: string;
  addressString?: string;
  location: Location;
  /** 'help_point': only an address was given, so the case stands at the help point until someone finds the place. */
  locationFrom: 'reporter' | 'help_point';
  mediaUrl?: string;
  /**
   * Whoever reported, kept only when they asked for feedback, until `reporterUntil`: for a call-back (回访), never
   * shown through Open311.
   */
  reporter?: { email?: string; firstName?: string; lastName?: string; phone?: string; deviceId?: string; accountId?: string };
  reporterUntil?: string;
}

/** What Open311 shows of a case: its status and when it last changed. */
export interface CaseProgress {
  status: CaseStatus;
  updatedAt: string;
}

const BATCH_GET_MAX = 100;
const BATCH_GET_ATTEMPTS = 8;
const KEY_ATTRIBUTES = ['pk', 'sk', 'entity'] as const;
const recordOf = (item: Record<string, unknown>) => {
  const copy = { ...item };
  for (const key of KEY_ATTRIBUTES) delete copy[key];
  return copy as unknown as Open311Record;
};
const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(500, 20 * 2 ** attempt)));

/**
 * Each report is stored twice, in one transaction: by its id (GET requests/{id}, from anyone) and in its help
 * point's partition sorted by time (GET requests, for that help point), so both answers are a key read or a Query.
 */
export class Open311RequestStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  /** Records a report once; recording it again (a retry that got this far before) changes nothing. */
  async record(record: Open311Record): Promise<void> {
    const put = (key: { pk: string; sk: string }) => ({
      Put: {
        TableName: this.tableName,
        Item: { ...key, entity: 'open311_request', ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    try {
      await this.db.send(new TransactWriteCommand({
        TransactItems: [
          put(open311RequestKey(record.requestId)),
          put(open311HelpPointEntryKey(record.helpPointId, record.requestedAt, record.requestId)),
          // When the contact must go: the TTL removes this marker in the cloud, and the retention sweep the contact.
          ...(record.reporter && record.reporterUntil ? [{
            Put: {
              TableName: this.tableName,
              Item: {
                ...open311ContactKey(record.reporterUntil, record.requestId), entity: 'open311_contact', requestId: record.requestId,
                expiresAt: Math.floor(Date.parse(record.reporterUntil) / 1000) + 7 * 86_400,
              },
            },
          }] : []),
        ],
      }));
    } catch (error) {
      const first = error instanceof TransactionCanceledException ? error.CancellationReasons?.[0] : undefined;
      if (first?.Code !== 'ConditionalCheckFailed') throw error;
    }
  }

  async get(requestId: string): Promise<Open311Record | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: open311RequestKey(requestId) }));
    return Item ? recordOf(Item) : undefined;
  }

  async getMany(requestIds: readonly string[]): Promise<Open311Record[]> {
    const items = await this.batchGet([...new Set(requestIds)].map(open311RequestKey));
    return items.map(recordOf);
  }

  /** One page of a help point's reports requested within [from, to], newest first. */
  async listPage(helpPointId: string, window: { from: string; to: string }, page: { limit: number; startKey?: Record<string, unknown> }) {
    const bounds = open311RequestedBetween(window.from, window.to);
    const result = await this.db.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': open311HelpPointPartition(helpPointId), ':from': bounds.from, ':to': bounds.to },
      ScanIndexForward: false,
      Limit: page.limit,
      ExclusiveStartKey: page.startKey,
    }));
    return { records: (result.Items ?? []).map(recordOf), nextKey: result.LastEvaluatedKey };
  }

  /** The status and last change of each case, read from the case items (only those two attributes). */
  async caseProgress(caseIds: readonly string[]): Promise<Map<string, CaseProgress>> {
    const items = await this.batchGet([...new Set(caseIds)].map(caseKey), {
      ProjectionExpression: 'caseId, #status, updatedAt',
      ExpressionAttributeNames: { '#status': 'status' },
    });
    return new Map(items.map((item) => [String(item.caseId), { status: item.status as CaseStatus, updatedAt: String(item.updatedAt) }]));
  }

  private async batchGet(keys: { pk: string; sk: string }[], projection: { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } = {}) {
    const found: Record<string, unknown>[] = [];
    for (let start = 0; start < keys.length; start += BATCH_GET_MAX) {
      let pending: Record<string, unknown>[] | undefined = keys.slice(start, start + BATCH_GET_MAX);
      for (let attempt = 0; pending?.length; attempt += 1) {
        if (attempt >= BATCH_GET_ATTEMPTS) throw new Error(`DynamoDB left ${pending.length} key(s) unprocessed ${attempt} times`);
        if (attempt > 0) await pause(attempt);
        const result: BatchGetCommandOutput = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ...projection } } }));
        found.push(...(result.Responses?.[this.tableName] ?? []));
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return found;
  }
}
