import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { eventually, functionArn, startHarness, stateMachineArn } from './harness';

const CASE_WORKFLOW = stateMachineArn('case-workflow');
const PATROL_HEARTBEAT = stateMachineArn('patrol-heartbeat');
const VOLUNTEER_FANOUT = stateMachineArn('volunteer-fanout');

const caseWorkflow = {
  StartAt: 'OpenCase',
  States: {
    OpenCase: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: functionArn('open-case'), 'Payload.$': '$' },
      ResultSelector: { 'caseId.$': '$.Payload.caseId', 'statusCode.$': '$.StatusCode' },
      ResultPath: '$.case',
      Catch: [{ ErrorEquals: ['CaseConflict'], ResultPath: '$.error', Next: 'Conflict' }],
      Next: 'AwaitAcknowledgement',
    },
    AwaitAcknowledgement: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      TimeoutSecondsPath: '$.ackTimeoutSeconds',
      Parameters: {
        FunctionName: functionArn('await-acknowledgement'),
        Payload: { 'caseId.$': '$.case.caseId', 'taskToken.$': '$$.Task.Token', 'executionName.$': '$$.Execution.Name' },
      },
      ResultPath: '$.acknowledgement',
      Catch: [
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'Escalate' },
        { ErrorEquals: ['VolunteerDeclined'], ResultPath: '$.error', Next: 'Declined' },
      ],
      Next: 'CloseCase',
    },
    CloseCase: { Type: 'Task', Resource: functionArn('close-case'), End: true },
    Escalate: { Type: 'Pass', Result: 'escalated', ResultPath: '$.outcome', End: true },
    Declined: { Type: 'Pass', Result: 'declined', ResultPath: '$.outcome', End: true },
    Conflict: { Type: 'Pass', Result: 'conflict', ResultPath: '$.outcome', End: true },
  },
};

const patrolHeartbeat = {
  StartAt: 'AwaitPatrol',
  States: {
    AwaitPatrol: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      HeartbeatSeconds: 1,
      TimeoutSeconds: 10,
      Parameters: {
        FunctionName: functionArn('await-acknowledgement'),
        Payload: { 'caseId.$': '$.caseId', 'taskToken.$': '$$.Task.Token' },
      },
      ResultPath: '$.patrol',
      // States.TaskFailed comes first on purpose: in AWS it does not match a heartbeat timeout.
      Catch: [
        { ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'PatrolFailed' },
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'PatrolLost' },
      ],
      End: true,
    },
    PatrolFailed: { Type: 'Pass', Result: 'failed', ResultPath: '$.outcome', End: true },
    PatrolLost: { Type: 'Pass', Result: 'lost', ResultPath: '$.outcome', End: true },
  },
};

const volunteerFanout = {
  StartAt: 'AskVolunteersAndRegistry',
  States: {
    AskVolunteersAndRegistry: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'AwaitVolunteer',
          States: {
            AwaitVolunteer: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              Parameters: {
                FunctionName: functionArn('await-acknowledgement'),
                Payload: { 'caseId.$': '$.caseId', 'taskToken.$': '$$.Task.Token' },
              },
              End: true,
            },
          },
        },
        {
          StartAt: 'CheckRegistry',
          States: { CheckRegistry: { Type: 'Task', Resource: functionArn('check-registry'), End: true } },
        },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RegistryDown' }],
      End: true,
    },
    RegistryDown: { Type: 'Pass', Result: 'registry down', ResultPath: '$.outcome', End: true },
  },
};

/** What the await-acknowledgement Lambda does for real: keep the token on the case for whoever acknowledges. */
const tokensByCase = new Map<string, string>();
const executionNamesByCase = new Map<string, unknown>();

const lambdas = {
  [functionArn('open-case')]: (event: Record<string, unknown>) => {
    if (event['caseId'] === 'conflicting') {
      throw Object.assign(new Error('case conflicting is already open'), { name: 'CaseConflict' });
    }
    return { caseId: event['caseId'] };
  },
  [functionArn('await-acknowledgement')]: (event: Record<string, unknown>) => {
    tokensByCase.set(String(event['caseId']), String(event['taskToken']));
    executionNamesByCase.set(String(event['caseId']), event['executionName']);
    return { stored: true };
  },
  [functionArn('close-case')]: (event: Record<string, unknown>) => ({ ...event, outcome: 'closed' }),
  [functionArn('check-registry')]: async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    throw Object.assign(new Error('registry unreachable'), { name: 'RegistryUnavailable' });
  },
};

let harness: Awaited<ReturnType<typeof startHarness>>;
let sfn: SFNClient;

beforeAll(async () => {
  harness = await startHarness(lambdas);
  harness.service.registerStateMachine(CASE_WORKFLOW, caseWorkflow);
  harness.service.registerStateMachine(PATROL_HEARTBEAT, patrolHeartbeat);
  harness.service.registerStateMachine(VOLUNTEER_FANOUT, volunteerFanout);
  sfn = harness.sfn;
});

afterAll(async () => {
  await harness?.stop();
});

async function start(stateMachineArn: string, name: string, input: object) {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
  return executionArn!;
}

async function tokenFor(caseId: string) {
  return eventually(() => tokensByCase.get(caseId));
}

async function finished(executionArn: string, timeoutMs = 3000) {
  return eventually(async () => {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return execution.status === 'RUNNING' ? undefined : execution;
  }, timeoutMs);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: Error) => error,
  );
}

describe('task tokens through @aws-sdk/client-sfn', () => {
  it('completes a wait with SendTaskSuccess and passes the output on', async () => {
    const executionArn = await start(CASE_WORKFLOW, 'case-1-g1', { caseId: 'case-1', ackTimeoutSeconds: 5 });
    const token = await tokenFor('case-1');
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');

    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ volunteer: 'v-7' }) }));

    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.startDate).toBeInstanceOf(Date);
    expect(execution.stopDate!.getTime()).toBeGreaterThanOrEqual(execution.startDate!.getTime());
    expect(JSON.parse(execution.output!)).toEqual({
      caseId: 'case-1',
      ackTimeoutSeconds: 5,
      case: { caseId: 'case-1', statusCode: 200 },
      acknowledgement: { volunteer: 'v-7' },
      outcome: 'closed',
    });
    // The direct-ARN task got the state input itself; lambda:invoke got the Payload.
    expect(harness.calls.find((c) => c.functionArn === functionArn('close-case'))?.payload).toMatchObject({
      acknowledgement: { volunteer: 'v-7' },
    });
    expect(harness.calls.find((c) => c.functionArn === functionArn('open-case'))?.payload).toEqual({
      caseId: 'case-1',
      ackTimeoutSeconds: 5,
    });
  });

  it('resolves $$.Execution.Name and gives each wait a fresh token', async () => {
    await start(CASE_WORKFLOW, 'case-2-g1', { caseId: 'case-2', ackTimeoutSeconds: 5 });
    const token = await tokenFor('case-2');
    expect(executionNamesByCase.get('case-2')).toBe('case-2-g1');
    expect(token).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(token).not.toBe(tokensByCase.get('case-1'));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
  });

  it('routes SendTaskFailure with a custom error to the matching Catch', async () => {
    const executionArn = await start(CASE_WORKFLOW, 'case-3-g1', { caseId: 'case-3', ackTimeoutSeconds: 5 });
    const token = await tokenFor('case-3');

    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'VolunteerDeclined', cause: 'too far away' }));

    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!)).toMatchObject({
      outcome: 'declined',
      error: { Error: 'VolunteerDeclined', Cause: 'too far away' },
    });
    // The task is over: the token is no longer accepted.
    expect(await rejection(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).toBeInstanceOf(TaskTimedOut);
  });

  it('times out through TimeoutSecondsPath into the Catch, after which the token is TaskTimedOut', async () => {
    const executionArn = await start(CASE_WORKFLOW, 'case-4-g1', { caseId: 'case-4', ackTimeoutSeconds: 1 });
    const token = await tokenFor('case-4');

    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!)).toMatchObject({ outcome: 'escalated', error: { Error: 'States.Timeout' } });
    expect(execution.stopDate!.getTime() - execution.startDate!.getTime()).toBeGreaterThanOrEqual(900);

    const error = await rejection(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })));
    expect(error).toBeInstanceOf(TaskTimedOut);
    expect(error.name).toBe('TaskTimedOut');
  });

  it('answers TaskDoesNotExist for a token it never issued, and InvalidOutput for bad JSON', async () => {
    const unknown = await rejection(sfn.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' })));
    expect(unknown).toBeInstanceOf(TaskDoesNotExist);
    expect(unknown.name).toBe('TaskDoesNotExist');

    await start(CASE_WORKFLOW, 'case-5-g1', { caseId: 'case-5', ackTimeoutSeconds: 5 });
    const token = await tokenFor('case-5');
    const badOutput = await rejection(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{oops' })));
    expect(badOutput.name).toBe('InvalidOutput');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
  });

  it('catches a Lambda error by its name', async () => {
    const executionArn = await start(CASE_WORKFLOW, 'conflicting-g1', { caseId: 'conflicting', ackTimeoutSeconds: 5 });

    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    const output = JSON.parse(execution.output!);
    expect(output).toMatchObject({ outcome: 'conflict', error: { Error: 'CaseConflict' } });
    // As in AWS, Cause is the Lambda error document.
    expect(JSON.parse(output.error.Cause)).toMatchObject({
      errorType: 'CaseConflict',
      errorMessage: 'case conflicting is already open',
    });
  });

  it('fails the task with States.HeartbeatTimeout, caught by States.Timeout and not by States.TaskFailed', async () => {
    const executionArn = await start(PATROL_HEARTBEAT, 'patrol-1', { caseId: 'patrol-1' });
    const token = await tokenFor('patrol-1');

    const execution = await finished(executionArn);
    expect(JSON.parse(execution.output!)).toMatchObject({ outcome: 'lost', error: { Error: 'States.HeartbeatTimeout' } });
    expect(await rejection(sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })))).toBeInstanceOf(TaskTimedOut);
  });

  it('keeps a task alive while heartbeats arrive', async () => {
    const executionArn = await start(PATROL_HEARTBEAT, 'patrol-2', { caseId: 'patrol-2' });
    const token = await tokenFor('patrol-2');

    for (let beat = 0; beat < 4; beat++) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    }
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"on scene"' }));

    const execution = await finished(executionArn);
    expect(JSON.parse(execution.output!)).toEqual({ caseId: 'patrol-2', patrol: 'on scene' });
  });

  it('invalidates a token left inside a Parallel branch when a sibling branch fails', async () => {
    const executionArn = await start(VOLUNTEER_FANOUT, 'fanout-1', { caseId: 'fanout-1' });
    const token = await tokenFor('fanout-1');

    const execution = await finished(executionArn);
    expect(JSON.parse(execution.output!)).toMatchObject({ outcome: 'registry down', error: { Error: 'RegistryUnavailable' } });
    expect(await rejection(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).toBeInstanceOf(TaskTimedOut);
  });
});

describe('executions through @aws-sdk/client-sfn', () => {
  it('treats StartExecution with the same name and input as the same request while it runs', async () => {
    const input = { caseId: 'case-6', ackTimeoutSeconds: 5 };
    const first = await start(CASE_WORKFLOW, 'case-6-g1', input);
    const again = await start(CASE_WORKFLOW, 'case-6-g1', input);
    expect(again).toBe(first);
    expect(first).toBe('arn:aws:states:local:000000000000:execution:case-workflow:case-6-g1');

    const different = await rejection(start(CASE_WORKFLOW, 'case-6-g1', { ...input, ackTimeoutSeconds: 6 }));
    expect(different).toBeInstanceOf(ExecutionAlreadyExists);
    expect(different.name).toBe('ExecutionAlreadyExists');

    await sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenFor('case-6'), output: '{}' }));
    await finished(first);
    // Once finished, even the same input is refused.
    expect(await rejection(start(CASE_WORKFLOW, 'case-6-g1', input))).toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('refuses unknown machines, invalid input and unknown executions with the AWS error codes', async () => {
    const noMachine = await rejection(start(stateMachineArn('nope'), 'x', {}));
    expect(noMachine.name).toBe('StateMachineDoesNotExist');

    const badInput = await rejection(
      sfn.send(new StartExecutionCommand({ stateMachineArn: CASE_WORKFLOW, name: 'bad-input', input: '{not json' })),
    );
    expect(badInput.name).toBe('InvalidExecutionInput');

    const badName = await rejection(start(CASE_WORKFLOW, 'has spaces', {}));
    expect(badName.name).toBe('InvalidName');

    const noExecution = await rejection(
      sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:local:000000000000:execution:case-workflow:nope' })),
    );
    expect(noExecution).toBeInstanceOf(ExecutionDoesNotExist);
  });

  it('stops an execution as ABORTED and invalidates its token', async () => {
    const executionArn = await start(CASE_WORKFLOW, 'case-7-g1', { caseId: 'case-7', ackTimeoutSeconds: 5 });
    const token = await tokenFor('case-7');

    const { stopDate } = await sfn.send(new StopExecutionCommand({ executionArn, error: 'CaseWithdrawn', cause: 'reporter withdrew' }));
    expect(stopDate).toBeInstanceOf(Date);

    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(execution).toMatchObject({ status: 'ABORTED', error: 'CaseWithdrawn', cause: 'reporter withdrew' });
    expect(await rejection(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).toBeInstanceOf(TaskTimedOut);
  });

  it('lists executions newest first, filtered by status, a page at a time', async () => {
    const all = await sfn.send(new ListExecutionsCommand({ stateMachineArn: CASE_WORKFLOW }));
    expect(all.executions!.length).toBeGreaterThan(3);
    const starts = all.executions!.map((e) => e.startDate!.getTime());
    expect(starts).toEqual([...starts].sort((a, b) => b - a));

    const aborted = await sfn.send(new ListExecutionsCommand({ stateMachineArn: CASE_WORKFLOW, statusFilter: 'ABORTED' }));
    expect(aborted.executions!.map((e) => e.name)).toEqual(['case-7-g1']);

    const firstPage = await sfn.send(new ListExecutionsCommand({ stateMachineArn: CASE_WORKFLOW, maxResults: 2 }));
    expect(firstPage.executions).toHaveLength(2);
    const secondPage = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: CASE_WORKFLOW, maxResults: 2, nextToken: firstPage.nextToken }),
    );
    expect(secondPage.executions![0]!.executionArn).toBe(all.executions![2]!.executionArn);
  });
});
