import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { eventually, functionArn, startHarness, stateMachineArn } from './harness';

/**
 * Retry waits are fixed durations of the definition, scaled like the others. The interpreter validates the original
 * (whole seconds, as AWS requires) and then sleeps the patched, fractional ones: these runs show it does.
 */
const TIME_SCALE = 0.01;
const BACKING_OFF = stateMachineArn('backing-off');
const CAPPED = stateMachineArn('capped');
const DEFAULTED = stateMachineArn('defaulted');

const flaky = (state: string, retry: Record<string, unknown>) => ({
  StartAt: state,
  States: {
    [state]: {
      Type: 'Task',
      Resource: functionArn('flaky'),
      Retry: [{ ErrorEquals: ['Flaky'], MaxAttempts: 3, ...retry }],
      End: true,
    },
  },
});

/** When each call of an execution came in; the first three fail. */
const callTimes = new Map<string, number[]>();

let harness: Awaited<ReturnType<typeof startHarness>>;

beforeAll(async () => {
  harness = await startHarness({
    [functionArn('flaky')]: (event) => {
      const times = callTimes.get(String(event['run'])) ?? [];
      times.push(performance.now());
      callTimes.set(String(event['run']), times);
      if (times.length <= 3) throw Object.assign(new Error('not yet'), { name: 'Flaky' });
      return { calls: times.length };
    },
  }, { timeScale: TIME_SCALE });
  harness.service.registerStateMachine(BACKING_OFF, flaky('Deliver', { IntervalSeconds: 15, BackoffRate: 2 }));
  harness.service.registerStateMachine(CAPPED, flaky('Deliver', { IntervalSeconds: 10, BackoffRate: 10, MaxDelaySeconds: 15 }));
  harness.service.registerStateMachine(DEFAULTED, flaky('Deliver', {}));
});

afterAll(async () => {
  await harness?.stop();
});

async function gapsOf(stateMachine: string, run: string): Promise<number[]> {
  const { executionArn } = await harness.sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachine, name: run, input: JSON.stringify({ run }) }));
  const execution = await eventually(async () => {
    const described = await harness.sfn.send(new DescribeExecutionCommand({ executionArn }));
    return described.status === 'RUNNING' ? undefined : described;
  }, 5000);
  expect(execution.status).toBe('SUCCEEDED');
  const times = callTimes.get(run)!;
  return times.slice(1).map((t, i) => t - times[i]!);
}

// Lower bounds are exact (the interpreter never wakes early); upper bounds only need to tell scaled from unscaled
// seconds, with room for a loaded machine.
describe('Retry intervals under a time scale', () => {
  it('back off from the scaled IntervalSeconds: 15 s, 30 s, 60 s become 150, 300, 600 ms', async () => {
    const gaps = await gapsOf(BACKING_OFF, 'backing-off');
    expect(gaps).toHaveLength(3);
    [150, 300, 600].forEach((expected, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(expected - 5);
      expect(gaps[i]).toBeLessThan(expected + 1000);
    });
  });

  it('stop growing at the scaled MaxDelaySeconds', async () => {
    // 10 s, 100 s, 1000 s capped at 15 s: 100, 150, 150 ms (10 s for the third, uncapped).
    const gaps = await gapsOf(CAPPED, 'capped');
    [100, 150, 150].forEach((expected, i) => expect(gaps[i]).toBeGreaterThanOrEqual(expected - 5));
    expect(gaps[2]).toBeLessThan(1000);
  });

  it("scale AWS's default interval of 1 s too", async () => {
    // 1 s doubling: 10, 20, 40 ms, where 7 s in all would be unscaled.
    const gaps = await gapsOf(DEFAULTED, 'defaulted');
    expect(gaps[2]).toBeGreaterThanOrEqual(40 - 5);
    expect(gaps.reduce((sum, gap) => sum + gap, 0)).toBeLessThan(2000);
  });
});
