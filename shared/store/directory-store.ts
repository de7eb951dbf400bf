import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, paginateQuery, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import type { Location } from '../contract/schemas';
import type { DeviceKind, DeviceScope, PlaceType } from '../contract/vocabulary';
import type { StationArea } from '../domain/station-area';
import { conflict, invalid, notFound } from '../domain/errors';
import { openCursor, sealCursor } from './cursor-seal';
import {
  DIRECTORY_CHANGES_PARTITION, type DirectoryKind, deviceClientKey, directoryChangeKey, directoryKey, directoryPartition, helpPointApiKeyKey,
} from './keys';

const ulid = monotonicFactory();

/** One change to the directory, in its audit trail: who, when, what (an update names its fields, not their values). */
export interface DirectoryChange {
  at: string;
  sub: string;
  kind: 'station' | 'team' | 'help_point' | 'device' | 'member' | 'hot_spot';
  id: string;
  what: 'created' | 'updated' | 'key_issued' | 'key_revoked' | 'imported';
  fields?: string[];
}

/**
 * How a team or station is told about a case: its chat group's robot (a WeCom/DingTalk webhook), or the SNS topic,
 * whose SMS and e-mail subscriptions filter on the recipient. Without a setting, the topic.
 */
export type NotifyChannel = { channel: 'webhook'; url: string } | { channel: 'sns' };

/** Rescue stations, patrol teams and help points: few per city, so each kind lives in one small partition. */
export interface Station {
  stationId: string; name: string; location: Location; dutyOfficer?: string; beds?: number; notify?: NotifyChannel;
  /** The area it answers for (a polygon, WGS-84): a case inside is its case; without one, the nearest station's. */
  area?: StationArea; districts?: string[];
  /** What a family-search notice shows for reaching the station. */
  phone?: string; address?: string;
  /** The station chief (a member's sub): approves a minor's family-search notice. */
  chief?: string;
}
export interface Team { teamId: string; name: string; stationId: string; location: Location; onDuty: boolean; members?: string[]; notify?: NotifyChannel }
/** A help point; without `apiKeyHash` its key was revoked and no api_key works for it until a new one is issued. */
export interface HelpPoint { helpPointId: string; name: string; location: Location; apiKeyHash?: string; stationId: string }
/**
 * A machine that sends to the API: authenticated by its own app client of the user pool (OAuth client credentials),
 * whose id it carries while it is active. Revoked, it has no client and its tokens are refused on their next call.
 */
export interface Device {
  deviceId: string; name: string; kind: DeviceKind; stationId: string;
  /** Who answers for it (a member's sub or a unit's name): the pilot of a drone, the keeper of a camera. */
  owner?: string;
  scopes: DeviceScope[];
  status: 'active' | 'revoked';
  clientId?: string;
  createdAt: string;
}
/** A member invited through the API: what the directory keeps of them (no phone, no e-mail: the pool has those). */
export interface Member {
  username: string; sub: string; name: string; role: 'patrol' | 'station' | 'coordinator' | 'admin';
  teamId?: string; stationId?: string; status: 'invited' | 'disabled'; invitedAt: string; invitedBy: string;
}
/** A known place to check (bridge, culvert, underpass…): what names a case found near it. */
export interface HotSpot { hotSpotId: string; name: string; type: PlaceType; location: Location; radiusM: number; priority: 'high' | 'normal'; district?: string }

/** A help point's Open311 api_key is its secret: only this hash of it is stored. */
export const apiKeyHash = (apiKey: string) => createHash('sha256').update(apiKey, 'utf8').digest('hex');

type EntryOf<K extends DirectoryKind> = K extends 'team' ? Team : K extends 'station' ? Station : K extends 'hot_spot' ? HotSpot
  : K extends 'device' ? Device : K extends 'member' ? Member : HelpPoint;
type Entry = Team | Station | HelpPoint | HotSpot | Device | Member;
const idOf = (kind: DirectoryKind, entry: Entry) =>
  kind === 'team' ? (entry as Team).teamId : kind === 'station' ? (entry as Station).stationId
    : kind === 'hot_spot' ? (entry as HotSpot).hotSpotId : kind === 'device' ? (entry as Device).deviceId
      : kind === 'member' ? (entry as Member).username : (entry as HelpPoint).helpPointId;
/** Entries written with an item that finds them by their secret: never put without it. */
type Keyed = 'help_point' | 'device';
const FOUND_BY_SECRET = {
  help_point: { field: 'apiKeyHash', key: helpPointApiKeyKey, entity: 'help_point_key', owner: 'helpPointId', noun: 'help point', secret: 'api_key' },
  device: { field: 'clientId', key: deviceClientKey, entity: 'device_client', owner: 'deviceId', noun: 'device', secret: 'app client' },
} as const satisfies Record<Keyed, unknown>;
const entryOf = <T>({ pk: _pk, sk: _sk, entity: _entity, ...entry }: Record<string, unknown>) => entry as T;

export class DirectoryStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async list<K extends DirectoryKind>(kind: K): Promise<EntryOf<K>[]> {
    const entries: EntryOf<K>[] = [];
    for await (const page of paginateQuery({ client: this.db }, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': directoryPartition(kind) },
    })) {
      for (const item of page.Items ?? []) entries.push(entryOf<EntryOf<K>>(item));
    }
    return entries;
  }

  async get<K extends DirectoryKind>(kind: K, id: string): Promise<EntryOf<K> | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: directoryKey(kind, id) }));
    return Item ? entryOf<EntryOf<K>>(Item) : undefined;
  }

  /** Teams, stations and hot spots. Help points go through putHelpPoint, which keeps their api_key item with them. */
  async put<K extends Exclude<DirectoryKind, Keyed>>(kind: K, entry: EntryOf<K>): Promise<void> {
    await this.db.send(new PutCommand({
      TableName: this.tableName,
      Item: { ...directoryKey(kind, idOf(kind, entry)), entity: kind, ...entry },
    }));
  }

  /** Writes a new entry; one with its id already is a conflict, and nothing is written. */
  async create<K extends Exclude<DirectoryKind, Keyed>>(kind: K, entry: EntryOf<K>): Promise<void> {
    if (!(await this.putIf(kind, entry, 'attribute_not_exists(pk)'))) throw conflict(`${kind.replace('_', ' ')} ${idOf(kind, entry)} exists already`);
  }

  /** Replaces an entry that exists; false (and nothing written) when there is none. */
  replace<K extends Exclude<DirectoryKind, Keyed>>(kind: K, entry: EntryOf<K>): Promise<boolean> {
    return this.putIf(kind, entry, 'attribute_exists(pk)');
  }

  private async putIf<K extends Exclude<DirectoryKind, Keyed>>(kind: K, entry: EntryOf<K>, condition: string): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({
        TableName: this.tableName,
        Item: { ...directoryKey(kind, idOf(kind, entry)), entity: kind, ...entry },
        ConditionExpression: condition,
      }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Writes an entry and its change in the audit trail together: a new one (`create`: a conflict if its id is taken)
   * or one that exists (`replace`: false, and nothing written, when there is none).
   */
  async writeAudited<K extends 'station' | 'team' | 'member' | 'hot_spot'>(kind: K, entry: EntryOf<K>, mode: 'create' | 'replace', change: DirectoryChange): Promise<boolean> {
    try {
      await this.db.send(new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...directoryKey(kind, idOf(kind, entry)), entity: kind, ...entry },
              ConditionExpression: mode === 'create' ? 'attribute_not_exists(pk)' : 'attribute_exists(pk)',
            },
          },
          this.changeWrite(change),
        ],
      }));
      return true;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException) || error.CancellationReasons?.[0]?.Code !== 'ConditionalCheckFailed') throw error;
      if (mode === 'create') throw conflict(`${kind.replace('_', ' ')} ${idOf(kind, entry)} exists already`);
      return false;
    }
  }

  private changeWrite(change: DirectoryChange) {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...directoryChangeKey(change.at, ulid()), entity: 'directory_change', ...change },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /** The audit trail, newest first, a page at a time (the cursor sealed for it). */
  async changes(limit: number, cursor?: string): Promise<{ items: DirectoryChange[]; nextCursor?: string }> {
    const scope = 'directory-changes';
    let startKey: Record<string, unknown> | undefined;
    if (cursor !== undefined) {
      const sk = openCursor(scope, cursor);
      if (sk === undefined) throw invalid('cursor is not one this list returned; start again without it', [{ path: 'query.cursor', message: 'invalid cursor' }]);
      startKey = { pk: DIRECTORY_CHANGES_PARTITION, sk };
    }
    const page = await this.db.send(new QueryCommand({
      TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': DIRECTORY_CHANGES_PARTITION },
      ScanIndexForward: false, Limit: limit, ExclusiveStartKey: startKey,
    }));
    const items = (page.Items ?? []).map(({ at, sub, kind, id, what, fields }) => ({ at, sub, kind, id, what, ...(fields ? { fields } : {}) }) as DirectoryChange);
    return { items, ...(page.LastEvaluatedKey ? { nextCursor: sealCursor(scope, String(page.LastEvaluatedKey.sk)) } : {}) };
  }

  /** Removes an entry; false when there was none. */
  async remove(kind: Exclude<DirectoryKind, Keyed>, id: string): Promise<boolean> {
    const { Attributes } = await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: directoryKey(kind, id), ReturnValues: 'ALL_OLD' }));
    return Attributes !== undefined;
  }

  /**
   * Writes a help point and the item that finds it by its api_key hash, in one transaction. A new key drops the
   * old key's item in the same transaction, so a rotated key stops working at once; a hash already held by another
   * help point, or a help point changed since it was read, is a conflict.
   */
  putHelpPoint(helpPoint: HelpPoint, change?: DirectoryChange, expect: 'new' | 'existing' | 'either' = 'either'): Promise<void> {
    return this.putFoundBySecret('help_point', helpPoint, change, expect);
  }

  /**
   * Writes a device and the item that finds it by its app client, in one transaction: a new client drops the old
   * one's item, a revoked device (no client) keeps none, so the authorizer refuses the old client's tokens at once.
   * A device changed since it was read (its client not the one read) is a conflict.
   */
  putDevice(device: Device, change: DirectoryChange, expect: 'new' | 'existing'): Promise<void> {
    return this.putFoundBySecret('device', device, change, expect);
  }

  /**
   * An entry found by a secret of its own (a help point by its key's hash, a device by its app client) and the item
   * that finds it, written together: the entry only if unchanged since it was read (its secret, or its having none,
   * still the one read), the new secret's item only if no other entry holds it, the old secret's item dropped.
   */
  private async putFoundBySecret(kind: Keyed, entry: HelpPoint | Device, change: DirectoryChange | undefined, expect: 'new' | 'existing' | 'either'): Promise<void> {
    const found = FOUND_BY_SECRET[kind];
    const id = idOf(kind, entry);
    const entryKey = directoryKey(kind, id);
    const { Item: previous } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: entryKey, ConsistentRead: true }));
    if (expect === 'new' && previous) throw conflict(`${found.noun} ${id} exists already`);
    if (expect === 'existing' && !previous) throw notFound(`no ${found.noun} ${id}`);
    const previousSecret = previous?.[found.field] as string | undefined;
    const secret = (entry as unknown as Record<string, unknown>)[found.field] as string | undefined;
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...entryKey, entity: kind, ...entry },
          ConditionExpression: previous
            ? (previousSecret ? `${found.field} = :previous` : `attribute_exists(pk) AND attribute_not_exists(${found.field})`)
            : 'attribute_not_exists(pk)',
          ...(previousSecret ? { ExpressionAttributeValues: { ':previous': previousSecret } } : {}),
        },
      },
    ];
    if (secret) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...found.key(secret), entity: found.entity, [found.owner]: id },
          ConditionExpression: `attribute_not_exists(pk) OR ${found.owner} = :id`,
          ExpressionAttributeValues: { ':id': id },
        },
      });
    }
    if (previousSecret && previousSecret !== secret) items.push({ Delete: { TableName: this.tableName, Key: found.key(previousSecret) } });
    if (change) items.push(this.changeWrite(change));
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [entryWrite, secretWrite] = error.CancellationReasons ?? [];
      if (secret && secretWrite?.Code === 'ConditionalCheckFailed') throw conflict(`${found.noun} ${id}: that ${found.secret} belongs to another ${found.noun}`);
      if (entryWrite?.Code === 'ConditionalCheckFailed') throw conflict(`${found.noun} ${id} was changed meanwhile; read it again`);
      throw error;
    }
  }

  /**
   * The active device whose app client this is (the authorizer's question on every call a device makes); undefined
   * for a client that is unknown, rotated away or revoked. Read strongly: a revocation counts from the next call.
   */
  async deviceByClient(clientId: string): Promise<Device | undefined> {
    const { Item: clientItem } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: deviceClientKey(clientId), ConsistentRead: true }));
    if (typeof clientItem?.deviceId !== 'string') return undefined;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: directoryKey('device', clientItem.deviceId), ConsistentRead: true }));
    if (!Item || Item.clientId !== clientId || Item.status !== 'active') return undefined;
    return entryOf<Device>(Item);
  }

  /** The help point whose api_key this is, by key lookup (never a scan); undefined for an unknown or rotated key. */
  async helpPointByKey(apiKey: string): Promise<HelpPoint | undefined> {
    const hash = apiKeyHash(apiKey);
    const { Item: keyItem } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: helpPointApiKeyKey(hash) }));
    if (typeof keyItem?.helpPointId !== 'string') return undefined;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: directoryKey('help_point', keyItem.helpPointId) }));
    // Both items are written together, but an eventually consistent read may see a rotation halfway.
    if (!Item || Item.apiKeyHash !== hash) return undefined;
    return entryOf<HelpPoint>(Item);
  }
}
