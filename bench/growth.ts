/**
 * `npm run bench:growth`: the reads people make all night, as the table grows from 1,000 to 100,000 cases (a
 * province's winter), and a restart on that table, drained and under a backlog of open cases.
 *
 *   npm run bench:growth                         # ~15 minutes; prints a table, writes bench/results/growth-<date>.json
 *   GROWTH_STAGES=1000,10000 npm run bench:growth   # smaller stages (quicker)
 *   GROWTH_BACKLOG=500 npm run bench:growth         # open cases the last restart resumes (default 1,000)
 *
 * It starts its own stack in this process (DynamoDB Local on disk in a temporary directory, port 0) with the demo
 * city's directory and a second station. At each stage, cases are added (written straight into the table, as the
 * store writes a new case: opened over the past 120 days, resolved and closed long ago) until the table
 * holds that many; the kept figures are then caught up from nothing, as after an upgrade (timed), and each read is
 * timed over HTTP, REQUESTS times after a warm-up: GET /v1/stats for the last day (hours), the last 7 days and the
 * last 120 days (days), as a coordinator and as a station; the first page of GET /v1/cases; the first page of
 * GET /v1/events. GET /v1/stats read from every case (as before the figures were kept) is timed beside them at the
 * stages up to 10,000 (and at all with GROWTH_DIRECT=1). After the last stage, the stack is restarted: once with every
 * case closed, once with GROWTH_BACKLOG open red cases whose workflows must be resumed.
 */
import '#local/quiet-sdk';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEMO_HELP_POINTS, DEMO_STATIONS, DEMO_TEAMS } from '#local/runtime/demo';
import { seededRandom } from '#local/runtime/demo-city';
import { LocalStack } from '#local/runtime/local-stack';
import { OUTCOMES } from '#shared/contract/vocabulary';
import type { Case } from '#shared/domain/case';
import { settings } from '#shared/settings';
import { caseItem } from '#shared/store/case-store';
import { DirectoryStore } from '#shared/store/directory-store';
import { markerKey } from '#shared/store/keys';
import { StatsStore } from '#shared/store/stats-store';
import { caseGate } from '#shared/use-cases/case-access';
import { dependenciesFromEnvironment } from '#shared/use-cases/dependencies';
import { rollStats } from '#shared/use-cases/roll-stats';
import { campaignStats } from '#shared/use-cases/stats';
import { writeResult } from './demo-city';
import { log, machine, median, percentile, round } from './figures';

const STAGES = (process.env.GROWTH_STAGES ?? '1000,10000,100000').split(',').map(Number);
const BACKLOG = Number(process.env.GROWTH_BACKLOG ?? 1_000);
const REQUESTS = 20;
const DIRECT_UP_TO = process.env.GROWTH_DIRECT === '1' ? Infinity : 10_000;
const DAY_MS = 86_400_000;
const SECOND_STATION = { stationId: 'station-bench-west', name: '西区救助点', location: { lat: 28.66, lon: 115.82 } };

const rnd = seededRandom(2026);

/** A case of the past 120 days: opened at night, mostly long done; `open` for the backlog. */
function historicCase(i: number, now: number, open = false): Case {
  const day = Math.floor(rnd.next() * 120);
  // Nights: 18:00–06:00 Shanghai, i.e. 10:00–22:00 UTC.
  const openedAt = new Date(Math.floor((now - (day + 1) * DAY_MS) / DAY_MS) * DAY_MS + (10 + rnd.next() * 12) * 3_600_000).toISOString();
  const after = (minutes: number) => new Date(Date.parse(openedAt) + minutes * 60_000).toISOString();
  // History is closed: a resolved case is closed by its workflow once its revisit is done (any case not closed has a
  // live workflow, which the reconciler would start again for every one of them).
  const status: Case['status'] = open ? 'open' : 'closed';
  const location = { lat: 28.6 + rnd.next() * 0.15, lon: 115.78 + rnd.next() * 0.18 };
  return {
    caseId: `case-bench${String(i).padStart(21, '0')}`, status, risk: rnd.pick(['red', 'orange', 'orange', 'yellow', 'yellow', 'blue'] as const),
    riskReasons: ['bench'], location, placeType: rnd.pick(['bridge', 'underpass', 'park', 'culvert'] as const),
    openedAt: open ? new Date(now - rnd.next() * 3_600_000).toISOString() : openedAt, updatedAt: openedAt, lastSeenAt: openedAt,
    sightingCount: 1 + Math.floor(rnd.next() * 3), detectionCount: Math.floor(rnd.next() * 12), photoCount: 0,
    reportsBySource: { patrol: 1, drone_thermal: 2 }, leadSource: rnd.pick(['patrol', 'drone_thermal', 'public', 'camera_ai'] as const),
    workflowGeneration: 0, version: 1,
    ...(open ? {} : {
      acknowledgedAt: after(2 + rnd.next() * 20), resolvedAt: after(30 + rnd.next() * 200), outcome: rnd.pick(OUTCOMES),
      closedAt: after(300),
    }),
  };
}

async function main() {
  const started = Date.now();
  const host = machine();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'growth-'));
  const stack = await LocalStack.start({ port: 0, dataDir, log: () => undefined });
  // A restart may bring DynamoDB Local up on another port: the client follows the stack.
  let client = new DynamoDBClient({ endpoint: stack.endpoints.dynamodb });
  let db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
  const table = settings.tableName;
  const directory = new DirectoryStore(db, table);
  for (const station of [...DEMO_STATIONS, SECOND_STATION]) await directory.put('station', station);
  for (const team of DEMO_TEAMS) await directory.put('team', team);
  for (const helpPoint of DEMO_HELP_POINTS) await directory.putHelpPoint(helpPoint);
  const token = async (claims: Record<string, string>) => ((await (await fetch(`${stack.url}/v1/dev/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(claims),
  })).json()) as { token: string }).token;
  const coordinator = await token({ role: 'coordinator', sub: 'bench.coord' });
  const station = await token({ role: 'station', sub: 'bench.duty', stationId: SECOND_STATION.stationId });
  const deps = dependenciesFromEnvironment();

  /** Writes cases straight into the table, 25 a request, 8 requests in flight. */
  const write = async (cases: Case[]) => {
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < cases.length) {
        const chunk = cases.slice(next, next + 25);
        next += 25;
        // Noted as changed when opened: history, as if written then (the catch-up below walks it).
        let items = chunk.map((c) => ({ PutRequest: { Item: caseItem(c, c.openedAt) } }));
        while (items.length) {
          const r = await db.send(new BatchWriteCommand({ RequestItems: { [table]: items } }));
          items = (r.UnprocessedItems?.[table] ?? []) as typeof items;
        }
      }
    }));
  };
  const timeRequests = async (url: string, bearer: string) => {
    const once = async () => {
      const t = performance.now();
      const r = await fetch(`${stack.url}${url}`, { headers: { authorization: `Bearer ${bearer}` } });
      if (r.status !== 200) throw new Error(`${url} answered ${r.status}: ${await r.text()}`);
      await r.arrayBuffer();
      return performance.now() - t;
    };
    for (let i = 0; i < 3; i += 1) await once();
    const samples: number[] = [];
    for (let i = 0; i < REQUESTS; i += 1) samples.push(await once());
    return { medianMs: round(median(samples), 1), p95Ms: round(percentile(samples, 95), 1) };
  };
  /** Catches the kept figures up from nothing, as after an upgrade: passes until the walk back is done. */
  const catchUp = async () => {
    await db.send(new DeleteCommand({ TableName: table, Key: markerKey('stats-roll') }));
    const t = performance.now();
    for (;;) {
      const pass = await rollStats(deps, Date.now() + 40_000);
      const marker = await new StatsStore(db, table).rollMarker();
      if (!pass.skipped && marker?.rolledTo && !marker.walkBefore) break;
      if (pass.skipped) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return round((performance.now() - t) / 1000, 1);
  };

  const windowOf = (days: number) => {
    const to = new Date();
    return `from=${encodeURIComponent(new Date(to.getTime() - days * DAY_MS).toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
  };
  const stages: Record<string, unknown>[] = [];
  let written = 0;
  try {
    for (const size of STAGES) {
      const now = Date.now();
      const fill = performance.now();
      await write(Array.from({ length: size - written }, (_, i) => historicCase(written + i, now)));
      const fillSeconds = round((performance.now() - fill) / 1000, 1);
      written = size;
      log(`${size.toLocaleString('en-US')} cases (added in ${fillSeconds} s); catching the kept figures up`);
      const catchUpSeconds = await catchUp();
      log(`caught up in ${catchUpSeconds} s; timing the reads`);
      const reads = {
        'stats, last day by hour (coordinator)': await timeRequests(`/v1/stats?${windowOf(1)}`, coordinator),
        'stats, last 7 days (coordinator)': await timeRequests(`/v1/stats?${windowOf(7)}&bucket=day`, coordinator),
        'stats, last 120 days (coordinator)': await timeRequests(`/v1/stats?${windowOf(120)}&bucket=day`, coordinator),
        'stats, last 7 days (station)': await timeRequests(`/v1/stats?${windowOf(7)}&bucket=day`, station),
        'cases, first page of 50 (coordinator)': await timeRequests('/v1/cases?limit=50', coordinator),
        'cases, first page of 50 (station)': await timeRequests('/v1/cases?limit=50', station),
        'events, first page (coordinator)': await timeRequests('/v1/events', coordinator),
      };
      let direct: { medianMs: number; p95Ms: number; samples: number } | undefined;
      if (size <= DIRECT_UP_TO) {
        // GET /v1/stats for 7 days as it was read before: every case of the window.
        const gate = await caseGate(deps, { sub: 'bench.coord', roles: ['coordinator'] });
        const unkept = { ...deps, stats: Object.assign(Object.create(deps.stats) as StatsStore, { rollMarker: async () => undefined }) };
        const to = new Date();
        const query = { from: new Date(to.getTime() - 7 * DAY_MS).toISOString(), to: to.toISOString(), bucket: 'day' as const };
        const samples: number[] = [];
        const n = size <= 10_000 ? 10 : 3;
        for (let i = 0; i < n; i += 1) {
          const t = performance.now();
          await campaignStats(unkept, query, gate);
          samples.push(performance.now() - t);
        }
        direct = { medianMs: round(median(samples), 1), p95Ms: round(percentile(samples, 95), 1), samples: n };
      }
      stages.push({ cases: size, fillSeconds, catchUpSeconds, reads, ...(direct ? { statsLast7DaysFromEveryCase: direct } : {}) });
      log(`${size}: ${Object.entries(reads).map(([k, v]) => `${k} ${v.medianMs}/${v.p95Ms} ms`).join('; ')}${direct ? `; from every case ${direct.medianMs} ms` : ''}`);
    }

    // Restarts on the grown table, as `npm start` restarts (a process of its own): drained (every case done), then
    // with open cases whose workflows must come back.
    await stack.stop();
    const drained = await restart(dataDir);
    log(`restart, drained: healthy after ${drained.healthySeconds} s`);
    const backlogCases = Array.from({ length: BACKLOG }, (_, i) => historicCase(written + i, Date.now(), true));
    await drained.whileUp(async (endpoint) => {
      client.destroy();
      client = new DynamoDBClient({ endpoint });
      db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
      await write(backlogCases);
    });
    const underBacklog = await restart(dataDir);
    await underBacklog.whileUp(async () => undefined, BACKLOG > 0);
    log(`restart, ${BACKLOG} open cases: healthy after ${underBacklog.healthySeconds} s, workflows resumed after ${underBacklog.resumedSeconds ?? '?'} s`);
    const result = {
      benchmark: 'growth',
      date: new Date().toISOString(),
      machine: { ...host, loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)) },
      reproduce: 'npm run bench:growth   (GROWTH_STAGES=1000,10000 for smaller stages, GROWTH_BACKLOG=n open cases at the last restart)',
      setup: `${REQUESTS} requests per read after 3 warm-up, one at a time, over HTTP to an in-process local stack (DynamoDB Local on disk); `
        + 'cases opened over the past 120 days, all closed (history); the kept figures caught up from nothing at each stage',
      stages,
      restart: {
        cases: written, drained: { healthySeconds: drained.healthySeconds },
        [`with ${BACKLOG} open cases`]: { healthySeconds: underBacklog.healthySeconds, resumedSeconds: underBacklog.resumedSeconds },
      },
      seconds: round((Date.now() - started) / 1000, 1),
    };
    await writeResult('growth', result);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    client.destroy();
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Starts the stack on the data directory in a process of its own (this file with --serve), and times it until
 * /health answers and until it logs that open cases' workflows are back. `whileUp` runs something against it (its
 * DynamoDB Local's endpoint), waits for the workflows if asked (up to 10 minutes), then stops it.
 */
async function restart(dataDir: string) {
  const t0 = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  let resumedAt: number | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (resumedAt === undefined && output.includes('resumed the workflows of')) resumedAt = Date.now();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const found = /^listening (\S+)$/m.exec(output);
      if (found) {
        clearInterval(timer);
        resolve(found[1]!);
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`the stack exited (${code}) before it listened:\n${output}`));
    });
  });
  for (;;) {
    const health = await fetch(`${url}/health`).catch(() => undefined);
    if (health?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const healthySeconds = round((Date.now() - t0) / 1000, 1);
  const endpoint = ((await (await fetch(`${url}/health`)).json()) as { engines: { dynamodb: string } }).engines.dynamodb;
  return {
    healthySeconds,
    get resumedSeconds() { return resumedAt === undefined ? undefined : round((resumedAt - t0) / 1000, 1); },
    whileUp: async (work: (dynamoEndpoint: string) => Promise<void>, awaitResumed = false) => {
      await work(endpoint);
      for (let waited = 0; awaitResumed && resumedAt === undefined && waited < 600_000; waited += 200) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

if (process.argv[2] === '--serve') {
  // The restarted stack: no demo, its lines on stdout for the parent to read.
  const served = await LocalStack.start({ port: 0, dataDir: process.argv[3]!, log: (line) => console.log(line) });
  console.log(`listening ${served.url}`);
  process.on('SIGTERM', () => { void served.stop().then(() => process.exit(0)); });
} else {
  await main();
}
