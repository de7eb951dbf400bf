import { CONTRACT_SIGHTING_EXAMPLE } from '#shared/contract/examples';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { IdleWorkflow, openingDeps } from '../../support/evidence-deps';
import { useTestTables } from '../../support/test-tables';
import { CreateSightingRequest } from '#shared/contract/schemas';
import { Stats } from '#shared/contract/stats';
import type { DetectionSource } from '#shared/contract/vocabulary';
import type { Actor, Case } from '#shared/domain/case';
import { DEFAULT_CORRELATION } from '#shared/domain/correlation';
import { DEFAULT_QUOTAS } from '#shared/domain/quota';
import { DEFAULT_DISPOSAL } from '#shared/domain/disposal';
import { DomainError } from '#shared/domain/errors';
import { CaseStore } from '#shared/store/case-store';
import { DirectoryStore } from '#shared/store/directory-store';
import { IdempotencyStore } from '#shared/store/idempotency-store';
import { LandingStore } from '#shared/store/landing-store';
import { caseKey } from '#shared/store/keys';
import { NotificationStore } from '#shared/store/notification-store';
import { UploadStore } from '#shared/store/upload-store';
import { StatsStore } from '#shared/store/stats-store';
import { takeCaseAction } from '#shared/use-cases/case-actions';
import { DynamoDetectionIdLookup } from '#shared/store/detection-id-lookup';
import { ingestDetections } from '#shared/use-cases/ingest-detections';
import { reportSighting } from '#shared/use-cases/report-sighting';
import { campaignStats } from '#shared/use-cases/stats';

/**
 * The key figures against DynamoDB Local, on a clock the test moves: reports from every kind of source land through
 * the use cases that land them in production, cases are acknowledged and resolved, and the figures add them up.
 */

const PATROL: Actor = { sub: 'patrol-1', role: 'patrol', teamId: 'team-07' };
const COORDINATOR: Actor = { sub: 'coord-1', role: 'coordinator' };
const HELP_POINT: Actor = { sub: 'help-point:hp-01', role: 'public' };
const STATION: Actor = { sub: 'duty', role: 'station', stationId: 'station-nc' };
const DEVICE: Actor = { sub: 'cam-1', role: 'device', deviceId: 'cam-1' };

/** Places about a kilometre apart, so each is a case of its own. */
const place = (n: number) => ({ lat: 28.6829, lon: 115.8579 + n * 0.01, accuracyM: 10 });

const tables = useTestTables();

async function world() {
  const tableName = await tables.fresh();
  let clock = new Date(0);
  const cases = new CaseStore(tables.db, tableName);
  const deps = {
    ...openingDeps(tables.db, tableName),
    cases, stats: new StatsStore(tables.db, tableName), idempotency: new IdempotencyStore(tables.db, tableName),
    directory: new DirectoryStore(tables.db, tableName), uploads: new UploadStore(tables.db, tableName), landings: new LandingStore(tables.db, tableName), notifications: new NotificationStore(tables.db, tableName),
    detectionIds: new DynamoDetectionIdLookup(tables.db, tableName), workflow: new IdleWorkflow(), notifier: { dispatch: async () => {} },
    now: () => clock, correlation: DEFAULT_CORRELATION, disposal: DEFAULT_DISPOSAL, timeScale: 1, arrivalCheckM: 300, quotas: DEFAULT_QUOTAS,
  };
  const at = (instant: string) => { clock = new Date(instant); };
  const ago = (seconds: number) => new Date(clock.getTime() - seconds * 1000).toISOString();
  const sight = async (actor: Actor, where: number) => (await reportSighting(deps, {
    request: CreateSightingRequest.parse({ ...CONTRACT_SIGHTING_EXAMPLE, teamId: actor.teamId, observedAt: ago(60), location: place(where) }),
    actor,
  })).body.caseId;
  const detect = async (source: DetectionSource, where: number, count: number, confidence = 0.9) => {
    const { body } = await ingestDetections(deps, {
      deviceId: 'cam-1', source, actor: DEVICE,
      detections: Array.from({ length: count }, (_, i) => ({
        detectionId: `${source}-${clock.getTime()}-${i}`, observedAt: ago(30), location: place(where), confidence,
      })),
    });
    expect(body.results.every((r) => r.status === 'accepted')).toBe(true);
    return body.results[0]!.caseId!;
  };
  const act = (caseId: string, actor: Actor, action: Parameters<typeof takeCaseAction>[1]['action']) =>
    takeCaseAction(deps, { caseId, action, actor, roles: [actor.role as 'patrol' | 'station'], gate: 'system' });
  /** A case as stored before reports were counted by source: no per-source counters, no lead source. */
  const legacyCase = async (overrides: Partial<Case>) => {
    const c: Case = {
      caseId: `case-${clock.getTime()}`, status: 'alerted', risk: 'red', riskReasons: ['elderly'], location: place(50), placeType: 'bridge',
      openedAt: clock.toISOString(), updatedAt: clock.toISOString(), lastSeenAt: clock.toISOString(), sightingCount: 2, detectionCount: 0,
      photoCount: 0, workflowGeneration: 0, version: 1, ...overrides,
    };
    await cases.writeEvidence({ cells: [], case: { create: c }, items: [], detections: [] });
    return c.caseId;
  };
  /** Makes a case look as if stored before reports were counted by source, with `sightings` sightings. */
  const forgetSources = async (caseId: string, sightings: number) => {
    await tables.db.send(new UpdateCommand({
      TableName: tableName, Key: caseKey(caseId), UpdateExpression: 'SET sightingCount = :n REMOVE leadSource, reports_patrol',
      ExpressionAttributeValues: { ':n': sightings },
    }));
  };
  const item = async (caseId: string) =>
    (await tables.db.send(new GetCommand({ TableName: tableName, Key: caseKey(caseId), ConsistentRead: true }))).Item!;
  return { deps, cases, at, sight, detect, act, legacyCase, item, forgetSources, stats: (query = {}) => campaignStats(deps, query) };
}

describe('campaignStats', () => {
  it('adds up the reports, statuses, outcomes and minutes of the cases opened in the window, and the red cases open now', async () => {
    const { at, sight, detect, act, legacyCase, item, cases, stats } = await world();

    at('2026-01-11T15:59:59.999Z');
    await sight(PATROL, 0);
    // 00:00 in Shanghai, the window's first instant.
    at('2026-01-11T16:00:00.000Z');
    const b = await sight(PATROL, 1);
    at('2026-01-11T16:05:00Z');
    expect(await sight(COORDINATOR, 1)).toBe(b);
    at('2026-01-11T16:06:00Z');
    expect(await detect('drone_thermal', 1, 2)).toBe(b);
    at('2026-01-11T16:10:00Z');
    await act(b, PATROL, { type: 'acknowledge' });
    at('2026-01-11T16:30:00Z');
    const c = await detect('camera_ai', 2, 3);
    at('2026-01-11T16:40:00Z');
    await act(b, PATROL, { type: 'resolve', outcome: 'medical_handover', handover: { to: '120 ambulance' } });
    at('2026-01-11T16:45:00Z');
    expect(await sight(PATROL, 2)).toBe(c);
    at('2026-01-11T16:54:00Z');
    await act(c, PATROL, { type: 'acknowledge' });
    // Nothing happens in the 17:00 hour.
    at('2026-01-11T18:15:00Z');
    const d = await sight(HELP_POINT, 3);
    at('2026-01-11T18:20:00Z');
    const lead = await detect('fixed_thermal', 4, 1, 0.3);
    at('2026-01-11T18:30:00Z');
    await legacyCase({});
    at('2026-01-11T18:50:00Z');
    await act(lead, STATION, { type: 'resolve', outcome: 'false_alarm' });
    // The window's end: opened at `to`, this one is not in it (but it is red and open now).
    at('2026-01-11T19:00:00.000Z');
    await sight(PATROL, 5);
    at('2026-01-11T19:30:00Z');

    // The counters are top-level numbers on the case item; the case read back gathers them.
    expect(await item(b)).toMatchObject({ reports_patrol: 1, reports_coordinator: 1, reports_drone_thermal: 2, leadSource: 'patrol', sightingCount: 2, detectionCount: 2 });
    expect(await item(b)).not.toHaveProperty('reportsBySource');
    expect(await cases.getCase(c)).toMatchObject({ reportsBySource: { camera_ai: 3, patrol: 1 }, leadSource: 'camera_ai' });
    expect(await cases.getCase(c)).not.toHaveProperty('reports_camera_ai');
    // Opened alerted at once (a help point's tip is a person's report).
    expect(await cases.getCase(d)).toMatchObject({ reportsBySource: { public: 1 }, leadSource: 'public', status: 'alerted', risk: 'red' });
    const leadRisk = (await cases.getCase(lead))!.risk;
    // c opened alerted at the camera's blue; the patrol's report asks the workflow to grade again (idle here).
    expect((await cases.getCase(c))!).toMatchObject({ risk: 'blue', retriage: true });

    const figures = await stats({ from: '2026-01-12T00:00:00+08:00', to: '2026-01-12T03:00:00+08:00' });
    expect(Stats.strict().safeParse(figures).error).toBeUndefined();
    expect(figures).toMatchObject({ from: '2026-01-11T16:00:00.000Z', to: '2026-01-11T19:00:00.000Z', generatedAt: '2026-01-11T19:30:00.000Z' });
    expect(figures.reports).toEqual({
      // The legacy case's two sightings are in the total, in no source.
      sightings: { total: 6, bySource: { patrol: 2, public: 1, coordinator: 1 } },
      detections: { total: 6, bySource: { drone_thermal: 2, fixed_thermal: 1, camera_ai: 3, city_management: 0 } },
    });
    const byRisk = { red: 3, orange: 0, yellow: 0, blue: 1 };
    byRisk[leadRisk] += 1;
    const lateByRisk = { red: 2, orange: 0, yellow: 0, blue: 0 };
    lateByRisk[leadRisk] += 1;
    expect(figures.cases).toEqual({
      opened: 5,
      byStatus: { unverified: 0, open: 0, alerted: 2, acknowledged: 1, on_scene: 0, resolved: 2, in_station: 0, closed: 0 },
      byRisk,
      byLeadSource: { patrol: 1, public: 1, coordinator: 0, drone_thermal: 0, fixed_thermal: 1, camera_ai: 1, city_management: 0 },
    });
    expect(figures.outcomes).toEqual({
      escorted_to_station: 0, medical_handover: 1, declined_help: 0, reunited_with_family: 0, referred_to_police: 0, not_found: 0, false_alarm: 1,
    });
    expect(figures.minutes).toEqual({
      // b acknowledged after 10 minutes and c after 24; b resolved after 40 and the lead after 30.
      openedToAcknowledged: { count: 2, medianMinutes: 17, p90Minutes: 24 },
      openedToResolved: { count: 2, medianMinutes: 35, p90Minutes: 40 },
    });
    // Red and open, alerted, acknowledged or on the scene now, whenever opened: before the window, d, the legacy case,
    // the one opened at `to`. Not b (resolved), not the lead, not c (blue until graded again).
    expect(figures.openRed).toBe(4);
    expect(figures.series.bucket).toBe('hour');
    expect(figures.series.points).toEqual([
      { start: '2026-01-11T16:00:00.000Z', opened: 2, byRisk: { red: 1, orange: 0, yellow: 0, blue: 1 }, sightings: 3, detections: 5, acknowledged: 2, resolved: 1 },
      { start: '2026-01-11T17:00:00.000Z', opened: 0, byRisk: { red: 0, orange: 0, yellow: 0, blue: 0 }, sightings: 0, detections: 0, acknowledged: 0, resolved: 0 },
      { start: '2026-01-11T18:00:00.000Z', opened: 3, byRisk: lateByRisk, sightings: 3, detections: 1, acknowledged: 0, resolved: 1 },
    ]);

    // The window selects by opening: a millisecond earlier takes in the case before it; from `to` on, the one at `to`.
    expect((await stats({ from: '2026-01-11T15:59:59.999Z', to: '2026-01-11T19:00:00Z' })).cases.opened).toBe(6);
    const after = await stats({ from: '2026-01-11T19:00:00Z', to: '2026-01-11T20:00:00Z' });
    expect(after.cases).toMatchObject({ opened: 1, byLeadSource: { patrol: 1 } });
    expect(after.reports.sightings).toEqual({ total: 1, bySource: { patrol: 1, public: 0, coordinator: 0 } });
    // By default the day before now, by the hour: every case here but none of the day before.
    const lastDay = await stats();
    expect(lastDay).toMatchObject({ from: '2026-01-10T19:30:00.000Z', to: '2026-01-11T19:30:00.000Z', cases: { opened: 7 }, openRed: 4 });
    expect(lastDay.series.points).toHaveLength(25);
    // Shanghai days: the case opened in the last millisecond of the 11th there, the others on the 12th.
    const days = await stats({ from: '2026-01-11T00:00:00+08:00', to: '2026-01-13T00:00:00+08:00', bucket: 'day' });
    expect(days.series.bucket).toBe('day');
    expect(days.series.points.map((p) => [p.start, p.opened])).toEqual([['2026-01-10T16:00:00.000Z', 1], ['2026-01-11T16:00:00.000Z', 6]]);
  });

  it('counts reports on cases stored before the counters: added by a join, set by a reopen', async () => {
    const { at, sight, act, item, stats, forgetSources } = await world();
    at('2026-01-11T16:00:00Z');
    const legacy = await sight(PATROL, 7);
    await forgetSources(legacy, 3);
    at('2026-01-11T16:05:00Z');
    expect(await sight(COORDINATOR, 7)).toBe(legacy);
    expect(await item(legacy)).toMatchObject({ sightingCount: 4, reports_coordinator: 1 });
    expect(await item(legacy)).not.toHaveProperty('leadSource');
    expect(await item(legacy)).not.toHaveProperty('reports_patrol');
    at('2026-01-11T16:10:00Z');
    await act(legacy, PATROL, { type: 'acknowledge' });
    await act(legacy, PATROL, { type: 'resolve', outcome: 'declined_help' });
    at('2026-01-11T16:20:00Z');
    // Seen again at the place soon after: the case reopens, with this sighting counted.
    expect(await sight(PATROL, 7)).toBe(legacy);
    expect(await item(legacy)).toMatchObject({ status: 'open', reopenCount: 1, sightingCount: 5, reports_coordinator: 1, reports_patrol: 1 });

    const figures = await stats({ from: '2026-01-11T16:00:00Z', to: '2026-01-11T17:00:00Z' });
    expect(figures.reports.sightings).toEqual({ total: 5, bySource: { patrol: 1, public: 0, coordinator: 1 } });
    expect(figures.cases.byLeadSource).toEqual({ patrol: 0, public: 0, coordinator: 0, drone_thermal: 0, fixed_thermal: 0, camera_ai: 0, city_management: 0 });
    expect(figures.minutes.openedToAcknowledged).toEqual({ count: 1, medianMinutes: 10, p90Minutes: 10 });
  });

  it('refuses a window that is backwards, empty, too long, or too long for hours, as a domain error', async () => {
    const { at, stats } = await world();
    at('2026-01-11T16:00:00Z');
    for (const query of [
      { from: '2026-01-11T16:00:00Z', to: '2026-01-11T16:00:00Z' },
      { from: '2026-01-12T00:00:00Z', to: '2026-01-11T00:00:00Z' },
      { from: '2025-01-01T00:00:00Z', to: '2026-01-11T00:00:00Z' },
      { from: '2025-12-01T00:00:00Z', to: '2026-01-11T00:00:00Z', bucket: 'hour' as const },
    ]) {
      const error = await stats(query).then(() => undefined, (e: unknown) => e);
      expect(error, JSON.stringify(query)).toBeInstanceOf(DomainError);
      expect((error as DomainError).kind).toBe('invalid');
    }
  });
});
