import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import {
  DefinitionBody, Errors, Fail, JsonPath, LogLevel, StateMachine, StateMachineType, Succeed, TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { DELIVERY_RETRY } from '#shared/domain/delivery-retry';
import { acknowledgeStateMachineRole } from './case-workflow';
import { RescueFunction } from './constructs/rescue-function';
import { grants } from './grants';

export interface NotificationDeliveryProps {
  stateMachineName: string;
  table: ITable;
  environment: Record<string, string>;
  /** Concurrency kept for the delivery steps (messages go out during a flood); 0 or absent: none. */
  reservedConcurrency?: number;
}

/**
 * One Standard execution per notification (named by its id): an attempt, retried with backoff while it fails,
 * then giving up, which shows the failure on the case. Also the SNS topic of SMS and e-mail subscriptions.
 */
export class NotificationDelivery extends Construct {
  readonly steps: RescueFunction;
  readonly topic: Topic;
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: NotificationDeliveryProps) {
    super(scope, id);
    // The AWS-managed key: encrypted at rest with nothing to manage, and SMS and e-mail subscriptions still work.
    this.topic = new Topic(this, 'Topic', {
      masterKey: Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    this.steps = new RescueFunction(this, 'Steps', {
      entry: 'functions/notifications/deliver.ts',
      description: 'The steps of notification delivery: an attempt, and giving up after the last',
      timeout: Duration.seconds(30),
      environment: props.environment,
      ...(props.reservedConcurrency ? { reservedConcurrency: props.reservedConcurrency } : {}),
    });
    grants.tableReadWrite(this.steps, props.table);
    grants.notificationTopicPublish(this.steps, this.topic);

    const step = (stateId: string, name: 'deliver' | 'give_up') => new LambdaInvoke(this, stateId, {
      lambdaFunction: this.steps,
      payload: TaskInput.fromObject({
        step: name, caseId: JsonPath.stringAt('$.caseId'), notificationId: JsonPath.stringAt('$.notificationId'),
      }),
      payloadResponseOnly: true,
      resultPath: JsonPath.DISCARD,
    });
    const final = ['NotificationNotFound', 'InvalidStepInput'];
    const missing = new Fail(this, 'NotificationMissing', { error: 'NotificationNotFound', cause: 'the notification is not in the table' });

    const deliver = step('Deliver', 'deliver');
    deliver.addRetry({
      errors: ['DeliveryFailed'],
      interval: Duration.seconds(DELIVERY_RETRY.intervalSeconds),
      backoffRate: DELIVERY_RETRY.backoffRate,
      maxAttempts: DELIVERY_RETRY.maxRetries,
    });
    deliver.addRetry({ errors: final, maxAttempts: 0 });
    // A crashed attempt (the table throttled, a timeout) is not the recipient's fault: a few quick retries.
    deliver.addRetry({ errors: [Errors.TASKS_FAILED], maxAttempts: 3, interval: Duration.seconds(2), backoffRate: 2 });

    const giveUp = step('GiveUp', 'give_up');
    giveUp.addRetry({ errors: final, maxAttempts: 0 });
    giveUp.addRetry({ errors: [Errors.TASKS_FAILED], maxAttempts: 6, interval: Duration.seconds(2), backoffRate: 2 });

    deliver.addCatch(missing, { errors: final });
    deliver.addCatch(giveUp, { errors: [Errors.ALL], resultPath: '$.error' });
    deliver.next(new Succeed(this, 'Delivered'));
    giveUp.addCatch(missing, { errors: final });
    giveUp.next(new Fail(this, 'Undelivered', { error: 'DeliveryFailed', cause: 'every attempt failed; the failure is on the case timeline' }));

    const logs = new LogGroup(this, 'Logs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(deliver),
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: true },
    });
    acknowledgeStateMachineRole(this.stateMachine, this.steps);
  }
}
