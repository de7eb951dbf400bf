import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { GSI_ALL_CASES, GSI_CASES_BY_STATUS, TABLE_KEYS, TTL_ATTRIBUTE } from '#shared/store/keys';

export interface StatefulStackProps extends StackProps {
  /** Origins allowed to upload straight to the bucket from a browser. */
  uploadOrigins: string[];
}

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

    this.uploads = new Bucket(this, 'UploadsBucket', {
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
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
