import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { CaseWorkflow } from '#shared/adapters/case-workflow';
import { CONTRACT_SIGHTING_EXAMPLE } from '#shared/contract/examples';
import { CreateSightingRequest } from '#shared/contract/schemas';
import type { Actor } from '#shared/domain/case';
import { DEFAULT_CORRELATION } from '#shared/domain/correlation';
import { DEFAULT_DISPOSAL } from '#shared/domain/disposal';
import { DomainError } from '#shared/domain/errors';
import { distanceM } from '#shared/domain/geo';
import { DEFAULT_QUOTAS } from '#shared/domain/quota';
import { CaseStore } from '#shared/store/case-store';
import { DirectoryStore } from '#shared/store/directory-store';
import { IdempotencyStore } from '#shared/store/idempotency-store';
import { LandingStore } from '#shared/store/landing-store';
import { caseKey } from '#shared/store/keys';
import { NotificationStore } from '#shared/store/notification-store';
import { UploadStore } from '#shared/store/upload-store';
import { takeCaseAction } from '#shared/use-cases/case-actions';
import { DynamoDetectionIdLookup } from '#shared/store/detection-id-lookup';
import { ingestDetections } from '#shared/use-cases/ingest-detections';
import { reportSighting } from '#shared/use-cases/report-sighting';
import { openingDeps } from '../../support/evidence-deps';
import { useTestTables } from '../../support/test-tables';

/**
 * The position estimate and merges against DynamoDB Local: reports land through the use cases that land them in
 * production; a workflow that records which waits were completed stands in for Step Functions.
 */
class RecordingWorkflow implements CaseWorkflow {
  completed: string[] = [];
  async start() {}
  async describe() {
    return { state: 'running' as const };
  }
  async completeWait(token: string) {
    this.completed.push(token);
    return 'gone' as const;
  }
}

const PATROL: Actor = { sub: 'patrol-1', role: 'patrol', teamId: 'team-07' };
const OTHER_PATROL: Actor = { sub: 'patrol-2', role: 'patrol', teamId: 'team-09' };
const STATION: Actor = { sub: 'duty', role: 'station', stationId: 'station-nc' };
const BRIDGE = { lat: 28.6829, lon: 115.8579 };
const north = (metres: number, from = BRIDGE) => ({ lat: +(from.lat + metres / 111_320).toFixed(7), lon: from.lon });

const tables = useTestTables();

async function world() {
  const tableName = await tables.fresh();
  const cases = new CaseStore(tables.db, tableName);
  const workflow = new RecordingWorkflow();
  const deps = {
    ...openingDeps(tables.db, tableName),
    cases, idempotency: new IdempotencyStore(tables.db, tableName), directory: new DirectoryStore(tables.db, tableName),
    uploads: new UploadStore(tables.db, tableName), landings: new LandingStore(tables.db, tableName), notifications: new NotificationStore(tables.db, tableName), detectionIds: new DynamoDetectionIdLookup(tables.db, tableName),
    workflow, notifier: { dispatch: async () => {} }, now: () => new Date(), correlation: DEFAULT_CORRELATION, disposal: DEFAULT_DISPOSAL,
    timeScale: 1, arrivalCheckM: 300, quotas: DEFAULT_QUOTAS,
  };
  const sight = async (actor: Actor, location: { lat: number; lon: number; accuracyM?: number }) => (await reportSighting(deps, {
    request: CreateSightingRequest.parse({
      ...CONTRACT_SIGHTING_EXAMPLE, teamId: actor.teamId, observedAt: new Date(Date.now() - 60_000).toISOString(), location,
    }),
    actor,
  })).body;
  let detection = 0;
  const detect = async (deviceId: string, source: 'fixed_thermal' | 'camera_ai', location: { lat: number; lon: number; accuracyM?: number }) => {
    const { body } = await ingestDetections(deps, {
      deviceId, source, actor: { sub: deviceId, role: 'device', deviceId },
      detections: [{ detectionId: `d-${(detection += 1)}`, observedAt: new Date(Date.now() - 30_000).toISOString(), location, confidence: 0.9 }],
    });
    return body.results[0]!.caseId!;
  };
  const merge = (caseId: string, other: string, actor: Actor = STATION) =>
    takeCaseAction(deps, { caseId, action: { type: 'merge', with: other }, actor, roles: [actor.role as 'station'], gate: 'system' });
  /** A case alerted to a team, waiting on its workflow (the task token is the case id, so the test can tell whose). */
  const alert = async (caseId: string, teamId: string) => {
    await cases.mutateCase(caseId, () => ({
      set: {
        status: 'alerted',
        alert: { rung: 0, target: { kind: 'team', id: teamId }, alertedAt: new Date().toISOString(), deadline: new Date(Date.now() + 600_000).toISOString() },
        wait: { token: `wait:${caseId}`, status: 'alerted', since: new Date().toISOString() },
      },
    }));
  };
  const item = async (caseId: string) =>
    (await tables.db.send(new GetCommand({ TableName: tableName, Key: caseKey(caseId), ConsistentRead: true }))).Item!;
  return { deps, cases, workflow, sight, detect, merge, alert, item };
}

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
};

describe('the position estimate of a case', () => {
  it('moves toward each report by its accuracy: a fixed camera at 3 m outweighs a tip at 30 m', async () => {
    const { cases, sight, detect } = await world();
    const caseId = (await sight(PATROL, { ...north(0), accuracyM: 30 })).caseId;
    expect(await detect('fixed-01', 'fixed_thermal', { ...north(20), accuracyM: 3 })).toBe(caseId);
    const c = (await cases.getCase(caseId))!;
    // Weights 1/900 and 1/9: the estimate lies a hundredth of the way from the camera toward the tip.
    expect(distanceM(c.location, north(20))).toBeLessThan(0.5);
    expect(c.location.accuracyM).toBeCloseTo(3, 0);
  });

  it('adds every concurrent report, none overwriting another: the sums hold all their weights', async () => {
    const { cases, sight, detect, item } = await world();
    const caseId = (await sight(PATROL, { ...north(0), accuracyM: 10 })).caseId;
    const landed = await Promise.all(Array.from({ length: 12 }, (_, i) =>
      detect(`fixed-${i}`, 'fixed_thermal', { ...north(i % 2 ? 8 : -8), accuracyM: 6 })));
    expect(new Set(landed)).toEqual(new Set([caseId]));
    const stored = await item(caseId);
    expect(stored.estW).toBeCloseTo(1 / 100 + 12 / 36, 9);
    // Six reports 8 m north and six 8 m south: the estimate stays at the bridge.
    expect(distanceM((await cases.getCase(caseId))!.location, BRIDGE)).toBeLessThan(0.5);
  });

  it("joins a camera-network hit 48 m from a case and a patrol's fix 25 m from it, and opens a new case for a precise fix 60 m off", async () => {
    const { detect } = await world();
    const caseId = await detect('fixed-01', 'fixed_thermal', { ...north(0), accuracyM: 3 });
    expect(await detect('tianwang', 'camera_ai', { ...north(48), accuracyM: 20 })).toBe(caseId);
    expect(await detect('fixed-02', 'fixed_thermal', { ...north(-60), accuracyM: 3 })).not.toBe(caseId);
  });
});

describe('merging two cases of the same people', () => {
  it('keeps the case further along, adds the other to it, closes the other, and stands down the team the other had asked', async () => {
    const { deps, cases, workflow, sight, detect, merge, alert } = await world();
    const kept = (await sight(PATROL, { ...north(0), accuracyM: 5 })).caseId;
    // A fix 70 m off at a precise 3 m: correlation makes it another place, and offers it as the first one's.
    const other = await detect('fixed-09', 'fixed_thermal', { ...north(70), accuracyM: 3 });
    expect(other).not.toBe(kept);
    expect((await cases.getCase(other))!.mergeCandidates).toEqual([kept]);
    // A place 150 m away is offered nothing.
    const far = await detect('fixed-10', 'fixed_thermal', { ...north(-150), accuracyM: 3 });
    expect((await cases.getCase(far))!.mergeCandidates).toBeUndefined();
    await sight(OTHER_PATROL, { ...north(72), accuracyM: 5 });
    await alert(kept, 'team-07');
    await alert(other, 'team-09');
    await takeCaseAction(deps, {
      caseId: kept, action: { type: 'acknowledge' }, actor: PATROL, roles: ['patrol'], gate: 'system',
    });

    // Named from the case that goes: the one further along (acknowledged) survives whichever is named.
    const { case: survivor, entry } = await merge(other, kept);
    expect(survivor.caseId).toBe(kept);
    expect(entry).toMatchObject({ type: 'merged', from: other, into: kept, actor: STATION });

    const [k, o] = [(await cases.getCaseDetail(kept))!, (await cases.getCaseDetail(other))!];
    expect(k.case).toMatchObject({ status: 'acknowledged', sightingCount: 2, detectionCount: 1, mergedFrom: [other] });
    expect(k.case.relatedTeams).toEqual(expect.arrayContaining(['team-07', 'team-09']));
    expect(k.sightings).toHaveLength(2);
    expect(k.detections).toHaveLength(1);
    expect(k.case.retriage).toBe(true);
    // The estimate moved toward the merged case's reports, by their weight.
    expect(distanceM(k.case.location, north(0))).toBeGreaterThan(20);
    expect(o.case).toMatchObject({ status: 'closed', mergedInto: kept });
    expect(o.case.alert).toBeUndefined();
    expect(o.case.wait).toBeUndefined();
    expect(o.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['merged', 'closed']));
    expect(k.timeline.filter((e) => e.type === 'merged')).toHaveLength(1);
    // Both workflows hear of it: the merged one's ends, the survivor's grades the evidence again.
    expect(workflow.completed).toEqual(expect.arrayContaining([`wait:${other}`, `wait:${kept}`]));
    const told = (await cases.getCaseDetail(other))!.notifications.filter((n) => n.kind === 'stood_down');
    expect(told.map((n) => n.to.id)).toEqual(['team-09']);
  });

  it('refuses with the reason: a case closed, two places 150 m apart, a case merged with itself, a case that does not exist', async () => {
    const { sight, merge, cases } = await world();
    const a = (await sight(PATROL, { ...north(0), accuracyM: 8 })).caseId;
    const far = (await sight(PATROL, { ...north(150), accuracyM: 30 })).caseId;
    const farApart = await refusal(merge(a, far));
    expect(farApart.kind).toBe('conflict');
    expect(farApart.message).toMatch(/150 m apart/);
    expect((await refusal(merge(a, a))).kind).toBe('invalid');
    expect((await refusal(merge(a, 'case-nobody'))).kind).toBe('not_found');

    const near = (await sight(PATROL, { ...north(60), accuracyM: 3 })).caseId;
    await cases.mutateCase(near, () => ({ set: { status: 'resolved', resolvedAt: new Date().toISOString(), outcome: 'not_found' } }));
    const closed = await refusal(merge(a, near));
    expect(closed.kind).toBe('conflict');
    expect(closed.message).toMatch(/already resolved/);
    // Nothing changed.
    expect((await cases.getCase(a))!.version).toBe(1);
  });

  it('lets a station place an address-only tip by merging it into the case its patrol found, kilometres from where the tip stood', async () => {
    const { sight, merge } = await world();
    const found = (await sight(PATROL, { ...north(0), accuracyM: 10 })).caseId;
    const tip = (await sight(PATROL, { ...north(1_800), accuracyM: 5_000 })).caseId;
    expect(tip).not.toBe(found);
    expect((await merge(tip, found)).case.caseId).toBe(found);
  });

  it('loses nothing when reports join both cases while they merge, and merges once when two people merge them at once', async () => {
    const { cases, sight, detect, merge } = await world();
    const a = (await sight(PATROL, { ...north(0), accuracyM: 5 })).caseId;
    const b = await detect('fixed-09', 'fixed_thermal', { ...north(62), accuracyM: 3 });
    expect(b).not.toBe(a);
    const reports = [
      ...Array.from({ length: 6 }, (_, i) => detect(`fixed-a${i}`, 'fixed_thermal', { ...north(1), accuracyM: 3 })),
      ...Array.from({ length: 6 }, (_, i) => detect(`fixed-b${i}`, 'fixed_thermal', { ...north(61), accuracyM: 3 })),
    ];
    const merges = await Promise.allSettled([merge(a, b), merge(b, a)]);
    const landed = await Promise.all(reports);

    expect(merges.filter((m) => m.status === 'fulfilled')).toHaveLength(1);
    const refused = merges.find((m) => m.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as DomainError).kind).toBe('conflict');
    const survivor = (await cases.getCase(a))!.mergedInto ? b : a;
    const merged = survivor === a ? b : a;
    // Every report is in the survivor's evidence, under it or under the case merged into it; a report that arrived
    // after the merge found the merged case closed and joined the survivor (or, 62 m off at 3 m, a case of its own).
    const detail = (await cases.getCaseDetail(survivor))!;
    const after = landed.filter((id) => id !== a && id !== b);
    expect(detail.detections.length + after.length).toBe(13);
    expect(detail.case.detectionCount).toBe(detail.detections.length);
    expect(detail.case.sightingCount).toBe(1);
    expect((await cases.getCase(merged))!.status).toBe('closed');
  });
});
