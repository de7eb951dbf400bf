import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { eventually, functionArn, startHarness, stateMachineArn } from './harness';

/**
 * The local service counts state transitions as Standard workflows bill them: every state entered (Choice,
 * Succeed and Fail included) and every Retry that enters a Task again.
 */
const ROUTED = stateMachineArn('routed-with-retry');

const routedWithRetry = {
  StartAt: 'RouteOnKind',
  States: {
    RouteOnKind: {
      Type: 'Choice',
      Choices: [{ Variable: '$.kind', StringEquals: 'flaky', Next: 'CallFlaky' }],
      Default: 'Refused',
    },
    CallFlaky: {
      Type: 'Task',
      Resource: functionArn('flaky'),
      Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 1, MaxAttempts: 1, BackoffRate: 1 }],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
    Refused: { Type: 'Fail', Error: 'Refused', Cause: 'not a flaky call' },
  },
};

let harness: Awaited<ReturnType<typeof startHarness>>;
let flakyCalls = 0;

beforeAll(async () => {
  harness = await startHarness({
    [functionArn('flaky')]: () => {
      flakyCalls += 1;
      // Fails once, then works: the Retry enters the Task a second time.
      if (flakyCalls === 1) throw Object.assign(new Error('try again'), { name: 'Transient' });
      return { ok: true };
    },
  }, { timeScale: 0.01 });
  harness.service.registerStateMachine(ROUTED, routedWithRetry);
});

afterAll(async () => {
  await harness?.stop();
});

const ended = (executionArn: string) => eventually(async () => {
  const execution = await harness.service.describeExecution({ executionArn });
  return execution.status === 'RUNNING' ? undefined : execution;
}, 10_000);

/** DescribeExecution on the wire: the SDK drops fields it does not know, so this reads the raw JSON. */
async function describeOverHttp(executionArn: string): Promise<Record<string, unknown>> {
  const response = await fetch(harness.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.DescribeExecution' },
    body: JSON.stringify({ executionArn }),
  });
  return (await response.json()) as Record<string, unknown>;
}

describe('state transitions', () => {
  it('counts the Choice, the Task, its retry and the Succeed', async () => {
    const { executionArn } = await harness.sfn.send(new StartExecutionCommand({
      stateMachineArn: ROUTED, name: 'flaky-once', input: JSON.stringify({ kind: 'flaky' }),
    }));
    const execution = await ended(executionArn!);
    expect(execution.status).toBe('SUCCEEDED');
    expect(flakyCalls).toBe(2);
    expect(execution.stateTransitions).toBe(4);
    expect(await describeOverHttp(executionArn!)).toMatchObject({ status: 'SUCCEEDED', stateTransitions: 4 });
  });

  it('counts a Fail state as a transition too', async () => {
    const { executionArn } = await harness.sfn.send(new StartExecutionCommand({
      stateMachineArn: ROUTED, name: 'refused', input: JSON.stringify({ kind: 'other' }),
    }));
    const execution = await ended(executionArn!);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Refused', stateTransitions: 2 });
  });
});
