import { BatchWriteCommand, type BatchWriteCommandInput, type BatchWriteCommandOutput, type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import type { Role } from '../contract/vocabulary';
import { invalid } from '../domain/errors';
import { openCursor, sealCursor } from './cursor-seal';
import { accessLogKey, accessLogPartition } from './keys';

const ulid = monotonicFactory();

/** What was done with a case's personal data: its detail read, photo URLs issued, an export that held it, an erasure. */
export type AccessKind = 'read' | 'photo_url' | 'export' | 'erase' | 'case_read';

export interface AccessLogEntry {
  at: string;
  sub: string;
  role: Role | 'public';
  teamId?: string;
  stationId?: string;
  what: AccessKind;
  /** How many (photo URLs issued, cases in an export). */
  count?: number;
  /** A person's file shown in a case's detail (`case_read`): which case. */
  caseId?: string;
}

/**
 * The access log of each case: append-only (every entry is a new item, written only if no item has its key; no code
 * path updates or deletes one), kept for `days` through the table's TTL.
 */
export class AccessLogStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string, private readonly days: () => number) {}

  async append(caseId: string, entries: AccessLogEntry[]): Promise<void> {
    if (!entries.length) return;
    const expiresAt = Math.floor(Date.parse(entries[0]!.at) / 1000) + Math.round(this.days() * 86_400);
    await this.db.send(new TransactWriteCommand({
      TransactItems: entries.map((entry) => ({
        Put: {
          TableName: this.tableName,
          Item: { ...accessLogKey(caseId, entry.at, ulid()), entity: 'access', caseId, ...entry, expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
    }));
  }

  /** The same entry in the logs of many cases (an export): batches of 25 new items, each under a key of its own. */
  async appendToEach(caseIds: readonly string[], entry: AccessLogEntry): Promise<void> {
    const expiresAt = Math.floor(Date.parse(entry.at) / 1000) + Math.round(this.days() * 86_400);
    for (let i = 0; i < caseIds.length; i += 25) {
      let requests: NonNullable<BatchWriteCommandInput['RequestItems']>[string] | undefined = caseIds.slice(i, i + 25).map((caseId) => ({
        PutRequest: { Item: { ...accessLogKey(caseId, entry.at, ulid()), entity: 'access', caseId, ...entry, expiresAt } },
      }));
      for (let attempt = 0; requests?.length; attempt += 1) {
        if (attempt === 8) throw new Error(`the access log could not take ${requests.length} entries; try again`);
        const written: BatchWriteCommandOutput = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = written.UnprocessedItems?.[this.tableName];
        if (requests?.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }

  /** Newest first, a page at a time; the cursor is sealed for this case's log. */
  async list(caseId: string, limit: number, cursor?: string): Promise<{ items: AccessLogEntry[]; nextCursor?: string }> {
    const scope = `access-log\n${caseId}`;
    let startKey: Record<string, unknown> | undefined;
    if (cursor !== undefined) {
      const sk = openCursor(scope, cursor);
      if (sk === undefined) {
        throw invalid('cursor is not one this list returned; start again without it', [{ path: 'query.cursor', message: 'invalid cursor' }]);
      }
      startKey = { pk: accessLogPartition(caseId), sk };
    }
    const page = await this.db.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': accessLogPartition(caseId) },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: startKey,
    }));
    // An item's caseId is its log's subject, but for a person shown in a case (`case_read`): that case.
    const items = (page.Items ?? []).map(({ at, sub, role, teamId, stationId, what, count, caseId: shownIn }) => ({
      at, sub, role, ...(teamId ? { teamId } : {}), ...(stationId ? { stationId } : {}), what, ...(count !== undefined ? { count } : {}),
      ...(what === 'case_read' && shownIn ? { caseId: shownIn } : {}),
    }) as AccessLogEntry);
    return { items, ...(page.LastEvaluatedKey ? { nextCursor: sealCursor(scope, String(page.LastEvaluatedKey.sk)) } : {}) };
  }
}
