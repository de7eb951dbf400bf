import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { CaseWorkflow } from './case-workflow';

/**
 * Each grant also sets the environment variable the function reads (shared/settings.ts), so a function can never
 * have the permission without knowing the resource, or the resource without the permission.
 */
export const grants = {
  tableRead(fn: LambdaFunction, table: ITable) {
    table.grantReadData(fn);
    fn.addEnvironment('TABLE_NAME', table.tableName);
  },
  tableReadWrite(fn: LambdaFunction, table: ITable) {
    table.grantReadWriteData(fn);
    fn.addEnvironment('TABLE_NAME', table.tableName);
  },
  uploadsReadWrite(fn: LambdaFunction, bucket: IBucket) {
    bucket.grantReadWrite(fn);
    bucket.grantDelete(fn);
    fn.addEnvironment('UPLOADS_BUCKET', bucket.bucketName);
  },
  uploadsPut(fn: LambdaFunction, bucket: IBucket) {
    bucket.grantPut(fn);
    fn.addEnvironment('UPLOADS_BUCKET', bucket.bucketName);
  },
  /** Deleting objects only (retention and erasure remove photos). */
  uploadsDelete(fn: LambdaFunction, bucket: IBucket) {
    bucket.grantDelete(fn);
    fn.addEnvironment('UPLOADS_BUCKET', bucket.bucketName);
  },
  uploadsRead(fn: LambdaFunction, bucket: IBucket) {
    bucket.grantRead(fn);
    fn.addEnvironment('UPLOADS_BUCKET', bucket.bucketName);
  },
  workflowStart(fn: LambdaFunction, stateMachineArn: string) {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn] }));
    fn.addEnvironment('CASE_WORKFLOW_ARN', stateMachineArn);
  },
  /**
   * Reading whether a case's execution still runs. Executions have ARNs of their own
   * (`arn:…:execution:<machine name>:<execution name>`), which a grant on the state machine ARN does not cover.
   */
  workflowDescribe(fn: LambdaFunction, stateMachineName: string) {
    const executions = Stack.of(fn).formatArn({
      service: 'states', resource: 'execution', resourceName: `${stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    fn.addToRolePolicy(new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }));
    fn.addEnvironment('CASE_WORKFLOW_ARN', CaseWorkflow.arnFor(fn, stateMachineName));
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
