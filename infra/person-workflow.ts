import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice, Condition, DefinitionBody, Errors, Fail, JsonPath, LogLevel, StateMachine, StateMachineType, Succeed, TaskInput, Wait, WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { acknowledgeStateMachineRole } from './case-workflow';
import type { RescueFunction } from './constructs/rescue-function';

export interface PersonWorkflowProps {
  steps: RescueFunction;
  stateMachineName: string;
}

/**
 * One Standard execution per person and generation (shared/use-cases/person-workflow-steps.ts): it loads the file,
 * waits until its next deadline (the family-search notice, the DNA request, the 10-day mark, a care check, a
 * follow-up), tells whoever it concerns, and loops. A change to the file's deadlines starts a newer generation; this
 * one ends as superseded when it next wakes. Started again for a person (the reconciler), it resumes where the file stands.
 */
export class PersonWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: PersonWorkflowProps) {
    super(scope, id);
    const ref = { personId: JsonPath.stringAt('$.personId'), generation: JsonPath.numberAt('$.generation') };
    const step = (stateId: string, name: string) => {
      const task = new LambdaInvoke(this, stateId, {
        lambdaFunction: props.steps, payload: TaskInput.fromObject({ step: name, ...ref }), payloadResponseOnly: true,
      });
      task.addRetry({ errors: ['PersonNotFound', 'InvalidStepInput'], maxAttempts: 0 });
      task.addRetry({ errors: [Errors.TASKS_FAILED], maxAttempts: 6, interval: Duration.seconds(2), backoffRate: 2 });
      task.addCatch(new Fail(this, `${stateId}Missing`, { error: 'PersonNotFound', cause: 'the person is not in the table' }), { errors: ['PersonNotFound'] });
      return task;
    };
    const load = step('LoadPerson', 'load');
    const due = step('ActOnDue', 'due');
    const wait = new Wait(this, 'WaitForDeadline', { time: WaitTime.secondsPath('$.waitSeconds') });
    const route = new Choice(this, 'RouteOnPhase')
      .when(Condition.stringEquals('$.phase', 'wait'), wait)
      .when(Condition.stringEquals('$.phase', 'superseded'), new Succeed(this, 'Superseded', { comment: 'a newer execution keeps the deadlines' }))
      .otherwise(new Succeed(this, 'NothingDue', { comment: 'no deadline is ahead: a change to the file starts a new execution' }));
    load.next(route);
    wait.next(due);
    due.next(route);

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
}
