import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiIso } from '#shared/domain/shanghai-clock';
import type { LocalStack } from '#local/runtime/local-stack';
import { isHolidayNight, nightOf, nightWindow } from '#shared/domain/campaign';
import { ApiClient, eventually, loadDemoDirectory, startTestStack, synthesizeForTest } from '../support/local-stack';
import { jpegWithMetadata } from '../support/image-fixtures';
import { dynamoEndpoint } from '../support/engines';
import { createDocumentClient } from '#shared/adapters/aws-clients';
import { DirectoryStore } from '#shared/store/directory-store';

/**
 * The campaign through the API (contract v1.1): hot spots, the teams' positions, check-ins, a night's coverage and
 * CAP warnings, with the input field devices really send: late, out of order, resent, off by tens of metres, hostile.
 */
let stack: LocalStack;
let api: ApiClient;
let coordinator: string;
let station: string;
let patrol: string;
let otherPatrol: string;
let observatory: string;
const run = Date.now().toString(36);

const CAP_FIXTURE = readFileSync(new URL('../fixtures/cap/cold-wave-yellow.xml', import.meta.url), 'utf8');

/** A CAP alert from the fixture, with its identifier, times and message type changed. */
function cap(options: { identifier: string; onset: number; expires: number; msgType?: string; references?: string; event?: string }) {
  let xml = CAP_FIXTURE
    .replace(/<identifier>[^<]*<\/identifier>/, `<identifier>${options.identifier}</identifier>`)
    .replace(/<sent>[^<]*<\/sent>/, `<sent>${shanghaiIso(options.onset - 3_600_000)}</sent>`)
    .replace(/<onset>[^<]*<\/onset>/, `<onset>${shanghaiIso(options.onset)}</onset>`)
    .replace(/<expires>[^<]*<\/expires>/, `<expires>${shanghaiIso(options.expires)}</expires>`);
  if (options.msgType) xml = xml.replace('<msgType>Alert</msgType>', `<msgType>${options.msgType}</msgType>`);
  if (options.references) xml = xml.replace('<scope>Public</scope>', `<scope>Public</scope>\n  <references>${options.references}</references>`);
  if (options.event) xml = xml.replace(/<event>[^<]*<\/event>/, `<event>${options.event}</event>`);
  return xml;
}
const postCap = (xml: string, token = observatory) =>
  api.call('POST', '/v1/warnings', { token, rawBody: xml, headers: { 'content-type': 'application/cap+xml' } });

/** A point `north` and `east` metres from a place. */
const offset = (place: { lat: number; lon: number }, north: number, east = 0) => ({
  lat: place.lat + north / 111_320, lon: place.lon + east / (111_320 * Math.cos((place.lat * Math.PI) / 180)),
});

beforeAll(async () => {
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates);
  await loadDemoDirectory();
  api = new ApiClient(stack.url);
  coordinator = await api.token({ role: 'coordinator', sub: 'zhao.min' });
  station = await api.token({ role: 'station', sub: 'duty', stationId: 'station-nc' });
  patrol = await api.token({ role: 'patrol', sub: 'li.wei', teamId: 'team-01' });
  otherPatrol = await api.token({ role: 'patrol', sub: 'sun.li', teamId: 'team-03' });
  observatory = await api.token({ role: 'device', sub: 'nc-met', deviceId: 'nc-met' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('hot spots', () => {
  it('are registered, listed as JSON and GeoJSON, replaced and removed by a coordinator', async () => {
    const body = { name: `抚河桥下-${run}`, type: 'bridge', location: { lat: 28.70, lon: 115.95 }, priority: 'high', district: '东湖区' };
    const created = await api.call('POST', '/v1/hot-spots', { token: coordinator, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...body, radiusM: 50 });
    const { hotSpotId } = created.body;

    expect((await api.call('POST', '/v1/hot-spots', { token: patrol, body })).status).toBe(403);
    const listed = await api.call('GET', '/v1/hot-spots', { token: patrol });
    expect(listed.status).toBe(200);
    expect(listed.body.items.find((h: { hotSpotId: string }) => h.hotSpotId === hotSpotId)).toMatchObject(body);

    const geo = await api.call('GET', '/v1/hot-spots?format=geojson', { token: station });
    expect(geo.headers.get('content-type')).toContain('application/geo+json');
    expect(geo.body.type).toBe('FeatureCollection');
    expect(geo.body.features.find((f: { id: string }) => f.id === hotSpotId)).toMatchObject({
      geometry: { type: 'Point', coordinates: [115.95, 28.70] }, properties: { name: body.name, priority: 'high' },
    });

    const replaced = await api.call('PUT', `/v1/hot-spots/${hotSpotId}`, { token: coordinator, body: { ...body, radiusM: 80, priority: 'normal' } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ hotSpotId, radiusM: 80, priority: 'normal' });

    expect((await api.call('DELETE', `/v1/hot-spots/${hotSpotId}`, { token: coordinator })).status).toBe(204);
    expect((await api.call('DELETE', `/v1/hot-spots/${hotSpotId}`, { token: coordinator })).status).toBe(404);
    expect((await api.call('PUT', `/v1/hot-spots/${hotSpotId}`, { token: coordinator, body })).status).toBe(404);
  });

  it('refuses bad hot spots and bad imports whole, storing nothing', async () => {
    const before = (await api.call('GET', '/v1/hot-spots', { token: coordinator })).body.items.length;
    const bad = await api.call('POST', '/v1/hot-spots', { token: coordinator, body: { name: 'x', type: 'bridge', location: { lat: 95, lon: 115 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('location.lat');
    const feature = (id: string, lon: number, lat: number, extra: Record<string, unknown> = {}) => ({
      type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { name: `导入-${id}`, type: 'culvert', ...extra },
    });
    const broken = await api.call('POST', '/v1/hot-spots/import', {
      token: coordinator,
      body: { type: 'FeatureCollection', features: [feature(`imp-a-${run}`, 115.9, 28.6), feature(`imp-b-${run}`, 115.9, 28.6, { radiusM: -3 })] },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0].path).toBe('features[1].properties.radiusM');
    expect((await api.call('GET', '/v1/hot-spots', { token: coordinator })).body.items).toHaveLength(before);

    const collection = { type: 'FeatureCollection', features: [feature(`imp-a-${run}`, 115.9, 28.6, { source: 'QGIS' }), feature(`imp-b-${run}`, 115.91, 28.61, { priority: 'high' })] };
    const imported = await api.call('POST', '/v1/hot-spots/import', { token: coordinator, body: collection, headers: { 'content-type': 'application/geo+json' } });
    expect(imported).toMatchObject({ status: 200, body: { created: 2, replaced: 0 } });
    expect((await api.call('POST', '/v1/hot-spots/import', { token: coordinator, body: collection })).body).toEqual({ created: 0, replaced: 2 });
    expect((await api.call('POST', '/v1/hot-spots', { token: coordinator, body: { hotSpotId: `imp-a-${run}`, name: 'dup', type: 'bridge', location: { lat: 28.6, lon: 115.9 } } })).status).toBe(409);
  });
});

describe('positions', () => {
  it('takes a batch item by item, answers a resend as duplicates, and keeps the last position for the desk', async () => {
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    const positions = [
      { at: at(3), lat: 28.6601, lon: 115.9001, accuracyM: 12 },
      { at: at(2), lat: 95, lon: 115.9 },
      { at: new Date(now + 3_600_000).toISOString(), lat: 28.66, lon: 115.9 },
      { at: at(60 * 49), lat: 28.66, lon: 115.9 },
      { at: at(1), lat: 28.6602, lon: 115.9002 },
      { at: at(1), lat: 28.6602, lon: 115.9002 },
    ];
    const first = await api.call('POST', '/v1/positions', { token: otherPatrol, body: { positions } });
    expect(first.status).toBe(200);
    expect(first.body.accepted).toBe(2);
    expect(first.body.duplicates).toBe(1);
    expect(first.body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3]);
    expect(first.body.rejected[1].error).toContain('future');
    expect(first.body.rejected[2].error).toContain('48 hours');

    const again = await api.call('POST', '/v1/positions', { token: otherPatrol, body: { positions } });
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 3 });

    // Sent late: an older position does not move the team back.
    await api.call('POST', '/v1/positions', { token: otherPatrol, body: { positions: [{ at: at(30), lat: 28.7, lon: 115.8 }] } });
    const teams = await api.call('GET', '/v1/teams', { token: station });
    expect(teams.body.items.find((t: { teamId: string }) => t.teamId === 'team-03').lastPosition).toMatchObject({ at: at(1), lat: 28.6602, lon: 115.9002 });
    const asPatrol = await api.call('GET', '/v1/teams', { token: patrol });
    expect(asPatrol.body.items.every((t: { lastPosition?: unknown }) => t.lastPosition === undefined)).toBe(true);

    expect((await api.call('POST', '/v1/positions', { token: otherPatrol, body: { positions: [] } })).status).toBe(400);
    expect((await api.call('POST', '/v1/positions', { token: coordinator, body: { positions } })).status).toBe(403);
  });
});

describe('coverage', () => {
  it('counts dwells and check-ins against targets, with positions late, out of order and off by tens of metres', async () => {
    // Last night, so that every position lies in the past and inside the night's hours.
    const night = nightOf(Date.now() - 24 * 3_600_000);
    const { start, end } = nightWindow(night);
    const spot = { lat: 28.7302, lon: 115.9654 };
    const created = await api.call('POST', '/v1/hot-spots', {
      token: coordinator, body: { name: `覆盖测试桥-${run}`, type: 'bridge', location: spot, radiusM: 40, priority: 'high' },
    });
    const hotSpotId = created.body.hotSpotId as string;
    const lonely = await api.call('POST', '/v1/hot-spots', {
      token: coordinator, body: { name: `无人检查-${run}`, type: 'culvert', location: offset(spot, 3_000), priority: 'normal' },
    });

    // 21:00: team-01 walks in, stands 7 minutes (fixes wander ±25 m, one strays 70 m out for a moment), walks off.
    const t0 = start + 3 * 3_600_000;
    const walk: { minute: number; north: number; east?: number }[] = [
      { minute: -2, north: 300 }, { minute: -1, north: 150 },
      ...Array.from({ length: 8 }, (_, i) => ({ minute: i, north: ((i * 37) % 50) - 25, east: ((i * 53) % 40) - 20 })),
      { minute: 3.5, north: 70 },
      { minute: 9, north: 200 }, { minute: 10, north: 400 },
    ];
    const positions = walk.map((p) => ({ at: new Date(t0 + p.minute * 60_000).toISOString(), ...offset(spot, p.north, p.east ?? 0), accuracyM: 15 }));
    // Delivered late and backwards, in two batches, one of them twice.
    const shuffled = [...positions].reverse();
    await api.call('POST', '/v1/positions', { token: patrol, body: { positions: shuffled.slice(0, 6) } });
    await api.call('POST', '/v1/positions', { token: patrol, body: { positions: shuffled.slice(6) } });
    await api.call('POST', '/v1/positions', { token: patrol, body: { positions: shuffled.slice(6) } });

    let coverage = await api.call('GET', `/v1/coverage?night=${night}`, { token: station });
    expect(coverage.status).toBe(200);
    const holiday = isHolidayNight(night);
    expect(coverage.body).toMatchObject({ night, holiday, coldWave: false });
    let item = coverage.body.items.find((i: { hotSpotId: string }) => i.hotSpotId === hotSpotId);
    expect(item).toMatchObject({ checks: 1, target: 2 + (holiday ? 1 : 0), covered: false, lastTeamId: 'team-01' });

    // A check-in 220 m away (5.5 radii) is refused with the distance; one at the bridge, an hour later, counts.
    const far = await api.call('POST', `/v1/hot-spots/${hotSpotId}/checks`, {
      token: otherPatrol, body: { at: new Date(t0 + 3_600_000).toISOString(), location: offset(spot, 220), outcome: 'nobody' },
    });
    expect(far.status).toBe(409);
    expect(far.body.detail).toMatch(/22\d m/);
    const found = await api.call('POST', `/v1/hot-spots/${hotSpotId}/checks`, {
      token: otherPatrol, headers: { 'idempotency-key': `check-${run}` },
      body: {
        at: new Date(t0 + 3_600_000).toISOString(), location: { ...offset(spot, 30), accuracyM: 20 }, outcome: 'people_found',
        people: [{ ageGroup: 'elderly', conditions: ['inadequate_clothing'] }], note: '桥下一位老人',
      },
    });
    expect(found.status).toBe(201);
    expect(found.body).toMatchObject({ checkId: expect.any(String), sightingId: expect.any(String), caseId: expect.any(String) });
    const replay = await api.call('POST', `/v1/hot-spots/${hotSpotId}/checks`, {
      token: otherPatrol, headers: { 'idempotency-key': `check-${run}` },
      body: {
        at: new Date(t0 + 3_600_000).toISOString(), location: { ...offset(spot, 30), accuracyM: 20 }, outcome: 'people_found',
        people: [{ ageGroup: 'elderly', conditions: ['inadequate_clothing'] }], note: '桥下一位老人',
      },
    });
    expect(replay.body).toEqual(found.body);
    const theCase = await api.call('GET', `/v1/cases/${found.body.caseId}`, { token: coordinator });
    expect(theCase.body.sightingCount).toBe(1);

    coverage = await api.call('GET', `/v1/coverage?night=${night}`, { token: coordinator });
    item = coverage.body.items.find((i: { hotSpotId: string }) => i.hotSpotId === hotSpotId);
    expect(item).toMatchObject({ checks: 2, lastTeamId: 'team-03', covered: !holiday });
    expect(coverage.body.items.find((i: { hotSpotId: string }) => i.hotSpotId === lonely.body.hotSpotId)).toMatchObject({ checks: 0, covered: false });
    // Uncovered first.
    const coveredFlags = coverage.body.items.map((i: { covered: boolean }) => i.covered);
    expect(coveredFlags).toEqual([...coveredFlags].sort((a: boolean, b: boolean) => Number(a) - Number(b)));

    // A cold-wave warning in force during that night raises every target by one.
    const posted = await postCap(cap({ identifier: `NCMET-cov-${run}`, onset: start + 3_600_000, expires: end - 3_600_000 }));
    expect(posted.status).toBe(201);
    coverage = await api.call('GET', `/v1/coverage?night=${night}`, { token: coordinator });
    expect(coverage.body.coldWave).toBe(true);
    item = coverage.body.items.find((i: { hotSpotId: string }) => i.hotSpotId === hotSpotId);
    expect(item).toMatchObject({ target: 3 + (holiday ? 1 : 0), checks: 2, covered: false });

    // A second station, far off, with a hot spot of its own: each station sees its own share, the coordinator all.
    const directory = new DirectoryStore(createDocumentClient(dynamoEndpoint()), process.env.TABLE_NAME!);
    await directory.put('station', { stationId: 'station-far', name: '远郊站', location: { lat: 29.5, lon: 116.5 } });
    try {
      const far = await api.call('POST', '/v1/hot-spots', { token: coordinator, body: { name: `远郊桥-${run}`, type: 'bridge', location: { lat: 29.501, lon: 116.5 } } });
      const farStation = await api.token({ role: 'station', sub: 'far.duty', stationId: 'station-far' });
      const ids = async (token: string) => (await api.call('GET', `/v1/coverage?night=${night}`, { token })).body.items.map((i: { hotSpotId: string }) => i.hotSpotId);
      expect(await ids(farStation)).toEqual([far.body.hotSpotId]);
      expect(await ids(station)).not.toContain(far.body.hotSpotId);
      expect(await ids(station)).toContain(hotSpotId);
      expect(await ids(coordinator)).toEqual(expect.arrayContaining([far.body.hotSpotId, hotSpotId]));
      await api.call('DELETE', `/v1/hot-spots/${far.body.hotSpotId}`, { token: coordinator });
    } finally {
      await directory.remove('station', 'station-far');
    }

    expect((await api.call('GET', '/v1/coverage?night=2026-13-01', { token: coordinator })).status).toBe(400);
    expect((await api.call('GET', '/v1/coverage', { token: patrol })).status).toBe(403);
    // A station the directory does not know reads nothing of the campaign, as with cases.
    const stranger = await api.token({ role: 'station', sub: 'nobody', stationId: 'station-nowhere' });
    expect((await api.call('GET', '/v1/coverage', { token: stranger })).status).toBe(403);
    expect((await api.call('GET', '/v1/reports/daily', { token: stranger })).status).toBe(403);
  });
});

describe('warnings', () => {
  it('stores a CAP alert once, ends it on Cancel, and refuses hostile or broken documents storing nothing', async () => {
    const now = Date.now();
    const identifier = `NCMET-${run}`;
    const alert = cap({ identifier, onset: now - 3_600_000, expires: now + 86_400_000 });
    const first = await postCap(alert);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ identifier, msgType: 'Alert', event: '寒潮黄色预警', level: 'yellow', coldWave: true, areas: ['南昌市'] });
    const again = await postCap(alert);
    expect(again.status).toBe(200);
    expect(again.body.warningId).toBe(first.body.warningId);
    const active = async () => (await api.call('GET', '/v1/warnings?active=true', { token: patrol })).body.items.map((w: { identifier: string }) => w.identifier);
    expect(await active()).toContain(identifier);

    const count = async () => (await api.call('GET', '/v1/warnings', { token: coordinator })).body.items.length;
    const before = await count();
    const hostile = [
      alert.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace('南昌市</areaDesc>', '&xxe;</areaDesc>'),
      alert.replace('cap:1.2', 'cap:1.1'),
      alert.replace(/<sender>[^<]*<\/sender>/, ''),
      alert.replace('</alert>', ''),
      `<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>${'x'.repeat(300 * 1024)}</identifier></alert>`,
    ];
    for (const xml of hostile) {
      const refused = await postCap(xml.replace(identifier, `${identifier}-bad`));
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await count()).toBe(before);
    expect((await api.call('POST', '/v1/warnings', { token: observatory, body: { xml: alert } })).status).toBe(415);
    expect((await postCap(alert, patrol)).status).toBe(403);

    // An Update replaces it (red now); a Cancel of the update ends it.
    const update = cap({ identifier: `${identifier}-u`, onset: now - 1_800_000, expires: now + 86_400_000, msgType: 'Update', references: `nanchang.meteorological.observatory,${identifier},2026-12-02T16:00:00+08:00`, event: '寒潮红色预警' });
    expect((await postCap(update)).body).toMatchObject({ level: 'red', msgType: 'Update' });
    expect(await active()).not.toContain(identifier);
    expect(await active()).toContain(`${identifier}-u`);
    const cancel = cap({ identifier: `${identifier}-c`, onset: now, expires: now + 3_600_000, msgType: 'Cancel', references: `nanchang.meteorological.observatory,${identifier}-u,2026-12-02T16:30:00+08:00` });
    expect((await postCap(cancel)).status).toBe(201);
    expect(await active()).not.toContain(`${identifier}-u`);
    expect(await active()).not.toContain(`${identifier}-c`);
  });
});

describe('a cold wave in force', () => {
  it('grades people outdoors one level more urgent and shortens the deadline to acknowledge', async () => {
    const report = (lon: number) => api.call('POST', '/v1/sightings', {
      token: patrol,
      body: {
        observedAt: new Date(Date.now() - 60_000).toISOString(), location: { lat: 28.5501, lon, accuracyM: 10 },
        place: { type: 'street' }, people: [{ ageGroup: 'adult' }],
      },
    });
    const minutesToAcknowledge = async (caseId: string) => {
      const { alert } = (await api.call('GET', `/v1/cases/${caseId}`, { token: coordinator })).body;
      return (Date.parse(alert.deadline) - Date.parse(alert.alertedAt)) / 60_000;
    };
    const before = await report(115.70);
    expect(before.status).toBe(201);
    const identifier = `NCMET-wave-${run}`;
    expect((await postCap(cap({ identifier, onset: Date.now() - 600_000, expires: Date.now() + 3_600_000 }))).status).toBe(201);
    const during = await report(115.71);
    const levels = ['blue', 'yellow', 'orange', 'red'];
    expect(levels.indexOf(during.body.risk)).toBe(Math.min(3, levels.indexOf(before.body.risk) + 1));
    const ackMinutes = { blue: [240, 120], yellow: [60, 30], orange: [15, 10], red: [5, 3] } as Record<string, [number, number]>;
    expect(await minutesToAcknowledge(before.body.caseId)).toBe(ackMinutes[before.body.risk]![0]);
    expect(await minutesToAcknowledge(during.body.caseId)).toBe(ackMinutes[during.body.risk]![1]);
    // Ended, the rules are off again.
    await postCap(cap({ identifier: `${identifier}-c`, onset: Date.now(), expires: Date.now() + 3_600_000, msgType: 'Cancel', references: `nanchang.meteorological.observatory,${identifier},x` }));
    const after = await report(115.72);
    expect(after.body.risk).toBe(before.body.risk);
  });
});

describe("the night's report", () => {
  it('answers JSON, CSV and a PDF in Chinese with the cases, the coverage and the warnings of the night', async () => {
    const night = nightOf(Date.now() - 24 * 3_600_000);
    const json = await api.call('GET', `/v1/reports/daily?date=${night}`, { token: coordinator });
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ date: night, scope: 'city', coverage: { coldWave: true } });
    const bridge = json.body.coverage.items.find((i: { name: string }) => i.name === `覆盖测试桥-${run}`);
    expect(bridge).toMatchObject({ checks: 2, covered: false });
    expect(json.body.warnings.map((w: { event: string }) => w.event)).toContain('寒潮黄色预警');

    const csv = await fetch(`${stack.url}/v1/reports/daily?date=${night}`, { headers: { authorization: `Bearer ${coordinator}`, accept: 'text/csv' } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const raw = new Uint8Array(await csv.arrayBuffer());
    // A byte order mark first, so that Excel reads the Chinese as UTF-8.
    expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(raw);
    expect(text).toContain(`coverage_hot_spot,覆盖测试桥-${run},2/`);
    expect(text.split('\r\n')[0]).toBe('section,item,value,detail');

    const pdf = await fetch(`${stack.url}/v1/reports/daily?date=${night}`, { headers: { authorization: `Bearer ${coordinator}`, accept: 'application/pdf' } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const { extractText, getDocumentProxy } = await import('unpdf');
    const { text: pages } = await extractText(await getDocumentProxy(bytes), { mergePages: true });
    expect(pages).toContain('夜间工作日报');
    expect(pages).toContain('重点点位巡查');
    expect(pages).toContain(`覆盖测试桥-${run}`);
    expect(pages).toContain('寒潮');

    const stationReport = await api.call('GET', `/v1/reports/daily?date=${night}`, { token: station });
    expect(stationReport.body.scope).toEqual({ stationId: 'station-nc' });
    expect((await api.call('GET', '/v1/reports/daily', { token: patrol })).status).toBe(403);
    expect((await api.call('GET', '/v1/reports/daily?date=yesterday', { token: coordinator })).status).toBe(400);
  });
});

describe('supplies', () => {
  it("take a station's count, refuse a bad one whole, and keep each station to its own", async () => {
    const stock = { quilts: 100, cotton_coats: 100, hot_meals: 200, medicine_kits: 50 };
    const counted = await api.call('PUT', '/v1/supplies/station-nc', { token: station, body: { stock } });
    expect(counted.status).toBe(200);
    expect(counted.body).toMatchObject({ stationId: 'station-nc', stock, shortfalls: [] });
    const bad = await api.call('PUT', '/v1/supplies/station-nc', { token: station, body: { stock: { ...stock, quilts: -1 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('stock.quilts');
    expect((await api.call('GET', '/v1/supplies', { token: station })).body.items[0].stock).toEqual(stock);
    expect((await api.call('PUT', '/v1/supplies/station-elsewhere', { token: station, body: { stock } })).status).toBe(403);
    expect((await api.call('PUT', '/v1/supplies/station-elsewhere', { token: coordinator, body: { stock } })).status).toBe(404);
    expect((await api.call('GET', '/v1/supplies', { token: patrol })).status).toBe(403);
  });
});

describe('a check-in with its photo (拍照打卡)', () => {
  it('keeps the photo without its metadata, names it on the check-in, and shows it to the station', async () => {
    const spot = (await api.call('POST', '/v1/hot-spots', {
      token: coordinator, body: { name: `拍照点位-${run}`, type: 'underpass', location: { lat: 28.7402, lon: 115.9754 } },
    })).body;
    const jpeg = Buffer.from(jpegWithMetadata({ make: 'HUAWEI', dateTimeOriginal: '2026:12:02 23:10:00', offsetTimeOriginal: '+08:00', gps: { lat: 28.7402, lon: 115.9754 } }));
    const upload = await api.call('POST', '/v1/uploads', { token: otherPatrol, body: { purpose: 'check_in_photo', contentType: 'image/jpeg', sizeBytes: jpeg.length } });
    expect(upload.status).toBe(201);
    expect((await api.call('POST', '/v1/uploads', { token: coordinator, body: { purpose: 'check_in_photo', contentType: 'image/jpeg', sizeBytes: jpeg.length } })).status).toBe(403);
    const put = await fetch(upload.body.url, { method: 'PUT', headers: upload.body.headers, body: jpeg });
    expect(put.status).toBe(200);
    await eventually(async () => ((await api.call('GET', `/v1/uploads/${upload.body.uploadId}`, { token: otherPatrol })).body.status === 'stored' ? true : undefined));
    const at = new Date(Date.now() - 60_000).toISOString();
    const checked = await api.call('POST', `/v1/hot-spots/${spot.hotSpotId}/checks`, {
      token: otherPatrol, body: { at, location: { lat: 28.7402, lon: 115.9754, accuracyM: 10 }, outcome: 'nobody', photoUploadId: upload.body.uploadId },
    });
    expect(checked.status).toBe(201);
    // Someone else's photo is not a check-in's.
    expect((await api.call('POST', `/v1/hot-spots/${spot.hotSpotId}/checks`, {
      token: patrol, body: { at, location: { lat: 28.7402, lon: 115.9754 }, outcome: 'nobody', photoUploadId: upload.body.uploadId },
    })).status).toBe(400);
    const listed = await api.call('GET', `/v1/hot-spots/${spot.hotSpotId}/checks?night=${nightOf(Date.parse(at))}`, { token: station });
    expect(listed.status).toBe(200);
    const [item] = listed.body.items;
    expect(item).toMatchObject({ checkId: checked.body.checkId, teamId: 'team-03', outcome: 'nobody', photoUrl: expect.any(String) });
    const photo = new Uint8Array(await (await fetch(item.photoUrl)).arrayBuffer());
    expect(photo.length).toBeGreaterThan(1000);
    // The copy shown carries no GPS: its EXIF is gone.
    expect(Buffer.from(photo).includes(Buffer.from('Exif'))).toBe(false);
    expect((await api.call('GET', `/v1/hot-spots/${spot.hotSpotId}/checks`, { token: patrol })).status).toBe(403);
  });
});
