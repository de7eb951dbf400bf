import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListExecutionsCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/constructs/rescue-function';
import { findFreePort } from '#local/engines/ports';
import { ApiClient, eventually, sightingBody } from '../support/local-stack';

/**
 * `npm start` as a user runs it, killed with SIGKILL and started again on the same data. TIME_SCALE makes a red
 * case's 5-minute acknowledgement deadline 30 s, and the reconciler's 5-minute schedule 30 s too. A start takes
 * ~10 s on an idle machine and over a minute on a crowded one, hence the generous time limits.
 */
const TIME_SCALE = 0.1;
const RED_DEADLINE_MS = 5 * 60_000 * TIME_SCALE;
const STARTUP_MS = 150_000;
/** How late after its due time a workflow step may run and still count as on time. */
const PROMPT_MS = 2_500;

interface Health {
  engines: { stepFunctions: string };
  stateMachines: string[];
}

interface TimelineEntry {
  type: string;
  at: string;
  [detail: string]: unknown;
}

let dataDir: string;
let port: number;
let running: { child: ChildProcess; output: string[] } | undefined;
let api: ApiClient;
let patrol: string;

/** Starts `local/start.ts` the way `npm start` does, in a process group of its own so one signal reaches its JVM too. */
async function startLocalStack(): Promise<Health> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, TIME_SCALE: String(TIME_SCALE) },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      output.push(...chunk.split('\n').filter(Boolean));
      if (output.length > 60) output.splice(0, output.length - 60);
    });
  }
  running = { child, output };
  try {
    return await eventually(async () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`npm start exited (${child.exitCode ?? child.signalCode})`);
      const response = await fetch(`${api.baseUrl}/health`).catch(() => undefined);
      return response?.status === 200 ? await response.json() as Health : undefined;
    }, STARTUP_MS, 'GET /health to answer 200');
  } catch (error) {
    throw new Error(`${(error as Error).message}; its last output:\n${output.join('\n')}`);
  }
}

/** Ends the whole process group: the runtime and the DynamoDB Local JVM it spawned. */
async function killLocalStack(signal: NodeJS.Signals) {
  if (!running) return;
  const { child } = running;
  running = undefined;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  process.kill(-child.pid!, signal);
  await exited;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const sfnClient = (health: Health) => new SFNClient({
  endpoint: health.engines.stepFunctions, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

async function executionOf(health: Health, name: string) {
  const sfn = sfnClient(health);
  try {
    const caseWorkflow = health.stateMachines.find((arn) => arn.endsWith('-case-workflow'));
    const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: caseWorkflow, maxResults: 1000 }));
    return executions.find((e) => e.name === name);
  } finally {
    sfn.destroy();
  }
}

const caseOf = async (caseId: string) => (await api.call('GET', `/v1/cases/${caseId}`, { token: patrol })).body;

async function reportAlertedCase() {
  const created = await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody() });
  expect(created.status).toBe(201);
  expect(created.body.risk).toBe('red');
  const caseId = created.body.caseId as string;
  const alerted = await eventually(async () => {
    const c = await caseOf(caseId);
    return c.status === 'alerted' ? c : undefined;
  }, 15_000, 'the case to be alerted');
  return { caseId, deadline: alerted.alert.deadline as string };
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'rescue-kill-'));
  port = await findFreePort();
  api = new ApiClient(`http://127.0.0.1:${port}`);
  await startLocalStack();
  patrol = await api.token({ role: 'patrol', sub: 'li.wei', teamId: 'team-01' });
}, STARTUP_MS + 10_000);

afterAll(async () => {
  await killLocalStack('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 30_000);

describe('npm start killed with SIGKILL', () => {
  let health: Health;

  it('comes back with every waiting case in its workflow, escalating at the stored deadline', async () => {
    const { caseId, deadline } = await reportAlertedCase();
    expect(Date.parse(deadline) - Date.now()).toBeGreaterThan(RED_DEADLINE_MS / 2);

    const dynamoPid = Number(await readFile(path.join(dataDir, 'dynamodb', 'dynamodb-local.pid'), 'utf8'));
    await killLocalStack('SIGKILL');
    // The JVM was in the killed group; had it survived, the next start would reclaim it through this pid file.
    await eventually(async () => (isAlive(dynamoPid) ? undefined : true), 5_000, 'DynamoDB Local to be gone');

    health = await startLocalStack();
    const upAgainAt = Date.now();
    // The token's signing key lives in the data directory: a member's token outlives the restart.
    const resumed = await caseOf(caseId);
    expect(resumed.status).toBe('alerted');
    if (upAgainAt < Date.parse(deadline)) {
      expect(resumed.alert.deadline).toBe(deadline);
      expect(resumed.timeline.map((e: TimelineEntry) => e.type)).not.toContain('escalated');
    }
    // Back in its workflow, under the same execution name: waiting for the acknowledgement, before or after escalating.
    // Workflows are resumed in the background once the stack answers (nearest deadline first), so within moments.
    expect(await eventually(async () => {
      const execution = await executionOf(health, `${caseId}-g0`);
      return execution?.status === 'RUNNING' ? execution : undefined;
    }, 15_000, 'the workflow to be resumed')).toMatchObject({ status: 'RUNNING' });

    const escalated = await eventually(async () => {
      const c = await caseOf(caseId);
      return c.timeline.find((e: TimelineEntry) => e.type === 'escalated') as TimelineEntry | undefined;
    }, Math.max(0, Date.parse(deadline) - Date.now()) + 15_000, 'the escalation');
    // The stored deadline governs: the escalation comes at it (or at once, if the restart outlasted it on a busy
    // machine); a fresh wait would have escalated a whole deadline after the restart.
    const dueAt = Math.max(Date.parse(deadline), upAgainAt);
    expect(Date.parse(escalated.at)).toBeGreaterThanOrEqual(Date.parse(deadline));
    expect(Date.parse(escalated.at)).toBeLessThan(dueAt + PROMPT_MS);
    expect(Date.parse(escalated.at)).toBeLessThan(upAgainAt + RED_DEADLINE_MS - 5_000);
  }, STARTUP_MS + 60_000);

  it('has the scheduled reconciler move a case whose execution was stopped to its next generation', async () => {
    const { caseId, deadline } = await reportAlertedCase();
    const first = await executionOf(health, `${caseId}-g0`);
    expect(first).toMatchObject({ status: 'RUNNING' });
    const sfn = sfnClient(health);
    await sfn.send(new StopExecutionCommand({ executionArn: first!.executionArn!, error: 'Drill', cause: 'stopped by the test' }));
    sfn.destroy();

    const entry = await eventually(async () => {
      const c = await caseOf(caseId);
      return c.timeline.find((e: TimelineEntry) => e.type === 'workflow_resumed') as TimelineEntry | undefined;
    }, RED_DEADLINE_MS + 15_000, 'the reconciler to resume the workflow');
    expect(entry).toMatchObject({ generation: 1, reason: expect.stringContaining('ABORTED') });
    expect(await executionOf(health, `${caseId}-g1`)).toMatchObject({ status: 'RUNNING' });
    const after = await caseOf(caseId);
    // Resumed where it stood: still waiting for an acknowledgement (escalated, perhaps, if the deadline passed
    // meanwhile), not triaged and alerted afresh.
    expect(after.status).toBe('alerted');
    expect(after.timeline.filter((e: TimelineEntry) => e.type === 'alerted')).toHaveLength(1);
    if (after.alert.rung === 0) expect(after.alert.deadline).toBe(deadline);
  }, 90_000);
});
