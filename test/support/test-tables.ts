import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
