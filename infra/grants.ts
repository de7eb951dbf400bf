import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';

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
  uploadsRead(fn: LambdaFunction, bucket: IBucket) {
    bucket.grantRead(fn);
    fn.addEnvironment('UPLOADS_BUCKET', bucket.bucketName);
  },
  workflowStart(fn: LambdaFunction, stateMachineArn: string) {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn] }));
    fn.addEnvironment('CASE_WORKFLOW_ARN', stateMachineArn);
  },
  /** Finishing a wait needs only the task token, so no variable; the policy is scoped to the one state machine. */
  workflowRespond(fn: LambdaFunction, stateMachineArn: string) {
    fn.addToRolePolicy(new PolicyStatement({
      actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
      resources: [stateMachineArn],
    }));
  },
};
