import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient, GetCommand, QueryCommand, type QueryCommandInput, TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import type { BoundingBox } from '../contract/schemas';
import type { CaseStatus, RiskLevel } from '../contract/vocabulary';
import { type Case, type Sighting, type TimelineEntry } from '../domain/case';
import { conflict, invalid } from '../domain/errors';
import type { IdempotencyRecord } from './idempotency-store';
import type { Photo } from './upload-store';
import {
  caseIndexKeys, caseKey, casePartition, caseStatusPartition, entityOfCaseItem, GSI_ALL_CASES, GSI_CASES_BY_STATUS,
  idempotencyKey, openedSinceBound, sightingKey, timelineKey,
} from './keys';

// Monotonic within a millisecond, so entries written together keep their order on the timeline.
const ulid = monotonicFactory();

export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export interface CaseDetail {
  case: Case;
  timeline: TimelineEntry[];
  sightings: Sighting[];
  photos: Photo[];
}

export interface CaseListFilter {
  status?: CaseStatus;
  risk?: RiskLevel;
  since?: string;
  bbox?: BoundingBox;
  limit: number;
  cursor?: string;
}

/** What a change to a case does: the fields it sets and the timeline entries it adds. Null: nothing to do. */
export interface CaseChange {
  set?: Partial<Omit<Case, 'caseId' | 'version' | 'openedAt'>>;
  remove?: ('alert' | 'wait')[];
  timeline?: TimelineEntry[];
  /** Other writes that must happen with the change or not at all; a failed condition on one is final. */
  alongside?: TransactItem[];
}

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'entity'] as const;
const MAX_OPTIMISTIC_ATTEMPTS = 25;
/** Full jitter between attempts spreads writers that collided, so contention resolves instead of repeating. */
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 5 * 2 ** attempt)));
/** Bounds the reads one list page may make when filters discard most of what the index returns. */
const MAX_QUERY_ROUNDS = 6;

const strip = <T>(item: Record<string, unknown>): T => {
  const copy = { ...item };
  for (const key of KEY_ATTRIBUTES) delete copy[key];
  return copy as T;
};

export const timelineItem = (caseId: string, entry: TimelineEntry) => ({
  ...timelineKey(caseId, entry.at, ulid()),
  entity: 'timeline',
  ...entry,
});

export class CaseStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  /**
   * Opens a case with its first sighting in one transaction. The idempotency record rides in the same transaction,
   * so a retry either finds the whole result or nothing at all.
   */
  async openCase(input: { case: Case; sighting: Sighting; timeline: TimelineEntry[]; idempotency?: IdempotencyRecord }) {
    const c = input.case;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...caseKey(c.caseId), ...caseIndexKeys(c.caseId, c.openedAt, c.status), entity: 'case', ...c },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { ...sightingKey(c.caseId, input.sighting.sightingId), entity: 'sighting', ...input.sighting },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...input.timeline.map((entry) => ({ Put: { TableName: this.tableName, Item: timelineItem(c.caseId, entry) } })),
    ];
    if (input.idempotency) items.push(this.idempotencyPut(input.idempotency));
    await this.transact(items);
  }

  async getCase(caseId: string): Promise<Case | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: caseKey(caseId), ConsistentRead: true }));
    return Item ? strip<Case>(Item) : undefined;
  }

  /** The case and everything recorded under it, in one partition read. */
  async getCaseDetail(caseId: string): Promise<CaseDetail | undefined> {
    const detail: Partial<CaseDetail> & Omit<CaseDetail, 'case'> = { timeline: [], sightings: [], photos: [] };
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': casePartition(caseId) },
        ConsistentRead: true,
        ExclusiveStartKey,
      }));
      for (const item of page.Items ?? []) {
        const kind = entityOfCaseItem(String(item.sk));
        if (kind === 'case') detail.case = strip<Case>(item);
        else if (kind === 'timeline') detail.timeline.push(strip<TimelineEntry>(item));
        else if (kind === 'sighting') detail.sightings.push(strip<Sighting>(item));
        else if (kind === 'photo') detail.photos.push(strip<Photo>(item));
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return detail.case ? (detail as CaseDetail) : undefined;
  }

  /** Newest first. Filters on risk and area are applied to the index pages; the cursor is the last key returned. */
  async listCases(filter: CaseListFilter): Promise<{ items: Case[]; nextCursor?: string }> {
    const byStatus = filter.status !== undefined;
    const [pkName, skName] = byStatus ? ['gsi2pk', 'gsi2sk'] : ['gsi1pk', 'gsi1sk'];
    const names: Record<string, string> = { '#pk': pkName };
    const values: Record<string, unknown> = { ':pk': byStatus ? caseStatusPartition(filter.status!) : 'CASES' };
    let keyCondition = '#pk = :pk';
    if (filter.since) {
      keyCondition += ' AND #sk >= :since';
      names['#sk'] = skName;
      values[':since'] = openedSinceBound(filter.since);
    }
    const filters: string[] = [];
    if (filter.risk) {
      filters.push('#risk = :risk');
      names['#risk'] = 'risk';
      values[':risk'] = filter.risk;
    }
    if (filter.bbox) {
      filters.push('#loc.#lat BETWEEN :minLat AND :maxLat AND #loc.#lon BETWEEN :minLon AND :maxLon');
      Object.assign(names, { '#loc': 'location', '#lat': 'lat', '#lon': 'lon' });
      Object.assign(values, {
        ':minLat': filter.bbox.minLat, ':maxLat': filter.bbox.maxLat, ':minLon': filter.bbox.minLon, ':maxLon': filter.bbox.maxLon,
      });
    }
    const base: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: byStatus ? GSI_CASES_BY_STATUS : GSI_ALL_CASES,
      KeyConditionExpression: keyCondition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
    };

    const items: Record<string, unknown>[] = [];
    let startKey = filter.cursor ? decodeCursor(filter.cursor, pkName, skName) : undefined;
    // A cursor from another list (another status, an earlier `since`) would make DynamoDB refuse the query.
    if (startKey && (startKey[pkName] !== values[':pk'] || (filter.since && String(startKey[skName]) < String(values[':since'])))) {
      throw invalidCursor();
    }
    for (let round = 0; round < MAX_QUERY_ROUNDS && items.length < filter.limit; round += 1) {
      const page = await this.db.send(new QueryCommand({ ...base, Limit: filter.limit - items.length, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
      if (!startKey) break;
    }
    const last = items.at(-1);
    const more = startKey !== undefined;
    const nextKey = items.length >= filter.limit && last
      ? { pk: last.pk, sk: last.sk, [pkName]: last[pkName], [skName]: last[skName] }
      : startKey;
    return {
      items: items.map((item) => strip<Case>(item)),
      ...(more && nextKey ? { nextCursor: encodeCursor(nextKey) } : {}),
    };
  }

  /**
   * Reads the case, asks `decide` what to change, and writes the change only if nobody changed the case meanwhile;
   * on a race it reads again and asks again. `decide` may throw a domain error to refuse.
   */
  async mutateCase(caseId: string, decide: (current: Case) => CaseChange | null): Promise<{ before: Case; after: Case } | null> {
    for (let attempt = 0; attempt < MAX_OPTIMISTIC_ATTEMPTS; attempt += 1) {
      const current = await this.getCase(caseId);
      if (!current) return null;
      const change = decide(current);
      if (!change) return { before: current, after: current };
      const after: Case = { ...current, ...change.set, version: current.version + 1 } as Case;
      for (const field of change.remove ?? []) delete after[field];
      try {
        await this.transact([
          this.caseUpdate(current, after, change),
          ...(change.timeline ?? []).map((entry) => ({ Put: { TableName: this.tableName, Item: timelineItem(caseId, entry) } })),
          ...(change.alongside ?? []),
        ]);
        return { before: current, after };
      } catch (error) {
        if (!(error instanceof CaseChangedMeanwhile)) throw error;
        await backoff(attempt);
      }
    }
    throw conflict('the case is being changed by many people at once; try again');
  }

  private caseUpdate(current: Case, after: Case, change: CaseChange): TransactItem {
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':expected': current.version, ':next': after.version };
    const sets = ['#version = :next'];
    const fields = { ...change.set } as Record<string, unknown>;
    if (after.status !== current.status) {
      Object.assign(fields, { gsi2pk: caseStatusPartition(after.status) });
    }
    for (const [index, [field, value]] of Object.entries(fields).entries()) {
      if (value === undefined) continue;
      names[`#f${index}`] = field;
      values[`:v${index}`] = value;
      sets.push(`#f${index} = :v${index}`);
    }
    const removes = (change.remove ?? []).map((field, index) => {
      names[`#r${index}`] = field;
      return `#r${index}`;
    });
    return {
      Update: {
        TableName: this.tableName,
        Key: caseKey(current.caseId),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  /** Appends timeline entries that change nothing else on the case (e.g. a delivered notification). */
  async appendTimeline(caseId: string, entries: TimelineEntry[]) {
    await this.transact(entries.map((entry) => ({ Put: { TableName: this.tableName, Item: timelineItem(caseId, entry) } })));
  }

  idempotencyPut(record: IdempotencyRecord): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...idempotencyKey(record.scope), entity: 'idempotency', ...record },
        // An expired record may linger until the TTL sweep removes it; it no longer holds the key.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': Math.floor(Date.now() / 1000) },
      },
    };
  }

  private async transact(items: TransactItem[]) {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        const failedIndex = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
        const failed = items[failedIndex];
        if (failed?.Put?.Item?.entity === 'idempotency') throw new IdempotencyRace();
        if (failedIndex === 0) throw new CaseChangedMeanwhile();
        if (failed) throw new WriteConditionFailed(failedIndex);
      }
      if (error instanceof ConditionalCheckFailedException) throw new CaseChangedMeanwhile();
      throw error;
    }
  }
}

/** The case changed between read and write: read again and decide again. */
export class CaseChangedMeanwhile extends Error {
  override name = 'CaseChangedMeanwhile';
}

/** A write made alongside a case change found its condition false; retrying would not help. */
export class WriteConditionFailed extends Error {
  override name = 'WriteConditionFailed';
  constructor(readonly index: number) {
    super(`the condition of write ${index} of the transaction failed`);
  }
}

/** Another request with the same idempotency key committed first. */
export class IdempotencyRace extends Error {
  override name = 'IdempotencyRace';
}

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string, pkName: string, skName: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const expected = ['pk', 'sk', pkName, skName];
    if (key && typeof key === 'object' && Object.keys(key).length === 4 && expected.every((k) => typeof key[k] === 'string')) {
      return key;
    }
  } catch {
    // fall through to the 400 below
  }
  throw invalidCursor();
}

const invalidCursor = () =>
  invalid('cursor is not one this list returned; start again without it', [{ path: 'query.cursor', message: 'invalid cursor' }]);
