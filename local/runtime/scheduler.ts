import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '#local/template/intrinsics';
import type { LocalSchedule } from '#local/template/local-model';

/** However small TIME_SCALE is, a schedule runs at most this often: a drill must not turn a pass into a busy loop. */
export const MIN_SCHEDULE_PERIOD_MS = 2_000;
/** How long stop() waits for a pass in flight; one cut short is harmless, its writes are conditional. */
const STOP_GRACE_MS = 5_000;

export interface LocalSchedulerOptions {
  invoke: (functionArn: string, event: unknown) => Promise<unknown>;
  /** Multiplies every schedule's period, as it does every workflow deadline. */
  timeScale: number;
  log: (line: string) => void;
}

export const schedulePeriodMs = (schedule: LocalSchedule, timeScale: number) =>
  Math.max(MIN_SCHEDULE_PERIOD_MS, schedule.everyMs * timeScale);

/**
 * Runs the targets of the template's schedule rules as EventBridge would, with a scheduled event. A pass never
 * overlaps the previous one of its rule (the next waits for it to finish), and a failed pass is logged, not fatal.
 */
export class LocalScheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly passes = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly schedules: LocalSchedule[], private readonly options: LocalSchedulerOptions) {}

  start(): void {
    for (const schedule of this.schedules) {
      const periodMs = schedulePeriodMs(schedule, this.options.timeScale);
      this.options.log(`[schedule] ${schedule.logicalId}: ${schedule.expression}, every ${(periodMs / 1000).toFixed(1)} s here`);
      this.arm(schedule, periodMs, periodMs);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.race([Promise.allSettled([...this.passes]), sleep(STOP_GRACE_MS)]);
  }

  private arm(schedule: LocalSchedule, periodMs: number, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const began = Date.now();
      const pass = this.run(schedule).finally(() => {
        this.passes.delete(pass);
        // Keeps the cadence from the pass's start; a pass longer than the period is followed at once.
        if (!this.stopped) this.arm(schedule, periodMs, Math.max(0, periodMs - (Date.now() - began)));
      });
      this.passes.add(pass);
    }, delayMs);
    this.timers.add(timer);
  }

  private async run(schedule: LocalSchedule): Promise<void> {
    const event = {
      version: '0', id: randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.events', account: LOCAL_ACCOUNT,
      time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), region: LOCAL_REGION,
      resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${schedule.logicalId}`], detail: {},
    };
    await Promise.all(schedule.targetArns.map(async (target) => {
      try {
        await this.options.invoke(target, event);
      } catch (error) {
        this.options.log(`[schedule] ${schedule.logicalId} → ${target} failed: ${(error as Error).message}`);
      }
    }));
  }
}
