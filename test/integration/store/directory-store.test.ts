import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables } from '#local/runtime/local-resources';
import { localModelFrom } from '#local/template/local-model';
import { synthesizeTemplates } from '#local/template/synthesize';
import { createDocumentClient } from '#shared/adapters/aws-clients';
import { DomainError } from '#shared/domain/errors';
import { apiKeyHash, DirectoryStore, type HelpPoint } from '#shared/store/directory-store';
import { helpPointApiKeyKey } from '#shared/store/keys';
import { dynamoEndpoint, testDynamoClient } from '../../support/engines';

/** Help points and their Open311 api_key items, on DynamoDB Local with the table the CDK app defines. */
let dynamo: DynamoDBClient;
let db: DynamoDBDocumentClient;
let tableName: string;
let directory: DirectoryStore;

const helpPoint = (id: string, key: string): HelpPoint => ({
  helpPointId: id, name: `便民点 ${id}`, location: { lat: 28.6747, lon: 115.9069 }, apiKeyHash: apiKeyHash(key), stationId: 'station-nc',
});

const keyItems = async () => {
  const found: string[] = [];
  for (const key of ['key-a', 'key-a2', 'key-b']) {
    const { Items } = await db.send(new QueryCommand({
      TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': helpPointApiKeyKey(apiKeyHash(key)).pk },
    }));
    if (Items?.length) found.push(key);
  }
  return found;
};

beforeAll(async () => {
  const model = localModelFrom(await synthesizeTemplates());
  dynamo = testDynamoClient();
  db = createDocumentClient(dynamoEndpoint());
  tableName = `t-${randomUUID()}`;
  await ensureTables(dynamo, [{ ...model.tables[0]!, create: { ...model.tables[0]!.create, TableName: tableName } }]);
  directory = new DirectoryStore(db, tableName);
});

afterAll(async () => {
  await dynamo?.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  dynamo?.destroy();
  db?.destroy();
});

describe('help points and their api_keys', () => {
  it('finds a help point by its key, and nothing by any other', async () => {
    await directory.putHelpPoint(helpPoint('hp-a', 'key-a'));
    expect(await directory.helpPointByKey('key-a')).toEqual(helpPoint('hp-a', 'key-a'));
    expect(await directory.helpPointByKey('key-A')).toBeUndefined();
    expect(await directory.helpPointByKey('')).toBeUndefined();
    expect((await directory.list('help_point')).map((h) => h.helpPointId)).toEqual(['hp-a']);
  });

  it('stores only a hash of the key', async () => {
    const { Items } = await db.send(new QueryCommand({
      TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': helpPointApiKeyKey(apiKeyHash('key-a')).pk },
    }));
    expect(JSON.stringify(Items)).not.toContain('"key-a"');
  });

  it('writing the same help point again changes nothing; a new key retires the old one at once', async () => {
    await directory.putHelpPoint(helpPoint('hp-a', 'key-a'));
    expect(await keyItems()).toEqual(['key-a']);
    await directory.putHelpPoint({ ...helpPoint('hp-a', 'key-a2'), name: '八一广场福彩便民点' });
    expect(await directory.helpPointByKey('key-a')).toBeUndefined();
    expect(await directory.helpPointByKey('key-a2')).toMatchObject({ helpPointId: 'hp-a', name: '八一广场福彩便民点' });
    expect(await keyItems()).toEqual(['key-a2']);
  });

  it("refuses a key that is another help point's, and leaves both as they were", async () => {
    await directory.putHelpPoint(helpPoint('hp-b', 'key-b'));
    const error = await directory.putHelpPoint(helpPoint('hp-a', 'key-b')).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe('conflict');
    expect(await directory.helpPointByKey('key-b')).toMatchObject({ helpPointId: 'hp-b' });
    expect(await directory.helpPointByKey('key-a2')).toMatchObject({ helpPointId: 'hp-a' });
  });
});
