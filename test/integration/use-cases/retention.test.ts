import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { UploadBucket } from '#shared/adapters/upload-bucket';
import type { Case } from '#shared/domain/case';
import { DEFAULT_RETENTION } from '#shared/domain/retention';
import { AccessLogStore } from '#shared/store/access-log-store';
import { CaseStore, timelineItem } from '#shared/store/case-store';
import { caseIndexKeys, caseKey, open311HelpPointEntryKey, open311RequestKey, photoKey, sightingKey } from '#shared/store/keys';
import { Open311RequestStore } from '#shared/store/open311-request-store';
import { RetentionStore } from '#shared/store/retention-store';
import { eraseCase, sweepRetention } from '#shared/use-cases/retention';
import type { PersonFile } from '#shared/domain/person-file';
import { PeopleStore } from '#shared/store/people-store';
import { useTestTables } from '../../support/test-tables';

/**
 * Retention against DynamoDB Local, on a clock the test moves: a case closed 180 days ago loses what it says about
 * people and keeps what the figures need; a case closed more recently, or still open, keeps everything.
 */
const tables = useTestTables();

/** The bucket's removals, recorded (what is removed, not how S3 does it, is what retention decides). */
class RecordingBucket implements Pick<UploadBucket, 'remove'> {
  readonly removed: string[] = [];
  async remove(key: string) {
    this.removed.push(key);
  }
}

async function world() {
  const tableName = await tables.fresh();
  let clock = new Date('2026-01-10T14:00:00Z');
  const bucket = new RecordingBucket();
  const deps = {
    cases: new CaseStore(tables.db, tableName),
    retentionStore: new RetentionStore(tables.db, tableName),
    accessLog: new AccessLogStore(tables.db, tableName, () => 1095),
    bucket: bucket as unknown as UploadBucket,
    now: () => clock,
    retention: DEFAULT_RETENTION,
    people: new PeopleStore(tables.db, tableName),
  };
  const put = (item: Record<string, unknown>) => tables.db.send(new PutCommand({ TableName: tableName, Item: item }));
  const get = async (key: { pk: string; sk: string }) => (await tables.db.send(new GetCommand({ TableName: tableName, Key: key }))).Item;

  /** A case with a help-point report of two people and a note, a photo, a note on its timeline and a handover; closed at `closedAt` (or open). */
  async function caseWith(n: number, closedAt?: string) {
    const caseId = `case-${String(n).padStart(26, '0')}`;
    const openedAt = '2026-01-10T13:00:00.000Z';
    const c: Case = {
      caseId, status: closedAt ? 'closed' : 'acknowledged', risk: 'red', riskReasons: ['elderly'], location: { lat: 28.68, lon: 115.85 },
      placeType: 'bridge', placeName: '八一大桥', openedAt, updatedAt: openedAt, lastSeenAt: openedAt, sightingCount: 1, detectionCount: 0,
      photoCount: 1, outcome: 'medical_handover', handover: { to: '120 急救 张医生', at: openedAt }, handedOver: ['棉被'],
      intakePeople: [{ ageGroup: 'elderly', sex: 'male', conditions: ['ill'] }], workflowGeneration: 0, version: 1,
      ...(closedAt ? { closedAt } : {}),
    };
    await put({ ...caseKey(caseId), ...caseIndexKeys(caseId, openedAt, c.status), entity: 'case', ...c });
    const sightingId = `sig-${n}`;
    await put({
      ...sightingKey(caseId, sightingId), entity: 'sighting', sightingId, caseId, observedAt: openedAt, receivedAt: openedAt,
      location: c.location, place: { type: 'bridge' }, people: [{ ageGroup: 'elderly', sex: 'male', conditions: ['ill'] }, { ageGroup: 'adult', sex: 'female', conditions: [] }],
      note: '老李，糖尿病，只会说南昌话', reportedBy: { sub: 'help-point:hp-01', role: 'public' }, source: 'public', helpPointId: 'hp-01',
    });
    await put({ ...open311RequestKey(sightingId), entity: 'open311_request', requestId: sightingId, helpPointId: 'hp-01', caseId, requestedAt: openedAt, description: '桥下有老人', reporter: { phone: '13800000000' } });
    await put({ ...open311HelpPointEntryKey('hp-01', openedAt, sightingId), entity: 'open311_request', requestId: sightingId, description: '桥下有老人', reporter: { phone: '13800000000' } });
    await put({ ...photoKey(caseId, 'upl-1'), entity: 'photo', uploadId: 'upl-1', key: `uploads/case_photo/${n}`, viewKey: `views/case_photo/${n}` });
    await put(timelineItem(caseId, { at: openedAt, type: 'note', actor: { sub: 'li.wei', role: 'patrol' }, text: '他说家在进贤县' }));
    await put(timelineItem(caseId, { at: openedAt, type: 'sighting', sightingId, people: 2 }));
    return caseId;
  }
  return { tableName, deps, bucket, get, caseWith, at: (instant: string) => { clock = new Date(instant); } };
}

describe('retention', () => {
  it("erases a help-point reporter's contact (kept because they asked for feedback) after 30 days, the report staying", async () => {
    const w = await world();
    const open311 = new Open311RequestStore(tables.db, w.tableName);
    const requestedAt = '2026-01-10T13:00:00.000Z';
    await open311.record({
      requestId: 'sig-contact', helpPointId: 'hp-01', caseId: 'case-x', serviceCode: 'person_in_need', requestedAt, description: '桥下有人',
      location: { lat: 28.68, lon: 115.85 }, locationFrom: 'reporter', reporter: { phone: '13800000000' }, reporterUntil: '2026-02-09T13:00:00.000Z',
    });
    w.at('2026-02-09T12:00:00Z');
    expect(await sweepRetention(w.deps)).toMatchObject({ contactsErased: 0 });
    expect((await open311.get('sig-contact'))!.reporter).toEqual({ phone: '13800000000' });
    w.at('2026-02-09T14:00:00Z');
    expect(await sweepRetention(w.deps)).toMatchObject({ contactsErased: 1 });
    const kept = await open311.get('sig-contact');
    expect(kept).toMatchObject({ requestId: 'sig-contact', description: '桥下有人' });
    expect(kept).not.toHaveProperty('reporter');
    const [listed] = (await open311.listPage('hp-01', { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }, { limit: 10 })).records;
    expect(listed).not.toHaveProperty('reporter');
    expect(await sweepRetention(w.deps)).toMatchObject({ contactsErased: 0 });
  });

  it('erases people, notes, photos and reporters of a case closed 180 days ago, keeping its place, times, risk, outcome and counts', async () => {
    const w = await world();
    const old = await w.caseWith(1, '2026-01-11T02:00:00.000Z');
    const recent = await w.caseWith(2, '2026-05-01T02:00:00.000Z');
    const open = await w.caseWith(3);

    // 179 days after the first closed: nothing is due yet.
    w.at('2026-07-09T02:00:00Z');
    expect(await sweepRetention(w.deps)).toMatchObject({ erased: 0 });
    // 181 days after.
    w.at('2026-07-11T02:00:00Z');
    expect(await sweepRetention(w.deps)).toMatchObject({ erased: 1 });

    const erased = await w.deps.cases.getCaseDetail(old);
    expect(erased!.case).toMatchObject({ placeName: '八一大桥', risk: 'red', outcome: 'medical_handover', sightingCount: 1, photoCount: 1, erasedAt: '2026-07-11T02:00:00.000Z' });
    for (const field of ['intakePeople', 'handover', 'handedOver']) expect(erased!.case).not.toHaveProperty(field);
    expect(erased!.sightings[0]).not.toHaveProperty('people');
    expect(erased!.sightings[0]).not.toHaveProperty('note');
    expect(erased!.sightings[0]).toMatchObject({ peopleCount: 2, place: { type: 'bridge' } });
    expect(erased!.photos).toEqual([]);
    expect(w.bucket.removed.toSorted()).toEqual(['uploads/case_photo/1', 'views/case_photo/1']);
    expect(erased!.timeline.find((e) => e.type === 'note')).not.toHaveProperty('text');
    expect(erased!.timeline.find((e) => e.type === 'sighting')).toMatchObject({ people: 2 });
    for (const item of [await w.get(open311RequestKey('sig-1')), await w.get(open311HelpPointEntryKey('hp-01', '2026-01-10T13:00:00.000Z', 'sig-1'))]) {
      expect(item).toMatchObject({ requestId: 'sig-1' });
      expect(item).not.toHaveProperty('description');
      expect(item).not.toHaveProperty('reporter');
    }
    expect((await w.deps.accessLog.list(old, 10)).items).toEqual([expect.objectContaining({ sub: 'retention', what: 'erase' })]);

    // The others keep everything; a second sweep finds nothing more to do.
    for (const caseId of [recent, open]) {
      const kept = await w.deps.cases.getCaseDetail(caseId);
      expect(kept!.case.handover).toBeDefined();
      expect(kept!.sightings[0]!.people).toHaveLength(2);
      expect(kept!.photos).toHaveLength(1);
    }
    expect(await sweepRetention(w.deps)).toMatchObject({ erased: 0 });
  });

  it('erases an open case on request, and doing it twice is harmless', async () => {
    const w = await world();
    const caseId = await w.caseWith(4);
    const admin = { sub: 'root', role: 'admin' as const };
    const first = await eraseCase(w.deps, caseId, admin);
    const second = await eraseCase(w.deps, caseId, admin);
    expect(second.erasedAt).toBe(first.erasedAt);
    const detail = await w.deps.cases.getCaseDetail(caseId);
    expect(detail!.case.status).toBe('acknowledged');
    expect(detail!.sightings[0]).not.toHaveProperty('people');
    await expect(eraseCase(w.deps, 'case-99999999999999999999999999', admin)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it("erases a person's file quiet for the retention period, keeping the figures; a file of someone in a station, or met lately, stays", async () => {
    const w = await world();
    const file = (n: number, overrides: Partial<PersonFile>): PersonFile => ({
      personId: `per-${String(n).padStart(26, '0')}`, number: `WM-20250101-0000${n}`, identified: true, name: '周德厚', ageGroup: 'elderly', estimatedAge: 74,
      sex: 'male', dialect: '南昌话', features: '左眉有疤', clothing: '蓝棉袄', conditions: ['ill'], createdAt: '2025-01-01T12:00:00.000Z',
      createdBy: { sub: 'duty', role: 'station', stationId: 'station-nc' }, updatedAt: '2025-01-05T12:00:00.000Z', stations: ['station-nc'],
      encounters: [{ caseId: 'case-x', at: '2025-01-01T12:00:00.000Z', kind: 'met', location: { lat: 28.68, lon: 115.85 } }],
      grade: { level: 'red', reasons: ['elderly'], set: 'rules', at: '2025-01-01T12:00:00.000Z' }, stays: 1,
      stay: { stationId: 'station-nc', since: '2025-01-01T13:00:00.000Z', careLevel: 'medical', careLevelSet: 'rules', nextCheckAt: '2025-01-01T15:00:00.000Z', checks: [{ at: '2025-01-01T14:00:00.000Z', by: 'duty', note: '血糖偏高' }], referrals: [], dischargedAt: '2025-01-05T12:00:00.000Z', dischargeReason: 'returned_home' },
      familySearch: { status: 'not_needed' }, followUps: [], photos: [{ uploadId: 'upl-p', viewKey: 'views/person_photo/upl-p', contentType: 'image/jpeg', at: '2025-01-01T13:00:00.000Z', by: 'duty' }],
      workflowGeneration: 2, version: 1, ...overrides,
    });
    const old = file(1, {});
    const staying = file(2, { stay: { ...old.stay!, dischargedAt: undefined, dischargeReason: undefined } as PersonFile['stay'] });
    const lately = file(3, { encounters: [...old.encounters, { caseId: 'case-y', at: '2025-12-20T12:00:00.000Z', kind: 'met' }] });
    for (const f of [old, staying, lately]) await w.deps.people.put(f);
    w.at('2026-01-10T14:00:00Z');
    expect(await sweepRetention(w.deps)).toMatchObject({ filesErased: 1 });
    const erased = (await w.deps.people.get(old.personId))!;
    for (const field of ['name', 'estimatedAge', 'dialect', 'features', 'clothing']) expect(erased).not.toHaveProperty(field);
    expect(erased).toMatchObject({ ageGroup: 'elderly', sex: 'male', grade: { level: 'red' }, stays: 1, photos: [], erasedAt: '2026-01-10T14:00:00.000Z' });
    expect(erased.encounters[0]).not.toHaveProperty('location');
    expect(erased.stay!.checks[0]).not.toHaveProperty('note');
    expect(w.bucket.removed).toContain('views/person_photo/upl-p');
    expect((await w.deps.accessLog.list(`person/${old.personId}`, 10)).items).toEqual([expect.objectContaining({ sub: 'retention', what: 'erase' })]);
    for (const kept of [staying, lately]) expect((await w.deps.people.get(kept.personId))!.name).toBe('周德厚');
    expect(await sweepRetention(w.deps)).toMatchObject({ filesErased: 0 });
  });
});
