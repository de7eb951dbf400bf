import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { GSI_ALL_CASES, GSI_CASE_CHANGES, GSI_CASES_BY_STATUS, UPLOAD_OBJECT_PREFIX, VIEW_OBJECT_PREFIX } from '#shared/store/keys';
import { CaseWorkflow } from './case-workflow';

/**
 * Each grant also sets the environment variable the function reads (shared/settings.ts), so a function can never
 * have the permission without knowing the resource, or the resource without the permission.
 */
/** The table's reads: keys, queries and condition checks on the table and its indexes; never a Scan. */
const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
/** Its writes (a TransactWriteItems is authorised item by item against these). */
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const tableResources = (table: ITable) =>
  [table.tableArn, ...[GSI_ALL_CASES, GSI_CASES_BY_STATUS, GSI_CASE_CHANGES].map((index) => `${table.tableArn}/index/${index}`)];
/**
 * Objects are keyed per upload under a prefix (`uploads/<purpose>/<id>`, `views/<purpose>/<id>`): the prefix is the
 * narrowest resource a grant can name (an acknowledged cdk-nag IAM5 finding, infra/nag.ts).
 */
const objects = (bucket: IBucket, prefixes: readonly string[]) => prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`));

export const grants = {
  tableRead(fn: LambdaFunction, table: ITable) {
    fn.addToRolePolicy(new PolicyStatement({ actions: TABLE_READ, resources: tableResources(table) }));
    fn.addEnvironment('TABLE_NAME', table.tableName);
  },
  tableReadWrite(fn: LambdaFunction, table: ITable) {
    fn.addToRolePolicy(new PolicyStatement({ actions: [...TABLE_READ, ...TABLE_WRITE], resources: tableResources(table) }));
    fn.addEnvironment('TABLE_NAME', table.tableName);
  },
  /** The upload processor: reads what landed, writes the clean copy, removes a refused object or a photo's original. */
  uploadsReadWrite(fn: LambdaFunction, bucket: IBucket) {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: objects(bucket, [UPLOAD_OBJECT_PREFIX, VIEW_OBJECT_PREFIX]) }));
    // Without it S3 answers a missing object's HEAD with 403, not 404 (an event for an object already removed).
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    fn.addEnvironment('UPLOADS_BUCKET', bucket.bucketName);
  },
  /** Presigning uploads: the URL carries the function's right to put under uploads/. */
  uploadsPut(fn: LambdaFunction, bucket: IBucket) {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: objects(bucket, [UPLOAD_OBJECT_PREFIX]) }));
    fn.addEnvironment('UPLOADS_BUCKET', bucket.bucketName);
  },
  /** Deleting objects only (retention and erasure remove photos). */
  uploadsDelete(fn: LambdaFunction, bucket: IBucket) {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:DeleteObject'], resources: objects(bucket, [UPLOAD_OBJECT_PREFIX, VIEW_OBJECT_PREFIX]) }));
    fn.addEnvironment('UPLOADS_BUCKET', bucket.bucketName);
  },
  /** Presigning photo URLs: people are only ever shown the clean copies under views/. */
  uploadsRead(fn: LambdaFunction, bucket: IBucket) {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: objects(bucket, [VIEW_OBJECT_PREFIX]) }));
    fn.addEnvironment('UPLOADS_BUCKET', bucket.bucketName);
  },
  /**
   * Reading a member of the pool (whether they enrolled an authenticator), for the pool's own token trigger. The pool's
   * ARN would make a cycle (the pool names the trigger), so any pool of the account and region: acknowledged.
   */
  memberPoolRead(fn: LambdaFunction) {
    const pools = Stack.of(fn).formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: '*' });
    fn.addToRolePolicy(new PolicyStatement({ actions: ['cognito-idp:AdminGetUser'], resources: [pools] }));
    Validations.of(fn.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cognito-idp:<AWS::Region>:<AWS::AccountId>:userpool/*]',
      reason: "The user pool names this function as its trigger, so the function's policy cannot name the pool back; AdminGetUser only, in this account and region.",
    });
  },
  /** Making and deleting devices' app clients in the members' pool (never its members), and where their tokens are got. */
  deviceClients(fn: LambdaFunction, pool: IUserPool, tokenUrl: string) {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['cognito-idp:CreateUserPoolClient', 'cognito-idp:DeleteUserPoolClient'], resources: [pool.userPoolArn] }));
    fn.addEnvironment('USER_POOL_ID', pool.userPoolId);
    fn.addEnvironment('DEVICE_TOKEN_URL', tokenUrl);
  },
  /** Inviting members into the pool with their group and attributes, and disabling them (never deleting). */
  memberInvitations(fn: LambdaFunction, pool: IUserPool) {
    fn.addToRolePolicy(new PolicyStatement({
      actions: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminGetUser', 'cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminDisableUser', 'cognito-idp:AdminUserGlobalSignOut'],
      resources: [pool.userPoolArn],
    }));
    fn.addEnvironment('USER_POOL_ID', pool.userPoolId);
  },
  workflowStart(fn: LambdaFunction, stateMachineArn: string) {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn] }));
    fn.addEnvironment('CASE_WORKFLOW_ARN', stateMachineArn);
  },
  /**
   * Reading whether a case's execution still runs. Executions have ARNs of their own
   * (`arn:…:execution:<machine name>:<execution name>`), which a grant on the state machine ARN does not cover.
   */
  workflowDescribe(fn: LambdaFunction, stateMachineName: string, variable = 'CASE_WORKFLOW_ARN') {
    const executions = Stack.of(fn).formatArn({
      service: 'states', resource: 'execution', resourceName: `${stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    fn.addToRolePolicy(new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }));
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName}:*]`,
      reason: 'Executions are named per case (or person) and generation; DescribeExecution on the one state machine\'s executions, no other.',
    });
    fn.addEnvironment(variable, CaseWorkflow.arnFor(fn, stateMachineName));
  },
  /** Starting a person's workflow (its deadlines changed), one execution per person and generation. */
  personWorkflowStart(fn: LambdaFunction, stateMachineArn: string) {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn] }));
    fn.addEnvironment('PERSON_WORKFLOW_ARN', stateMachineArn);
  },
  /** Starting a notification's delivery (StepFunctionsNotifier), one execution per notification. */
  notificationDispatch(fn: LambdaFunction, stateMachineArn: string) {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn] }));
    fn.addEnvironment('NOTIFICATION_DELIVERY_ARN', stateMachineArn);
  },
  notificationTopicPublish(fn: LambdaFunction, topic: ITopic) {
    topic.grantPublish(fn);
    fn.addEnvironment('NOTIFY_TOPIC_ARN', topic.topicArn);
  },
  /** Finishing a wait needs only the task token, so no variable; the policy is scoped to the one state machine. */
  workflowRespond(fn: LambdaFunction, stateMachineArn: string) {
    fn.addToRolePolicy(new PolicyStatement({
      actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
      resources: [stateMachineArn],
    }));
  },
};
