import {
  BatchGetCommand, BatchWriteCommand, type BatchWriteCommandInput, type BatchWriteCommandOutput, type DynamoDBDocumentClient, GetCommand, paginateQuery,
  PutCommand, type QueryCommandInput, TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { TransactItem } from './case-store';
import type { Actor } from '../domain/case';
import type { StoredWarning } from '../domain/warning-span';
import type { SupplyCounts, SupplyKind } from '../domain/supplies';
import {
  checkInKey, checkInPartition, markerKey, positionKey, SUPPLIES_PARTITION, suppliesKey, positionPartition, TEAM_POSITIONS_PARTITION, teamPositionKey, TTL_ATTRIBUTE,
  WARNINGS_PARTITION, warningKey,
} from './keys';

/** Where a team was, as its patrol phone said. */
export interface StoredPosition { at: string; lat: number; lon: number; accuracyM?: number }

/** A station's supplies: its stock, when and by whom it was counted, and the shortfalls it was last told of. */
export interface StoredSupplies {
  stationId: string;
  stock: SupplyCounts;
  countedAt: string;
  countedBy: string;
  /** The kinds short when the station was last told (a new one tells it again). */
  toldShort: SupplyKind[];
  version: number;
}

/** A team's check-in at a hot spot (拍照打卡). */
export interface StoredCheckIn {
  checkId: string;
  hotSpotId: string;
  teamId: string;
  at: string;
  night: string;
  location: { lat: number; lon: number; accuracyM?: number };
  outcome: 'nobody' | 'people_found';
  distanceM: number;
  photoUploadId?: string;
  note?: string;
  sightingId?: string;
  caseId?: string;
  by: Actor;
  receivedAt: string;
}

const strip = <T>({ pk: _pk, sk: _sk, entity: _entity, [TTL_ATTRIBUTE]: _ttl, ...rest }: Record<string, unknown>) => rest as T;

/**
 * The campaign's records: the teams' positions (one item each, in a partition per team and night, so a night's
 * coverage reads each team's night in one query), each team's last position, check-ins by night, and the CAP warnings.
 */
export class CampaignStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  /** Which of these positions (night, at) of a team are stored already: one flag each, in order. */
  async storedPositions(teamId: string, positions: readonly { night: string; at: string }[]): Promise<boolean[]> {
    const name = (key: { pk: string; sk: string }) => `${key.pk}|${key.sk}`;
    const keys = [...new Map(positions.map((p) => {
      const key = positionKey(teamId, p.night, p.at);
      return [name(key), key];
    })).values()];
    const found = new Set<string>();
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + 100);
      while (pending?.length) {
        const page = await this.db.send(new BatchGetCommand({
          RequestItems: { [this.tableName]: { Keys: pending, ProjectionExpression: 'pk, sk' } },
        }));
        for (const item of page.Responses?.[this.tableName] ?? []) found.add(name(item as { pk: string; sk: string }));
        pending = page.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return positions.map((p) => found.has(name(positionKey(teamId, p.night, p.at))));
  }

  /**
   * Writes positions (25 to a BatchWriteItem, one write unit each): a position written again is the same item, so a
   * batch sent twice, or two at once, leaves one of each.
   */
  async putPositions(teamId: string, positions: readonly (StoredPosition & { night: string })[], expiresAt: number): Promise<void> {
    for (let i = 0; i < positions.length; i += 25) {
      let requests: NonNullable<BatchWriteCommandInput['RequestItems']>[string] | undefined = positions.slice(i, i + 25)
        .map(({ night, ...position }) => ({
          PutRequest: { Item: { ...positionKey(teamId, night, position.at), entity: 'position', ...position, [TTL_ATTRIBUTE]: expiresAt } },
        }));
      for (let attempt = 0; requests?.length; attempt += 1) {
        if (attempt) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 25 * 2 ** attempt)));
        const written: BatchWriteCommandOutput = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = written.UnprocessedItems?.[this.tableName];
      }
    }
  }

  /** A team's positions of a night, in time order. */
  async positionsOf(teamId: string, night: string): Promise<StoredPosition[]> {
    return this.partition(positionPartition(teamId, night), { ProjectionExpression: '#at, lat, lon, accuracyM', ExpressionAttributeNames: { '#at': 'at' } });
  }

  /** Moves a team's last position forward; a position older than the one kept (sent late) leaves it as it is. */
  async advanceLastPosition(teamId: string, position: StoredPosition): Promise<void> {
    try {
      await this.db.send(new PutCommand({
        TableName: this.tableName,
        Item: { ...teamPositionKey(teamId), entity: 'team_position', teamId, ...position },
        ConditionExpression: 'attribute_not_exists(#at) OR #at < :at',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: { ':at': position.at },
      }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Every team's last position, by team id. */
  async lastPositions(): Promise<Map<string, StoredPosition>> {
    const items = await this.partition<StoredPosition & { teamId: string }>(TEAM_POSITIONS_PARTITION);
    return new Map(items.map(({ teamId, ...position }) => [teamId, position]));
  }

  async putCheckIn(checkIn: StoredCheckIn): Promise<void> {
    await this.db.send(new PutCommand({
      TableName: this.tableName,
      Item: { ...checkInKey(checkIn.night, checkIn.at, checkIn.checkId), entity: 'check_in', ...checkIn },
    }));
  }

  /** The check-ins of a night, in time order. */
  async checkInsOf(night: string): Promise<StoredCheckIn[]> {
    return this.partition(checkInPartition(night));
  }

  /**
   * Stores a warning, with the notices it sends (`alongside`, in the same transaction: the outbox), unless one with
   * its identifier is on record: then that one, unchanged, and nothing is sent again.
   */
  async putWarning(warning: StoredWarning & { postedBy: Actor }, alongside: TransactItem[] = []): Promise<{ created: boolean; warning: StoredWarning }> {
    const put = { TableName: this.tableName, Item: { ...warningKey(warning.identifier), entity: 'warning', ...warning }, ConditionExpression: 'attribute_not_exists(pk)' };
    if (await this.writeIfFirst(put, alongside)) return { created: true, warning };
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: warningKey(warning.identifier), ConsistentRead: true }));
    return { created: false, warning: strip<StoredWarning>(Item!) };
  }

  /**
   * Writes a night's reminder marker with the notices it sends, once: false (nothing written) when it was written
   * already, by an earlier pass or one running at the same time.
   */
  remindOnce(marker: string, notices: TransactItem[]): Promise<boolean> {
    return this.writeIfFirst({ TableName: this.tableName, Item: { ...markerKey(marker), entity: 'marker' }, ConditionExpression: 'attribute_not_exists(pk)' }, notices);
  }

  /** Every station's stock of supplies on record, by station id. */
  async supplies(): Promise<Map<string, StoredSupplies>> {
    const items = await this.partition<StoredSupplies>(SUPPLIES_PARTITION, { ConsistentRead: true });
    return new Map(items.map((supplies) => [supplies.stationId, supplies]));
  }

  /**
   * Writes a station's supplies if they are still as read (`version`), with the notices a new shortfall sends, in
   * one transaction: false when someone wrote them meanwhile (the caller reads again).
   */
  putSupplies(supplies: StoredSupplies, readVersion: number | undefined, notices: TransactItem[] = []): Promise<boolean> {
    return this.writeIfFirst({
      TableName: this.tableName,
      Item: { ...suppliesKey(supplies.stationId), entity: 'supplies', ...supplies },
      ConditionExpression: readVersion === undefined ? 'attribute_not_exists(pk)' : 'version = :version',
      ...(readVersion === undefined ? {} : { ExpressionAttributeValues: { ':version': readVersion } }),
    }, notices);
  }

  /** Writes a conditional put with the items that go with it: false (nothing written) when its condition fails. */
  private async writeIfFirst(put: NonNullable<TransactItem['Put']>, alongside: TransactItem[]): Promise<boolean> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, ...alongside] }));
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  /** Writes these items together. */
  async writeAll(items: TransactItem[]): Promise<void> {
    if (items.length) await this.db.send(new TransactWriteCommand({ TransactItems: items }));
  }

  /** Every warning on record (tens a season). */
  async warnings(): Promise<StoredWarning[]> {
    return this.partition(WARNINGS_PARTITION);
  }

  /** Every item of one of the campaign's partitions (small ones: a team's night, a night's check-ins, …), keys dropped. */
  private async partition<T>(pk: string, options: Pick<QueryCommandInput, 'ProjectionExpression' | 'ExpressionAttributeNames' | 'ConsistentRead'> = {}): Promise<T[]> {
    const items: T[] = [];
    for await (const page of paginateQuery({ client: this.db }, {
      TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ...options,
    })) {
      for (const item of page.Items ?? []) items.push(strip<T>(item));
    }
    return items;
  }
}
