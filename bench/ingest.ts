/**
 * `npm run bench`: detections per second ingested through the local HTTP path (POST /v1/detections, the same handler,
 * use case and transactions as in the cloud), next to DynamoDB Local's raw PutItem rate measured in the same run on
 * the same machine; and the DynamoDB write units one accepted detection and one new case cost.
 *
 *   npm run bench                      # ~2–3 minutes; prints a table, writes bench/results/ingest-<date>.json
 *   BENCH_ROUNDS=7 npm run bench       # more rounds (default 5); BENCH_HTTP_IN_FLIGHT=8 for more requests in flight (default 4)
 *
 * It starts its own stack in this process (in-memory DynamoDB Local, port 0): nothing else is touched.
 */
// The benchmark measures ingestion, not the quotas: its devices open more new places an hour than a device may.
process.env.QUOTA_DEVICE_CASES_PER_HOUR ??= '1000000';
import '#local/quiet-sdk';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AttributeValue, BatchWriteItemCommand, CreateTableCommand, DeleteTableCommand, DynamoDBClient, GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DEMO_STATIONS, DEMO_TEAMS } from '#local/runtime/demo';
import { LocalStack } from '#local/runtime/local-stack';
import { settings } from '#shared/settings';
import { CaseStore } from '#shared/store/case-store';
import { DirectoryStore } from '#shared/store/directory-store';
import { IdempotencyStore } from '#shared/store/idempotency-store';
import { UploadStore } from '#shared/store/upload-store';
import { type Dependencies, dependenciesFromEnvironment } from '#shared/use-cases/dependencies';
import { DynamoDetectionIdLookup } from '#shared/store/detection-id-lookup';
import { ingestDetections } from '#shared/use-cases/ingest-detections';
import { itemSize, meteredClient, modelledWcu } from './capacity';
import { log, machine, median, round } from './figures';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const RAW_ITEMS = 2_000;
const RAW_IN_FLIGHT = 8;
const BATCH_WRITE_ITEMS = 4_000;
const BATCH_WRITE_IN_FLIGHT = 4;
/** A drone sweep: 200 detections a batch, 25 places × 8 frames seconds apart, 4 batches in flight. */
const PLACES_PER_BATCH = 25;
const FRAMES_PER_PLACE = 8;
const BATCHES_PER_ROUND = 6;
const HTTP_IN_FLIGHT = Number(process.env.BENCH_HTTP_IN_FLIGHT ?? 4);
const DEVICES = ['bench-drone-1', 'bench-drone-2', 'bench-drone-3', 'bench-drone-4'];

const here = path.dirname(fileURLToPath(import.meta.url));

/** Runs `work(i)` for i in [0, count), `limit` at a time; returns the wall time in seconds. */
async function timed(count: number, limit: number, work: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(limit, count) }, async () => {
    while (next < count) await work(next++);
  }));
  return (performance.now() - started) / 1000;
}

/** This process's DynamoDB Local JVM (its child), found in /proc: where the CPU goes is half the story on 2 cores. */
function dynamoJvmPid(): number | undefined {
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('DynamoDBLocal.jar')) return Number(entry);
    } catch { /* gone meanwhile */ }
  }
  return undefined;
}
const TICKS_PER_SECOND = 100;
/** CPU seconds used so far by this Node process (API, handlers, workflows) and by the DynamoDB Local JVM. */
function cpuSeconds(jvm: number | undefined) {
  const usage = process.cpuUsage();
  let jvmSeconds = Number.NaN;
  if (jvm) {
    const stat = readFileSync(`/proc/${jvm}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    jvmSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  }
  return { node: (usage.user + usage.system) / 1e6, jvm: jvmSeconds };
}

// ─── What gets written ────────────────────────────────────────────────────────────────────────────────────────

/** Places on a 200 m grid north-east of the city, far from anything else; each round's first sweep uses new ones. */
const placeAt = (index: number) => ({
  lat: 28.80 + Math.floor(index / 100) * 0.0018,
  lon: 116.00 + (index % 100) * 0.00205,
});

const jitter = (metres: number) => (Math.random() - 0.5) * 2 * metres / 111_320;

function droneBatch(deviceId: string, tag: string, firstPlace: number) {
  const detections = [];
  const base = Date.now() - 10 * 60_000;
  for (let p = 0; p < PLACES_PER_BATCH; p += 1) {
    const place = placeAt(firstPlace + p);
    for (let f = 0; f < FRAMES_PER_PLACE; f += 1) {
      const observedAt = new Date(base + p * 20_000 + f * 3_000).toISOString();
      detections.push({
        detectionId: `${deviceId}/${tag}/${p}/${f}`, observedAt,
        location: { lat: +(place.lat + jitter(5)).toFixed(7), lon: +(place.lon + jitter(5)).toFixed(7), accuracyM: 8 },
        confidence: 0.6 + Math.random() * 0.35, surfaceTempC: 29 + Math.random() * 3, ambientTempC: -2, label: 'person',
      });
    }
  }
  return { deviceId, source: 'drone_thermal', detections };
}

/** A stored detection as the product writes it (ingest-detections.ts), for the raw PutItem baseline. */
function detectionItem(i: number) {
  const caseId = `case-01BENCH${String(i % 997).padStart(19, '0')}`;
  const observedAt = new Date(Date.now() - i * 1_000).toISOString();
  return {
    pk: `CASE#${caseId}`, sk: `DETECTION#${observedAt}#bench-raw/bench-raw/${i}/${Math.random()}`, entity: 'detection',
    detectionId: `bench-raw/${i}`, observedAt, location: { lat: 28.6811234, lon: 115.8732345, accuracyM: 8 },
    confidence: 0.83, surfaceTempC: 29.6, ambientTempC: -2, label: 'person', deviceId: 'bench-raw', source: 'drone_thermal',
    caseId, receivedAt: new Date().toISOString(),
  };
}

// ─── The run ──────────────────────────────────────────────────────────────────────────────────────────────────

async function main() {
  const started = Date.now();
  const host = machine();
  log(`machine: ${host.cores} cores, Node ${host.node}, ${host.java}; load average ${host.loadAverageAtStart.join(' ')}`);
  const stack = await LocalStack.start({ port: 0, log: () => undefined });
  const endpoint = stack.endpoints.dynamodb;
  const raw = new DynamoDBClient({ endpoint });
  const scratch = `bench-scratch-${Date.now()}`;
  try {
    log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s at ${stack.url}`);
    // The demo's teams and station, so that the workflows of the new cases alert someone, as on a real night.
    const directory = new DirectoryStore(DynamoDBDocumentClient.from(raw), settings.tableName);
    for (const station of DEMO_STATIONS) await directory.put('station', station);
    for (const team of DEMO_TEAMS) await directory.put('team', team);
    await raw.send(new CreateTableCommand({
      TableName: scratch, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    }));

    const tokens = new Map<string, string>();
    for (const deviceId of DEVICES) {
      const r = await fetch(`${stack.url}/v1/dev/token`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'device', sub: deviceId, deviceId }),
      });
      tokens.set(deviceId, ((await r.json()) as { token: string }).token);
    }
    let accepted = 0;
    let created = 0;
    const post = async (batch: ReturnType<typeof droneBatch>) => {
      const r = await fetch(`${stack.url}/v1/detections`, {
        method: 'POST', headers: { authorization: `Bearer ${tokens.get(batch.deviceId)}`, 'content-type': 'application/json' },
        body: JSON.stringify(batch),
      });
      const body = (await r.json()) as { results?: { status: string }[] };
      if (r.status !== 200) throw new Error(`POST /v1/detections answered ${r.status}: ${JSON.stringify(body)}`);
      accepted += body.results!.filter((x) => x.status === 'accepted').length;
    };
    const putRaw = (offset: number) => (i: number) => raw.send(new PutItemCommand({ TableName: scratch, Item: marshall(detectionItem(offset + i)) })).then(() => undefined);
    const batchWriteRaw = (offset: number) => async (i: number) => {
      let items = Array.from({ length: 25 }, (_, k) => ({ PutRequest: { Item: marshall(detectionItem(offset + i * 25 + k)) } }));
      while (items.length) {
        const r = await raw.send(new BatchWriteItemCommand({ RequestItems: { [scratch]: items } }));
        items = (r.UnprocessedItems?.[scratch] ?? []) as typeof items;
      }
    };

    let nextPlace = 0;
    const sweep = async (tag: string, firstPlace: number) => {
      accepted = 0;
      const seconds = await timed(BATCHES_PER_ROUND, HTTP_IN_FLIGHT, (b) => post(droneBatch(DEVICES[b % DEVICES.length]!, `${tag}-${b}`, firstPlace + b * PLACES_PER_BATCH)));
      if (accepted !== BATCHES_PER_ROUND * PLACES_PER_BATCH * FRAMES_PER_PLACE) throw new Error(`${tag}: ${accepted} accepted`);
      return accepted / seconds;
    };

    log('warming up (JVM, handlers, connections)');
    await timed(1_500, RAW_IN_FLIGHT, putRaw(10_000_000));
    await timed(60, BATCH_WRITE_IN_FLIGHT, batchWriteRaw(20_000_000));
    for (let w = 0; w < 2; w += 1) {
      const first = nextPlace;
      nextPlace += BATCHES_PER_ROUND * PLACES_PER_BATCH;
      await sweep(`warm${w}-new`, first);
      await sweep(`warm${w}-again`, first);
    }

    const rounds: { putItem: number; batchWrite: number; firstSweep: number; reSweep: number }[] = [];
    // CPU milliseconds per item, by phase: the Node process (API, handlers, workflows) and the DynamoDB Local JVM.
    const jvm = dynamoJvmPid();
    const cpu: Record<'putItem' | 'batchWrite' | 'firstSweep' | 'reSweep', { node: number[]; jvm: number[] }> = {
      putItem: { node: [], jvm: [] }, batchWrite: { node: [], jvm: [] }, firstSweep: { node: [], jvm: [] }, reSweep: { node: [], jvm: [] },
    };
    const metered = async <T>(phase: keyof typeof cpu, items: number, work: () => Promise<T>): Promise<T> => {
      const before = cpuSeconds(jvm);
      const result = await work();
      const after = cpuSeconds(jvm);
      cpu[phase].node.push((1000 * (after.node - before.node)) / items);
      cpu[phase].jvm.push((1000 * (after.jvm - before.jvm)) / items);
      return result;
    };
    const sweepItems = BATCHES_PER_ROUND * PLACES_PER_BATCH * FRAMES_PER_PLACE;
    for (let r = 0; r < ROUNDS; r += 1) {
      const putSeconds = await metered('putItem', RAW_ITEMS, () => timed(RAW_ITEMS, RAW_IN_FLIGHT, putRaw(r * 100_000)));
      const batchSeconds = await metered('batchWrite', BATCH_WRITE_ITEMS, () => timed(BATCH_WRITE_ITEMS / 25, BATCH_WRITE_IN_FLIGHT, batchWriteRaw(50_000_000 + r * 100_000)));
      const first = nextPlace;
      nextPlace += BATCHES_PER_ROUND * PLACES_PER_BATCH;
      const firstSweep = await metered('firstSweep', sweepItems, () => sweep(`r${r}-new`, first));
      created += BATCHES_PER_ROUND * PLACES_PER_BATCH;
      const reSweep = await metered('reSweep', sweepItems, () => sweep(`r${r}-again`, first));
      rounds.push({ putItem: RAW_ITEMS / putSeconds, batchWrite: BATCH_WRITE_ITEMS / batchSeconds, firstSweep, reSweep });
      log(`round ${r + 1}/${ROUNDS}: PutItem ${round(rounds.at(-1)!.putItem)}/s, BatchWrite ${round(rounds.at(-1)!.batchWrite)}/s, `
        + `HTTP first sweep ${round(firstSweep)}/s, re-sweep ${round(reSweep)}/s`);
    }

    // Write units: the use case called directly, on a client that asks DynamoDB what each call consumed.
    log('write units: ingestDetections on a metered client');
    const { client, meter } = meteredClient(endpoint);
    const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
    const table = settings.tableName;
    const deps: Dependencies = {
      ...dependenciesFromEnvironment(),
      cases: new CaseStore(db, table), directory: new DirectoryStore(db, table), idempotency: new IdempotencyStore(db, table),
      uploads: new UploadStore(db, table), detectionIds: new DynamoDetectionIdLookup(db, table),
    };
    const actor = { sub: 'bench-wcu', role: 'device' as const, deviceId: 'bench-wcu' };
    const wcuPlaces = 50;
    const wcuFirst = nextPlace;
    const sizeOf = async (key: Record<string, unknown>) => {
      const marshalled = typeof key.pk === 'string' ? marshall(key) : key as Record<string, AttributeValue>;
      const { Item } = await raw.send(new GetItemCommand({ TableName: table, Key: marshalled }));
      return Item ? itemSize(Item) : 0;
    };
    const measure = async (tag: string) => {
      meter.reset();
      const detections = Array.from({ length: wcuPlaces / PLACES_PER_BATCH }, (_, b) => droneBatch('bench-wcu', `${tag}-${b}`, wcuFirst + b * PLACES_PER_BATCH).detections).flat();
      const { body } = await ingestDetections(deps, { deviceId: 'bench-wcu', source: 'drone_thermal', detections, actor });
      const ok = body.results.filter((x) => x.status === 'accepted');
      const model = await modelledWcu(meter, sizeOf);
      return {
        detections: ok.length, cases: new Set(ok.map((x) => x.caseId)).size, transactions: meter.reported.byCommand.TransactWriteItemsCommand?.calls ?? 0,
        wcu: model.total, byEntity: model.byEntity, cancelledTransactions: { ...meter.cancelled },
        reportedByDynamoDbLocal: { wcu: round(meter.reported.wcu, 1), rcu: round(meter.reported.rcu, 1), byCommand: structuredClone(meter.reported.byCommand) },
      };
    };
    const firstSweepWcu = await measure('wcu-new');
    const reSweepWcu = await measure('wcu-again');
    const newCases = firstSweepWcu.cases;
    const writeUnits = {
      method: 'computed from item sizes as DynamoDB bills them (1 WCU per KB per item, ×2 for items written in a transaction; '
        + 'GSI copies 1 WCU per KB each, the table projects ALL); DynamoDB Local does return ConsumedCapacity, correct for PutItem and '
        + 'BatchWriteItem, but for TransactWriteItems it reports about one item\'s worth per transaction (see reportedByDynamoDbLocal), so it is not used',
      scenario: `one ingestDetections call of ${wcuPlaces * FRAMES_PER_PLACE} detections: ${wcuPlaces} places × ${FRAMES_PER_PLACE} frames; `
        + 'first sweep (new places), then a re-sweep of the same places with new frames',
      firstSweep: firstSweepWcu,
      reSweep: reSweepWcu,
      perAcceptedDetection: { firstSweep: round(firstSweepWcu.wcu / firstSweepWcu.detections, 2), reSweep: round(reSweepWcu.wcu / reSweepWcu.detections, 2) },
      perNewCase: {
        marginal: round((firstSweepWcu.wcu - reSweepWcu.wcu) / newCases, 1),
        allWritesOfFirstSweep: round(firstSweepWcu.wcu / newCases, 1),
      },
      readUnitsReportedPerAcceptedDetection: {
        firstSweep: round(firstSweepWcu.reportedByDynamoDbLocal.rcu / firstSweepWcu.detections, 2),
        reSweep: round(reSweepWcu.reportedByDynamoDbLocal.rcu / reSweepWcu.detections, 2),
      },
      notCounted: 'the case workflow\'s own writes (triage, alert, timeline) in its Lambda tasks; capacity of cancelled transactions (none here: one caller)',
    };
    client.destroy();

    const med = {
      putItem: median(rounds.map((r) => r.putItem)), batchWrite: median(rounds.map((r) => r.batchWrite)),
      firstSweep: median(rounds.map((r) => r.firstSweep)), reSweep: median(rounds.map((r) => r.reSweep)),
    };
    const results = {
      benchmark: 'ingest',
      date: new Date().toISOString(),
      machine: { ...host, loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)) },
      reproduce: 'npm ci && npm run bench   (BENCH_ROUNDS=n for more rounds); writes bench/results/ingest-<date>.json',
      setup: {
        rounds: ROUNDS,
        rawPutItem: `${RAW_ITEMS} PutItem of detection-sized items (${itemSize(marshall(detectionItem(1)))} B) into a scratch table of the same DynamoDB Local, ${RAW_IN_FLIGHT} in flight`,
        rawBatchWrite: `${BATCH_WRITE_ITEMS} of the same items in BatchWriteItem of 25, ${BATCH_WRITE_IN_FLIGHT} in flight (reference)`,
        http: `${BATCHES_PER_ROUND} batches of ${PLACES_PER_BATCH * FRAMES_PER_PLACE} detections (${PLACES_PER_BATCH} places × ${FRAMES_PER_PLACE} frames) from ${DEVICES.length} devices, `
          + `${HTTP_IN_FLIGHT} in flight, through POST /v1/detections of an in-process local stack; first sweep: every place new (a case each); re-sweep: the same places again (joins)`,
        warmUp: '1,500 PutItem, 60 BatchWriteItem, 2 rounds of both sweeps, not counted',
      },
      rounds: rounds.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)]))),
      medians: Object.fromEntries(Object.entries(med).map(([k, v]) => [k, round(v)])),
      ratios: {
        firstSweepToPutItem: round(med.firstSweep / med.putItem, 2),
        reSweepToPutItem: round(med.reSweep / med.putItem, 2),
        firstSweepToBatchWrite: round(med.firstSweep / med.batchWrite, 2),
        reSweepToBatchWrite: round(med.reSweep / med.batchWrite, 2),
      },
      cpuMillisecondsPerItem: Object.fromEntries(Object.entries(cpu).map(([phase, v]) => [phase, { node: round(median(v.node), 2), dynamodbLocalJvm: round(median(v.jvm), 2) }])),
      writeUnits,
      casesCreatedOverHttp: created,
      seconds: round((Date.now() - started) / 1000, 1),
    };

    const file = path.join(here, 'results', `ingest-${results.date.slice(0, 10)}.json`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
    const n = (v: number) => round(v).toLocaleString('en-US').padStart(8);
    const x = (v: number) => v.toFixed(2).padStart(10);
    const entities = (rows: Record<string, { items: number; wcu: number }>) => Object.entries(rows).map(([k, v]) => `${k} ${v.items}× → ${v.wcu}`).join(', ');
    console.log([
      '',
      `  Ingest benchmark — ${host.cores} cores (${host.cpu}), Node ${host.node}, ${host.java}`,
      `  load average at start ${host.loadAverageAtStart.join(' ')}, at end ${results.machine.loadAverageAtEnd.join(' ')}; medians of ${ROUNDS} rounds`,
      '',
      '  path                                                       items/s   × PutItem',
      `  (a) DynamoDB Local PutItem, ${RAW_IN_FLIGHT} in flight                        ${n(med.putItem)}${x(1)}`,
      `      DynamoDB Local BatchWriteItem of 25, ${BATCH_WRITE_IN_FLIGHT} in flight (ref.)   ${n(med.batchWrite)}${x(med.batchWrite / med.putItem)}`,
      `  (b) POST /v1/detections, first sweep (new places)          ${n(med.firstSweep)}${x(results.ratios.firstSweepToPutItem)}`,
      `      POST /v1/detections, re-sweep (known places)           ${n(med.reSweep)}${x(results.ratios.reSweepToPutItem)}`,
      `  CPU ms per item (Node / DynamoDB Local JVM): PutItem ${results.cpuMillisecondsPerItem.putItem!.node} / ${results.cpuMillisecondsPerItem.putItem!.dynamodbLocalJvm}, `
        + `BatchWrite ${results.cpuMillisecondsPerItem.batchWrite!.node} / ${results.cpuMillisecondsPerItem.batchWrite!.dynamodbLocalJvm}, `
        + `first sweep ${results.cpuMillisecondsPerItem.firstSweep!.node} / ${results.cpuMillisecondsPerItem.firstSweep!.dynamodbLocalJvm}, `
        + `re-sweep ${results.cpuMillisecondsPerItem.reSweep!.node} / ${results.cpuMillisecondsPerItem.reSweep!.dynamodbLocalJvm}`,
      '',
      '  write units (from item sizes as DynamoDB bills them; DynamoDB Local under-reports transactions)',
      `    per accepted detection   first sweep ${writeUnits.perAcceptedDetection.firstSweep} WCU, re-sweep ${writeUnits.perAcceptedDetection.reSweep} WCU`,
      `    per new case             ${writeUnits.perNewCase.marginal} WCU more than a join (first sweep, all writes: ${writeUnits.perNewCase.allWritesOfFirstSweep} WCU per case)`,
      `    first sweep by entity    ${entities(firstSweepWcu.byEntity)}`,
      `    re-sweep by entity       ${entities(reSweepWcu.byEntity)}`,
      `    cancelled and retried    first sweep ${JSON.stringify(firstSweepWcu.cancelledTransactions)}, re-sweep ${JSON.stringify(reSweepWcu.cancelledTransactions)} (not in the WCUs above)`,
      `    DynamoDB Local reported  ${firstSweepWcu.reportedByDynamoDbLocal.wcu} and ${reSweepWcu.reportedByDynamoDbLocal.wcu} WCU for ${firstSweepWcu.transactions} and ${reSweepWcu.transactions} transactions; `
        + `reads ${writeUnits.readUnitsReportedPerAcceptedDetection.firstSweep} and ${writeUnits.readUnitsReportedPerAcceptedDetection.reSweep} RCU per detection`,
      '',
      `  figures in ${path.relative(process.cwd(), file)} (${results.seconds} s)`,
      '',
    ].join('\n'));
  } finally {
    await raw.send(new DeleteTableCommand({ TableName: scratch })).catch(() => undefined);
    raw.destroy();
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
