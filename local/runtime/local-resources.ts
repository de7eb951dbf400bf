import {
  CreateTableCommand, DescribeTableCommand, type DynamoDBClient, ResourceInUseException, UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutBucketCorsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LocalBucket, LocalTable } from '#local/template/local-model';

/**
 * Creates the template's tables in DynamoDB Local, or brings existing ones up to date with indexes added since
 * (data under DATA_DIR outlives code changes). TTL is switched on as the template says.
 */
export async function ensureTables(dynamo: DynamoDBClient, tables: LocalTable[]): Promise<void> {
  for (const table of tables) {
    const name = table.create.TableName!;
    try {
      await dynamo.send(new CreateTableCommand(table.create));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: name }));
      const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
      for (const index of table.create.GlobalSecondaryIndexes ?? []) {
        if (existing.has(index.IndexName)) continue;
        await dynamo.send(new UpdateTableCommand({
          TableName: name,
          AttributeDefinitions: table.create.AttributeDefinitions,
          GlobalSecondaryIndexUpdates: [{ Create: index }],
        }));
      }
    }
    if (table.ttlAttribute) {
      await dynamo.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: table.ttlAttribute } }))
        .catch((error: Error) => {
          // DynamoDB Local refuses to enable TTL twice; that is the state we want.
          if (!/already enabled/i.test(error.message)) throw error;
        });
    }
  }
}

export async function ensureBuckets(s3: S3Client, buckets: LocalBucket[]): Promise<void> {
  for (const bucket of buckets) {
    try {
      await s3.send(new CreateBucketCommand({ Bucket: bucket.name }));
    } catch (error) {
      const name = (error as Error).name;
      if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
    }
    if (bucket.cors.length) await s3.send(new PutBucketCorsCommand({ Bucket: bucket.name, CORSConfiguration: { CORSRules: bucket.cors } }));
  }
}
