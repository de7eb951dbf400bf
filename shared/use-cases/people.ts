import { ulid } from 'ulid';
import type { CreatePersonRequest, PersonAction } from '../contract/people';
import type { Person } from '../contract/schemas';
import { seesEverything } from '../domain/access-policy';
import type { Actor, Case } from '../domain/case';
import { cellOf, cellsAround } from '../domain/correlation';
import { conflict, forbidden, notFound } from '../domain/errors';
import {
  anotherFollowUp, FOLLOWED_UP_DISCHARGES, type Encounter, familySearchView, followUpAfter,
  erasedFile, inStation, isMinor, type PersonDetails, type PersonFile, personLabel, regrade, startStay, unidentifiedNumber,
} from '../domain/person-file';
import type { Principal } from '../http/principal';
import type { TransactItem } from '../store/case-store';
import { PersonChangedMeanwhile } from '../store/people-store';
import { caseGate, missingCase } from './case-access';
import type { Dependencies } from './dependencies';
import { accessLogReader, readingRole } from './read-case';
import { PHOTO_URL_SECONDS } from './uploads';

export type PeopleDeps = Pick<Dependencies, 'people' | 'cases' | 'directory' | 'accessLog' | 'now' | 'timeScale' | 'personRules'>;
type WorkflowDeps = Pick<Dependencies, 'personWorkflow'>;

/** The subject people's notices are kept under in the outbox, in the place of a case id. */
export const PEOPLE_SUBJECT = 'people';
/** The stays of a person whose file says where they were met: this close to a new case, the team is told "possibly known". */
export const POSSIBLY_KNOWN_M = 150;

const missingPerson = (personId: string) => notFound(`person ${personId} does not exist`);
const iso = (d: Date) => d.toISOString();

/** Who may read a file: coordinators and admins every one; a station the files it opened, took in or linked. */
export function mayReadFile(caller: { roles: readonly string[]; stationId?: string }, file: Pick<PersonFile, 'stations'>): boolean {
  if (seesEverything(caller as Pick<Principal, 'roles'>)) return true;
  return caller.roles.includes('station') && Boolean(caller.stationId) && file.stations.includes(caller.stationId!);
}

/** The caller's station, as the directory knows it (a station that is not in it reads nothing). */
async function callerStation(deps: Pick<Dependencies, 'directory'>, principal: Principal): Promise<string | undefined> {
  if (!principal.stationId) return undefined;
  return (await deps.directory.get('station', principal.stationId)) ? principal.stationId : undefined;
}

async function readableFile(deps: PeopleDeps, principal: Principal, personId: string): Promise<PersonFile> {
  const [file, stationId] = await Promise.all([deps.people.get(personId), callerStation(deps, principal)]);
  if (!file || !mayReadFile({ roles: principal.roles, ...(stationId ? { stationId } : {}) }, file)) throw missingPerson(personId);
  return file;
}

const newFile = (deps: Pick<PeopleDeps, 'now'>, input: { personId: string; details: PersonDetails; actor: Actor; stations: string[] }): PersonFile => {
  const at = iso(deps.now());
  const file: PersonFile = {
    ...input.details, personId: input.personId, number: unidentifiedNumber(input.personId, at), createdAt: at, createdBy: input.actor, updatedAt: at,
    stations: [...new Set(input.stations)], encounters: [], grade: { level: 'green', reasons: [], set: 'rules', at }, stays: 0,
    familySearch: { status: input.details.identified ? 'not_needed' : 'not_started' }, followUps: [], photos: [], workflowGeneration: 0, version: 1,
  };
  return { ...file, grade: regrade(file, deps.now()) };
};

const encounterOf = (c: Case, at: string, kind: Encounter['kind'], actor: Actor): Encounter => ({
  caseId: c.caseId, at, kind, location: { lat: c.location.lat, lon: c.location.lon },
  ...(actor.stationId ? { stationId: actor.stationId } : {}), ...(actor.teamId ? { teamId: actor.teamId } : {}),
});

/** A person taken in: a stay begins and, for someone not identified, the family search with its deadlines. */
function takeIn(deps: Pick<PeopleDeps, 'now' | 'personRules' | 'timeScale'>, file: PersonFile, input: { stationId: string; caseId?: string; at: string }): PersonFile {
  if (inStation(file)) {
    throw conflict(`${personLabel(file)} is already in station ${file.stay!.stationId} (since ${file.stay!.since}): one intake at a time; discharge first`);
  }
  const { stay, familySearch } = startStay(file, input, deps.personRules, deps.timeScale);
  const next: PersonFile = {
    ...file, stay, familySearch, stays: file.stays + 1, stations: [...new Set([...file.stations, input.stationId])],
    encounters: [...file.encounters, { ...(input.caseId ? { caseId: input.caseId } : {}), at: input.at, kind: 'intake', stationId: input.stationId }],
    workflowGeneration: file.workflowGeneration + 1, updatedAt: input.at,
  };
  delete next.followUp;
  return { ...next, grade: regrade(next, deps.now()) };
}

/** The writes of a file's place of encounter: where a new case near by finds it. */
const nearWrites = (deps: Pick<PeopleDeps, 'people'>, file: PersonFile, location: { lat: number; lon: number } | undefined, at: string): TransactItem[] =>
  location ? [deps.people.nearWrite(cellOf(location), file.personId, at)] : [];

/** Starts the person's workflow for its current generation (a repeated start is harmless). */
async function startWorkflow(deps: WorkflowDeps, before: PersonFile | undefined, after: PersonFile) {
  if (after.workflowGeneration > (before?.workflowGeneration ?? 0)) await deps.personWorkflow.start(after.personId, after.workflowGeneration);
}

/**
 * POST /v1/people: a file opened by a station (at intake, before it, or for someone who walked in) or by a patrol
 * for a person in one of its full cases. A case the caller may not read in full is missing to it.
 */
export async function createPerson(
  deps: PeopleDeps & WorkflowDeps,
  input: { request: CreatePersonRequest; principal: Principal; actor: Actor; personId: string },
): Promise<PersonFile> {
  const { request, principal, actor } = input;
  const station = principal.roles.includes('station') || principal.roles.includes('admin');
  const gate = await caseGate(deps, principal);
  if (!station && !request.caseId) throw forbidden('a patrol opens a file only for a person in one of its cases: give the caseId');
  const stationId = gate.caller.stationId;
  if (principal.roles.includes('station') && !principal.roles.includes('admin') && !stationId) {
    throw forbidden(`station ${principal.stationId ?? '(none in the token)'} is not in the directory`);
  }
  const { caseId: _caseId, ...details } = request;
  const at = iso(deps.now());
  if (!request.caseId) {
    if (!stationId) throw forbidden('a file without a case is a walk-in: only a station takes someone in');
    const existing = await deps.people.get(input.personId);
    if (existing) return existing;
    const file = takeIn(deps, newFile(deps, { personId: input.personId, details, actor, stations: [stationId] }), { stationId, at });
    try {
      await deps.people.create(file);
    } catch (error) {
      // The same request (its Idempotency-Key) created it a moment ago.
      if (!(error instanceof PersonChangedMeanwhile)) throw error;
      return (await deps.people.get(input.personId))!;
    }
    await startWorkflow(deps, undefined, file);
    return file;
  }
  const found = await deps.cases.getCase(request.caseId);
  if (!found || gate.access(found) !== 'full') throw missingCase(request.caseId);
  const stations = [...(stationId ? [stationId] : []), ...(gate.caller.team ? [gate.caller.team.stationId] : []), ...(found.stationId ? [found.stationId] : [])];
  let created!: PersonFile;
  const result = await deps.cases.mutateCase(request.caseId, (current) => {
    if (current.personIds?.includes(input.personId)) return null;
    let file = newFile(deps, { personId: input.personId, details, actor, stations });
    file = { ...file, encounters: [encounterOf(current, at, current.status === 'in_station' ? 'intake' : 'met', actor)] };
    // Opened by the station that has the person in its care now: the stay begins with the file.
    if (current.status === 'in_station' && current.stationId && current.stationId === stationId) {
      file = takeIn(deps, { ...file, encounters: [] }, { stationId, caseId: current.caseId, at });
    }
    created = { ...file, grade: regrade(file, deps.now()) };
    return {
      set: { personIds: [...(current.personIds ?? []), input.personId], updatedAt: at },
      timeline: [{ at, type: 'person_linked', actor, personId: input.personId }],
      alongside: [deps.people.write(created, undefined), ...nearWrites(deps, created, current.location, at)],
    };
  });
  if (!result) throw missingCase(request.caseId);
  if (!created) return (await deps.people.get(input.personId))!;
  await startWorkflow(deps, undefined, created);
  return created;
}

/** GET /v1/people/{personId}: the file in full, its photos as short-lived URLs; the read is logged first. */
export async function readPerson(deps: PeopleDeps & Pick<Dependencies, 'bucket'>, principal: Principal, personId: string) {
  const file = await readableFile(deps, principal, personId);
  const now = deps.now();
  const reader = accessLogReader(principal, readingRole(principal));
  const at = iso(now);
  const [photos] = await Promise.all([
    Promise.all(file.photos.map(async (photo) => ({
      uploadId: photo.uploadId, at: photo.at,
      url: await deps.bucket.presignGet(photo.viewKey, PHOTO_URL_SECONDS), urlExpiresAt: new Date(now.getTime() + PHOTO_URL_SECONDS * 1000).toISOString(),
    }))),
    deps.accessLog.append(personLogSubject(personId), [
      { at, ...reader, what: 'read' },
      ...(file.photos.length ? [{ at, ...reader, what: 'photo_url' as const, count: file.photos.length }] : []),
    ]),
  ]);
  return { ...fileView(file, now), photos };
}

/** GET …/access-log: the file's log, for whoever may read the file (the route is the coordinator's). */
export async function personAccessLog(deps: PeopleDeps, principal: Principal, personId: string, page: { limit: number; cursor?: string }) {
  await readableFile(deps, principal, personId);
  return deps.accessLog.list(personLogSubject(personId), page.limit, page.cursor);
}

/** The access log of a file is kept as a case's is, under its own subject. */
export const personLogSubject = (personId: string) => `person/${personId}`;

/** The file as the API shows it (without photos: a list or an action's answer never carries them). */
export function fileView(file: PersonFile, now: Date) {
  const {
    workflowGeneration: _g, version: _v, stations: _s, createdBy: _c, photos: _p, followUp, stay, familySearch, ...rest
  } = file;
  return {
    ...rest,
    label: personLabel(file),
    inStation: inStation(file),
    ...(stay ? { stay: { ...stay, checkOverdue: inStation(file) && Date.parse(stay.nextCheckAt) <= now.getTime() } } : {}),
    familySearch: familySearchView(familySearch, now),
    ...(followUp ? { followUp: { dueAt: followUp.dueAt, reason: followUp.reason, number: followUp.number } } : {}),
    photos: [] as { uploadId: string; at: string; url: string; urlExpiresAt: string }[],
  };
}

/** A file in a list: no features, clothing, encounters or photos. */
export function listItem(file: PersonFile, now: Date) {
  const view = fileView(file, now);
  return {
    personId: view.personId, number: view.number, label: view.label, identified: view.identified, ageGroup: view.ageGroup,
    ...(view.estimatedAge !== undefined ? { estimatedAge: view.estimatedAge } : {}), sex: view.sex, conditions: view.conditions,
    grade: view.grade, inStation: view.inStation, ...(view.stay ? { stay: view.stay } : {}), familySearch: view.familySearch,
    ...(view.followUp ? { followUp: view.followUp } : {}),
  };
}

/** GET /v1/people: a station's people (in it now, with `inStation`), a coordinator's every station's. */
export async function listPeople(deps: PeopleDeps, principal: Principal, query: { inStation?: 'true' | 'false'; stationId?: string }) {
  const now = deps.now();
  const all = seesEverything(principal);
  const own = await callerStation(deps, principal);
  if (!all && !own) return { items: [] };
  const stationId = all ? query.stationId : own;
  let files: PersonFile[];
  if (query.inStation === 'true') {
    const stations = stationId ? [stationId] : (await deps.directory.list('station')).map((s) => s.stationId);
    files = (await Promise.all(stations.map((s) => deps.people.inStation(s)))).flat();
  } else {
    files = (await deps.people.all()).filter((f) => !stationId || f.stations.includes(stationId));
    if (query.inStation === 'false') files = files.filter((f) => !inStation(f));
  }
  return { items: files.filter((f) => !f.mergedInto).map((f) => listItem(f, now)) };
}

/** What a reader of the case sees of a person linked to it: the least a team needs to help. */
export function casePersonView(file: PersonFile) {
  return {
    // A minor is known to the team by their number only.
    personId: file.personId, label: isMinor(file) ? file.number : personLabel(file), grade: file.grade.level, ageGroup: file.ageGroup, sex: file.sex,
    ...(file.dialect && !file.erasedAt ? { dialect: file.dialect } : {}), conditions: file.conditions,
    declinedHelp: file.encounters.filter((e) => e.kind === 'declined_help').length,
  };
}

/**
 * The people of a case as its readers see them: the files linked to it, and (while nobody is linked to an active
 * case) the people met near it before, as a suggestion only: "possibly known".
 */
export async function casePeople(deps: Pick<PeopleDeps, 'people'>, c: Case) {
  const linked = c.personIds?.length ? (await deps.people.getMany(c.personIds)).map(casePersonView) : [];
  if (linked.length || c.status === 'closed') return { files: linked, possiblyKnown: [] };
  const near = await deps.people.metIn(cellsAround(c.location, POSSIBLY_KNOWN_M));
  const files = near.length ? await deps.people.getMany(near) : [];
  const possiblyKnown = files
    .filter((f) => !f.mergedInto && !f.erasedAt && !inStation(f))
    .map((f) => ({ ...casePersonView(f), lastMetAt: f.encounters.at(-1)?.at }));
  return { files: linked, possiblyKnown };
}

/**
 * What an intake on a case does to the people's files, decided with the case's change (in the same transaction):
 * the file named, or a new file for each person registered (one when nobody was), taken in at the station. Two
 * stations taking the same person in at once: the file's version lets one through.
 */
export function intakeFiles(
  deps: Pick<PeopleDeps, 'people' | 'now' | 'personRules' | 'timeScale'>, input: { current: Case; stationId: string; actor: Actor; at: string; personId?: string; existing?: PersonFile; people?: Person[]; newIds: string[] },
): { files: { file: PersonFile; readVersion?: number }[]; writes: TransactItem[] } {
  const { current, stationId, at } = input;
  const stay = { stationId, caseId: current.caseId, at };
  let files: { file: PersonFile; readVersion?: number }[];
  if (input.personId) {
    if (!input.existing || input.existing.mergedInto) throw notFound(`person ${input.personId} does not exist`);
    const met = input.existing.encounters.some((e) => e.caseId === current.caseId) ? [] : [encounterOf(current, at, 'met', input.actor)];
    files = [{ file: takeIn(deps, { ...input.existing, encounters: [...input.existing.encounters, ...met] }, stay), readVersion: input.existing.version }];
  } else {
    const people = input.people?.length ? input.people : [{ ageGroup: 'unknown', sex: 'unknown', conditions: [] } as Person];
    files = people.map((person, index) => {
      const details: PersonDetails = { identified: false, ageGroup: person.ageGroup, sex: person.sex, conditions: [...person.conditions] };
      const file = newFile(deps, { personId: input.newIds[index]!, details, actor: input.actor, stations: [stationId] });
      return { file: takeIn(deps, { ...file, encounters: [encounterOf(current, at, 'met', input.actor)] }, stay) };
    });
  }
  files = files.map(({ file, readVersion }) => ({
    file: { ...file, ...(readVersion !== undefined ? { version: readVersion + 1 } : {}) }, ...(readVersion !== undefined ? { readVersion } : {}),
  }));
  return {
    files,
    writes: files.flatMap(({ file, readVersion }) => [deps.people.write(file, readVersion), ...nearWrites(deps, file, current.location, at)]),
  };
}

/** The follow-up a discharge leads to (回访), by the person's grade; none when someone took them into care. */
function afterDischarge(deps: Pick<PeopleDeps, 'personRules' | 'timeScale'>, file: PersonFile, reason: NonNullable<PersonFile['stay']>['dischargeReason'], at: string) {
  if (!reason || !FOLLOWED_UP_DISCHARGES.includes(reason)) return undefined;
  return followUpAfter(file.grade.level, 'left_station', at, 1, deps.personRules, deps.timeScale);
}

/** A person leaves the station: the stay ends with its reason; a reunion closes the family search. */
export function dischargeFile(
  deps: Pick<PeopleDeps, 'personRules' | 'timeScale' | 'now'>, file: PersonFile,
  input: { reason: NonNullable<PersonFile['stay']>['dischargeReason']; note?: string; at: string },
): PersonFile {
  if (!inStation(file)) throw conflict(`${personLabel(file)} is not in a station: nothing to discharge`);
  const next: PersonFile = {
    ...file,
    stay: { ...file.stay!, dischargedAt: input.at, dischargeReason: input.reason!, ...(input.note ? { dischargeNote: input.note } : {}) },
    updatedAt: input.at, workflowGeneration: file.workflowGeneration + 1,
  };
  if (input.reason === 'reunited_with_family') next.familySearch = { ...file.familySearch, reunitedAt: input.at };
  // No longer in the station's care: a notice not yet published is no longer owed (its deadline stays on record).
  if (next.familySearch.status === 'due') next.familySearch = { ...next.familySearch, status: 'not_needed' };
  const followUp = afterDischarge(deps, next, input.reason, input.at);
  if (followUp) next.followUp = followUp;
  return next;
}

/**
 * Someone known to be in the case declined help: the encounter says so (the grade counts it), and a follow-up is
 * scheduled by the grade that follows.
 */
export function declinedHelp(deps: Pick<PeopleDeps, 'personRules' | 'timeScale' | 'now'>, file: PersonFile, c: Case, actor: Actor, at: string): PersonFile {
  const others = file.encounters.filter((e) => e.caseId !== c.caseId || e.kind === 'intake');
  const next: PersonFile = {
    ...file, encounters: [...others, encounterOf(c, at, 'declined_help', actor)], updatedAt: at, workflowGeneration: file.workflowGeneration + 1,
  };
  next.grade = regrade(next, deps.now());
  next.followUp = followUpAfter(next.grade.level, 'declined_help', at, 1, deps.personRules, deps.timeScale);
  return next;
}

/**
 * A case's discharge reason (free words) as a person's: one of the codes as it is, or what the desk's usual words say
 * (家属接回 a reunion, 自愿离站 left of their own will, 返乡 home, 医院 hospital, 安置 longer-term care); else other.
 */
export function dischargeReasonOf(text: string): NonNullable<PersonFile['stay']>['dischargeReason'] {
  const known = ['returned_home', 'reunited_with_family', 'long_term_care', 'hospital', 'left_of_own_will'] as const;
  const code = known.find((reason) => text.includes(reason));
  if (code) return code;
  const words: [RegExp, (typeof known)[number]][] = [
    [/家属|亲属|家人|寻亲成功/, 'reunited_with_family'], [/自愿离站|自行离站|自愿离开/, 'left_of_own_will'], [/返乡|返家|回家|送返/, 'returned_home'],
    [/医院|送医|就医/, 'hospital'], [/长期|安置|转介/, 'long_term_care'],
  ];
  return words.find(([pattern]) => pattern.test(text))?.[1] ?? 'other';
}

/** POST /v1/people/{personId}/actions. */
export async function takePersonAction(
  deps: PeopleDeps & WorkflowDeps & Pick<Dependencies, 'bucket'>,
  input: { personId: string; action: PersonAction; principal: Principal; actor: Actor },
) {
  const { action, actor } = input;
  await readableFile(deps, input.principal, input.personId);
  const now = deps.now();
  const at = iso(now);
  let other: PersonFile | undefined;
  if (action.type === 'merge') {
    if (action.with === input.personId) throw conflict('a file cannot be merged into itself');
    other = await readableFile(deps, input.principal, action.with);
    if (other.mergedInto) throw conflict(`person ${action.with} was already merged into ${other.mergedInto}`);
  }
  if (action.type === 'approve_notice' && !seesEverything(input.principal)) {
    const station = actor.stationId ? await deps.directory.get('station', actor.stationId) : undefined;
    if (!station?.chief || station.chief !== actor.sub) {
      throw forbidden(`only the station chief approves a minor's family-search notice${station?.chief ? '' : ' (the directory names no chief for this station)'}`);
    }
  }
  let linkedCase: Case | undefined;
  if (action.type === 'link') {
    const gate = await caseGate(deps, input.principal);
    linkedCase = await deps.cases.getCase(action.caseId);
    if (!linkedCase || gate.access(linkedCase) !== 'full') throw missingCase(action.caseId);
  }
  const result = await deps.people.mutate(input.personId, (current) => {
    if (current.mergedInto) throw conflict(`this file was merged into ${current.mergedInto}: act on that one`);
    const file = decidePersonAction(deps, current, action, actor, at, { other, linkedCase });
    if (!file) return null;
    const alongside: TransactItem[] = [];
    if (action.type === 'merge' && other) {
      alongside.push(deps.people.write({ ...other, mergedInto: current.personId, updatedAt: at, workflowGeneration: other.workflowGeneration + 1, version: other.version + 1 }, other.version));
    }
    if (linkedCase) alongside.push(...nearWrites(deps, file, linkedCase.location, at));
    return { file: { ...file, grade: regrade(file, now), updatedAt: at }, alongside };
  });
  if (!result) throw missingPerson(input.personId);
  if (linkedCase && !linkedCase.personIds?.includes(input.personId)) {
    await deps.cases.mutateCase(linkedCase.caseId, (current) => (current.personIds?.includes(input.personId) ? null : {
      set: { personIds: [...(current.personIds ?? []), input.personId], updatedAt: at },
      timeline: [{ at, type: 'person_linked', actor, personId: input.personId }],
    }));
  }
  if (action.type === 'erase') {
    await Promise.all(result.before.photos.map((photo) => deps.bucket.remove(photo.viewKey)));
    await deps.accessLog.append(personLogSubject(input.personId), [{ at, ...accessLogReader(input.principal, readingRole(input.principal)), what: 'erase' }]);
  }
  await startWorkflow(deps, result.before, result.after);
  return fileView(result.after, now);
}

function decidePersonAction(
  deps: Pick<PeopleDeps, 'personRules' | 'timeScale' | 'now'>, current: PersonFile, action: PersonAction, actor: Actor, at: string,
  context: { other?: PersonFile; linkedCase?: Case },
): PersonFile | null {
  const rules = deps.personRules;
  const bump = (f: PersonFile): PersonFile => ({ ...f, workflowGeneration: current.workflowGeneration + 1 });
  const staying = () => {
    if (!inStation(current)) throw conflict(`${personLabel(current)} is not in a station now`);
    return current.stay!;
  };
  switch (action.type) {
    case 'update': {
      const { type: _t, ...fields } = action;
      // A name given for someone not identified is what they call themselves: shown, but the family search goes on.
      const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      return { ...current, ...defined } as PersonFile;
    }
    case 'identify': {
      const familySearch = { ...current.familySearch, status: 'not_needed' as const };
      return bump({ ...current, name: action.name, identified: true, familySearch });
    }
    case 'grade':
      return { ...current, grade: { level: action.level, reasons: [action.reason], set: 'station', by: actor.sub, at } };
    case 'care_level': {
      const stay = staying();
      const nextCheckAt = new Date(Date.parse(at) + rules.checkHours[action.level] * 3_600_000 * deps.timeScale).toISOString();
      return bump({ ...current, stay: { ...stay, careLevel: action.level, careLevelSet: 'station', careReason: action.reason, nextCheckAt } });
    }
    case 'check': {
      const stay = staying();
      const checks = [...stay.checks, { at, by: actor.sub, ...(action.note ? { note: action.note } : {}) }].slice(-20);
      const nextCheckAt = new Date(Date.parse(at) + rules.checkHours[stay.careLevel] * 3_600_000 * deps.timeScale).toISOString();
      return bump({ ...current, stay: { ...stay, checks, nextCheckAt } });
    }
    case 'referral': {
      const stay = staying();
      return { ...current, stay: { ...stay, referrals: [...stay.referrals, { at, to: action.to, reason: action.reason, by: actor.sub }] } };
    }
    case 'dna': {
      if (current.identified || !current.familySearch.dna) throw conflict('no DNA request is tracked: the person is identified or was never taken in unidentified');
      const dna = { ...current.familySearch.dna, ...(action.step === 'requested' ? { requestedAt: current.familySearch.dna.requestedAt ?? at } : { requestedAt: current.familySearch.dna.requestedAt ?? at, sampledAt: at }) };
      return bump({ ...current, familySearch: { ...current.familySearch, dna } });
    }
    case 'approve_notice': {
      if (current.identified) throw conflict('the person is identified: no notice is needed');
      return { ...current, familySearch: { ...current.familySearch, approval: { by: actor.sub, at, withPhoto: action.withPhoto } } };
    }
    case 'discharge':
      return dischargeFile(deps, current, { reason: action.reason, ...(action.note ? { note: action.note } : {}), at });
    case 'follow_up': {
      if (!current.followUp) throw conflict(`no follow-up is scheduled for ${personLabel(current)}`);
      const made = current.followUps.length + 1;
      const next: PersonFile = bump({ ...current, followUps: [...current.followUps, { at, by: actor.sub, outcome: action.outcome, ...(action.note ? { note: action.note } : {}) }] });
      delete next.followUp;
      if (action.outcome !== 'back_in_care' && anotherFollowUp(current.grade.level, made, rules)) {
        next.followUp = followUpAfter(current.grade.level, current.followUp.reason, at, current.followUp.number + 1, rules, deps.timeScale);
      }
      return next;
    }
    case 'link': {
      const c = context.linkedCase!;
      if (current.encounters.some((e) => e.caseId === c.caseId)) return null;
      const encounter = { ...encounterOf(c, at, action.kind, actor), at: c.lastSeenAt ?? at };
      const next: PersonFile = { ...current, encounters: [...current.encounters, encounter].sort((a, b) => a.at.localeCompare(b.at)) };
      next.stations = [...new Set([...current.stations, ...(actor.stationId ? [actor.stationId] : []), ...(c.stationId ? [c.stationId] : [])])];
      if (action.kind === 'declined_help' && !inStation(current)) {
        const graded = regrade(next, deps.now());
        next.followUp = followUpAfter(graded.level, 'declined_help', at, 1, rules, deps.timeScale);
        return bump(next);
      }
      return next;
    }
    case 'merge': {
      const other = context.other!;
      const encounters = [...current.encounters, ...other.encounters].sort((a, b) => a.at.localeCompare(b.at));
      return bump({
        ...current,
        name: current.name ?? other.name,
        identified: current.identified || other.identified,
        ...(current.identified || other.identified ? { familySearch: { ...current.familySearch, status: 'not_needed' as const } } : {}),
        conditions: [...new Set([...current.conditions, ...other.conditions])],
        encounters, photos: [...current.photos, ...other.photos], stations: [...new Set([...current.stations, ...other.stations])],
        followUps: [...current.followUps, ...other.followUps], stays: current.stays + other.stays,
        mergedFrom: [...(current.mergedFrom ?? []), other.personId],
      } as PersonFile);
    }
    case 'erase':
      return erasedFile(current, at);
  }
}

/** The age a notice shows: rounded, or a band; a minor's only as a minor. */
function ageWords(file: PersonFile): string {
  if (isMinor(file)) return '未成年';
  if (file.estimatedAge !== undefined) return `约 ${Math.round(file.estimatedAge / 5) * 5} 岁`;
  return { child: '未成年', adult: '成年', elderly: '60 岁以上', unknown: '不详' }[file.ageGroup];
}

/**
 * The family-search notice: only what the national platform (全国救助寻亲网) shows: photo, estimated age, sex,
 * features, clothing, where and when found, the station and how to reach it. A minor's notice needs the station
 * chief's approval to be published, shows the place only as its district, and the photo only if the chief allowed it.
 */
export async function noticeOf(deps: PeopleDeps & Pick<Dependencies, 'bucket'>, file: PersonFile) {
  if (file.identified) throw conflict(`${personLabel(file)} is identified: no family-search notice is needed`);
  const now = deps.now();
  const minor = isMinor(file);
  const found = file.encounters.find((e) => e.kind !== 'linked') ?? file.encounters[0];
  const foundCase = found?.caseId ? await deps.cases.getCase(found.caseId) : undefined;
  const stationId = file.stay?.stationId ?? file.stations[0];
  const station = stationId ? await deps.directory.get('station', stationId) : undefined;
  const hotSpots = minor && foundCase ? await deps.directory.list('hot_spot') : [];
  const district = hotSpots.find((h) => h.district && foundCase && Math.abs(h.location.lat - foundCase.location.lat) < 0.03 && Math.abs(h.location.lon - foundCase.location.lon) < 0.03)?.district;
  const foundPlace = minor
    ? (district ?? '本市')
    : foundCase?.placeName ?? (found?.stationId || !foundCase ? `${station?.name ?? '救助站'}（自行求助）` : '本市');
  const photo = file.photos.at(-1);
  const showPhoto = photo && !file.erasedAt && (!minor || file.familySearch.approval?.withPhoto);
  const view = familySearchView(file.familySearch, now);
  return {
    personId: file.personId,
    number: file.number,
    title: `${station?.name ?? '救助站'}寻亲公告`,
    status: view.status,
    minor,
    sex: file.sex,
    estimatedAge: ageWords(file),
    ...(file.features && !file.erasedAt ? { features: file.features } : {}),
    ...(file.clothing && !file.erasedAt ? { clothing: file.clothing } : {}),
    ...(file.dialect && !file.erasedAt && !minor ? { dialect: file.dialect } : {}),
    foundAt: foundCase?.openedAt ?? found?.at ?? file.createdAt,
    foundPlace,
    ...(file.stay ? { takenInAt: file.stay.since } : {}),
    station: { name: station?.name ?? '救助站', ...(station?.phone ? { phone: station.phone } : {}), ...(station?.address ? { address: station.address } : {}) },
    ...(showPhoto ? {
      photo: { uploadId: photo.uploadId, url: await deps.bucket.presignGet(photo.viewKey, PHOTO_URL_SECONDS), urlExpiresAt: new Date(now.getTime() + PHOTO_URL_SECONDS * 1000).toISOString() },
    } : {}),
    ...(file.familySearch.publishedAt ? { publishedAt: file.familySearch.publishedAt } : {}),
  };
}

/** The photo's bytes for the printed notice (the copy without metadata), when the notice shows one. */
export async function noticePhoto(deps: Pick<Dependencies, 'bucket'>, file: PersonFile, notice: { photo?: { uploadId: string } }) {
  const photo = notice.photo ? file.photos.find((p) => p.uploadId === notice.photo!.uploadId) : undefined;
  return photo ? deps.bucket.read(photo.viewKey) : undefined;
}

/** GET …/family-search-notice: the notice (its reading logged as a read of the file). */
export async function readNotice(deps: PeopleDeps & Pick<Dependencies, 'bucket'>, principal: Principal, personId: string) {
  const file = await readableFile(deps, principal, personId);
  const notice = await noticeOf(deps, file);
  await deps.accessLog.append(personLogSubject(personId), [{ at: iso(deps.now()), ...accessLogReader(principal, readingRole(principal)), what: 'export' }]);
  return { file, notice };
}

/** POST …/family-search-notice: published once; publishing again answers the notice as first published. */
export async function publishNotice(deps: PeopleDeps & WorkflowDeps & Pick<Dependencies, 'bucket'>, principal: Principal, actor: Actor, personId: string) {
  await readableFile(deps, principal, personId);
  const result = await deps.people.mutate(personId, (current) => {
    if (current.identified) throw conflict(`${personLabel(current)} is identified: no family-search notice is needed`);
    if (current.familySearch.status === 'published') return null;
    if (isMinor(current) && !current.familySearch.approval) {
      throw conflict('the person is a minor: the station chief must approve the notice first (action approve_notice)');
    }
    const at = iso(deps.now());
    return {
      file: {
        ...current, updatedAt: at, workflowGeneration: current.workflowGeneration + 1,
        familySearch: { ...current.familySearch, status: 'published', publishedAt: at, publishedBy: actor.sub },
      },
    };
  });
  if (!result) throw missingPerson(personId);
  await startWorkflow(deps, result.before, result.after);
  return noticeOf(deps, result.after);
}

/** A new person id: from the request's Idempotency-Key when it has one, so a retry names the same file. */
export const newPersonId = () => `per-${ulid()}`;
