import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRescueApp } from '#infra/rescue-app';
import { caseChangeIndexKeys, caseIndexKeys, GSI_ALL_CASES, GSI_CASE_CHANGES, GSI_CASES_BY_STATUS, TABLE_KEYS, TTL_ATTRIBUTE } from '#shared/store/keys';
import { asArray, type CfnResource, expectLike, referencedId, resourceById, resourcesOfType } from './template-queries';

let template: Template;
let table: CfnResource;
let tableId: string;
let uploads: CfnResource;
let uploadsId: string;

beforeAll(() => {
  const { stateful } = buildRescueApp({ skipBundling: true });
  template = Template.fromStack(stateful);
  tableId = stateful.getLogicalId(stateful.table.node.defaultChild as CfnTable);
  uploadsId = stateful.getLogicalId(stateful.uploads.node.defaultChild as CfnBucket);
  table = resourceById(template, tableId);
  uploads = resourceById(template, uploadsId);
});

describe('case table', () => {
  it('is on-demand, keyed by pk/sk, encrypted and point-in-time recoverable', () => {
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    expectLike(table.Properties, {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: Match.arrayEquals([
        { AttributeName: TABLE_KEYS.pk, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sk, KeyType: 'RANGE' },
      ]),
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('expires idempotency records through the TTL attribute the store writes', () => {
    expectLike(table.Properties, { TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } });
    expect(TTL_ATTRIBUTE).toBe('expiresAt');
  });

  it('outlives the stack: deletion protection and Retain on delete and replace', () => {
    expect(table.Properties?.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });

  it.each([GSI_ALL_CASES, GSI_CASES_BY_STATUS])('has the index %s that listCases queries, on the keys the store writes, projecting ALL', (indexName) => {
    const indexes = asArray(table.Properties?.GlobalSecondaryIndexes) as { IndexName: string }[];
    const index = indexes.find((i) => i.IndexName === indexName);
    expect(index, `no GSI named ${indexName}`).toBeDefined();
    const [hash, range] = [`${indexName}pk`, `${indexName}sk`];
    // The store writes these attributes on every case item; an index keyed on anything else would stay empty.
    expect(Object.keys(caseIndexKeys('c1', '2025-01-01T00:00:00.000Z', 'open'))).toEqual(expect.arrayContaining([hash, range]));
    expectLike(index, {
      KeySchema: Match.arrayEquals([{ AttributeName: hash, KeyType: 'HASH' }, { AttributeName: range, KeyType: 'RANGE' }]),
      // listCases filters on risk and location and returns whole cases from the index pages.
      Projection: { ProjectionType: 'ALL' },
    });
    expectLike(table.Properties, {
      AttributeDefinitions: Match.arrayWith([{ AttributeName: hash, AttributeType: 'S' }, { AttributeName: range, AttributeType: 'S' }]),
    });
  });

  it('has the change index the kept figures read, on the keys every case write sets, projecting keys only', () => {
    const indexes = asArray(table.Properties?.GlobalSecondaryIndexes) as { IndexName: string }[];
    const index = indexes.find((i) => i.IndexName === GSI_CASE_CHANGES);
    const [hash, range] = [`${GSI_CASE_CHANGES}pk`, `${GSI_CASE_CHANGES}sk`];
    expect(Object.keys(caseChangeIndexKeys('2025-01-01T00:00:00.000Z', '2025-01-02T00:00:00.000Z'))).toEqual([hash, range]);
    expectLike(index, {
      KeySchema: Match.arrayEquals([{ AttributeName: hash, KeyType: 'HASH' }, { AttributeName: range, KeyType: 'RANGE' }]),
      // Each change costs the index a few bytes, not a copy of the case.
      Projection: { ProjectionType: 'KEYS_ONLY' },
    });
  });
});

describe('uploads bucket', () => {
  it('blocks every kind of public access', () => {
    expect(uploads.Type).toBe('AWS::S3::Bucket');
    expectLike(uploads.Properties, {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
      },
    });
  });

  it('has a bucket policy that denies requests without TLS', () => {
    const policies = resourcesOfType(template, 'AWS::S3::BucketPolicy').filter(([, p]) => referencedId(p.Properties?.Bucket) === uploadsId);
    expect(policies).toHaveLength(1);
    expectLike(policies[0]![1].Properties, {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]),
      },
    });
  });

  it('encrypts objects at rest by default', () => {
    expectLike(uploads.Properties, {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: Match.arrayWith([
          Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: Match.stringLikeRegexp('^(AES256|aws:kms|aws:kms:dsse)$') } }),
        ]),
      },
    });
  });

  it('is versioned and retained when the stack goes', () => {
    expectLike(uploads.Properties, { VersioningConfiguration: { Status: 'Enabled' } });
    expect(uploads.DeletionPolicy).toBe('Retain');
    expect(uploads.UpdateReplacePolicy).toBe('Retain');
  });

  it('has lifecycle rules, including one that aborts incomplete multipart uploads', () => {
    expectLike(uploads.Properties, {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({
          Status: 'Enabled',
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: Match.anyValue() },
        })]),
      },
    });
  });

  it('lets browsers PUT straight to the bucket (presigned uploads)', () => {
    const rules = (uploads.Properties?.CorsConfiguration?.CorsRules ?? []) as { AllowedMethods: string[]; AllowedOrigins: string[] }[];
    const putRule = rules.find((r) => r.AllowedMethods.includes('PUT'));
    expect(putRule, 'no CORS rule allows PUT').toBeDefined();
    expect(putRule!.AllowedOrigins.length).toBeGreaterThan(0);
  });

  it('sends its events to EventBridge', () => {
    const notifications = resourcesOfType(template, 'Custom::S3BucketNotifications')
      .filter(([, n]) => referencedId(n.Properties?.BucketName) === uploadsId);
    expect(notifications).toHaveLength(1);
    expectLike(notifications[0]![1].Properties, {
      NotificationConfiguration: Match.objectLike({ EventBridgeConfiguration: Match.objectLike({}) }),
    });
  });
});
