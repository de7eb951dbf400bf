import {
  BatchGetCommand, type DynamoDBDocumentClient, GetCommand, paginateQuery, PutCommand, QueryCommand, TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { conflict } from '../domain/errors';
import { type PersonFile, inStation } from '../domain/person-file';
import { backoff, type TransactItem } from './case-store';
import { ALL_PEOPLE_PARTITION, peopleInStationPartition, personKey, personNearKey, personNearPartition } from './keys';

const KEYS = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'entity'] as const;
const fileOf = (item: Record<string, unknown>): PersonFile => {
  const copy = { ...item };
  for (const key of KEYS) delete copy[key];
  return copy as unknown as PersonFile;
};

/** The file as an item: every person in the PEOPLE partition of gsi1; those in a station also in its gsi2 partition. */
export function personItem(file: PersonFile): Record<string, unknown> {
  return {
    ...personKey(file.personId), entity: 'person',
    gsi1pk: ALL_PEOPLE_PARTITION, gsi1sk: `${file.createdAt}#${file.personId}`,
    ...(inStation(file) && file.stay ? { gsi2pk: peopleInStationPartition(file.stay.stationId), gsi2sk: `${file.stay.since}#${file.personId}` } : {}),
    ...file,
  };
}

/** A file changed between its read and its write (or was created meanwhile): read again, decide again. */
export class PersonChangedMeanwhile extends Error {
  override name = 'PersonChangedMeanwhile';
}

const MAX_ATTEMPTS = 20;

/**
 * People's files: one item each, written whole and only over the version read (optimistic concurrency), and where
 * each was met, by place cell, for the "possibly known" suggestion when a case opens near by.
 */
export class PeopleStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async get(personId: string): Promise<PersonFile | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: personKey(personId), ConsistentRead: true }));
    return Item ? fileOf(Item) : undefined;
  }

  async getMany(personIds: readonly string[]): Promise<PersonFile[]> {
    const ids = [...new Set(personIds)];
    const out: PersonFile[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = ids.slice(i, i + 100).map(personKey);
      while (keys?.length) {
        const page = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }));
        out.push(...(page.Responses?.[this.tableName] ?? []).map(fileOf));
        keys = page.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return out;
  }

  /**
   * The write of a file over the version read (`undefined`: a new file, written only if none has its id), for a
   * transaction with other writes (a case's intake).
   */
  write(file: PersonFile, readVersion: number | undefined): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: personItem(file),
        ConditionExpression: readVersion === undefined ? 'attribute_not_exists(pk)' : '#version = :read',
        ...(readVersion === undefined ? {} : { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':read': readVersion } }),
      },
    };
  }

  /** Where the person was met, for the suggestion at a new case near by. */
  nearWrite(cell: string, personId: string, at: string): TransactItem {
    return { Put: { TableName: this.tableName, Item: { ...personNearKey(cell, personId), entity: 'person_near', personId, at } } };
  }

  async create(file: PersonFile, alongside: TransactItem[] = []): Promise<void> {
    await this.transact([this.write(file, undefined), ...alongside]);
  }

  /**
   * Reads the file, asks `decide` for the file it becomes (and any writes that go with it), and writes it only over the
   * version read; on a race it reads again and asks again. `decide` may throw a domain error to refuse; null: no change.
   */
  async mutate(
    personId: string,
    decide: (current: PersonFile) => { file: PersonFile; alongside?: TransactItem[] } | null,
  ): Promise<{ before: PersonFile; after: PersonFile } | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const current = await this.get(personId);
      if (!current) return undefined;
      const change = decide(current);
      if (!change) return { before: current, after: current };
      const after = { ...change.file, version: current.version + 1 };
      try {
        await this.transact([this.write(after, current.version), ...(change.alongside ?? [])]);
        return { before: current, after };
      } catch (error) {
        if (!(error instanceof PersonChangedMeanwhile)) throw error;
        await backoff(attempt);
      }
    }
    throw conflict('the file kept changing while this was written: read it again and retry');
  }

  /** The people in a station now, longest there first. */
  async inStation(stationId: string): Promise<PersonFile[]> {
    return this.query({ IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': peopleInStationPartition(stationId) } });
  }

  /** Every file, newest first (a city's people are thousands a winter: read whole). */
  async all(): Promise<PersonFile[]> {
    const files = await this.query({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': ALL_PEOPLE_PARTITION } });
    return files.reverse();
  }

  /** People met in these place cells. */
  async metIn(cells: readonly string[]): Promise<string[]> {
    const found = await Promise.all(cells.map((cell) => this.db.send(new QueryCommand({
      TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': personNearPartition(cell) },
    }))));
    return [...new Set(found.flatMap((page) => (page.Items ?? []).map((item) => item.personId as string)))];
  }

  /** Writes a file as it is, unconditionally (the demo's past nights). */
  async put(file: PersonFile): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: personItem(file) }));
  }

  private async query(input: { IndexName: string; KeyConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> }) {
    const out: PersonFile[] = [];
    for await (const page of paginateQuery({ client: this.db }, { TableName: this.tableName, ...input })) {
      out.push(...(page.Items ?? []).map(fileOf));
    }
    return out;
  }

  private async transact(items: TransactItem[]) {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        // The file (or another written with it) changed since it was read, or another writer was at it that instant.
        if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) throw new PersonChangedMeanwhile();
      }
      throw error;
    }
  }
}
