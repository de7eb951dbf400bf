import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice, Condition, DefinitionBody, Errors, Fail, IntegrationPattern, JsonPath, LogLevel, StateMachine,
  StateMachineType, Succeed, TaskInput, Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { AWAITED_STATUS } from '#shared/domain/disposal';
import type { RescueFunction } from './constructs/rescue-function';

export interface CaseWorkflowProps {
  steps: RescueFunction;
  stateMachineName: string;
}

/**
 * One Standard execution per case. It begins by loading the case and routing on the phase its recorded status puts
 * it in (shared/domain/disposal.ts `phaseOf`), and every step and wait returns to that router, so an execution
 * started again for a case (after a restart, or by the reconciler) resumes where the case stands instead of
 * starting over.
 */
export class CaseWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: CaseWorkflowProps) {
    super(scope, id);
    const caseRef = { caseId: JsonPath.stringAt('$.caseId'), generation: JsonPath.numberAt('$.generation') };
    const step = (stateId: string, name: string) => {
      const task = new LambdaInvoke(this, stateId, {
        lambdaFunction: props.steps,
        payload: TaskInput.fromObject({ step: name, ...caseRef }),
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
     * Waits, through a task token held on the case, until the case leaves the phase's status; times out at the
     * seconds left until the stored deadline, so a resumed wait waits only what remains. The state keeps its input
     * (the case and this execution's generation) and goes back to LoadCase, which reads where the case went.
     */
    const awaitChange = (stateId: string, phase: keyof typeof AWAITED_STATUS) => withRetries(new LambdaInvoke(this, stateId, {
      lambdaFunction: props.steps,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({ step: 'await', ...caseRef, status: AWAITED_STATUS[phase], taskToken: JsonPath.taskToken }),
      taskTimeout: Timeout.at('$.waitSeconds'),
      resultPath: JsonPath.DISCARD,
    }));
    const caseMissing = new Fail(this, 'CaseMissing', { error: 'CaseNotFound', cause: 'the case is not in the table' });

    const load = step('LoadCase', 'load');
    const triage = step('Triage', 'triage');
    const notify = step('Notify', 'alert');
    const escalate = step('Escalate', 'escalate');
    const expire = step('ExpireLead', 'expire');
    const chase = step('ChaseOverdue', 'overdue');
    const dispose = step('Dispose', 'dispose');
    const revisit = step('Revisit', 'revisit');
    // An unverified machine lead alerts nobody: it waits for a person's check or for corroboration, until it expires.
    const waits: [keyof typeof AWAITED_STATUS, string, LambdaInvoke][] = [
      ['await_verification', 'AwaitVerification', expire],
      ['await_acknowledgement', 'AwaitAcknowledgement', escalate],
      ['await_arrival', 'AwaitArrival', chase],
      ['await_outcome', 'AwaitOutcome', chase],
      ['await_intake', 'AwaitIntake', chase],
      ['await_discharge', 'AwaitDischarge', chase],
      ['await_revisit', 'AwaitRevisit', revisit],
    ];
    const route = new Choice(this, 'RouteOnPhase')
      .when(Condition.stringEquals('$.phase', 'triage'), triage)
      .when(Condition.stringEquals('$.phase', 'dispose'), dispose)
      .when(Condition.stringEquals('$.phase', 'superseded'), new Succeed(this, 'Superseded', { comment: 'a newer execution drives the case' }))
      .when(Condition.stringEquals('$.phase', 'done'), new Succeed(this, 'CaseClosed'));
    for (const [phase, stateId, onDeadline] of waits) {
      const wait = awaitChange(stateId, phase);
      wait.addCatch(caseMissing, { errors: ['CaseNotFound'] });
      // The deadline passed: do what it means for the phase (escalate, chase, revisit, expire), then look again.
      wait.addCatch(onDeadline, { errors: [Errors.TIMEOUT], resultPath: JsonPath.DISCARD });
      wait.next(load);
      route.when(Condition.stringEquals('$.phase', phase), wait);
    }
    route.otherwise(new Fail(this, 'UnknownPhase', { error: 'UnknownPhase', cause: 'the case is in a phase this definition does not know' }));
    for (const task of [load, triage, notify, escalate, expire, chase, dispose, revisit]) {
      task.addCatch(caseMissing, { errors: ['CaseNotFound'] });
    }

    load.next(route);
    triage.next(notify);
    // A step answers with where the case stands after it (its phase): no need to load the case again.
    for (const task of [notify, escalate, expire, chase, dispose, revisit]) task.next(route);

    const logs = new LogGroup(this, 'Logs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(load),
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: true },
    });
    acknowledgeStateMachineRole(this.stateMachine, props.steps);
  }

  /** The ARN built from the fixed name, for grants that must not depend on the state machine resource (no cycle). */
  static arnFor(scope: Construct, stateMachineName: string): string {
    return Stack.of(scope).formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }
}

/** What cdk-nag finds on a state machine's role that CDK makes, and why it stands: logging, tracing, its own steps. */
export function acknowledgeStateMachineRole(stateMachine: StateMachine, steps: RescueFunction) {
  Validations.of(stateMachine).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Execution logs and tracing: CloudWatch Logs log delivery and X-Ray take no resource.',
  });
  Validations.of(stateMachine).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${Stack.of(stateMachine).getLogicalId(steps.node.defaultChild as CfnFunction)}.Arn>:*]`,
    reason: 'Invoking its own steps function, any version of it (the task grant CDK makes); no other function.',
  });
}
