import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { CaseWorkflow } from '#shared/adapters/case-workflow';
import { DEFAULT_CORRELATION } from '#shared/domain/correlation';
import { quotaWindow } from '#shared/domain/quota';
import { CaseStore } from '#shared/store/case-store';
import { IdempotencyStore } from '#shared/store/idempotency-store';
import { quotaKey } from '#shared/store/keys';
import { LandingStore } from '#shared/store/landing-store';
import { UploadStore } from '#shared/store/upload-store';
import { DynamoDetectionIdLookup } from '#shared/store/detection-id-lookup';
import { ingestDetections, landDeferredDetections } from '#shared/use-cases/ingest-detections';
import { openingDeps } from '../../support/evidence-deps';
import { useTestTables } from '../../support/test-tables';

/**
 * A request that runs out of time lands what it can and stores the rest, answered accepted; the landing sweep lands
 * the rest. Against DynamoDB Local, with a workflow that only counts the executions started.
 */
class CountingWorkflow implements CaseWorkflow {
  started = 0;
  async start() {
    this.started += 1;
  }
  async describe() {
    return { state: 'running' as const };
  }
  async completeWait() {
    return 'gone' as const;
  }
}

const tables = useTestTables();
const DEVICE = { sub: 'drone-9', role: 'device' as const, deviceId: 'drone-9' };
/** Places 200 m apart: each a case of its own. */
const place = (n: number) => ({ lat: 28.60 + (n % 20) * 0.0018, lon: 115.80 + Math.floor(n / 20) * 0.002, accuracyM: 8 });

async function world(deviceCasesPerHour = 300) {
  const tableName = await tables.fresh();
  const workflow = new CountingWorkflow();
  const deps = {
    ...openingDeps(tables.db, tableName),
    cases: new CaseStore(tables.db, tableName), idempotency: new IdempotencyStore(tables.db, tableName), uploads: new UploadStore(tables.db, tableName),
    landings: new LandingStore(tables.db, tableName), detectionIds: new DynamoDetectionIdLookup(tables.db, tableName), workflow,
    now: () => new Date(), correlation: DEFAULT_CORRELATION, quotas: { helpPointCasesPerHour: 20, deviceCasesPerHour },
  };
  const batch = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({
    detectionId: `frame-${from + i}`, observedAt: new Date(Date.now() - 60_000).toISOString(), location: place(from + i), confidence: 0.9,
  }));
  const ingest = (detections: unknown[], landUntil?: number) =>
    ingestDetections(deps, { deviceId: 'drone-9', source: 'drone_thermal', actor: DEVICE, detections, ...(landUntil !== undefined ? { landUntil } : {}) });
  // New cases counted in the hours the test ran in (it may run across the turn of an hour).
  const hours = new Set([quotaWindow(new Date()).hour]);
  const opened = async () => {
    hours.add(quotaWindow(new Date()).hour);
    const counts = await Promise.all([...hours].map(async (hour) => (await tables.db.send(new GetCommand({
      TableName: tableName, Key: quotaKey('device#drone-9', hour), ConsistentRead: true,
    }))).Item?.opened as number | undefined));
    return counts.some((n) => n !== undefined) ? counts.reduce<number>((sum, n) => sum + (n ?? 0), 0) : undefined;
  };
  return { deps, workflow, batch, ingest, opened };
}

describe('a batch that runs out of time', () => {
  it('answers every detection accepted, stores what it had no time for, and the sweep lands it: the same cases, counted once', async () => {
    const { deps, workflow, batch, ingest, opened } = await world();
    // Out of time before the first group: everything waits for the sweep.
    const { body } = await ingest(batch(0, 30), Date.now());
    expect(body.results.every((r) => r.status === 'accepted' && r.deferred && !r.caseId)).toBe(true);
    expect(await opened()).toBe(30);
    expect(workflow.started).toBe(0);

    // The sweep is cut off, or two overlap: a landing landed twice counts nothing twice.
    const [stored] = await deps.landings.oldest(10);
    await deps.landings.put({ ...stored!, receivedAt: new Date().toISOString() });
    // The second finds every detection recorded already, and lands nothing.
    expect(await landDeferredDetections(deps, Date.now() + 60_000)).toEqual({ landings: 2, detections: 30 });
    expect(await deps.landings.oldest(10)).toEqual([]);
    expect(workflow.started).toBe(30);
    // Sent again, each is a duplicate with its case; the quota was counted when they were accepted, not again.
    const again = await ingest(batch(0, 30));
    const cases = new Set(again.body.results.map((r) => r.caseId));
    expect(again.body.results.every((r) => r.status === 'duplicate')).toBe(true);
    expect(cases.size).toBe(30);
    const [first] = await deps.cases.getCases([again.body.results[0]!.caseId!]);
    expect(first).toMatchObject({ detectionCount: 1, status: 'alerted' });
    expect(await opened()).toBe(30);
  });

  it('lands what it can in time and defers only the rest', async () => {
    const { batch, ingest } = await world();
    const { body } = await ingest(batch(0, 40), Date.now() + 400);
    const landed = body.results.filter((r) => r.caseId);
    const deferred = body.results.filter((r) => r.deferred);
    expect(landed.length).toBeGreaterThan(0);
    expect(landed.length + deferred.length).toBe(40);
  });

  it("defers no more new places than the device's quota has room for: the rest are refused as the quota refuses", async () => {
    const { batch, ingest, opened } = await world(5);
    const { body } = await ingest(batch(0, 8), Date.now());
    expect(body.results.filter((r) => r.deferred)).toHaveLength(5);
    const refused = body.results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(3);
    expect(refused[0]!.error).toMatch(/^quota: device#drone-9 has opened 5 new cases this hour/);
    expect(await opened()).toBe(5);
  });
});
