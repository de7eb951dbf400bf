import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/runtime/local-stack';
import { ApiClient, eventually, sightingBody, startTestStack, synthesizeForTest, loadDemoDirectory } from '../support/local-stack';

/** The live event feed as the pages use it: GET /v1/events polled with its cursor, and the local SSE stream. */
let stack: LocalStack;
let api: ApiClient;
let patrol: string;
let station: string;
let coordinator: string;
let device: string;

interface CaseEvent {
  eventId: string;
  writtenAt: string;
  caseId: string;
  entry: { at: string; type: string; [detail: string]: unknown };
  case: { caseId: string; status: string; risk: string };
}

beforeAll(async () => {
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates);
  // The directory the access policy checks members against: the demo city's station and teams.
  await loadDemoDirectory();
  api = new ApiClient(stack.url);
  patrol = await api.token({ role: 'patrol', sub: 'li.wei', teamId: 'team-01' });
  station = await api.token({ role: 'station', sub: 'duty-officer', stationId: 'station-nc' });
  coordinator = await api.token({ role: 'coordinator', sub: 'zhao.min' });
  device = await api.token({ role: 'device', sub: 'drone-03', deviceId: 'drone-03' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

/** Every page from a start (`since=` or `after=`), following nextCursor while hasMore, as a page catching up does. */
async function readFeed(start: string, limit: number, token = station): Promise<{ events: CaseEvent[]; cursor: string }> {
  const events: CaseEvent[] = [];
  let query = start;
  for (;;) {
    const page = await api.call('GET', `/v1/events?limit=${limit}&${query}`, { token });
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(typeof page.body.nextCursor).toBe('string');
    events.push(...page.body.items);
    query = `after=${page.body.nextCursor}`;
    if (!page.body.hasMore) return { events, cursor: page.body.nextCursor };
  }
}

/** The types of a case's events, keeping only those named, in the order they came. */
const typesOf = (events: { caseId: string; entry: { type: string } }[], caseId: string, only = ['opened', 'sighting', 'alerted']) =>
  events.filter((e) => e.caseId === caseId && only.includes(e.entry.type)).map((e) => e.entry.type);

interface SseMessage { id?: string; event?: string; data?: string }

/** An EventSource as a page would open it, read with fetch: every message parsed as it arrives. */
async function openStream(path: string, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const response = await fetch(`${stack.url}${path}`, { headers, signal: abort.signal });
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  let ended = false;
  const reading = (async () => {
    if (response.status !== 200) return;
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const message: SseMessage = {};
          for (const line of buffer.slice(0, end).split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            const match = /^(id|event|data): ?(.*)$/.exec(line);
            if (match) message[match[1] as keyof SseMessage] = match[2];
          }
          buffer = buffer.slice(end + 2);
          if (message.data !== undefined) messages.push(message);
        }
      }
    } catch {
      // aborted by the test
    } finally {
      ended = true;
    }
  })();
  const events = () => messages.map((m) => JSON.parse(m.data!) as CaseEvent);
  return { response, messages, comments, events, ended: () => ended, reading, close: () => abort.abort() };
}

let since: string;
let caseId: string;
let fed: CaseEvent[];

describe('GET /v1/events', () => {
  it("shows a reported sighting's opened, sighting and alerted events, oldest first, with the case as it is now", async () => {
    since = new Date(Date.now() - 1_000).toISOString();
    const created = await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody() });
    expect(created.status).toBe(201);
    caseId = created.body.caseId;

    // A page polls with the cursor it got last, as it would every few seconds.
    const seen: CaseEvent[] = [];
    let start = `since=${encodeURIComponent(since)}`;
    await eventually(async () => {
      const { events, cursor } = await readFeed(start, 2);
      seen.push(...events);
      start = `after=${cursor}`;
      return typesOf(seen, caseId).includes('alerted') ? true : undefined;
    }, 20_000, 'the alerted event');
    expect(typesOf(seen, caseId)).toEqual(['opened', 'sighting', 'alerted']);
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(seen.length);
    expect(seen.map((e) => e.writtenAt)).toEqual([...seen.map((e) => e.writtenAt)].sort());
    const alerted = seen.find((e) => e.caseId === caseId && e.entry.type === 'alerted')!;
    expect(alerted.case).toMatchObject({ caseId, status: 'alerted', risk: 'red' });
    expect(alerted.entry).toMatchObject({ deadline: expect.any(String) });
    const sighting = seen.find((e) => e.entry.type === 'sighting')!;
    expect(sighting.entry).toMatchObject({ sightingId: created.body.sightingId, actor: { sub: 'li.wei', role: 'patrol' } });
    expect(sighting.entry).not.toHaveProperty('caseId');
    fed = seen;
  });

  it('pages the same events whatever the page size, and reads on after an eventId', async () => {
    const whole = await readFeed(`since=${encodeURIComponent(since)}`, 500, coordinator);
    const oneByOne = await readFeed(`since=${encodeURIComponent(since)}`, 1, coordinator);
    const ids = whole.events.map((e) => e.eventId);
    expect(ids.slice(0, fed.length)).toEqual(fed.map((e) => e.eventId));
    expect(oneByOne.events.map((e) => e.eventId).slice(0, ids.length)).toEqual(ids);

    const sighting = fed.findIndex((e) => e.entry.type === 'sighting');
    const after = await readFeed(`after=${fed[sighting]!.eventId}`, 50, patrol);
    expect(after.events.map((e) => e.eventId).slice(0, fed.length - sighting - 1)).toEqual(fed.slice(sighting + 1).map((e) => e.eventId));
  });

  it('answers an empty page with a cursor to poll with, and nothing twice', async () => {
    const { cursor } = await readFeed(`since=${encodeURIComponent(since)}`, 500);
    const again = await api.call('GET', `/v1/events?after=${cursor}`, { token: station });
    expect(again.status).toBe(200);
    expect(again.body.items.filter((e: CaseEvent) => fed.some((f) => f.eventId === e.eventId))).toEqual([]);
    expect(again.body).toMatchObject({ nextCursor: expect.any(String), hasMore: false });
  });

  it('is documented in the OpenAPI document, with the stream for local mode', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body;
    const op = doc.paths['/v1/events'].get;
    expect(op.operationId).toBe('ListEvents');
    expect(op['x-roles']).toEqual(['patrol', 'station', 'coordinator', 'admin']);
    expect(op.description).toContain('/v1/events/stream');
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(['after', 'since', 'limit']);
  });

  it('refuses callers without a token (401) and devices (403), and bad input (400) with problem details', async () => {
    expect((await api.call('GET', '/v1/events')).status).toBe(401);
    const forDevice = await api.call('GET', '/v1/events', { token: device });
    expect(forDevice.status).toBe(403);
    expect(forDevice.body).toMatchObject({ type: '/problems/forbidden' });
    for (const [query, path] of [
      ['after=not-a-cursor', 'query.after'],
      [`after=${Buffer.from(JSON.stringify({ pk: 'CASE#x', sk: 'CASE' })).toString('base64url')}`, 'query.after'],
      [`after=${Buffer.from('2099-01-01T00:00:00.000Z').toString('base64url')}`, 'query.after'],
      ['since=yesterday', 'query.since'],
      ['limit=501', 'query.limit'],
      ['cursor=x', 'query.cursor'],
    ]) {
      const r = await api.call('GET', `/v1/events?${query}`, { token: station });
      expect(r.status, query).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors[0].path, query).toBe(path);
    }
  });
});

describe('GET /v1/events/stream (local mode)', () => {
  it('streams the same events as Server-Sent Events, from since, with the token in the query', async () => {
    const stream = await openStream(`/v1/events/stream?since=${encodeURIComponent(since)}&access_token=${station}`);
    try {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
      await eventually(async () => (stream.events().length >= fed.length ? true : undefined), 10_000, 'the events so far');
      expect(stream.messages.slice(0, fed.length)).toEqual(fed.map((e) => ({ id: e.eventId, event: 'case', data: expect.any(String) })));
      expect(stream.events().slice(0, fed.length)).toEqual(fed.map((e) => ({ ...e, case: expect.objectContaining({ caseId: e.caseId }) })));
    } finally {
      stream.close();
    }
  });

  it('resumes after Last-Event-ID with only the later events', async () => {
    const sighting = fed.findIndex((e) => e.entry.type === 'sighting');
    const later = fed.slice(sighting + 1).map((e) => e.eventId);
    // EventSource reconnects to the URL it first opened (here with since) and sends Last-Event-ID: the header wins.
    const stream = await openStream(`/v1/events/stream?since=${encodeURIComponent(since)}`, {
      authorization: `Bearer ${coordinator}`, 'last-event-id': fed[sighting]!.eventId,
    });
    try {
      expect(stream.response.status).toBe(200);
      await eventually(async () => (stream.messages.length >= later.length ? true : undefined), 10_000, 'the later events');
      expect(stream.messages.slice(0, later.length).map((m) => m.id)).toEqual(later);
      expect(typesOf(stream.events(), caseId)).toEqual(['alerted']);
    } finally {
      stream.close();
    }
  });

  it('delivers what happens while pages listen, to every open stream', async () => {
    const streams = await Promise.all([
      openStream('/v1/events/stream', { authorization: `Bearer ${station}` }),
      openStream(`/v1/events/stream?access_token=${patrol}`),
    ]);
    try {
      await new Promise((resolve) => setTimeout(resolve, 700));
      const created = await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody() });
      expect(created.status).toBe(201);
      for (const stream of streams) {
        await eventually(async () => (typesOf(stream.events(), created.body.caseId).includes('alerted') ? true : undefined), 15_000, 'the live events');
        expect(typesOf(stream.events(), created.body.caseId)).toEqual(['opened', 'sighting', 'alerted']);
        const ids = stream.messages.map((m) => m.id);
        expect(new Set(ids).size).toBe(ids.length);
      }
      expect(streams[0]!.messages.map((m) => m.id)).toEqual(streams[1]!.messages.map((m) => m.id));
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it('refuses without a valid token (401), for devices (403) and with a bad cursor (400), as problem details', async () => {
    const cases: [string, Record<string, string>, number, string?][] = [
      ['/v1/events/stream', {}, 401],
      ['/v1/events/stream?access_token=forged', {}, 401],
      [`/v1/events/stream?access_token=${device}`, {}, 403],
      ['/v1/events/stream', { authorization: `Bearer ${device}` }, 403],
      ['/v1/events/stream', { authorization: `Bearer ${station}`, 'last-event-id': 'garbage' }, 400, 'header:Last-Event-ID'],
      [`/v1/events/stream?after=garbage&access_token=${station}`, {}, 400, 'query.after'],
      [`/v1/events/stream?since=yesterday&access_token=${station}`, {}, 400, 'query.since'],
    ];
    for (const [path, headers, status, errorPath] of cases) {
      const response = await fetch(`${stack.url}${path}`, { headers });
      expect(response.status, path).toBe(status);
      expect(response.headers.get('content-type'), path).toContain('application/problem+json');
      const body = await response.json() as { status: number; errors?: { path: string }[] };
      expect(body.status).toBe(status);
      if (errorPath) expect(body.errors?.[0]?.path, path).toBe(errorPath);
    }
  });

  it('ends open streams when the stack stops, without waiting on them', async () => {
    const stream = await openStream(`/v1/events/stream?access_token=${station}`);
    expect(stream.response.status).toBe(200);
    const started = Date.now();
    await stack.stop();
    await stream.reading;
    expect(stream.ended()).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
