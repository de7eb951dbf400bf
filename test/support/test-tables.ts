import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { ensureTables } from '#local/runtime/local-resources';
import { type LocalTable, localModelFrom } from '#local/template/local-model';
import { synthesizeTemplates } from '#local/template/synthesize';
import { createDocumentClient } from '#shared/adapters/aws-clients';
import { dynamoEndpoint, testDynamoClient } from './engines';

/**
 * Fresh tables shaped exactly as the CDK app defines the table (read from the synthesized template), on the run's
 * shared DynamoDB Local: a test that needs a world of its own takes one, and they are all dropped at the end.
 */
export class TestTables {
  private readonly created: string[] = [];

  private constructor(private readonly template: LocalTable, private readonly dynamo: DynamoDBClient, readonly db: DynamoDBDocumentClient) {}

  static async open(): Promise<TestTables> {
    const model = localModelFrom(await synthesizeTemplates());
    if (model.tables.length !== 1) throw new Error(`the CDK app defines ${model.tables.length} tables; these tests expect one`);
    return new TestTables(model.tables[0]!, testDynamoClient(), createDocumentClient(dynamoEndpoint()));
  }

  /** The name of a new, empty table. */
  async fresh(): Promise<string> {
    const tableName = `t-${randomUUID()}`;
    await ensureTables(this.dynamo, [{ ...this.template, create: { ...this.template.create, TableName: tableName } }]);
    this.created.push(tableName);
    return tableName;
  }

  async close(): Promise<void> {
    await Promise.all(this.created.map((TableName) => this.dynamo.send(new DeleteTableCommand({ TableName })).catch(() => undefined)));
    this.dynamo.destroy();
    this.db.destroy();
  }
}

/**
 * The test tables of one test file: opened before its tests run, every table it took dropped after them. Use the
 * returned object inside tests and hooks only (it is empty until the file's tests start).
 */
export function useTestTables(): { readonly db: DynamoDBDocumentClient; fresh(): Promise<string> } {
  let tables: TestTables | undefined;
  beforeAll(async () => {
    tables = await TestTables.open();
  });
  afterAll(async () => {
    await tables?.close();
  });
  const opened = () => {
    if (!tables) throw new Error('the test tables open before the tests: use them in a test or a hook');
    return tables;
  };
  return {
    get db() { return opened().db; },
    fresh: () => opened().fresh(),
  };
}
