import { CONTRACT_SIGHTING_EXAMPLE } from '#shared/contract/examples';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestTables } from '../../support/test-tables';
import type { CaseWorkflow } from '#shared/adapters/case-workflow';
import { CreateSightingRequest } from '#shared/contract/schemas';
import type { Actor } from '#shared/domain/case';
import { DEFAULT_CORRELATION } from '#shared/domain/correlation';
import { openingDeps } from '../../support/evidence-deps';
import { DomainError } from '#shared/domain/errors';
import { CaseStore } from '#shared/store/case-store';
import { IdempotencyStore, idempotencyScope, requestHash } from '#shared/store/idempotency-store';
import { caseKey, idempotencyKey } from '#shared/store/keys';
import { reportSighting } from '#shared/use-cases/report-sighting';

/** The workflow port, recording what it was asked to start (Step Functions itself is tested elsewhere). */
class RecordingWorkflow implements CaseWorkflow {
  readonly starts: { caseId: string; generation: number }[] = [];
  async start(caseId: string, generation: number) {
    this.starts.push({ caseId, generation });
  }
  async describe() {
    return { state: 'running' as const };
  }
  async completeWait() {
    return 'gone' as const;
  }
}

const PATROL: Actor = { sub: 'patrol-1', role: 'patrol', teamId: 'team-07' };
const DAY_IN_CHINA = '2026-01-12T06:00:00Z';
const NIGHT_IN_CHINA = '2026-01-12T15:30:00Z';

const sightingBody = (overrides: Record<string, unknown> = {}) => ({
  ...CONTRACT_SIGHTING_EXAMPLE,
  ...overrides,
});

const rejection = async (promise: Promise<unknown>): Promise<DomainError> => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error, `expected a DomainError, got ${String(error)}`).toBeInstanceOf(DomainError);
  return error as DomainError;
};

const tables = useTestTables();

/** A table of this file's own (test files run in parallel against one DynamoDB Local), with stores and use-case deps. */
async function freshTable(now: () => Date = () => new Date()) {
  const tableName = await tables.fresh();
  const cases = new CaseStore(tables.db, tableName);
  const workflow = new RecordingWorkflow();
  const deps = { ...openingDeps(tables.db, tableName), cases, idempotency: new IdempotencyStore(tables.db, tableName), workflow, now, correlation: DEFAULT_CORRELATION };
  const report = (body: Record<string, unknown>, key?: string, actor: Actor = PATROL) => reportSighting(deps, {
    request: CreateSightingRequest.parse(body),
    actor,
    ...(key ? { idempotency: { scope: idempotencyScope('CreateSighting', actor.sub, key), hash: requestHash(body) } } : {}),
  });
  const allCaseIds = async () => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await cases.listCases({ limit: 500, ...(cursor ? { cursor } : {}) });
      ids.push(...page.items.map((c) => c.caseId));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  };
  return { tableName, cases, workflow, deps, report, allCaseIds };
}

describe('reportSighting', () => {
  it('opens a case with its sighting, graded and alerted in the same write, and starts its workflow', async () => {
    const { cases, workflow, report } = await freshTable();
    const response = await report(sightingBody());

    expect(response.statusCode).toBe(201);
    expect(response.replayed).toBe(false);
    const { caseId, sightingId, caseCreated, risk } = response.body;
    expect(caseId).toMatch(/^case-[0-9A-Z]{26}$/);
    expect(caseCreated).toBe(true);
    // Elderly (2) + ill (3) + inadequate clothing (2) + bridge (2) + 22:41 in China (1).
    expect(risk).toBe('red');

    const detail = await cases.getCaseDetail(caseId);
    expect(detail).toBeDefined();
    expect(detail!.case).toMatchObject({
      caseId, status: 'alerted', risk: 'red', placeType: 'bridge', placeName: '八一大桥 north ramp',
      location: { lat: 28.6829, lon: 115.8579, accuracyM: 12 }, sightingCount: 1, detectionCount: 0, photoCount: 0,
      reportedByTeamId: 'team-07', version: 1,
    });
    expect(detail!.case.riskReasons).toEqual(expect.arrayContaining(['elderly', 'ill', 'place:bridge', 'night']));
    // The store keeps its key attributes to itself.
    expect(detail!.case).not.toHaveProperty('pk');
    expect(detail!.case).not.toHaveProperty('gsi1pk');

    // Opened graded and alerted at once: nobody in the directory here, so the coordinator is asked.
    expect(detail!.timeline.map((e) => e.type)).toEqual(['opened', 'sighting', 'triaged', 'alerted']);
    expect(detail!.timeline[0]).toMatchObject({ type: 'opened', actor: PATROL, risk: 'red' });
    expect(detail!.timeline[1]).toMatchObject({ type: 'sighting', actor: PATROL, sightingId, people: 1 });
    expect(detail!.timeline[3]).toMatchObject({ type: 'alerted', to: { kind: 'coordinator' }, rung: expect.any(Number), risk: 'red' });
    expect(detail!.case.alert?.target.kind).toBe('coordinator');
    // The alert is in the outbox, written with the case.
    expect(detail!.notifications.map((n) => n.kind)).toEqual(['alert']);

    expect(detail!.sightings).toHaveLength(1);
    expect(detail!.sightings[0]).toMatchObject({
      sightingId, caseId, observedAt: '2026-01-12T22:41:00+08:00', teamId: 'team-07', reportedBy: PATROL, source: 'patrol',
      note: 'sleeping under the ramp, responsive',
      people: [{ ageGroup: 'elderly', sex: 'male', conditions: ['inadequate_clothing', 'ill'] }],
    });
    expect(detail!.photos).toEqual([]);

    expect(workflow.starts).toEqual([{ caseId, generation: 0 }]);
  });

  it('records a coordinator report as from the coordinator', async () => {
    const { cases, report } = await freshTable();
    const coordinator: Actor = { sub: 'coord-1', role: 'coordinator' };
    const { body } = await report(sightingBody({ teamId: undefined }), undefined, coordinator);
    const detail = await cases.getCaseDetail(body.caseId);
    expect(detail!.sightings[0]).toMatchObject({ source: 'coordinator', reportedBy: coordinator });
    expect(detail!.case).not.toHaveProperty('reportedByTeamId');
  });

  it('refuses a patrol member reporting for another team, and stores nothing', async () => {
    const { report, allCaseIds } = await freshTable();
    const error = await rejection(report(sightingBody({ teamId: 'team-99' })));
    expect(error.kind).toBe('forbidden');
    expect(await allCaseIds()).toEqual([]);
  });

  it('getCaseDetail is undefined for a case that does not exist', async () => {
    const { cases } = await freshTable();
    expect(await cases.getCaseDetail('case-01JAAAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
  });
});

describe('idempotency of reportSighting', () => {
  it('answers the same key and body with the first response, and opens one case', async () => {
    const { report, allCaseIds, workflow } = await freshTable();
    const first = await report(sightingBody(), 'key-1');
    const again = await report(sightingBody(), 'key-1');

    expect(first.replayed).toBe(false);
    expect(again.replayed).toBe(true);
    expect(again.statusCode).toBe(first.statusCode);
    expect(again.body).toEqual(first.body);
    expect(await allCaseIds()).toEqual([first.body.caseId]);
    // A retry also (re)starts the workflow, in case the first attempt could not.
    expect(workflow.starts.map((s) => s.caseId)).toEqual([first.body.caseId, first.body.caseId]);
  });

  it('is a conflict when the same key comes with a different body, and changes nothing', async () => {
    const { report, allCaseIds } = await freshTable();
    const first = await report(sightingBody(), 'key-2');
    const error = await rejection(report(sightingBody({ note: 'a different report' }), 'key-2'));
    expect(error.kind).toBe('conflict');
    expect(error.message).toMatch(/Idempotency-Key/);
    expect(await allCaseIds()).toEqual([first.body.caseId]);
  });

  it('keeps different keys, and the same key of different callers, apart', async () => {
    const { report, allCaseIds, cases } = await freshTable();
    const a = await report(sightingBody(), 'key-a');
    const b = await report(sightingBody(), 'key-b');
    const other = await report(sightingBody({ teamId: undefined }), 'key-a', { sub: 'patrol-2', role: 'patrol' });
    // Three sightings recorded, none a replay; being of one place, they are one case.
    expect(new Set([a.body.sightingId, b.body.sightingId, other.body.sightingId]).size).toBe(3);
    expect([a.replayed, b.replayed, other.replayed]).toEqual([false, false, false]);
    expect(await allCaseIds()).toEqual([a.body.caseId]);
    expect((await cases.getCaseDetail(a.body.caseId))!.sightings).toHaveLength(3);
  });

  it('opens exactly one case for 20 concurrent requests with one key, and answers them all alike', async () => {
    const { report, allCaseIds } = await freshTable();
    const responses = await Promise.all(Array.from({ length: 20 }, () => report(sightingBody(), 'key-burst')));
    const ids = await allCaseIds();
    expect(ids).toHaveLength(1);
    for (const response of responses) {
      expect(response.statusCode).toBe(201);
      expect(response.body).toEqual(responses[0]!.body);
    }
    expect(responses[0]!.body.caseId).toBe(ids[0]);
    expect(responses.filter((r) => !r.replayed)).toHaveLength(1);
  });

  it('does not let an expired record hold the key', async () => {
    const { tableName, report, allCaseIds } = await freshTable();
    const body = sightingBody();
    const scope = idempotencyScope('CreateSighting', PATROL.sub, 'key-old');
    const past = Math.floor(Date.now() / 1000) - 3600;
    // Written straight to the table, as a record the TTL sweep has not removed yet would be.
    await tables.db.send(new PutCommand({
      TableName: tableName,
      Item: {
        ...idempotencyKey(scope), entity: 'idempotency', scope, requestHash: requestHash({ other: 'body' }),
        response: { statusCode: 201, body: { sightingId: 'sig-OLD', caseId: 'case-OLD', caseCreated: true, risk: 'blue' } },
        createdAt: new Date((past - 26 * 3600) * 1000).toISOString(), expiresAt: past,
      },
    }));

    const fresh = await report(body, 'key-old');
    expect(fresh.replayed).toBe(false);
    expect(fresh.body.caseId).not.toBe('case-OLD');
    expect(await allCaseIds()).toEqual([fresh.body.caseId]);
    // The key now belongs to the new request.
    const again = await report(body, 'key-old');
    expect(again.replayed).toBe(true);
    expect(again.body).toEqual(fresh.body);
  });
});

describe('CaseStore.mutateCase', () => {
  it('lands every one of 20 concurrent changes to one case, retrying on version conflicts', async () => {
    const { cases, report } = await freshTable();
    const { body } = await report(sightingBody());
    const texts = Array.from({ length: 20 }, (_, i) => `note ${i}`);

    const results = await Promise.all(texts.map((text) => cases.mutateCase(body.caseId, (current) => {
      const at = new Date().toISOString();
      return { set: { updatedAt: at }, timeline: [{ at, type: 'note', actor: PATROL, text, sawVersion: current.version }] };
    })));

    // Each change was written on top of a different version: none was lost or applied twice.
    expect(results.every((r) => r !== null)).toBe(true);
    expect(results.map((r) => r!.after.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    const detail = await cases.getCaseDetail(body.caseId);
    expect(detail!.case.version).toBe(21);
    const notes = detail!.timeline.filter((e) => e.type === 'note');
    expect(notes).toHaveLength(20);
    expect(notes.map((n) => n.text).sort()).toEqual([...texts].sort());
  });

  it('moves the case between status lists and removes fields it is told to', async () => {
    const { cases, report } = await freshTable();
    const { body } = await report(sightingBody());
    const alert = { rung: 0, target: { kind: 'team' as const, id: 'team-07' }, alertedAt: new Date().toISOString(), deadline: new Date().toISOString() };
    await cases.mutateCase(body.caseId, () => ({ set: { status: 'alerted', alert } }));
    expect((await cases.getCase(body.caseId))).toMatchObject({ status: 'alerted', alert, version: 2 });
    expect((await cases.listCases({ status: 'alerted', limit: 10 })).items.map((c) => c.caseId)).toEqual([body.caseId]);
    expect((await cases.listCases({ status: 'open', limit: 10 })).items).toEqual([]);

    await cases.mutateCase(body.caseId, () => ({ set: { status: 'acknowledged' }, remove: ['alert'] }));
    const after = await cases.getCase(body.caseId);
    expect(after).toMatchObject({ status: 'acknowledged', version: 3 });
    expect(after).not.toHaveProperty('alert');
  });

  it('writes nothing when the decision is null, and passes a refusal through', async () => {
    const { cases, report } = await freshTable();
    const { body } = await report(sightingBody());
    const unchanged = await cases.mutateCase(body.caseId, () => null);
    expect(unchanged!.after.version).toBe(1);
    const error = await rejection(cases.mutateCase(body.caseId, () => { throw new DomainError('conflict', 'no'); }));
    expect(error.kind).toBe('conflict');
    expect((await cases.getCase(body.caseId))!.version).toBe(1);
    expect(await cases.mutateCase('case-01JAAAAAAAAAAAAAAAAAAAAAAA', () => ({ set: {} }))).toBeNull();
  });
});

describe('CaseStore.listCases', () => {
  const HOUR = 3_600_000;
  // Cases opened a minute apart in the last hour: recent enough for idempotency records, ordered for certain.
  const base = Date.now() - HOUR;
  const openedAt = (i: number) => new Date(base + i * 60_000);
  const CITY = { lat: 28.6829, lon: 115.8579 };
  const CITY_EAST = { lat: 28.70, lon: 115.90 };
  // A few hundred metres from CITY: another place, so another case (reports within the radius would join).
  const CITY_NORTH = { lat: 28.6869, lon: 115.8579 };
  const FAR = { lat: 29.50, lon: 116.50 };
  const FAR_EAST = { lat: 29.50, lon: 116.505 };
  /** Five cases, oldest first: [risk, location, body]. */
  const FIVE: [string, { lat: number; lon: number }, Record<string, unknown>][] = [
    ['blue', CITY, { place: { type: 'street' }, people: [{ ageGroup: 'adult' }], observedAt: DAY_IN_CHINA }],
    ['red', CITY_EAST, { place: { type: 'bridge' }, people: [{ ageGroup: 'elderly', conditions: ['ill'] }], observedAt: NIGHT_IN_CHINA }],
    ['orange', CITY_NORTH, { place: { type: 'street' }, people: [{ ageGroup: 'unknown', conditions: ['unaccompanied_minor'] }], observedAt: DAY_IN_CHINA }],
    ['yellow', FAR, { place: { type: 'street' }, people: [{ ageGroup: 'elderly' }], observedAt: DAY_IN_CHINA }],
    ['red', FAR_EAST, { place: { type: 'culvert' }, people: [{ ageGroup: 'elderly', conditions: ['ill'] }], observedAt: NIGHT_IN_CHINA }],
  ];

  let env: Awaited<ReturnType<typeof freshTable>>;
  /** Case ids, oldest first. */
  let ids: string[];

  beforeAll(async () => {
    let clock = openedAt(0);
    env = await freshTable(() => clock);
    ids = [];
    for (const [i, [risk, location, body]] of FIVE.entries()) {
      clock = openedAt(i);
      const response = await env.report(sightingBody({ location, note: `case ${i}`, ...body }));
      expect(response.body.risk).toBe(risk);
      ids.push(response.body.caseId);
    }
    // Every case opened alerted; cases 1 and 3 have been acknowledged since.
    for (const i of [1, 3]) await env.cases.mutateCase(ids[i]!, () => ({ set: { status: 'acknowledged' } }));
  });

  const newestFirst = (...indexes: number[]) => indexes.sort((a, b) => b - a).map((i) => ids[i]);

  it('lists every case, newest first, without a cursor when all fit', async () => {
    const page = await env.cases.listCases({ limit: 50 });
    expect(page.items.map((c) => c.caseId)).toEqual(newestFirst(0, 1, 2, 3, 4));
    expect(page.nextCursor).toBeUndefined();
    expect(page.items[0]).toMatchObject({ status: 'alerted', risk: 'red', sightingCount: 1 });
    expect(page.items[0]).not.toHaveProperty('gsi2pk');
  });

  it('filters by status through the status index', async () => {
    expect((await env.cases.listCases({ status: 'acknowledged', limit: 50 })).items.map((c) => c.caseId)).toEqual(newestFirst(1, 3));
    expect((await env.cases.listCases({ status: 'alerted', limit: 50 })).items.map((c) => c.caseId)).toEqual(newestFirst(0, 2, 4));
    expect((await env.cases.listCases({ status: 'closed', limit: 50 })).items).toEqual([]);
  });

  it('filters by risk', async () => {
    expect((await env.cases.listCases({ risk: 'red', limit: 50 })).items.map((c) => c.caseId)).toEqual(newestFirst(1, 4));
    expect((await env.cases.listCases({ risk: 'orange', limit: 50 })).items.map((c) => c.caseId)).toEqual(newestFirst(2));
    expect((await env.cases.listCases({ status: 'alerted', risk: 'red', limit: 50 })).items.map((c) => c.caseId)).toEqual(newestFirst(4));
  });

  it('filters by bounding box', async () => {
    const city = { minLon: 115.80, minLat: 28.60, maxLon: 115.95, maxLat: 28.75 };
    expect((await env.cases.listCases({ bbox: city, limit: 50 })).items.map((c) => c.caseId)).toEqual(newestFirst(0, 1, 2));
    const far = { minLon: 116.4, minLat: 29.4, maxLon: 116.6, maxLat: 29.6 };
    expect((await env.cases.listCases({ bbox: far, risk: 'red', limit: 50 })).items.map((c) => c.caseId)).toEqual(newestFirst(4));
    const nowhere = { minLon: 0, minLat: 0, maxLon: 1, maxLat: 1 };
    expect((await env.cases.listCases({ bbox: nowhere, limit: 50 })).items).toEqual([]);
  });

  it('lists cases opened at or after `since`, whatever the offset it is written with', async () => {
    const since = openedAt(2).toISOString();
    expect((await env.cases.listCases({ since, limit: 50 })).items.map((c) => c.caseId)).toEqual(newestFirst(2, 3, 4));
    // The same instant written in China time.
    const china = new Date(openedAt(2).getTime() + 8 * HOUR).toISOString().replace('Z', '+08:00');
    expect((await env.cases.listCases({ since: china, limit: 50 })).items.map((c) => c.caseId)).toEqual(newestFirst(2, 3, 4));
    expect((await env.cases.listCases({ since, status: 'acknowledged', limit: 50 })).items.map((c) => c.caseId)).toEqual(newestFirst(3));
    expect((await env.cases.listCases({ since: openedAt(10).toISOString(), limit: 50 })).items).toEqual([]);
  });

  const pageThrough = async (filter: Omit<Parameters<CaseStore['listCases']>[0], 'cursor'>) => {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await env.cases.listCases({ ...filter, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(filter.limit);
      pages.push(page.items.map((c) => c.caseId));
      cursor = page.nextCursor;
      expect(pages.length).toBeLessThan(10);
    } while (cursor);
    return pages;
  };

  it('pages through five cases two at a time, each case exactly once, in order', async () => {
    const pages = await pageThrough({ limit: 2 });
    expect(pages.slice(0, 3)).toEqual([newestFirst(3, 4), newestFirst(1, 2), newestFirst(0)]);
    expect(pages.flat()).toEqual(newestFirst(0, 1, 2, 3, 4));
  });

  it('pages through a filtered list, each match exactly once', async () => {
    expect((await pageThrough({ limit: 1, risk: 'red' })).flat()).toEqual(newestFirst(1, 4));
    expect((await pageThrough({ limit: 2, status: 'alerted' })).flat()).toEqual(newestFirst(0, 2, 4));
    expect((await pageThrough({ limit: 1, bbox: { minLon: 115.80, minLat: 28.60, maxLon: 115.95, maxLat: 28.75 } })).flat())
      .toEqual(newestFirst(0, 1, 2));
  });

  it('refuses a cursor it did not hand out as invalid', async () => {
    const first = await env.cases.listCases({ limit: 2 });
    const byStatus = await env.cases.listCases({ status: 'alerted', limit: 1 });
    expect(first.nextCursor).toBeDefined();
    expect(byStatus.nextCursor).toBeDefined();
    // A cursor is the position, sealed: anything else under the same seal is refused.
    const [body, seal] = first.nextCursor!.split('.');
    const decoded = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const encode = (value: unknown) => `${Buffer.from(JSON.stringify(value)).toString('base64url')}.${seal}`;

    const tampered = [
      'not-a-cursor',
      encode({ hello: 'world' }),
      encode([1, 2, 3, 4]),
      encode({ ...decoded, gsi1sk: 42 }),
      encode({ ...decoded, extra: 'x' }),
      first.nextCursor!.slice(0, -6),
      body!,
      Buffer.from(JSON.stringify(decoded)).toString('base64url'),
    ];
    for (const cursor of tampered) {
      const error = await rejection(env.cases.listCases({ limit: 2, cursor }));
      expect(error.kind).toBe('invalid');
      expect(error.details).toEqual([{ path: 'query.cursor', message: expect.any(String) }]);
    }
    // A cursor of the status list does not fit the list of all cases.
    expect((await rejection(env.cases.listCases({ limit: 2, cursor: byStatus.nextCursor! }))).kind).toBe('invalid');
  });

  it('refuses a well-formed cursor that points into another list as invalid, not as a database error', async () => {
    const first = await env.cases.listCases({ limit: 2 });
    const [body, seal] = first.nextCursor!.split('.');
    const decoded = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = `${Buffer.from(JSON.stringify({ ...decoded, gsi1pk: 'STATUS#open' })).toString('base64url')}.${seal}`;
    const error = await rejection(env.cases.listCases({ limit: 2, cursor: forged }));
    expect(error.kind).toBe('invalid');
  });

  it('refuses a cursor reused after the client changed `since` as invalid, not as a database error', async () => {
    // The cursor points after the 2nd newest case; with `since` at the newest case it lies outside the key range.
    const first = await env.cases.listCases({ limit: 2 });
    const error = await rejection(env.cases.listCases({ limit: 2, since: openedAt(4).toISOString(), cursor: first.nextCursor! }));
    expect(error.kind).toBe('invalid');
  });
});

describe('a waiting workflow', () => {
  it('has its task token kept beside the case, not on it: every report rewrites the case and its two index copies', async () => {
    const { tableName, cases, report } = await freshTable();
    const { caseId } = (await report(sightingBody())).body;
    // A token as long as AWS makes them (several hundred characters).
    const token = `AQB${'x'.repeat(700)}`;
    const since = new Date().toISOString();
    await cases.mutateCase(caseId, () => ({ set: { wait: { token, status: 'alerted', since } } }));

    const { Item } = await tables.db.send(new GetCommand({ TableName: tableName, Key: caseKey(caseId) }));
    expect(Item!.wait).toEqual({ status: 'alerted', since });
    expect(JSON.stringify(Item)).not.toContain('xxxxxxxxxx');
    const read = (await cases.getCase(caseId))!;
    expect(read.wait).toEqual({ status: 'alerted', since });
    expect(await cases.waitToken(caseId, read.wait!)).toBe(token);
    // A wait of a case stored before holds its token itself.
    expect(await cases.waitToken(caseId, { token: 'older', status: 'alerted', since })).toBe('older');
  });
});
