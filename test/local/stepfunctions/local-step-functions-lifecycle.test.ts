import { describe, expect, it } from 'vitest';
import { LocalStepFunctions, SfnServiceError, type ExecutionDescription } from '#local/stepfunctions/local-step-functions';
import { eventually, functionArn, startHarness, stateMachineArn } from './harness';

const awaitAcknowledgement = {
  StartAt: 'AwaitAcknowledgement',
  States: {
    AwaitAcknowledgement: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: functionArn('await-acknowledgement'), Payload: { 'taskToken.$': '$$.Task.Token' } },
      End: true,
    },
  },
};

describe('registerStateMachine', () => {
  it('refuses a Task resource it cannot run, naming the state and the resource', () => {
    const service = new LocalStepFunctions({ invokeLambda: async () => null });
    const definition = {
      StartAt: 'PublishAlert',
      States: { PublishAlert: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { Message: 'x' }, End: true } },
    };
    expect(() => service.registerStateMachine(stateMachineArn('alerts'), definition)).toThrow(
      /State "PublishAlert" uses Resource "arn:aws:states:::sns:publish"/,
    );
  });

  it('runs other resources through serviceIntegrations', async () => {
    const published: unknown[] = [];
    const service = new LocalStepFunctions({
      invokeLambda: async () => null,
      serviceIntegrations: {
        'arn:aws:states:::sns:publish': async (params) => {
          published.push(params);
          return { MessageId: 'm-1' };
        },
      },
    });
    service.registerStateMachine(stateMachineArn('alerts'), {
      StartAt: 'PublishAlert',
      States: { PublishAlert: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { 'Message.$': '$.text' }, End: true } },
    });
    const { executionArn } = await service.startExecution({ stateMachineArn: stateMachineArn('alerts'), input: '{"text":"hi"}' });
    const execution = await eventually(async () => {
      const described = await service.describeExecution({ executionArn });
      return described.status === 'RUNNING' ? undefined : described;
    });
    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: '{"MessageId":"m-1"}' });
    expect(published).toEqual([{ Message: 'hi' }]);
  });

  it('scales fixed Wait seconds by timeScale', async () => {
    const ended: ExecutionDescription[] = [];
    const service = new LocalStepFunctions({ invokeLambda: async () => null, timeScale: 0.01, onExecutionEnd: (e) => ended.push(e) });
    service.registerStateMachine(stateMachineArn('cooldown'), {
      StartAt: 'Cooldown',
      States: { Cooldown: { Type: 'Wait', Seconds: 30, Next: 'Done' }, Done: { Type: 'Succeed' } },
    });
    const startedAt = Date.now();
    await service.startExecution({ stateMachineArn: stateMachineArn('cooldown'), name: 'cool-1' });
    await eventually(() => ended[0]);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(250);
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(ended[0]).toMatchObject({ name: 'cool-1', status: 'SUCCEEDED', output: '{}' });
  });
});

describe('close', () => {
  it('aborts running executions and invalidates their tokens', async () => {
    const tokens: string[] = [];
    const ended: ExecutionDescription[] = [];
    const harness = await startHarness(
      { [functionArn('await-acknowledgement')]: (event) => void tokens.push(String(event['taskToken'])) },
      { onExecutionEnd: (e) => ended.push(e) },
    );
    const machine = stateMachineArn('await-acknowledgement');
    harness.service.registerStateMachine(machine, awaitAcknowledgement);
    const first = await harness.service.startExecution({ stateMachineArn: machine, name: 'one' });
    await harness.service.startExecution({ stateMachineArn: machine, name: 'two' });
    await eventually(() => (tokens.length === 2 ? tokens : undefined));

    await harness.stop();

    expect(ended.map((e) => [e.name, e.status])).toEqual([
      ['one', 'ABORTED'],
      ['two', 'ABORTED'],
    ]);
    expect((await harness.service.describeExecution({ executionArn: first.executionArn })).status).toBe('ABORTED');
    const error = await harness.service.sendTaskSuccess({ taskToken: tokens[0]!, output: '{}' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SfnServiceError);
    expect(error).toMatchObject({ code: 'TaskTimedOut', httpStatus: 400 });
    // Let the interpreter's abort settle: an unhandled rejection here would fail the run.
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
});
