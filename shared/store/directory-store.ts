import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Location } from '../contract/schemas';
import { type DirectoryKind, directoryKey, directoryPartition } from './keys';

/** Rescue stations, patrol teams and help points: few per city, so each kind lives in one small partition. */
export interface Station { stationId: string; name: string; location: Location; dutyOfficer?: string; beds?: number }
export interface Team { teamId: string; name: string; stationId: string; location: Location; onDuty: boolean; members?: string[] }
export interface HelpPoint { helpPointId: string; name: string; location: Location; apiKeyHash: string; stationId: string }

type EntryOf<K extends DirectoryKind> = K extends 'team' ? Team : K extends 'station' ? Station : HelpPoint;
const idOf = (kind: DirectoryKind, entry: Team | Station | HelpPoint) =>
  kind === 'team' ? (entry as Team).teamId : kind === 'station' ? (entry as Station).stationId : (entry as HelpPoint).helpPointId;

export class DirectoryStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async list<K extends DirectoryKind>(kind: K): Promise<EntryOf<K>[]> {
    const entries: EntryOf<K>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': directoryPartition(kind) },
        ExclusiveStartKey,
      }));
      for (const { pk: _pk, sk: _sk, entity: _entity, ...entry } of page.Items ?? []) entries.push(entry as EntryOf<K>);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return entries;
  }

  async put<K extends DirectoryKind>(kind: K, entry: EntryOf<K>): Promise<void> {
    await this.db.send(new PutCommand({
      TableName: this.tableName,
      Item: { ...directoryKey(kind, idOf(kind, entry)), entity: kind, ...entry },
    }));
  }
}
