import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice, Condition, DefinitionBody, Errors, Fail, IntegrationPattern, JsonPath, LogLevel, StateMachine,
  StateMachineType, Succeed, TaskInput, Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { RescueFunction } from './constructs/rescue-function';

export interface CaseWorkflowProps {
  steps: RescueFunction;
  stateMachineName: string;
}

/**
 * One Standard execution per case. It begins by loading the case and routing on its recorded status, and every
 * wait returns to that router, so an execution started again for a case (after a restart, or by the reconciler)
 * resumes where the case stands instead of starting over.
 */
export class CaseWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: CaseWorkflowProps) {
    super(scope, id);
    const step = (stateId: string, name: string) => {
      const task = new LambdaInvoke(this, stateId, {
        lambdaFunction: props.steps,
        payload: TaskInput.fromObject({ step: name, caseId: JsonPath.stringAt('$.caseId') }),
        payloadResponseOnly: true,
      });
      return withRetries(task);
    };
    // A missing case is final; anything else (throttling, a crashed step) is retried with backoff.
    const withRetries = <T extends LambdaInvoke>(task: T): T => {
      task.addRetry({ errors: ['CaseNotFound', 'InvalidStepInput'], maxAttempts: 0 });
      task.addRetry({ errors: [Errors.TASKS_FAILED], maxAttempts: 6, interval: Duration.seconds(2), backoffRate: 2 });
      return task;
    };
    /**
     * Waits, through a task token held on the case, until the case leaves `status`; times out at the seconds left
     * until the stored deadline, so a resumed wait waits only what remains.
     */
    const awaitChange = (stateId: string, status: string) => withRetries(new LambdaInvoke(this, stateId, {
      lambdaFunction: props.steps,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({ step: 'await', caseId: JsonPath.stringAt('$.caseId'), status, taskToken: JsonPath.taskToken }),
      taskTimeout: Timeout.at('$.waitSeconds'),
    }));
    const caseMissing = new Fail(this, 'CaseMissing', { error: 'CaseNotFound', cause: 'the case is not in the table' });

    const load = step('LoadCase', 'load');
    const triage = step('Triage', 'triage');
    const notify = step('Notify', 'alert');
    const escalate = step('Escalate', 'escalate');
    const expire = step('ExpireLead', 'expire');
    // An unverified machine lead alerts nobody: it waits for a person's check or for corroboration, until it expires.
    const awaitVerification = awaitChange('AwaitVerification', 'unverified');
    const awaitAcknowledgement = awaitChange('AwaitAcknowledgement', 'alerted');
    for (const task of [load, triage, notify, escalate, expire, awaitAcknowledgement, awaitVerification]) {
      task.addCatch(caseMissing, { errors: ['CaseNotFound'] });
    }
    awaitAcknowledgement.addCatch(escalate, { errors: [Errors.TIMEOUT], resultPath: JsonPath.DISCARD });
    awaitVerification.addCatch(expire, { errors: [Errors.TIMEOUT], resultPath: JsonPath.DISCARD });

    const route = new Choice(this, 'RouteOnStatus')
      .when(Condition.stringEquals('$.status', 'unverified'), awaitVerification)
      .when(Condition.stringEquals('$.status', 'open'), triage)
      .when(Condition.stringEquals('$.status', 'alerted'), awaitAcknowledgement)
      .otherwise(new Succeed(this, 'NothingToWaitFor'));

    load.next(route);
    triage.next(notify);
    notify.next(load);
    awaitAcknowledgement.next(load);
    escalate.next(load);
    awaitVerification.next(load);
    expire.next(load);

    const logs = new LogGroup(this, 'Logs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(load),
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: true },
    });
  }

  /** The ARN built from the fixed name, for grants that must not depend on the state machine resource (no cycle). */
  static arnFor(scope: Construct, stateMachineName: string): string {
    return Stack.of(scope).formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }
}
