import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENTRY_METADATA } from '#infra/constructs/rescue-function';
import { LocalScheduler, MIN_SCHEDULE_PERIOD_MS } from '#local/runtime/scheduler';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '#local/template/intrinsics';
import { localModelFrom, type LocalSchedule, scheduleIntervalMs } from '#local/template/local-model';
import type { StackTemplate } from '#local/template/synthesize';

const withRule = (rule: Record<string, unknown>): StackTemplate[] => [{
  stackName: 'Api',
  template: {
    Resources: {
      Reconciler: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler' }, Metadata: { [ENTRY_METADATA]: 'functions/maintenance/reconcile.ts' } },
      Every5: { Type: 'AWS::Events::Rule', Properties: { ...rule, Targets: [{ Arn: { 'Fn::GetAtt': ['Reconciler', 'Arn'] }, Id: 'Target0' }] } },
    },
  },
}];

describe('schedule rules in the template', () => {
  it('reads rate expressions in minutes, hours and days, singular or plural', () => {
    expect(scheduleIntervalMs('rate(1 minute)', 'R')).toBe(60_000);
    expect(scheduleIntervalMs('rate(5 minutes)', 'R')).toBe(300_000);
    expect(scheduleIntervalMs('rate(2 hours)', 'R')).toBe(7_200_000);
    expect(scheduleIntervalMs('rate(1 day)', 'R')).toBe(86_400_000);
  });

  it.each(['cron(0/5 * * * ? *)', 'rate(0 minutes)', 'rate(5 seconds)', 'rate(five minutes)'])('refuses %s, naming the rule', (expression) => {
    expect(() => scheduleIntervalMs(expression, 'NightlyRule')).toThrow(/NightlyRule.*rate\(n minutes\|hours\|days\)/);
  });

  it('become schedules of the local model, apart from the event-pattern rules', () => {
    const model = localModelFrom(withRule({ ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED' }));
    expect(model.eventRules).toEqual([]);
    expect(model.schedules).toEqual([{
      logicalId: 'Every5', expression: 'rate(5 minutes)', everyMs: 300_000,
      targetArns: [`arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:Api-Reconciler`],
    }]);
  });

  it('skip disabled rules and refuse, at start, a schedule they cannot run', () => {
    expect(localModelFrom(withRule({ ScheduleExpression: 'rate(5 minutes)', State: 'DISABLED' })).schedules).toEqual([]);
    expect(() => localModelFrom(withRule({ ScheduleExpression: 'cron(0 3 * * ? *)' }))).toThrow(/Every5/);
  });
});

describe('LocalScheduler', () => {
  const schedule: LocalSchedule = { logicalId: 'Every5', expression: 'rate(5 minutes)', everyMs: 300_000, targetArns: ['arn:fn'] };

  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('scales the period by the time scale, with a floor, and sends a scheduled event', async () => {
    const events: unknown[] = [];
    const scheduler = new LocalScheduler([schedule], { invoke: async (_arn, event) => { events.push(event); }, timeScale: 0.01, log: () => undefined });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(2_999);
    expect(events).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ 'detail-type': 'Scheduled Event', source: 'aws.events', resources: [expect.stringContaining(':rule/Every5')] });
    await scheduler.stop();

    const fast = new LocalScheduler([schedule], { invoke: async (_arn, event) => { events.push(event); }, timeScale: 0.000_001, log: () => undefined });
    fast.start();
    await vi.advanceTimersByTimeAsync(MIN_SCHEDULE_PERIOD_MS * 3);
    expect(events).toHaveLength(1 + 3);
    await fast.stop();
  });

  it('never overlaps passes, survives a failed one, and stops', async () => {
    const log: string[] = [];
    let calls = 0;
    let inFlight = 0;
    let mostInFlight = 0;
    const invoke = async () => {
      calls += 1;
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      try {
        if (calls === 1) throw new Error('table unreachable');
        // The second pass takes two and a half periods.
        if (calls === 2) await new Promise((resolve) => setTimeout(resolve, 5_000));
      } finally {
        inFlight -= 1;
      }
    };
    const scheduler = new LocalScheduler([schedule], { invoke, timeScale: 0.000_001, log: (line) => log.push(line) });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toBe(1);
    expect(log.some((line) => line.includes('Every5') && line.includes('table unreachable'))).toBe(true);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(calls).toBe(2);
    // Overdue when the long pass ends, the next one follows at once (a timer's shortest delay is 1 ms).
    await vi.advanceTimersByTimeAsync(2);
    expect(calls).toBe(3);
    expect(mostInFlight).toBe(1);

    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(3);
  });
});
