import { describe, expect, it } from 'vitest';
import { DEFAULT_CORRELATION } from '#shared/domain/correlation';
import { DEFAULT_QUOTAS } from '#shared/domain/quota';
import { CaseStore, DETAIL_DETECTIONS } from '#shared/store/case-store';
import { DynamoDetectionIdLookup } from '#shared/store/detection-id-lookup';
import { IdempotencyStore } from '#shared/store/idempotency-store';
import { LandingStore } from '#shared/store/landing-store';
import { UploadStore } from '#shared/store/upload-store';
import { ingestDetections } from '#shared/use-cases/ingest-detections';
import { IdleWorkflow, openingDeps } from '../../support/evidence-deps';
import { useTestTables } from '../../support/test-tables';

/**
 * A fixed camera that reports the one person under its bridge in a request of its own every 30 s, all night: the
 * case must stay small to read and to grade. Against DynamoDB Local; a shortened night of 150 reports.
 */

const tables = useTestTables();
const REPORTS = 150;

describe('a case a fixed camera watched all night', () => {
  it('keeps one timeline entry per device and minute, the latest detections in its detail, the rest paged, and its coldest readings', async () => {
    const tableName = await tables.fresh();
    const deps = {
      ...openingDeps(tables.db, tableName),
      cases: new CaseStore(tables.db, tableName), idempotency: new IdempotencyStore(tables.db, tableName), uploads: new UploadStore(tables.db, tableName),
      landings: new LandingStore(tables.db, tableName), detectionIds: new DynamoDetectionIdLookup(tables.db, tableName), workflow: new IdleWorkflow(),
      now: () => new Date(), correlation: DEFAULT_CORRELATION, quotas: DEFAULT_QUOTAS,
    };
    const night = Date.now() - REPORTS * 30_000;
    let caseId: string | undefined;
    for (let i = 0; i < REPORTS; i += 1) {
      const { body } = await ingestDetections(deps, {
        deviceId: 'fixed-01', source: 'fixed_thermal', actor: { sub: 'fixed-01', role: 'device', deviceId: 'fixed-01' },
        detections: [{
          detectionId: `fixed-01/${i}`, observedAt: new Date(night + i * 30_000).toISOString(),
          location: { lat: 28.6812 + ((i % 5) - 2) * 0.00001, lon: 115.8735, accuracyM: 3 }, confidence: 0.8,
          // The night grows colder, and the person's surface reads coldest at report 97.
          ambientTempC: 2 - i * 0.04, surfaceTempC: i === 97 ? 24.5 : 29 + (i % 3) * 0.1,
        }],
      });
      caseId ??= body.results[0]!.caseId;
      expect(body.results[0]).toMatchObject({ status: 'accepted', caseId });
    }

    const detail = (await deps.cases.getCaseDetail(caseId!))!;
    expect(detail.case.detectionCount).toBe(REPORTS);
    expect(detail.case).toMatchObject({ coldestSurfaceC: 24.5, coldestAmbientC: expect.closeTo(2 - (REPORTS - 1) * 0.04, 5) });
    // The latest, oldest first; the detail does not grow with the night.
    expect(detail.detections).toHaveLength(DETAIL_DETECTIONS);
    expect(detail.detections.at(-1)).toMatchObject({ detectionId: `fixed-01/${REPORTS - 1}` });
    // The reports all landed within a few minutes here: a handful of entries, not one per report.
    const logged = detail.timeline.filter((e) => e.type === 'detection');
    expect(logged.length).toBeGreaterThanOrEqual(1);
    expect(logged.length).toBeLessThanOrEqual(5);

    // Every detection is there to page through, newest first, each once.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await deps.cases.listDetections(caseId!, 60, cursor);
      seen.push(...page.items.map((d) => String(d.detectionId)));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(REPORTS);
    expect(new Set(seen).size).toBe(REPORTS);
    expect(seen[0]).toBe(`fixed-01/${REPORTS - 1}`);
    await expect(deps.cases.listDetections(caseId!, 10, 'made-up')).rejects.toThrow(/cursor/);
  }, 120_000);
});
