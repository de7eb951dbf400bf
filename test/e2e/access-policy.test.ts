import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/runtime/local-stack';
import { createDocumentClient } from '#shared/adapters/aws-clients';
import { DirectoryStore } from '#shared/store/directory-store';
import { dynamoEndpoint } from '../support/engines';
import { ApiClient, eventually, loadDemoDirectory, sightingBody, startTestStack, synthesizeForTest } from '../support/local-stack';

/**
 * The access policy (api-contract.md, "Who may see and do what"), route by route, relation by relation, through the
 * local gateway. The table below is the policy; the tests are generated from it.
 */

type Relation =
  | 'own team' | 'other team, same station' | 'team of another station' | 'unknown team'
  | 'own station' | 'other station' | 'unknown station' | 'coordinator' | 'device' | 'admin';

interface Expected {
  /** GET /v1/cases/{id}: 200 with `access`, or the status. */
  read: 'full' | 'summary' | 404 | 403;
  /** Whether GET /v1/cases lists it (as what), or the status. */
  list: 'full' | 'summary' | 'absent' | 403;
  /** Whether GET /v1/events carries it, or the status. */
  feed: 'present' | 'absent' | 403;
  /** POST actions { type: 'note' }. */
  note: 200 | 403 | 404;
  /** POST /v1/uploads for a photo of the case. */
  photo: 201 | 403 | 404;
  /** GET /v1/cases/{id}/access-log. */
  accessLog: 200 | 403;
  /** GET /v1/stats: whether the case is counted, or the status. */
  stats: 'counted' | 'not counted' | 403;
}

const POLICY: Record<Relation, Expected> = {
  'own team': { read: 'full', list: 'full', feed: 'present', note: 200, photo: 201, accessLog: 403, stats: 403 },
  'other team, same station': { read: 'summary', list: 'summary', feed: 'present', note: 403, photo: 404, accessLog: 403, stats: 403 },
  'team of another station': { read: 404, list: 'absent', feed: 'absent', note: 404, photo: 404, accessLog: 403, stats: 403 },
  'unknown team': { read: 404, list: 'absent', feed: 'absent', note: 404, photo: 404, accessLog: 403, stats: 403 },
  'own station': { read: 'full', list: 'full', feed: 'present', note: 200, photo: 201, accessLog: 403, stats: 'counted' },
  'other station': { read: 404, list: 'absent', feed: 'absent', note: 404, photo: 404, accessLog: 403, stats: 'not counted' },
  'unknown station': { read: 404, list: 'absent', feed: 'absent', note: 404, photo: 404, accessLog: 403, stats: 'not counted' },
  coordinator: { read: 'full', list: 'full', feed: 'present', note: 200, photo: 201, accessLog: 200, stats: 'counted' },
  device: { read: 403, list: 403, feed: 403, note: 403, photo: 403, accessLog: 403, stats: 403 },
  admin: { read: 'full', list: 'full', feed: 'present', note: 200, photo: 201, accessLog: 200, stats: 'counted' },
};

let stack: LocalStack;
let api: ApiClient;
let caseId: string;
let coordinator: string;
let cases: Awaited<ReturnType<typeof loadDemoDirectory>>;
const tokens = {} as Record<Relation, string>;

/** A station 180 km away (Jiujiang) with a team of its own: nothing in Nanchang is theirs. */
const FAR_STATION = { stationId: 'station-jj', name: '九江市救助管理站', location: { lat: 29.7051, lon: 116.0019 } };
const FAR_TEAM = { teamId: 'team-jj-01', name: '九江巡查一队', stationId: 'station-jj', location: { lat: 29.7051, lon: 116.0019 }, onDuty: false };

beforeAll(async () => {
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates);
  cases = await loadDemoDirectory();
  const directory = new DirectoryStore(createDocumentClient(dynamoEndpoint()), process.env.TABLE_NAME!);
  await directory.put('station', FAR_STATION);
  await directory.put('team', FAR_TEAM);
  api = new ApiClient(stack.url);
  coordinator = await api.token({ role: 'coordinator', sub: 'wang.coord' });

  // A red case reported by team-01, in Nanchang: the city's station is the nearest.
  const reporter = await api.token({ role: 'patrol', sub: 'li.wei', teamId: 'team-01' });
  const created = await api.call('POST', '/v1/sightings', { token: reporter, body: sightingBody() });
  expect(created.status).toBe(201);
  caseId = created.body.caseId;
  const alerted = await eventually(async () => {
    const c = (await api.call('GET', `/v1/cases/${caseId}`, { token: coordinator })).body;
    return c.status === 'alerted' ? c : undefined;
  }, 15_000, 'the alert');
  // The other team of the station: neither the reporter nor the team the workflow alerted.
  const involved = new Set(['team-01', alerted.alert.target.id]);
  const otherTeam = ['team-02', 'team-03', 'team-04'].find((t) => !involved.has(t))!;

  Object.assign(tokens, {
    'own team': reporter,
    'other team, same station': await api.token({ role: 'patrol', sub: 'zhou.other', teamId: otherTeam }),
    'team of another station': await api.token({ role: 'patrol', sub: 'jj.member', teamId: FAR_TEAM.teamId }),
    'unknown team': await api.token({ role: 'patrol', sub: 'who.ever', teamId: 'team-77' }),
    'own station': await api.token({ role: 'station', sub: 'liu.duty', stationId: 'station-nc' }),
    'other station': await api.token({ role: 'station', sub: 'jj.duty', stationId: FAR_STATION.stationId }),
    'unknown station': await api.token({ role: 'station', sub: 'no.where', stationId: 'station-xx' }),
    coordinator,
    device: await api.token({ role: 'device', sub: 'drone-03', deviceId: 'drone-03' }),
    admin: await api.token({ role: 'admin', sub: 'root' }),
  } satisfies Record<Relation, string>);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const RELATIONS = Object.keys(POLICY) as Relation[];

describe('who may read a case, and how much', () => {
  it.each(RELATIONS)('%s', async (relation) => {
    const expected = POLICY[relation];
    const token = tokens[relation];

    const read = await api.call('GET', `/v1/cases/${caseId}`, { token });
    if (typeof expected.read === 'number') {
      expect(read.status).toBe(expected.read);
      // A case the caller may not read is exactly a case that does not exist.
      if (expected.read === 404) {
        const missing = await api.call('GET', '/v1/cases/case-00000000000000000000000000', { token });
        expect(read.body.detail.replace(caseId, 'X')).toBe(missing.body.detail.replace('case-00000000000000000000000000', 'X'));
      }
    } else {
      expect(read.status).toBe(200);
      expect(read.body.access).toBe(expected.read);
      if (expected.read === 'full') {
        expect(read.body.people[0]).toMatchObject({ ageGroup: 'elderly' });
        expect(read.body.timeline.length).toBeGreaterThan(0);
      } else {
        // Where and how urgent, not who.
        expect(read.body).toMatchObject({ caseId, risk: 'red', location: expect.any(Object) });
        for (const field of ['people', 'timeline', 'sightings', 'photos', 'notifications', 'assignee', 'handover']) expect(read.body).not.toHaveProperty(field);
      }
    }

    const list = await api.call('GET', '/v1/cases?limit=500', { token });
    if (typeof expected.list === 'number') expect(list.status).toBe(expected.list);
    else {
      expect(list.status).toBe(200);
      const item = list.body.items.find((c: { caseId: string }) => c.caseId === caseId);
      if (expected.list === 'absent') expect(item).toBeUndefined();
      else expect(item?.access).toBe(expected.list);
    }

    const since = new Date(Date.now() - 10 * 60_000).toISOString();
    const feed = await eventually(async () => {
      const page = await api.call('GET', `/v1/events?since=${encodeURIComponent(since)}&limit=500`, { token });
      // Wait for the opening entries to settle into the feed (for those who may see them).
      if (page.status !== 200 || expected.feed !== 'present') return page;
      return page.body.items.some((e: { caseId: string }) => e.caseId === caseId) ? page : undefined;
    }, 10_000, 'the feed');
    if (typeof expected.feed === 'number') expect(feed.status).toBe(expected.feed);
    else {
      expect(feed.status).toBe(200);
      const events = feed.body.items.filter((e: { caseId: string }) => e.caseId === caseId);
      expect(events.length > 0).toBe(expected.feed === 'present');
      // The feed carries no notes or people's conditions, to anyone.
      for (const event of events) for (const field of ['note', 'text', 'handover']) expect(event.entry).not.toHaveProperty(field);
    }

    const upload = await api.call('POST', '/v1/uploads', { token, body: { purpose: 'case_photo', contentType: 'image/jpeg', sizeBytes: 1000, caseId } });
    expect(upload.status).toBe(expected.photo);

    const log = await api.call('GET', `/v1/cases/${caseId}/access-log`, { token });
    expect(log.status).toBe(expected.accessLog);

    const stats = await api.call('GET', '/v1/stats', { token });
    if (typeof expected.stats === 'number') expect(stats.status).toBe(expected.stats);
    else {
      expect(stats.status).toBe(200);
      expect(stats.body.cases.opened >= 1 && stats.body.openRed >= 1).toBe(expected.stats === 'counted');
      if (expected.stats === 'not counted') expect(stats.body).toMatchObject({ cases: { opened: 0 }, openRed: 0 });
    }
  });
});

describe('who may act on it', () => {
  it.each(RELATIONS)('%s: a note', async (relation) => {
    const note = await api.call('POST', `/v1/cases/${caseId}/actions`, { token: tokens[relation], body: { type: 'note', text: `${relation} was here` } });
    expect(note.status).toBe(POLICY[relation].note);
  });

  it('a patrol of the station may only take a summary case, for its own team, and then reads it in full', async () => {
    const token = tokens['other team, same station'];
    const resolve = await api.call('POST', `/v1/cases/${caseId}/actions`, { token, body: { type: 'resolve', outcome: 'false_alarm' } });
    expect(resolve.status).toBe(403);
    const forOther = await api.call('POST', `/v1/cases/${caseId}/actions`, { token, body: { type: 'acknowledge', teamId: 'team-01' } });
    expect(forOther.status).toBe(403);
    const taken = await api.call('POST', `/v1/cases/${caseId}/actions`, { token, body: { type: 'acknowledge' } });
    expect(taken.status).toBe(200);
    const read = await api.call('GET', `/v1/cases/${caseId}`, { token });
    expect(read.body.access).toBe('full');
    // Taken, the case is no longer a summary to the station's other teams: it is gone from their view.
    const stranger = await api.token({ role: 'patrol', sub: 'x', teamId: ['team-02', 'team-03', 'team-04'].find((t) => t !== read.body.assignedTeamId && t !== read.body.alert?.target.id)! });
    const hidden = await api.call('GET', `/v1/cases/${caseId}`, { token: stranger });
    expect([404, 200]).toContain(hidden.status);
  });
});

describe('the access log', () => {
  it('records every full read and photo URL with who, role and team or station, newest first, and pages with a sealed cursor', async () => {
    const page = await api.call('GET', `/v1/cases/${caseId}/access-log?limit=500`, { token: coordinator });
    expect(page.status).toBe(200);
    const readers = new Set(page.body.items.filter((e: { what: string }) => e.what === 'read').map((e: { sub: string }) => e.sub));
    for (const sub of ['li.wei', 'liu.duty', 'wang.coord', 'root']) expect(readers).toContain(sub);
    for (const sub of ['jj.member', 'who.ever', 'jj.duty', 'no.where', 'drone-03']) expect(readers).not.toContain(sub);
    expect(page.body.items.find((e: { sub: string }) => e.sub === 'liu.duty')).toMatchObject({ role: 'station', stationId: 'station-nc', what: 'read' });
    const times = page.body.items.map((e: { at: string }) => e.at);
    expect(times).toEqual(times.toSorted().reverse());

    const first = await api.call('GET', `/v1/cases/${caseId}/access-log?limit=2`, { token: coordinator });
    const second = await api.call('GET', `/v1/cases/${caseId}/access-log?limit=2&cursor=${first.body.nextCursor}`, { token: coordinator });
    expect(second.status).toBe(200);
    expect(second.body.items[0]).toEqual(page.body.items[2]);
    const forged = await api.call('GET', `/v1/cases/${caseId}/access-log?limit=2&cursor=${first.body.nextCursor.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A'))}`, { token: coordinator });
    expect(forged.status).toBe(400);
  });
});

describe('cursors', () => {
  it('a list cursor that was altered, made up or taken to other filters is a 400', async () => {
    const first = await api.call('GET', '/v1/cases?limit=1', { token: coordinator });
    expect(first.body.nextCursor).toBeDefined();
    const again = await api.call('GET', `/v1/cases?limit=1&cursor=${first.body.nextCursor}`, { token: coordinator });
    expect(again.status).toBe(200);
    const made = Buffer.from(JSON.stringify({ pk: 'CASE#x', sk: 'CASE', gsi1pk: 'CASES', gsi1sk: 'z' })).toString('base64url');
    for (const cursor of [made, `${first.body.nextCursor}x`, first.body.nextCursor.replace(/^./, (c: string) => (c === 'e' ? 'f' : 'e'))]) {
      expect((await api.call('GET', `/v1/cases?limit=1&cursor=${cursor}`, { token: coordinator })).status).toBe(400);
    }
    expect((await api.call('GET', `/v1/cases?limit=1&risk=red&cursor=${first.body.nextCursor}`, { token: coordinator })).status).toBe(400);
    expect((await api.call('GET', `/v1/events?after=${Buffer.from('2026-01-12T14:00:00.000Z').toString('base64url')}`, { token: coordinator })).status).toBe(400);
  });
});

describe('erasure on request', () => {
  it('is for admins: the case keeps its figures and loses its people, and the log says who erased it', async () => {
    expect((await api.call('POST', `/v1/cases/${caseId}/erasure`, { token: coordinator })).status).toBe(403);
    expect((await api.call('POST', '/v1/cases/case-00000000000000000000000000/erasure', { token: tokens.admin })).status).toBe(404);
    const erased = await api.call('POST', `/v1/cases/${caseId}/erasure`, { token: tokens.admin });
    expect(erased.status).toBe(200);
    const detail = (await api.call('GET', `/v1/cases/${caseId}`, { token: coordinator })).body;
    expect(detail).toMatchObject({ erasedAt: erased.body.erasedAt, risk: 'red', sightingCount: 1, people: [] });
    expect(detail.sightings[0]).toMatchObject({ peopleCount: 1 });
    expect(detail.timeline.filter((e: { type: string }) => e.type === 'note').every((e: object) => !('text' in e))).toBe(true);
    const log = (await api.call('GET', `/v1/cases/${caseId}/access-log`, { token: coordinator })).body;
    expect(log.items.find((e: { what: string }) => e.what === 'erase')).toMatchObject({ sub: 'root', role: 'admin' });

    // The case goes on: a new report joins it and is graded with what is left (its erased reports describe nobody).
    const joined = await api.call('POST', '/v1/sightings', { token: tokens['own team'], body: sightingBody({ location: detail.location }) });
    expect(joined.body).toMatchObject({ caseId });
    await eventually(async () => ((await cases.getCase(caseId))?.retriage ? undefined : true), 15_000, 'the new report to be graded');
    const after = (await api.call('GET', `/v1/cases/${caseId}`, { token: coordinator })).body;
    expect(after.people).toHaveLength(1);
  });
});

describe('exports', () => {
  it('are recorded in the access log of every case they hold, by coordinators only', async () => {
    const other = (await api.call('POST', '/v1/sightings', { token: coordinator, body: sightingBody() })).body.caseId as string;
    const recorded = await api.call('POST', '/v1/exports', { token: coordinator, body: { format: 'csv', caseIds: [caseId, other] }, headers: { 'idempotency-key': `exp-${Date.now()}` } });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ cases: 2, format: 'csv' });
    for (const id of [caseId, other]) {
      const log = (await api.call('GET', `/v1/cases/${id}/access-log`, { token: coordinator })).body;
      expect(log.items.find((e: { what: string }) => e.what === 'export')).toMatchObject({ sub: 'wang.coord', role: 'coordinator', count: 2 });
    }
    expect((await api.call('POST', '/v1/exports', { token: tokens['own station'], body: { format: 'csv', caseIds: [caseId] } })).status).toBe(403);
    expect((await api.call('POST', '/v1/exports', { token: coordinator, body: { format: 'pdf', caseIds: [caseId] } })).status).toBe(400);
    expect((await api.call('POST', '/v1/exports', { token: coordinator, body: { format: 'csv', caseIds: [] } })).status).toBe(400);
  });
});
