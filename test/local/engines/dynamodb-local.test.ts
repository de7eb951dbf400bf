import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkJava, startDynamoDbLocal } from '#local/engines/dynamodb-local';
import { LocalEngineError } from '#local/engines/errors';
import { testDynamoClient } from '../../support/engines';

const TableName = 'engine-check';

describe('DynamoDB Local (shared in-memory instance)', () => {
  let db: DynamoDBClient;

  beforeAll(async () => {
    db = testDynamoClient();
    await db.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  });
  afterAll(() => db.destroy());

  it('refuses a second create guarded by attribute_not_exists', async () => {
    const create = () =>
      db.send(
        new PutItemCommand({
          TableName,
          Item: { pk: { S: 'CASE#1' }, sk: { S: 'CASE' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    await create();
    await expect(create()).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('reports per-item cancellation reasons for a cancelled transaction', async () => {
    await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'CASE#2' }, sk: { S: 'CASE' } } }));

    const error = await db
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName, Item: { pk: { S: 'CASE#3' }, sk: { S: 'CASE' } } } },
            {
              Put: {
                TableName,
                Item: { pk: { S: 'CASE#2' }, sk: { S: 'CASE' } },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      )
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((reason) => reason.Code)).toEqual([
      'None',
      'ConditionalCheckFailed',
    ]);
    const untouched = await db.send(new GetItemCommand({ TableName, Key: { pk: { S: 'CASE#3' }, sk: { S: 'CASE' } } }));
    expect(untouched.Item).toBeUndefined();
  });

  it('queries a global secondary index', async () => {
    for (const [pk, sk] of [
      ['SIGHTING#a', '2026-01-01T10:00'],
      ['SIGHTING#b', '2026-01-01T11:00'],
    ] as const) {
      await db.send(new PutItemCommand({ TableName, Item: { pk: { S: pk }, sk: { S: sk }, gsi1pk: { S: 'ZONE#east' } } }));
    }

    const result = await db.send(
      new QueryCommand({
        TableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :zone',
        ExpressionAttributeValues: { ':zone': { S: 'ZONE#east' } },
        ScanIndexForward: false,
      }),
    );

    expect(result.Items?.map((item) => item.pk?.S)).toEqual(['SIGHTING#b', 'SIGHTING#a']);
  });
});

describe('DynamoDB Local with a data directory', () => {
  let dataDir: string;
  beforeAll(async () => (dataDir = await mkdtemp(join(tmpdir(), 'dynamo-local-test-'))));
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps items across a restart on the same directory', { timeout: 60_000 }, async () => {
    const first = await startDynamoDbLocal({ dataDir });
    try {
      const db = testDynamoClient(first.endpoint);
      await db.send(
        new CreateTableCommand({
          TableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      );
      await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'CASE#kept' }, note: { S: 'still here' } } }));
      db.destroy();
    } finally {
      await first.stop();
    }
    await first.stop(); // idempotent

    const second = await startDynamoDbLocal({ dataDir });
    try {
      const db = testDynamoClient(second.endpoint);
      const result = await db.send(new GetItemCommand({ TableName, Key: { pk: { S: 'CASE#kept' } } }));
      db.destroy();
      expect(result.Item?.note?.S).toBe('still here');
    } finally {
      await second.stop();
    }
  });
});

describe('Java check', () => {
  it('accepts the Java on this machine', async () => {
    await expect(checkJava()).resolves.toBeGreaterThanOrEqual(17);
  });

  it('explains how to install Java when it is missing', async () => {
    const attempt = checkJava('/nonexistent/bin/java');
    await expect(attempt).rejects.toBeInstanceOf(LocalEngineError);
    await expect(attempt).rejects.toThrow(/Java 17 or newer.*npm run setup.*openjdk-17-jre-headless/s);
  });

  it('rejects Java 8 with the version it found', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'old-java-'));
    const fakeJava = join(dir, 'java');
    await writeFile(fakeJava, '#!/bin/sh\necho \'java version "1.8.0_392"\' >&2\n');
    await chmod(fakeJava, 0o755);
    try {
      await expect(checkJava(fakeJava)).rejects.toThrow(/Java 8 was found.*needs Java 17 or newer/s);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
