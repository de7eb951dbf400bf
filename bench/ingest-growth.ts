/**
 * `npm run bench:ingest-growth` (and the second part of `npm run bench`): cameras watching people all night, from
 * 1,000 to 100,000 detections, and how the ingest rate, the write units per detection and the read of the busiest
 * case change as the cases grow.
 *
 *   npm run bench:ingest-growth                              # ~5 minutes; writes bench/results/ingest-growth-<date>.json
 *   INGEST_GROWTH_STAGES=1000,10000 npm run bench:ingest-growth
 *
 * It starts its own stack in this process (in-memory DynamoDB Local, port 0) with the demo city's directory. 50 fixed
 * thermal cameras each watch one person (places 200 m apart) and post batches of 20 detections, one every 10 s of
 * observation, 8 requests in flight, through POST /v1/detections, until the table holds each stage's total: at
 * 100,000 every case has 2,000 detections (more than a camera reporting every 30 s sends in a night). At each stage:
 * the rate over the stage's own detections; the write units of one more batch, through the use case on a client that
 * meters every write (bench/capacity.ts); GET /v1/cases/{id} of a watched case (20 times: median, p95, size).
 */
import '#local/quiet-sdk';
import os from 'node:os';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { settings } from '#shared/settings';
import { CaseStore } from '#shared/store/case-store';
import { DynamoDetectionIdLookup } from '#shared/store/detection-id-lookup';
import { type Dependencies, dependenciesFromEnvironment } from '#shared/use-cases/dependencies';
import { ingestDetections } from '#shared/use-cases/ingest-detections';
import { itemSize, meteredClient, modelledWcu } from './capacity';
import { startDemoCity, writeResult } from './demo-city';
import { log, machine, median, percentile, round } from './figures';

const STAGES = (process.env.INGEST_GROWTH_STAGES ?? '1000,10000,100000').split(',').map(Number);
const CAMERAS = 50;
const PER_BATCH = 20;
const IN_FLIGHT = 8;
const FRAME_MS = 10_000;
const START = Date.now() - 6 * 3_600_000;

const placeOf = (camera: number) => ({ lat: 28.75 + Math.floor(camera / 10) * 0.0018, lon: 115.70 + (camera % 10) * 0.00205 });
const cameraId = (camera: number) => `bench-cam-${String(camera).padStart(2, '0')}`;
const jitter = (metres: number) => (Math.random() - 0.5) * 2 * metres / 111_320;

/** The next batch of a camera: its frames continue where the last batch stopped. */
const frames = new Array<number>(CAMERAS).fill(0);
function nextBatch(camera: number) {
  const place = placeOf(camera);
  const detections = Array.from({ length: PER_BATCH }, () => {
    const frame = frames[camera]!++;
    return {
      detectionId: `${cameraId(camera)}/${frame}`, observedAt: new Date(START + frame * FRAME_MS).toISOString(),
      location: { lat: +(place.lat + jitter(2)).toFixed(7), lon: +(place.lon + jitter(2)).toFixed(7), accuracyM: 3 },
      confidence: 0.8 + Math.random() * 0.15, surfaceTempC: 30 + Math.random() * 2, ambientTempC: -3,
    };
  });
  return { deviceId: cameraId(camera), source: 'fixed_thermal' as const, detections };
}

async function main() {
  const host = machine();
  const started = Date.now();
  const { stack, token } = await startDemoCity();
  try {
    const tokens = await Promise.all(Array.from({ length: CAMERAS }, (_, c) => token({ role: 'device', sub: cameraId(c), deviceId: cameraId(c) })));
    const coordinator = await token({ role: 'coordinator', sub: 'bench.coord' });
    const post = async (camera: number) => {
      const batch = nextBatch(camera);
      const r = await fetch(`${stack.url}/v1/detections`, {
        method: 'POST', headers: { authorization: `Bearer ${tokens[camera]}`, 'content-type': 'application/json' }, body: JSON.stringify(batch),
      });
      const body = (await r.json()) as { results?: { status: string; caseId?: string }[] };
      if (r.status !== 200) throw new Error(`POST /v1/detections answered ${r.status}: ${JSON.stringify(body)}`);
      return body.results!;
    };
    // Metering: the use case called directly on a client that notes what every write consumed.
    const { client, meter } = meteredClient(stack.endpoints.dynamodb);
    const raw = new DynamoDBClient({ endpoint: stack.endpoints.dynamodb });
    const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
    const deps: Dependencies = {
      ...dependenciesFromEnvironment(), cases: new CaseStore(db, settings.tableName), detectionIds: new DynamoDetectionIdLookup(db, settings.tableName),
    };
    const sizeOf = async (key: Record<string, unknown>) => {
      const { Item } = await raw.send(new GetItemCommand({ TableName: settings.tableName, Key: typeof key.pk === 'string' ? marshall(key) : key as never }));
      return Item ? itemSize(Item) : 0;
    };

    let watched: string | undefined;
    let total = 0;
    let next = 0;
    const stages = [];
    for (const size of STAGES) {
      const batches = Math.ceil((size - total) / PER_BATCH);
      const t0 = performance.now();
      let accepted = 0;
      let sent = 0;
      await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
        while (sent < batches) {
          sent += 1;
          const camera = next++ % CAMERAS;
          const results = await post(camera);
          accepted += results.filter((r) => r.status === 'accepted').length;
          // Camera 0's case: the one the metered batch joins too.
          if (camera === 0) watched ??= results[0]?.caseId;
        }
      }));
      const seconds = (performance.now() - t0) / 1000;
      total += batches * PER_BATCH;

      meter.reset();
      const sample = nextBatch(0);
      const { body } = await ingestDetections(deps, { ...sample, actor: { sub: sample.deviceId, role: 'device', deviceId: sample.deviceId } });
      total += PER_BATCH;
      const ok = body.results.filter((r) => r.status === 'accepted').length;
      const wcu = await modelledWcu(meter, sizeOf);

      const reads: number[] = [];
      let bytes = 0;
      let detail: { detectionCount?: number; timeline?: unknown[]; detections?: unknown[] } = {};
      for (let i = 0; i < 23; i += 1) {
        const t = performance.now();
        const r = await fetch(`${stack.url}/v1/cases/${watched}`, { headers: { authorization: `Bearer ${coordinator}` } });
        const text = await r.text();
        if (i >= 3) reads.push(performance.now() - t);
        bytes = Buffer.byteLength(text);
        detail = JSON.parse(text);
      }
      const stage = {
        detections: total, accepted, seconds: round(seconds, 1), perSecond: round(accepted / seconds),
        wcuPerDetection: round(wcu.total / ok, 2), wcuByEntity: wcu.byEntity,
        watchedCase: {
          detections: detail.detectionCount, timelineEntries: detail.timeline?.length, detectionsShown: detail.detections?.length,
          getMs: { median: round(median(reads), 1), p95: round(percentile(reads, 95), 1) }, responseKB: round(bytes / 1024, 1),
        },
      };
      stages.push(stage);
      log(`${total.toLocaleString('en-US')} detections: ${stage.perSecond}/s over this stage, ${stage.wcuPerDetection} WCU per detection; `
        + `a watched case (${detail.detectionCount} detections, ${detail.timeline?.length} timeline entries) reads in ${stage.watchedCase.getMs.median} ms, ${stage.watchedCase.responseKB} KB`);
    }
    client.destroy();
    raw.destroy();
    const result = {
      benchmark: 'ingest-growth', date: new Date().toISOString(),
      machine: { ...host, loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)) },
      reproduce: 'npm run bench:ingest-growth   (INGEST_GROWTH_STAGES=1000,10000 for smaller stages)',
      setup: `${CAMERAS} fixed thermal cameras, one person each, batches of ${PER_BATCH} detections ${FRAME_MS / 1000} s apart, ${IN_FLIGHT} requests in flight, `
        + 'through POST /v1/detections of an in-process local stack (in-memory DynamoDB Local); write units of one more batch per stage, '
        + 'modelled from item sizes (bench/capacity.ts)',
      stages, seconds: round((Date.now() - started) / 1000, 1),
    };
    await writeResult('ingest-growth', result);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await stack.stop();
  }
}

await main();
