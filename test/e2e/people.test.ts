import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#shared/adapters/aws-clients';
import { DirectoryStore } from '#shared/store/directory-store';
import type { LocalStack } from '#local/runtime/local-stack';
import { dynamoEndpoint } from '../support/engines';
import { plainJpeg } from '../support/image-fixtures';
import { ApiClient, eventually, loadDemoDirectory, sightingBody, startTestStack, synthesizeForTest } from '../support/local-stack';

/**
 * People's files (contract v1.1, "People (一人一档), station care, family search") through the API on the local
 * engines: who may read a file, the intake that opens one, the family search and its 24-hour deadline kept by the
 * person workflow (TIME_SCALE 0.0001: 24 h → 8.6 s, the coordinator 2 h later → 0.7 s more), the notice as JSON and
 * PDF, a minor's notice held for the chief, and two stations taking one person in at once.
 */
const TIME_SCALE = 0.0001;

let stack: LocalStack;
let api: ApiClient;
let patrol: string;
let otherPatrol: string;
let station: string;
let chief: string;
let otherStation: string;
let coordinator: string;
let secondDesk: string;
let device: string;

beforeAll(async () => {
  const { templates } = await synthesizeForTest({ timeScale: TIME_SCALE });
  stack = await startTestStack(templates, { timeScale: TIME_SCALE });
  await loadDemoDirectory();
  // A second station far away (九江): it is responsible for none of the cases below.
  const directory = new DirectoryStore(createDocumentClient(dynamoEndpoint()), process.env.TABLE_NAME!);
  await directory.put('station', { stationId: 'station-jj', name: '九江市救助管理站', location: { lat: 29.705, lon: 116.0019 } });
  await directory.put('team', { teamId: 'team-jj', name: '九江巡查队', stationId: 'station-jj', location: { lat: 29.705, lon: 116.0019 }, onDuty: true });
  api = new ApiClient(stack.url);
  patrol = await api.token({ role: 'patrol', sub: 'wang.fang', teamId: 'team-02' });
  otherPatrol = await api.token({ role: 'patrol', sub: 'jj.member', teamId: 'team-jj' });
  station = await api.token({ role: 'station', sub: 'duty-officer', stationId: 'station-nc' });
  chief = await api.token({ role: 'station', sub: 'chief-nc', stationId: 'station-nc' });
  otherStation = await api.token({ role: 'station', sub: 'jj-duty', stationId: 'station-jj' });
  coordinator = await api.token({ role: 'coordinator', sub: 'li.wei' });
  secondDesk = await api.token({ role: 'station', sub: 'duty-officer-2', stationId: 'station-nc' });
  device = await api.token({ role: 'device', sub: 'drone-03', deviceId: 'drone-03' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const newCase = async (overrides: Record<string, unknown> = {}) => {
  const created = await api.call('POST', '/v1/sightings', { token: patrol, body: sightingBody(overrides) });
  expect(created.status).toBe(201);
  return created.body.caseId as string;
};
const act = (caseId: string, token: string, body: Record<string, unknown>) => api.call('POST', `/v1/cases/${caseId}/actions`, { token, body });
const file = (personId: string, token = station) => api.call('GET', `/v1/people/${personId}`, { token });

/** A case the patrol took and escorted to the station: the intake is the station's to make. */
async function escorted() {
  const caseId = await newCase();
  await eventually(async () => ((await api.call('GET', `/v1/cases/${caseId}`, { token: station })).body.status === 'alerted' ? true : undefined), 15_000, 'alerted');
  expect((await act(caseId, patrol, { type: 'acknowledge' })).status).toBe(200);
  expect((await act(caseId, patrol, { type: 'arrive', location: { lat: 28.683, lon: 115.858, accuracyM: 6 } })).status).toBe(200);
  expect((await act(caseId, patrol, { type: 'resolve', outcome: 'escorted_to_station', stationId: 'station-nc' })).status).toBe(200);
  return caseId;
}

describe('a person\'s file', () => {
  it('is opened by the patrol of the case, read by the station and coordinator, never by patrol, device or another station', async () => {
    const caseId = await newCase();
    const created = await api.call('POST', '/v1/people', {
      token: patrol, body: { caseId, identified: false, ageGroup: 'elderly', estimatedAge: 72, sex: 'male', dialect: '南昌话', conditions: ['ill'] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const personId = created.body.personId as string;
    expect(created.headers.get('location')).toBe(`/v1/people/${personId}`);
    // An elderly man of 72, ill, found outside: the rules grade him red.
    expect(created.body.grade).toMatchObject({ level: 'red', set: 'rules' });
    expect(created.body.familySearch.status).toBe('not_started');

    const read = await file(personId);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ personId, dialect: '南昌话', encounters: [{ caseId, kind: 'met' }] });
    expect((await file(personId, coordinator)).status).toBe(200);
    expect((await file(personId, patrol)).status).toBe(403);
    expect((await file(personId, device)).status).toBe(403);
    expect((await file(personId, otherStation)).status).toBe(404);

    // The team sees, in its case, what it needs to help: name or number, grade, dialect.
    const detail = (await api.call('GET', `/v1/cases/${caseId}`, { token: patrol })).body;
    expect(detail.files).toEqual([expect.objectContaining({ personId, grade: 'red', dialect: '南昌话', label: created.body.number })]);
    expect(JSON.stringify(detail.files)).not.toContain('features');

    // Every read of the file is in its access log, for the coordinator.
    const log = await api.call('GET', `/v1/people/${personId}/access-log`, { token: coordinator });
    expect(log.status).toBe(200);
    expect(log.body.items.map((e: { sub: string }) => e.sub)).toEqual(expect.arrayContaining(['duty-officer', 'li.wei']));
    // What the team was shown of him in its case is in his log too.
    expect(log.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ sub: 'wang.fang', what: 'case_read', caseId })]));
    expect((await api.call('GET', `/v1/people/${personId}/access-log`, { token: station })).status).toBe(403);
  });

  it('is 404 for a case the caller cannot see, 400 for bad input, and a patrol needs a case', async () => {
    const caseId = await newCase();
    const body = { caseId, identified: false, ageGroup: 'adult', sex: 'female' };
    expect((await api.call('POST', '/v1/people', { token: otherPatrol, body })).status).toBe(404);
    expect((await api.call('POST', '/v1/people', { token: otherStation, body })).status).toBe(404);
    expect((await api.call('POST', '/v1/people', { token: patrol, body: { identified: false, ageGroup: 'adult', sex: 'female' } })).status).toBe(403);
    const bad = await api.call('POST', '/v1/people', { token: station, body: { ...body, ageGroup: 'ancient' } });
    expect(bad.status).toBe(400);
    expect((await api.call('POST', '/v1/people', { token: station, body: { identified: true, ageGroup: 'adult', sex: 'male' } })).status).toBe(400);
    expect((await api.call('GET', '/v1/people/per-nope', { token: station })).status).toBe(400);
  });

  it('a later case near where someone was met suggests them as possibly known, and a person links them', async () => {
    const location = { lat: 28.6601, lon: 115.8402, accuracyM: 10 };
    const first = await newCase({ location });
    const created = await api.call('POST', '/v1/people', { token: station, body: { caseId: first, identified: true, name: '老周', ageGroup: 'elderly', sex: 'male' } });
    expect(created.status).toBe(201);
    // A report 120 m off (beyond any join, within the suggestion's reach) opens a case of its own: is it him?
    const later = await newCase({ location: { lat: 28.6612, lon: 115.8402, accuracyM: 10 } });
    expect(later).not.toBe(first);
    const detail = (await api.call('GET', `/v1/cases/${later}`, { token: station })).body;
    expect(detail.possiblyKnown.map((p: { personId: string }) => p.personId)).toContain(created.body.personId);
    const linked = await api.call('POST', `/v1/people/${created.body.personId}/actions`, { token: station, body: { type: 'link', caseId: later } });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    const after = (await api.call('GET', `/v1/cases/${later}`, { token: station })).body;
    expect(after.files.map((p: { personId: string }) => p.personId)).toEqual([created.body.personId]);
    expect(after.possiblyKnown).toEqual([]);
  });
});

describe('what a station does with a file', () => {
  it('grades with its reason, merges two files of one person, and erases one on request keeping the figures', async () => {
    const caseId = await newCase();
    const first = (await api.call('POST', '/v1/people', { token: station, body: { caseId, identified: false, ageGroup: 'adult', sex: 'male', dialect: '南昌话' } })).body;
    const second = (await api.call('POST', '/v1/people', { token: station, body: { identified: true, name: '熊国平', ageGroup: 'adult', sex: 'male' } })).body;
    const action = (personId: string, body: Record<string, unknown>, token = station) => api.call('POST', `/v1/people/${personId}/actions`, { token, body });

    const graded = await action(first.personId, { type: 'grade', level: 'yellow', reason: '夜间多次出现在涵洞，有冻伤史' });
    expect(graded.status).toBe(200);
    expect(graded.body.grade).toMatchObject({ level: 'yellow', set: 'station', reasons: ['夜间多次出现在涵洞，有冻伤史'] });
    expect((await action(first.personId, { type: 'grade', level: 'purple', reason: 'x' })).status).toBe(400);
    expect((await action(first.personId, { type: 'grade', level: 'red', reason: 'x' }, patrol)).status).toBe(403);

    // The walk-in is the man met in the case: one file, his name, both histories; the other points to it.
    expect((await action(second.personId, { type: 'merge', with: second.personId })).status).toBe(409);
    const merged = await action(second.personId, { type: 'merge', with: first.personId });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body).toMatchObject({ name: '熊国平', identified: true, mergedFrom: [first.personId] });
    expect(merged.body.encounters.map((e: { kind: string }) => e.kind).sort()).toEqual(['intake', 'met']);
    expect((await file(first.personId)).body.mergedInto).toBe(second.personId);
    expect((await action(first.personId, { type: 'check' })).status).toBe(409);

    const erased = await action(second.personId, { type: 'erase', reason: '本人要求删除' });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ label: second.number, ageGroup: 'adult', sex: 'male', stays: 1 });
    expect(erased.body.erasedAt).toBeDefined();
    expect(erased.body).not.toHaveProperty('name');
    expect(erased.body).not.toHaveProperty('dialect');
    const log = (await api.call('GET', `/v1/people/${second.personId}/access-log`, { token: coordinator })).body.items;
    expect(log.map((e: { what: string }) => e.what)).toContain('erase');
  });

  it('a file opened for a case already in the station takes the person in; help declined elsewhere meanwhile waits for them to leave', async () => {
    const caseId = await escorted();
    expect((await act(caseId, station, { type: 'intake', stationId: 'station-nc', people: [{ ageGroup: 'adult', sex: 'male', conditions: [] }, { ageGroup: 'child', sex: 'female', conditions: [] }] })).status).toBe(200);
    const detail = (await api.call('GET', `/v1/cases/${caseId}`, { token: station })).body;
    // Two registered, two files, each in the station.
    expect(detail.files).toHaveLength(2);
    const later = await api.call('POST', '/v1/people', { token: station, body: { caseId, identified: false, ageGroup: 'elderly', sex: 'female' } });
    expect(later.body.inStation).toBe(true);
    expect(later.body.stay).toMatchObject({ caseId, careLevel: 'special' });

    const elsewhere = await newCase();
    const linked = await api.call('POST', `/v1/people/${later.body.personId}/actions`, { token: station, body: { type: 'link', caseId: elsewhere, kind: 'declined_help' } });
    expect(linked.status).toBe(200);
    // In the station now: a follow-up waits until they leave.
    expect(linked.body.followUp).toBeUndefined();
    expect((await api.call('GET', `/v1/cases/${elsewhere}`, { token: station })).body.personIds).toEqual([later.body.personId]);
  }, 60_000);
});

describe('intake and family search', () => {
  it('an intake without a person opens an unidentified file whose notice is due 24 h on; missed, the duty officer and then the coordinator are told', async () => {
    const caseId = await escorted();
    const intake = await act(caseId, station, { type: 'intake', stationId: 'station-nc', people: [{ ageGroup: 'adult', sex: 'male', conditions: [] }] });
    expect(intake.status, JSON.stringify(intake.body)).toBe(200);
    const [personId] = intake.body.personIds as string[];
    const at = Date.parse(intake.body.entry.at);
    const taken = (await file(personId!)).body;
    expect(taken.inStation).toBe(true);
    expect(taken.stay).toMatchObject({ stationId: 'station-nc', caseId, careLevel: 'general' });
    expect(taken.familySearch.status).toBe('due');
    expect(Date.parse(taken.familySearch.dueAt) - at).toBeCloseTo(24 * 3_600_000 * TIME_SCALE, -2);
    expect(Date.parse(taken.familySearch.dna.dueAt)).toBeGreaterThan(Date.parse(taken.familySearch.dueAt));

    // The deadline passes unpublished: overdue, and the workflow tells the station, then the coordinator.
    const overdue = await eventually(async () => {
      const f = (await file(personId!)).body;
      return f.familySearch.escalations >= 2 ? f : undefined;
    }, 20_000, 'the coordinator to be told');
    expect(overdue.familySearch.status).toBe('overdue');
    const told = await eventually(async () => {
      const { Items = [] } = await createDocumentClient(dynamoEndpoint()).send(new QueryCommand({
        TableName: process.env.TABLE_NAME!, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'CASE#people' },
      }));
      const mine = Items.filter((n) => n.kind === 'family_search' && String(n.text).includes(taken.number));
      return mine.length >= 2 ? mine : undefined;
    }, 10_000, 'two notices');
    expect(told.map((n) => n.to.kind).sort()).toEqual(['coordinator', 'station']);
    // Notices name the number, never a name.
    expect(told.every((n) => !n.text.includes('undefined'))).toBe(true);

    // Published late is still published, once.
    const published = await api.call('POST', `/v1/people/${personId}/family-search-notice`, { token: station });
    expect(published.status).toBe(200);
    const again = await api.call('POST', `/v1/people/${personId}/family-search-notice`, { token: station });
    expect(again.body.publishedAt).toBe(published.body.publishedAt);
    expect((await file(personId!)).body.familySearch.status).toBe('published');
  }, 60_000);

  it('the notice is JSON with only what the platform shows, or a PDF; identifying the person makes it not needed', async () => {
    const walkIn = await api.call('POST', '/v1/people', {
      token: station, body: { identified: false, ageGroup: 'elderly', estimatedAge: 68, sex: 'female', features: '身高约155厘米，短发花白', clothing: '红色棉袄', conditions: [] },
    });
    expect(walkIn.status).toBe(201);
    const personId = walkIn.body.personId as string;
    expect(walkIn.body.inStation).toBe(true);
    expect(walkIn.body.familySearch.status).toBe('due');
    const notice = await api.call('GET', `/v1/people/${personId}/family-search-notice`, { token: station });
    expect(notice.status).toBe(200);
    expect(notice.body).toMatchObject({ sex: 'female', estimatedAge: '约 70 岁', features: '身高约155厘米，短发花白', clothing: '红色棉袄', station: { name: '南昌市救助管理站' } });
    expect(Object.keys(notice.body)).not.toContain('conditions');
    const pdf = await fetch(`${stack.url}/v1/people/${personId}/family-search-notice`, { headers: { authorization: `Bearer ${station}`, accept: 'application/pdf' } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

    const identified = await api.call('POST', `/v1/people/${personId}/actions`, { token: station, body: { type: 'identify', name: '刘桂兰' } });
    expect(identified.status).toBe(200);
    expect(identified.body.familySearch.status).toBe('not_needed');
    expect((await api.call('POST', `/v1/people/${personId}/family-search-notice`, { token: station })).status).toBe(409);
  });

  it('a consented photo goes on the file and the printed notice, never into a list', async () => {
    const person = await api.call('POST', '/v1/people', { token: station, body: { identified: false, ageGroup: 'adult', sex: 'female', features: '长发，戴眼镜' } });
    const personId = person.body.personId as string;
    const jpeg = Buffer.from(plainJpeg(64, 48));
    const request = { purpose: 'person_photo', contentType: 'image/jpeg', sizeBytes: jpeg.length, personId };
    expect((await api.call('POST', '/v1/uploads', { token: station, body: request })).status).toBe(400);
    expect((await api.call('POST', '/v1/uploads', { token: patrol, body: { ...request, consent: true } })).status).toBe(404);
    expect((await api.call('POST', '/v1/uploads', { token: otherStation, body: { ...request, consent: true } })).status).toBe(404);
    const created = await api.call('POST', '/v1/uploads', { token: station, body: { ...request, consent: true } });
    expect(created.status).toBe(201);
    const { 'content-length': _length, ...headers } = created.body.headers;
    expect((await fetch(created.body.url, { method: 'PUT', headers, body: jpeg })).status).toBe(200);
    const withPhoto = await eventually(async () => {
      const f = (await file(personId)).body;
      return f.photos.length ? f : undefined;
    }, 10_000, 'the photo on the file');
    expect(withPhoto.photos[0]).toMatchObject({ uploadId: created.body.uploadId, url: expect.stringContaining('X-Amz-Expires=300') });
    const listed = (await api.call('GET', '/v1/people?inStation=true', { token: station })).body.items.find((p: { personId: string }) => p.personId === personId);
    expect(listed).toBeDefined();
    expect(JSON.stringify(listed)).not.toContain('photo');
    expect(JSON.stringify(listed)).not.toContain('长发');
    const notice = await api.call('GET', `/v1/people/${personId}/family-search-notice`, { token: station });
    expect(notice.body.photo).toMatchObject({ uploadId: created.body.uploadId });
    const pdf = Buffer.from(await (await fetch(`${stack.url}/v1/people/${personId}/family-search-notice`, { headers: { authorization: `Bearer ${station}`, accept: 'application/pdf' } })).arrayBuffer());
    expect(pdf.toString('latin1')).toMatch(/\/Subtype\s*\/Image/);
  });

  it("a minor's notice needs the station chief's approval", async () => {
    const minor = await api.call('POST', '/v1/people', { token: station, body: { identified: false, ageGroup: 'child', estimatedAge: 14, sex: 'male', conditions: ['unaccompanied_minor'] } });
    const personId = minor.body.personId as string;
    expect(minor.body.stay.careLevel).toBe('special');
    const refused = await api.call('POST', `/v1/people/${personId}/family-search-notice`, { token: station });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('chief');
    expect((await api.call('POST', `/v1/people/${personId}/actions`, { token: station, body: { type: 'approve_notice' } })).status).toBe(403);
    expect((await api.call('POST', `/v1/people/${personId}/actions`, { token: chief, body: { type: 'approve_notice' } })).status).toBe(200);
    const published = await api.call('POST', `/v1/people/${personId}/family-search-notice`, { token: station });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ minor: true, estimatedAge: '未成年' });
    expect(published.body.photo).toBeUndefined();
  });

  it('two stations taking the same person in at once make one intake; the reunion closes the loop', async () => {
    const [a, b] = [await escorted(), await escorted()];
    const person = await api.call('POST', '/v1/people', { token: station, body: { caseId: a, identified: false, ageGroup: 'adult', sex: 'male' } });
    const personId = person.body.personId as string;
    const [first, second] = await Promise.all([
      act(a, station, { type: 'intake', stationId: 'station-nc', personId }),
      act(b, secondDesk, { type: 'intake', stationId: 'station-nc', personId }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const taken = (await file(personId)).body;
    expect(taken.stays).toBe(1);
    expect(taken.encounters.filter((e: { kind: string }) => e.kind === 'intake')).toHaveLength(1);

    const won = first.status === 200 ? a : b;
    const discharged = await act(won, station, { type: 'discharge', reason: 'reunited_with_family' });
    expect(discharged.status, JSON.stringify(discharged.body)).toBe(200);
    expect(discharged.body.case).toMatchObject({ status: 'closed', outcome: 'reunited_with_family' });
    const after = (await file(personId)).body;
    expect(after.inStation).toBe(false);
    expect(after.stay).toMatchObject({ dischargeReason: 'reunited_with_family' });
    expect(after.familySearch.reunitedAt).toBeDefined();
    expect(after.followUp).toBeUndefined();
  }, 60_000);
});
