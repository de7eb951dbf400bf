import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { ReadWriteType, Trail } from 'aws-cdk-lib/aws-cloudtrail';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { GSI_ALL_CASES, GSI_CASE_CHANGES, GSI_CASES_BY_STATUS, TABLE_KEYS, TTL_ATTRIBUTE } from '#shared/store/keys';

export interface StatefulStackProps extends StackProps {
  /** Origins allowed to upload straight to the bucket from a browser. */
  uploadOrigins: string[];
  /** Names the exports (the stage, as the stacks' names start with it). */
  stage: string;
}

/**
 * The names under which the uploads bucket is exported to the stateless stack. Explicit (not CDK's generated export
 * names), so that the grants on its objects read the same in every stage and their cdk-nag acknowledgement can name them.
 */
export const uploadsExports = (stage: string) => ({ arn: `${stage}-UploadsBucketArn`, name: `${stage}-UploadsBucketName` });

/** What must outlive every deployment: the case table and the uploads bucket. Both are retained on stack deletion. */
export class StatefulStack extends Stack {
  readonly table: Table;
  readonly uploads: Bucket;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    this.table = new Table(this, 'CasesTable', {
      partitionKey: { name: TABLE_KEYS.pk, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sk, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of [GSI_ALL_CASES, GSI_CASES_BY_STATUS]) {
      this.table.addGlobalSecondaryIndex({
        indexName: index,
        partitionKey: { name: `${index}pk`, type: AttributeType.STRING },
        sortKey: { name: `${index}sk`, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    // Which cases changed when: keys only, read by the kept figures (shared/use-cases/roll-stats.ts).
    this.table.addGlobalSecondaryIndex({
      indexName: GSI_CASE_CHANGES,
      partitionKey: { name: `${GSI_CASE_CHANGES}pk`, type: AttributeType.STRING },
      sortKey: { name: `${GSI_CASE_CHANGES}sk`, type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });

    // Who touched the photos of vulnerable people: the bucket's server access logs and CloudTrail's data events for
    // it, kept a year in a bucket of their own.
    const accessLogs = new Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({ id: 'AwsSolutions-S1', reason: 'This is the access-log bucket; logging it into itself would loop.' });

    this.uploads = new Bucket(this, 'UploadsBucket', {
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'uploads-bucket/',
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      // Object-created events go to EventBridge, so the functions that react live in the stateless stack without
      // a dependency cycle between the stacks.
      eventBridgeEnabled: true,
      cors: [{
        allowedMethods: [HttpMethods.PUT, HttpMethods.POST, HttpMethods.GET],
        allowedOrigins: props.uploadOrigins,
        allowedHeaders: ['*'],
        exposedHeaders: ['ETag'],
        maxAge: 3000,
      }],
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'expire-replaced-versions', noncurrentVersionExpiration: Duration.days(30) },
        // Thermal frames matter for the night's analysis, not for the person's file.
        { id: 'expire-thermal-frames', prefix: 'uploads/thermal_frame/', expiration: Duration.days(90) },
        // A photo's original (with its EXIF) is deleted once its clean copy is stored; this catches one a crash left.
        { id: 'expire-photo-originals', prefix: 'uploads/case_photo/', expiration: Duration.days(1), noncurrentVersionExpiration: Duration.days(1) },
        // A clean copy removed by retention or an erasure does not linger as an old version.
        { id: 'expire-removed-views', prefix: 'views/', noncurrentVersionExpiration: Duration.days(1) },
        // Check-in photos (拍照打卡) prove a hot spot was checked: kept as long as the team's positions, then gone.
        { id: 'expire-check-in-photos', prefix: 'views/check_in_photo/', expiration: Duration.days(60) },
        { id: 'expire-check-in-originals', prefix: 'uploads/check_in_photo/', expiration: Duration.days(1), noncurrentVersionExpiration: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // eventBridgeEnabled is applied by a function CDK provides (one per stack), with its own role.
    for (const handler of this.node.children.filter((child) => child.node.id.startsWith('BucketNotificationsHandler'))) {
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "CDK's own handler that turns on the bucket's EventBridge notifications at deployment; its role is CDK's.",
      });
    }
    const exportNames = uploadsExports(props.stage);
    new CfnOutput(this, 'UploadsBucketArn', { value: this.uploads.bucketArn, exportName: exportNames.arn });
    new CfnOutput(this, 'UploadsBucketName', { value: this.uploads.bucketName, exportName: exportNames.name });

    const trail = new Trail(this, 'UploadsTrail', {
      bucket: accessLogs,
      s3KeyPrefix: 'cloudtrail',
      // Management events are the account's business; this trail records who read, wrote or deleted an upload.
      includeGlobalServiceEvents: false,
      isMultiRegionTrail: false,
      managementEvents: ReadWriteType.NONE,
      enableFileValidation: true,
    });
    trail.addS3EventSelector([{ bucket: this.uploads }], { readWriteType: ReadWriteType.ALL, includeManagementEvents: false });
  }
}
