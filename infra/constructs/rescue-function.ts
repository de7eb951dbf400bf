import path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Architecture, type CfnFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLING } from '../bundling';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** CloudFormation metadata key that tells the local runtime which module a function runs. */
export const ENTRY_METADATA = 'rescue:entry';

export interface RescueFunctionProps {
  /** Handler module relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  timeout?: Duration;
  memorySize?: number;
  environment?: Record<string, string>;
  /** Concurrency kept for this function alone (0 or absent: none), so other functions cannot take it all. */
  reservedConcurrency?: number;
  /** Files the function reads at run time, copied next to its code (repository paths → names in the bundle). */
  files?: Readonly<Record<string, string>>;
}

/**
 * Every function is made the same way: Node.js 24 on arm64, bundled ESM with source maps, traced, logs kept a month,
 * and a role of its own that may write only its own log group (no AWS managed policy); grants add the rest.
 */
export class RescueFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: RescueFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `The ${id} function's own role` });
    role.addToPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    super(scope, id, {
      role,
      entry: path.join(REPO_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      ...(props.reservedConcurrency ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        ...BUNDLING,
        externalModules: [...BUNDLING.externalModules],
        mainFields: [...BUNDLING.mainFields],
        format: OutputFormat.ESM,
        sourceMap: true,
        ...(props.files ? {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (_input: string, output: string) => Object.entries(props.files!)
              .map(([from, to]) => `cp "${path.join(REPO_ROOT, from)}" "${path.join(output, to)}"`),
          },
        } : {}),
      },
    });
    (this.node.defaultChild as CfnFunction).addMetadata(ENTRY_METADATA, props.entry);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: "Active tracing: X-Ray's PutTraceSegments and PutTelemetryRecords take no resource. Every other grant names its resources (infra/grants.ts).",
    });
  }
}
