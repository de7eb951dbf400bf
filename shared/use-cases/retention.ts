import { PERSONAL_CASE_FIELDS, retentionCutoff } from '../domain/retention';
import type { AccessLogEntry } from '../store/access-log-store';
import type { Dependencies } from './dependencies';
import { missingCase } from './case-access';
import { erasedFile, inStation, lastActivity } from '../domain/person-file';
import { personLogSubject } from './people';

type RetentionDeps = Pick<Dependencies, 'cases' | 'retentionStore' | 'bucket' | 'accessLog' | 'now' | 'retention'> & Partial<Pick<Dependencies, 'people'>>;

/** Most cases one sweep erases; the next sweep (a day later, or sooner locally) goes on. */
const CASES_PER_SWEEP = 500;

/**
 * Erases what a case says about people, keeping its place, times, risk, outcome and counts (the figures): the
 * sightings' people and notes, the timeline's notes, registrations, handover names and reasons, the photos (records
 * and objects), the case's own people fields, and the text and reporter of the help-point reports in it. Marked
 * `erasedAt` last, so a sweep that stopped half-way is done again; logged in the case's access log.
 */
export async function eraseCase(deps: RetentionDeps, caseId: string, by: Pick<AccessLogEntry, 'sub' | 'role' | 'teamId' | 'stationId'>): Promise<{ erasedAt: string }> {
  const found = await deps.cases.getCase(caseId);
  if (!found) throw missingCase(caseId);
  const items = await deps.retentionStore.eraseCaseItems(caseId);
  for (const key of items.objectKeys) await deps.bucket.remove(key);
  for (const requestId of items.open311RequestIds) await deps.retentionStore.eraseOpen311Report(requestId);
  const at = deps.now().toISOString();
  const result = await deps.cases.mutateCase(caseId, (current) => ({
    set: { erasedAt: current.erasedAt ?? at },
    remove: PERSONAL_CASE_FIELDS.filter((field) => current[field] !== undefined),
  }));
  await deps.accessLog.append(caseId, [{ at, ...by, what: 'erase' }]);
  return { erasedAt: result?.after.erasedAt ?? at };
}

/**
 * The retention sweep, on a schedule (an EventBridge rule in the cloud, the runtime's scheduler locally, where
 * DynamoDB Local expires nothing): every case closed more than the retention period ago is erased, and every
 * help-point reporter's contact kept past its days.
 */
export async function sweepRetention(deps: RetentionDeps): Promise<{ erased: number; contactsErased: number; filesErased: number }> {
  const now = deps.now();
  const due = await deps.retentionStore.closedBefore(retentionCutoff(now, deps.retention).toISOString(), CASES_PER_SWEEP);
  for (const caseId of due) await eraseCase(deps, caseId, { sub: 'retention', role: 'admin' });
  // Help-point reporters who asked for feedback: their contact goes after RETENTION_CONTACT_DAYS, case open or not.
  const contacts = await deps.retentionStore.contactsDue(now.toISOString(), CASES_PER_SWEEP);
  for (const { requestId, marker } of contacts) await deps.retentionStore.eraseReporter(requestId, marker);
  return { erased: due.length, contactsErased: contacts.length, filesErased: await sweepPeople(deps) };
}

/**
 * People's files: one not in a station whose person nobody met, took in or followed up for RETENTION_PERSON_DAYS keeps
 * no more than the figures need (age group, sex, grade, dates, counts); its photos go too. Logged in its access log.
 */
async function sweepPeople(deps: RetentionDeps): Promise<number> {
  if (!deps.people) return 0;
  const cutoff = new Date(deps.now().getTime() - deps.retention.personDays * 86_400_000).toISOString();
  const due = (await deps.people.all()).filter((f) => !f.erasedAt && !inStation(f) && lastActivity(f) < cutoff).slice(0, CASES_PER_SWEEP);
  const at = deps.now().toISOString();
  for (const file of due) {
    for (const photo of file.photos) await deps.bucket.remove(photo.viewKey);
    await deps.people.mutate(file.personId, (current) => (current.erasedAt || inStation(current) ? null : { file: erasedFile(current, at) }));
    await deps.accessLog.append(personLogSubject(file.personId), [{ at, sub: 'retention', role: 'admin', what: 'erase' }]);
  }
  return due.length;
}
