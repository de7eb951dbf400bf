import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HELP_POINT_KEY, DEMO_HELP_POINTS } from '#local/runtime/demo';
import type { LocalStack } from '#local/runtime/local-stack';
import { createDocumentClient } from '#shared/adapters/aws-clients';
import { apiKeyHash, DirectoryStore, type HelpPoint } from '#shared/store/directory-store';
import { Open311RequestStore } from '#shared/store/open311-request-store';
import { dynamoEndpoint } from '../support/engines';
import { ApiClient, startTestStack, synthesizeForTest, loadDemoDirectory } from '../support/local-stack';

/** Open311 GeoReport v2 as an Open311 client sees it: form posts, .json and .xml, api_key, Open311 errors. */
let stack: LocalStack;
let api: ApiClient;
let coordinator: string;
let patrol: string;

const DEMO = DEMO_HELP_POINTS[0]!;
const OTHER_KEY = 'another-help-point';
const OTHER: HelpPoint = {
  helpPointId: 'hp-test-other', name: '青山湖社区服务中心', location: { lat: 28.6897, lon: 115.9495 },
  apiKeyHash: apiKeyHash(OTHER_KEY), stationId: 'station-nc',
};

const xml = new XMLParser({ parseTagValue: false, isArray: (name) => ['service', 'request', 'error'].includes(name) });

interface Answer { status: number; type: string; text: string; json: any; xml: any; headers: Headers }

/** A call as an Open311 client makes it: a form body unless told otherwise, the format in the path. */
async function open311(method: 'GET' | 'POST', path: string, options: { form?: Record<string, string>; json?: unknown; raw?: { body: string; type: string }; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    body = new URLSearchParams(options.form).toString();
  } else if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.raw) {
    headers['content-type'] = options.raw.type;
    body = options.raw.body;
  }
  const response = await fetch(`${stack.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return {
    status: response.status, type, text, headers: response.headers,
    json: type.startsWith('application/json') ? JSON.parse(text) : undefined,
    xml: type.startsWith('text/xml') ? xml.parse(text) : undefined,
  };
}

/** Each report is its own place (about 550 m apart), so correlation never merges reports meant to be separate. */
let places = 0;
const nextPlace = () => {
  places += 1;
  return { lat: (28.70 + places * 0.005).toFixed(6), long: '115.8000' };
};

const report = (overrides: Record<string, string> = {}) => ({
  api_key: DEMO_HELP_POINT_KEY,
  service_code: 'person_in_need',
  ...nextPlace(),
  description: '桥下有位老人睡在纸板上，衣着单薄，叫他有回应',
  ...overrides,
});

const caseCount = async () => (await api.allCases(coordinator)).length;
/** What the table keeps of a report (nothing the API shows: the reporter's contact is for a call-back). */
const storedRecord = (requestId: string) => new Open311RequestStore(createDocumentClient(dynamoEndpoint()), process.env.TABLE_NAME!).get(requestId);

/** The case holding a report, from the newest cases (the e2e file's tests run one after another). */
const caseOfRequest = async (requestId: string) => {
  const { body } = await api.call('GET', '/v1/cases?limit=20', { token: coordinator });
  for (const summary of body.items as { caseId: string }[]) {
    const detail = (await api.call('GET', `/v1/cases/${summary.caseId}`, { token: coordinator })).body;
    if (detail.sightings.some((s: { sightingId: string }) => s.sightingId === requestId)) return detail;
  }
  throw new Error(`no case holds ${requestId}`);
};

const listed = async (key = DEMO_HELP_POINT_KEY, query = '') =>
  (await open311('GET', `/open311/v2/requests.json?api_key=${encodeURIComponent(key)}${query}`)).json as { service_request_id: string; status: string }[];

const expectOpen311Errors = (answer: Answer, status: number) => {
  expect(answer.status).toBe(status);
  const errors = answer.json ?? answer.xml?.errors?.error;
  expect(Array.isArray(errors), answer.text).toBe(true);
  expect(errors.length).toBeGreaterThan(0);
  for (const error of errors) {
    expect(Number(error.code)).toBe(status);
    expect(String(error.description).length).toBeGreaterThan(5);
  }
  return errors as { code: number | string; description: string }[];
};

beforeAll(async () => {
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates);
  // The directory the access policy checks members against: the demo city's station and teams.
  await loadDemoDirectory();
  api = new ApiClient(stack.url);
  const directory = new DirectoryStore(createDocumentClient(dynamoEndpoint()), process.env.TABLE_NAME!);
  await directory.putHelpPoint(DEMO);
  await directory.putHelpPoint(OTHER);
  coordinator = await api.token({ role: 'coordinator', sub: 'zhao.min' });
  patrol = await api.token({ role: 'patrol', sub: 'li.wei', teamId: 'team-01' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('GET services', () => {
  it('lists the services in JSON and the same in XML, bilingual, realtime, without metadata', async () => {
    const json = await open311('GET', '/open311/v2/services.json');
    expect(json.status).toBe(200);
    expect(json.type).toBe('application/json; charset=utf-8');
    const inNeed = json.json.find((s: { service_code: string }) => s.service_code === 'person_in_need');
    expect(inNeed).toEqual({
      service_code: 'person_in_need', service_name: expect.stringContaining('街头有人需要救助'), description: expect.any(String),
      metadata: false, type: 'realtime', keywords: expect.stringContaining('homeless'), group: expect.any(String),
    });
    expect(inNeed.service_name).toMatch(/Person in need/);

    const asXml = await open311('GET', '/open311/v2/services.xml');
    expect(asXml.status).toBe(200);
    expect(asXml.type).toBe('text/xml; charset=utf-8');
    expect(asXml.text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const services = asXml.xml.services.service as Record<string, string>[];
    expect(services).toEqual(json.json.map((s: Record<string, unknown>) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, String(v)]))));
  });
});

describe('POST requests', () => {
  it('turns a form-encoded report into exactly one case, reported by the public at that help point', async () => {
    const before = await caseCount();
    const fields = report({ email: 'reporter@example.cn', first_name: '李', phone: '13800000000', account_id: 'acct-42' });
    const created = await open311('POST', '/open311/v2/requests.json', { form: fields });
    expect(created.status).toBe(201);
    expect(created.json).toEqual([{ service_request_id: expect.any(String), service_notice: expect.stringContaining('110'), account_id: 'acct-42' }]);
    expect(await caseCount()).toBe(before + 1);

    const requestId = created.json[0].service_request_id as string;
    const detail = await caseOfRequest(requestId);
    const sighting = detail.sightings[0];
    expect(sighting).toMatchObject({
      source: 'public', helpPointId: DEMO.helpPointId, reportedBy: { sub: `help-point:${DEMO.helpPointId}`, role: 'public' },
      location: { lat: Number(fields.lat), lon: Number(fields.long) }, place: { type: 'bridge' },
      people: [{ ageGroup: 'unknown' }],
    });
    expect(sighting.note).toContain(fields.description);
    // Contact details are not spread to everyone who reads the case, and without a request for feedback not kept at all.
    expect(JSON.stringify(detail)).not.toContain('13800000000');
    expect(await storedRecord(requestId)).not.toHaveProperty('reporter');
  });

  it('keeps the contact of a reporter who asks for feedback, for 30 days', async () => {
    const created = await open311('POST', '/open311/v2/requests.json', { form: report({ phone: '13900000000', feedback: 'true' }) });
    expect(created.status).toBe(201);
    const record = await storedRecord(created.json[0].service_request_id as string);
    expect(record).toMatchObject({ reporter: { phone: '13900000000' } });
    const days = (Date.parse(record!.reporterUntil!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    const refused = await open311('POST', '/open311/v2/requests.json', { form: report({ feedback: 'perhaps' }) });
    expect(refused.status).toBe(400);
  });

  it('answers in XML when posted to requests.xml, and takes a JSON body too', async () => {
    const asXml = await open311('POST', '/open311/v2/requests.xml', { form: report() });
    expect(asXml.status).toBe(201);
    const [row] = asXml.xml.service_requests.request;
    expect(row.service_request_id).toMatch(/\S/);
    expect(row.account_id).toBe('');
    const asJson = await open311('POST', '/open311/v2/requests.json', { json: { ...report(), lat: 28.6, long: 115.7 } });
    expect(asJson.status).toBe(201);
    expect(asJson.json[0].account_id).toBeNull();
  });

  it('places an address-only report at the help point, imprecisely, and says so', async () => {
    const created = await open311('POST', '/open311/v2/requests.json', {
      form: { api_key: DEMO_HELP_POINT_KEY, service_code: 'person_in_need', address_string: '中山路与胜利路口地下通道', lat: '', long: '', description: '' },
    });
    expect(created.status).toBe(201);
    const requestId = created.json[0].service_request_id;
    const sighting = (await caseOfRequest(requestId)).sightings.find((s: { sightingId: string }) => s.sightingId === requestId);
    expect(sighting.location).toEqual({ lat: DEMO.location.lat, lon: DEMO.location.lon, accuracyM: 5000 });
    expect(sighting.place).toEqual({ type: 'underpass', name: '中山路与胜利路口地下通道' });
    expect(sighting.note).toMatch(/Not on a map/);
    const own = await open311('GET', `/open311/v2/requests/${requestId}.json?api_key=${DEMO_HELP_POINT_KEY}`);
    expect(own.json[0]).toMatchObject({ address: '中山路与胜利路口地下通道', lat: null, long: null });
  });

  it('honours Idempotency-Key: a retry (form or JSON) replays the answer and creates nothing; another body is 409', async () => {
    const fields = report();
    const headers = { 'idempotency-key': `open311-retry-${Date.now()}` };
    const first = await open311('POST', '/open311/v2/requests.json', { form: fields, headers });
    expect(first.status).toBe(201);
    const before = await caseCount();
    const listedBefore = (await listed()).length;
    const again = await open311('POST', '/open311/v2/requests.json', { form: fields, headers });
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    const asJson = await open311('POST', '/open311/v2/requests.json', { json: { ...fields, lat: Number(fields.lat), long: Number(fields.long) }, headers });
    expect(asJson.json).toEqual(first.json);
    const different = await open311('POST', '/open311/v2/requests.json', { form: { ...fields, description: '另一件事' }, headers });
    expectOpen311Errors(different, 409);
    expect(await caseCount()).toBe(before);
    expect((await listed()).length).toBe(listedBefore);
  });

  it('refuses every kind of bad input in Open311 error format, with the right status, and stores nothing', async () => {
    const before = await caseCount();
    const listedBefore = (await listed()).length;
    const { lat, long } = nextPlace();
    const cases: [string, Parameters<typeof open311>[2], number, RegExp][] = [
      ['no service_code', { form: { api_key: DEMO_HELP_POINT_KEY, lat, long } }, 400, /service_code/],
      ['lat without long', { form: report({ long: '' }) }, 400, /^long: .*together/],
      ['bad number', { form: report({ lat: '28.6N' }) }, 400, /^lat: .*decimal/],
      ['impossible coordinates', { form: report({ lat: '95', long: '200' }) }, 400, /between -90 and 90/],
      ['no fix (0,0)', { form: report({ lat: '0', long: '0' }) }, 400, /position fix/],
      ['no location', { form: { api_key: DEMO_HELP_POINT_KEY, service_code: 'person_in_need' } }, 400, /location is required/],
      ['description too long', { form: report({ description: '冷'.repeat(4001) }) }, 400, /^description: .*4000/],
      ['bad email', { form: report({ email: 'not-an-email' }) }, 400, /^email/],
      ['media_url not http', { form: report({ media_url: 'javascript:alert(1)' }) }, 400, /^media_url/],
      ['broken JSON', { raw: { body: '{"service_code": ', type: 'application/json' } }, 400, /JSON/],
      ['not a form', { raw: { body: 'hello', type: 'text/plain' } }, 415, /x-www-form-urlencoded/],
      ['long Idempotency-Key', { form: report(), headers: { 'idempotency-key': 'k'.repeat(129) } }, 400, /Idempotency-Key/],
      ['unknown service', { form: report({ service_code: 'pothole' }) }, 404, /service_code pothole was not found/],
      ['no api_key', { form: report({ api_key: '' }) }, 403, /api_key is required/],
      ['wrong api_key', { form: report({ api_key: 'guessed-key' }) }, 403, /invalid api_key/],
    ];
    for (const [what, options, status, description] of cases) {
      const answer = await open311('POST', '/open311/v2/requests.json', options);
      expect({ what, status: answer.status }).toEqual({ what, status });
      expect(answer.type, what).toBe('application/json; charset=utf-8');
      const errors = expectOpen311Errors(answer, status);
      expect(errors.map((e) => e.description).join(' | '), what).toMatch(description);
    }
    const inXml = await open311('POST', '/open311/v2/requests.xml', { form: report({ lat: '95' }) });
    expect(inXml.type).toBe('text/xml; charset=utf-8');
    expect(expectOpen311Errors(inXml, 400)[0]!.description).toMatch(/^lat: /);
    expect(await caseCount()).toBe(before);
    expect((await listed()).length).toBe(listedBefore);
  });
});

describe('GET requests/{id}', () => {
  it('shows a report in JSON and XML: in full to its help point, only its progress to anyone else', async () => {
    const fields = report({ address_string: '八一大桥北引桥下', media_url: 'https://img.example.cn/p/1.jpg' });
    const requestId = (await open311('POST', '/open311/v2/requests.json', { form: fields })).json[0].service_request_id as string;

    const own = await open311('GET', `/open311/v2/requests/${requestId}.json?api_key=${DEMO_HELP_POINT_KEY}`);
    expect(own.status).toBe(200);
    expect(own.json).toEqual([{
      service_request_id: requestId, status: 'open', status_notes: expect.any(String),
      service_name: expect.stringContaining('街头有人需要救助'), service_code: 'person_in_need',
      description: fields.description, agency_responsible: null, service_notice: null,
      requested_datetime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/),
      updated_datetime: expect.stringMatching(/\+08:00$/), expected_datetime: null,
      address: '八一大桥北引桥下', address_id: null, zipcode: null,
      lat: Number(fields.lat), long: Number(fields.long), media_url: 'https://img.example.cn/p/1.jpg',
    }]);

    const ownXml = await open311('GET', `/open311/v2/requests/${requestId}.xml?api_key=${DEMO_HELP_POINT_KEY}`);
    expect(ownXml.status).toBe(200);
    const [row] = ownXml.xml.service_requests.request;
    expect(row).toMatchObject({ service_request_id: requestId, status: 'open', lat: String(Number(fields.lat)), address: '八一大桥北引桥下', zipcode: '' });

    const withheld = { description: null, address: null, lat: null, long: null, media_url: null };
    const anyone = await open311('GET', `/open311/v2/requests/${requestId}.json`);
    expect(anyone.status).toBe(200);
    expect(anyone.json[0]).toMatchObject({ service_request_id: requestId, status: 'open', service_code: 'person_in_need', ...withheld });
    expect(anyone.text).not.toContain(fields.lat);
    const otherHelpPoint = await open311('GET', `/open311/v2/requests/${requestId}.json?api_key=${OTHER_KEY}`);
    expect(otherHelpPoint.json[0]).toMatchObject(withheld);
    const anyoneXml = await open311('GET', `/open311/v2/requests/${requestId}.xml`);
    expect(anyoneXml.xml.service_requests.request[0]).toMatchObject({ lat: '', long: '', description: '', address: '' });

    expectOpen311Errors(await open311('GET', `/open311/v2/requests/${requestId}.json?api_key=guessed`), 403);
  });

  it('is closed once the case is resolved, without telling the outcome', async () => {
    const requestId = (await open311('POST', '/open311/v2/requests.json', { form: report() })).json[0].service_request_id as string;
    const { caseId } = await caseOfRequest(requestId);
    expect((await api.call('POST', `/v1/cases/${caseId}/actions`, { token: patrol, body: { type: 'acknowledge' } })).status).toBe(200);
    expect((await api.call('POST', `/v1/cases/${caseId}/actions`, { token: patrol, body: { type: 'resolve', outcome: 'declined_help' } })).status).toBe(200);
    const closed = await open311('GET', `/open311/v2/requests/${requestId}.json?api_key=${DEMO_HELP_POINT_KEY}`);
    expect(closed.json[0].status).toBe('closed');
    expect(closed.text).not.toMatch(/declined/i);
    expect(Date.parse(closed.json[0].updated_datetime)).toBeGreaterThan(Date.parse(closed.json[0].requested_datetime) - 1000);
  });

  it('answers an unknown id or format with 404 in Open311 format', async () => {
    expectOpen311Errors(await open311('GET', '/open311/v2/requests/sig-01ARZ3NDEKTSV4RRFFQ69G5FAV.json'), 404);
    const inXml = await open311('GET', '/open311/v2/requests/sig-01ARZ3NDEKTSV4RRFFQ69G5FAV.xml');
    expect(inXml.type).toBe('text/xml; charset=utf-8');
    expectOpen311Errors(inXml, 404);
    expectOpen311Errors(await open311('GET', '/open311/v2/requests/123.html'), 404);
    expectOpen311Errors(await open311('GET', `/open311/v2/requests/${encodeURIComponent('../../etc')}.json`), 404);
  });
});

describe('GET requests', () => {
  it("lists only the calling help point's reports, newest first, with the standard's filters", async () => {
    // Same clock as the local stack's, so the reports below are requested at or after it and earlier ones before.
    const testStart = new Date().toISOString();
    const mine = await open311('POST', '/open311/v2/requests.json', { form: report() });
    const selfReferral = await open311('POST', '/open311/v2/requests.json', { form: report({ service_code: 'ask_for_help', description: '需要临时住宿' }) });
    const theirs = await open311('POST', '/open311/v2/requests.json', { form: report({ api_key: OTHER_KEY }) });
    const [mineId, selfId, theirsId] = [mine, selfReferral, theirs].map((a) => a.json[0].service_request_id as string);

    const all = await listed();
    const ids = all.map((r) => r.service_request_id);
    expect(ids.slice(0, 2)).toEqual([selfId, mineId]);
    expect(ids).not.toContain(theirsId);
    expect((await listed(OTHER_KEY)).map((r) => r.service_request_id)).toEqual([theirsId]);

    const byCode = await listed(DEMO_HELP_POINT_KEY, '&service_code=ask_for_help');
    expect(byCode.map((r) => r.service_request_id)).toEqual([selfId]);
    const closed = await listed(DEMO_HELP_POINT_KEY, '&status=closed');
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.every((r) => r.status === 'closed')).toBe(true);
    const open = await listed(DEMO_HELP_POINT_KEY, '&status=open');
    expect(open.every((r) => r.status === 'open')).toBe(true);
    expect(open.length + closed.length).toBe(all.length);
    expect((await listed(DEMO_HELP_POINT_KEY, '&status=open,closed')).length).toBe(all.length);

    const since = await listed(DEMO_HELP_POINT_KEY, `&start_date=${encodeURIComponent(testStart)}`);
    expect(since.map((r) => r.service_request_id)).toEqual([selfId, mineId]);
    const later = new Date(Date.now() + 3600_000).toISOString();
    expect(await listed(DEMO_HELP_POINT_KEY, `&start_date=${encodeURIComponent(later)}`)).toEqual([]);
    const anHourAgo = new Date(Date.now() - 3600_000).toISOString();
    expect(await listed(DEMO_HELP_POINT_KEY, `&end_date=${encodeURIComponent(anHourAgo)}`)).toEqual([]);

    // service_request_id overrides every other filter, and still shows nothing of another help point.
    const picked = await listed(DEMO_HELP_POINT_KEY, `&service_request_id=${mineId},${theirsId}&status=closed`);
    expect(picked.map((r) => r.service_request_id)).toEqual([mineId]);

    const asXml = await open311('GET', `/open311/v2/requests.xml?api_key=${DEMO_HELP_POINT_KEY}&service_code=ask_for_help`);
    expect(asXml.xml.service_requests.request.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([selfId]);
    const none = await open311('GET', `/open311/v2/requests.xml?api_key=${DEMO_HELP_POINT_KEY}&service_code=nothing`);
    expect(none.status).toBe(200);
    expect(none.xml.service_requests).toBe('');
  });

  it('needs a valid api_key and refuses bad filters in Open311 format', async () => {
    expectOpen311Errors(await open311('GET', '/open311/v2/requests.json'), 403);
    expectOpen311Errors(await open311('GET', '/open311/v2/requests.xml?api_key=guessed'), 403);
    const key = `api_key=${DEMO_HELP_POINT_KEY}`;
    const bad: [string, RegExp][] = [
      ['status=pending', /^status/],
      ['start_date=yesterday', /^start_date/],
      ['start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z', /90 days/],
      ['start_date=2025-06-01T00:00:00Z&end_date=2025-01-01T00:00:00Z', /after end_date/],
      [`service_request_id=${Array.from({ length: 101 }, (_, i) => `id${i}`).join(',')}`, /at most 100/],
    ];
    for (const [query, description] of bad) {
      const errors = expectOpen311Errors(await open311('GET', `/open311/v2/requests.json?${key}&${query}`), 400);
      expect(errors.map((e) => e.description).join(' | '), query).toMatch(description);
    }
  });
});
