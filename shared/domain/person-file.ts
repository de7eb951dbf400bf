import chineseDays from 'chinese-days';
import type {
  AgeGroup, CareLevel, Condition, DischargeReason, EncounterKind, FamilySearchStatus, FollowUpOutcome, Grade, Sex,
} from '../contract/vocabulary';
import type { Actor } from './case';
import { SHANGHAI_OFFSET_MS } from './shanghai-clock';

/**
 * One file per person (一人一档): who they are as far as anyone knows, every time they were met, their grade, their
 * care in a station, and their family search (寻亲). Pure rules here; the use cases store and drive them.
 *
 * Times that are deadlines are all multiplied by TIME_SCALE (as every workflow deadline is), so a demo or a test sees
 * a 24-hour notice deadline pass in minutes.
 */
const { findWorkday } = chineseDays;

export {
  CARE_LEVELS, DISCHARGE_REASONS, ENCOUNTER_KINDS, FAMILY_SEARCH_STATUSES, FOLLOW_UP_OUTCOMES, GRADES,
} from '../contract/vocabulary';
export type { CareLevel, DischargeReason, EncounterKind, FamilySearchStatus, FollowUpOutcome, Grade } from '../contract/vocabulary';

/** One time the person was met: a case, when, and what came of it. */
export interface Encounter {
  caseId?: string;
  at: string;
  kind: EncounterKind;
  location?: { lat: number; lon: number };
  stationId?: string;
  teamId?: string;
}

export interface GradeRecord {
  level: Grade;
  /** Why: the rules' reasons, or the station's own words. */
  reasons: string[];
  set: 'rules' | 'station';
  by?: string;
  at: string;
}

/** One stay in a station: from intake (求助登记) to discharge. */
export interface Stay {
  stationId: string;
  caseId?: string;
  since: string;
  careLevel: CareLevel;
  careLevelSet: 'rules' | 'station';
  careReason?: string;
  /** When the next check of the care level is due (scaled). */
  nextCheckAt: string;
  /** The latest checks, newest last (at most 20 kept). */
  checks: { at: string; by: string; note?: string }[];
  referrals: { at: string; to: string; reason: string; by: string }[];
  /** The stay passed the long-stay threshold (10 days): flagged for longer-term care. */
  longStayFlaggedAt?: string;
  /** The check it last reminded the station of (so a missed check is told once). */
  remindedCheckAt?: string;
  dischargedAt?: string;
  dischargeReason?: DischargeReason;
  dischargeNote?: string;
}

export interface FamilySearch {
  status: Exclude<FamilySearchStatus, 'overdue'>;
  /** When the notice must be published by: 24 h after the intake (scaled). */
  dueAt?: string;
  /** Who was told the notice was late: 1 the station's duty officer, 2 also the coordinator. */
  escalations?: number;
  publishedAt?: string;
  publishedBy?: string;
  /** The station chief's approval of a minor's notice. */
  approval?: { by: string; at: string; withPhoto: boolean };
  /** The police DNA sample (Jiangxi: asked for within 7 working days). */
  dna?: { dueAt: string; requestedAt?: string; sampledAt?: string; remindedAt?: string };
  /** Ten days unidentified: to be moved into longer-term care. */
  longTermAt?: string;
  longTermFlaggedAt?: string;
  reunitedAt?: string;
}

export interface FollowUp {
  dueAt: string;
  reason: 'declined_help' | 'left_station';
  number: number;
  remindedAt?: string;
}

export interface PersonDetails {
  name?: string;
  identified: boolean;
  ageGroup: AgeGroup;
  estimatedAge?: number;
  sex: Sex;
  dialect?: string;
  features?: string;
  clothing?: string;
  conditions: Condition[];
}

export interface PersonFile extends PersonDetails {
  personId: string;
  /** The number an unidentified person is known by (无名氏编号), kept once they are named. */
  number: string;
  createdAt: string;
  createdBy: Actor;
  updatedAt: string;
  /** The stations that may read the file: the one that opened it, took the person in, or linked a case of theirs. */
  stations: string[];
  encounters: Encounter[];
  grade: GradeRecord;
  /** The current stay, or the last one. */
  stay?: Stay;
  stays: number;
  familySearch: FamilySearch;
  followUp?: FollowUp;
  followUps: { at: string; by: string; outcome: FollowUpOutcome; note?: string }[];
  /** Photos taken with consent: the copies without metadata. */
  photos: { uploadId: string; viewKey: string; contentType: string; at: string; by: string }[];
  mergedInto?: string;
  mergedFrom?: string[];
  /** When the details that say who they are were erased (retention or request): the figures stay. */
  erasedAt?: string;
  /** Bumped whenever the deadlines change: names the workflow execution that keeps them. */
  workflowGeneration: number;
  version: number;
}

/** What the rules of the person's care and family search allow, in real (unscaled) hours and days. */
export interface PersonRules {
  noticeHours: number;
  /** Hours after a missed notice deadline before the coordinator is told too. */
  noticeEscalateHours: number;
  dnaWorkingDays: number;
  longTermDays: number;
  checkHours: Record<CareLevel, number>;
  followUpDays: Record<Grade, number>;
  /** Follow-ups made before the schedule stops (red and yellow go on to this; blue and green have one). */
  followUpLimit: number;
}

export const DEFAULT_PERSON_RULES: PersonRules = {
  noticeHours: 24,
  noticeEscalateHours: 2,
  dnaWorkingDays: 7,
  longTermDays: 10,
  checkHours: { general: 12, special: 4, medical: 2 },
  followUpDays: { red: 1, yellow: 3, blue: 7, green: 14 },
  followUpLimit: 3,
};

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const later = (from: string, ms: number, timeScale: number) => new Date(Date.parse(from) + ms * timeScale).toISOString();

export const isMinor = (p: Pick<PersonDetails, 'ageGroup' | 'estimatedAge' | 'conditions'>) =>
  p.ageGroup === 'child' || (p.estimatedAge !== undefined && p.estimatedAge < 18) || p.conditions.includes('unaccompanied_minor');

const isElderly = (p: Pick<PersonDetails, 'ageGroup' | 'estimatedAge'>) =>
  p.ageGroup === 'elderly' || (p.estimatedAge !== undefined && p.estimatedAge >= 60);

/** Points the rules give each condition toward the grade. */
const CONDITION_POINTS: Record<Condition, number> = {
  injured: 2, ill: 2, mental_distress: 2, disabled: 2, pregnant: 2, unaccompanied_minor: 3, intoxicated: 1, inadequate_clothing: 1,
};

/**
 * The grade the rules give (红黄蓝绿): points for age (a minor 3, elderly 2, 70 or over one more), each condition,
 * exposure (found outside: once 1, three times in 30 days 2) and help declined (once 1, twice or more 2). Red at 6,
 * yellow at 4, blue at 2, green below.
 */
export function ruleGrade(p: Pick<PersonFile, 'ageGroup' | 'estimatedAge' | 'conditions' | 'encounters'>, now: Date): { level: Grade; reasons: string[] } {
  const reasons: string[] = [];
  let points = 0;
  const add = (n: number, reason: string) => {
    points += n;
    reasons.push(reason);
  };
  if (isMinor({ ...p, conditions: [] })) add(3, 'minor');
  else if (isElderly(p)) add(2, 'elderly');
  if (p.estimatedAge !== undefined && p.estimatedAge >= 70) add(1, 'aged_70_or_over');
  for (const condition of p.conditions) add(CONDITION_POINTS[condition], condition);
  const recent = p.encounters.filter((e) => e.kind !== 'intake' && e.kind !== 'linked' && now.getTime() - Date.parse(e.at) <= 30 * DAY_MS);
  if (recent.length >= 3) add(2, 'found_outside_often');
  else if (recent.length >= 1) add(1, 'found_outside');
  const declined = p.encounters.filter((e) => e.kind === 'declined_help').length;
  if (declined >= 2) add(2, 'declined_help_repeatedly');
  else if (declined === 1) add(1, 'declined_help');
  const level: Grade = points >= 6 ? 'red' : points >= 4 ? 'yellow' : points >= 2 ? 'blue' : 'green';
  return { level, reasons };
}

/** The grade the file shows: the station's, when it set one (with its reason), else the rules'. */
export function regrade(p: PersonFile, now: Date): GradeRecord {
  if (p.grade.set === 'station') return p.grade;
  const { level, reasons } = ruleGrade(p, now);
  return { level, reasons, set: 'rules', at: level === p.grade.level ? p.grade.at : now.toISOString() };
}

/**
 * The care level the rules give (分层分类救助): medical for the injured, ill or pregnant; special care for minors,
 * the elderly, the disabled, people in mental distress or intoxicated; general for everyone else.
 */
export function ruleCareLevel(p: Pick<PersonDetails, 'ageGroup' | 'estimatedAge' | 'conditions'>): CareLevel {
  if (p.conditions.some((c) => c === 'injured' || c === 'ill' || c === 'pregnant')) return 'medical';
  if (isMinor(p) || isElderly(p) || p.conditions.some((c) => c === 'disabled' || c === 'mental_distress' || c === 'intoxicated')) return 'special';
  return 'general';
}

/** The end of the `days`-th working day after `from` (Asia/Shanghai, the State Council's calendar), as an instant. */
export function workingDaysLater(from: string, days: number): Date {
  const shanghaiDate = new Date(Date.parse(from) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
  const day = findWorkday(days, shanghaiDate);
  return new Date(Date.parse(`${day}T23:59:59.000Z`) - SHANGHAI_OFFSET_MS);
}

/** A new stay from `at`: its care level from the rules, its first check due, and the family search it starts. */
export function startStay(
  p: Pick<PersonFile, 'ageGroup' | 'estimatedAge' | 'conditions' | 'identified' | 'familySearch'>,
  input: { stationId: string; caseId?: string; at: string },
  rules: PersonRules, timeScale: number,
): { stay: Stay; familySearch: FamilySearch } {
  const careLevel = ruleCareLevel(p);
  const stay: Stay = {
    stationId: input.stationId, ...(input.caseId ? { caseId: input.caseId } : {}), since: input.at,
    careLevel, careLevelSet: 'rules', nextCheckAt: later(input.at, rules.checkHours[careLevel] * HOUR_MS, timeScale), checks: [], referrals: [],
  };
  return { stay, familySearch: familySearchAtIntake(p, input.at, rules, timeScale) };
}

/**
 * The family search an intake starts: for someone not identified, the notice due 24 hours on, the DNA request by the
 * 7th working day and the 10-day mark; a notice already published stands (a second stay does not start again).
 */
export function familySearchAtIntake(
  p: Pick<PersonFile, 'identified' | 'familySearch'>, at: string, rules: PersonRules, timeScale: number,
): FamilySearch {
  if (p.identified) return { status: 'not_needed' };
  if (p.familySearch.status === 'published') return p.familySearch;
  const dnaMs = workingDaysLater(at, rules.dnaWorkingDays).getTime() - Date.parse(at);
  return {
    status: 'due',
    dueAt: later(at, rules.noticeHours * HOUR_MS, timeScale),
    escalations: 0,
    dna: { dueAt: later(at, dnaMs, timeScale) },
    longTermAt: later(at, rules.longTermDays * DAY_MS, timeScale),
    ...(p.familySearch.approval ? { approval: p.familySearch.approval } : {}),
  };
}

/** The family search as the file shows it: `due` past its deadline is `overdue`. */
export function familySearchView(f: FamilySearch, now: Date): Omit<FamilySearch, 'status'> & { status: FamilySearchStatus } {
  if (f.status === 'due' && f.dueAt && Date.parse(f.dueAt) <= now.getTime()) return { ...f, status: 'overdue' };
  return f;
}

/** Whether the person is in a station now. */
export const inStation = (p: Pick<PersonFile, 'stay'>) => Boolean(p.stay && !p.stay.dischargedAt);

/** The follow-up (回访) after help declined or a stay ended: sooner the higher the grade. */
export function followUpAfter(grade: Grade, reason: FollowUp['reason'], at: string, number: number, rules: PersonRules, timeScale: number): FollowUp {
  return { dueAt: later(at, rules.followUpDays[grade] * DAY_MS, timeScale), reason, number };
}

/** Whether another follow-up comes after `made` ones at this grade: red and yellow up to the limit, blue and green one. */
export const anotherFollowUp = (grade: Grade, made: number, rules: PersonRules) =>
  made < ((grade === 'red' || grade === 'yellow') ? rules.followUpLimit : 1);

/** Discharges that end with nobody to follow up (a family, a hospital, longer-term care took them). */
export const FOLLOWED_UP_DISCHARGES: readonly DischargeReason[] = ['returned_home', 'left_of_own_will', 'other'];

/** One thing the person's workflow keeps a deadline for. */
export type PersonDeadlineKind = 'notice' | 'notice_coordinator' | 'dna' | 'long_term' | 'care_check' | 'long_stay' | 'follow_up';
export interface PersonDeadline { kind: PersonDeadlineKind; at: string }

/** Every deadline still ahead of the person's workflow (nothing told yet), in time order. */
export function personDeadlines(p: PersonFile, rules: PersonRules, timeScale: number): PersonDeadline[] {
  const out: PersonDeadline[] = [];
  if (p.erasedAt || p.mergedInto) return out;
  const f = p.familySearch;
  const staying = inStation(p);
  if (f.status === 'due' && f.dueAt && staying) {
    const told = f.escalations ?? 0;
    if (told === 0) out.push({ kind: 'notice', at: f.dueAt });
    else if (told === 1) out.push({ kind: 'notice_coordinator', at: later(f.dueAt, rules.noticeEscalateHours * HOUR_MS, timeScale) });
  }
  if (!p.identified && staying && f.dna && !f.dna.requestedAt && !f.dna.remindedAt) out.push({ kind: 'dna', at: f.dna.dueAt });
  if (!p.identified && staying && f.longTermAt && !f.longTermFlaggedAt) out.push({ kind: 'long_term', at: f.longTermAt });
  if (staying && p.stay) {
    if (p.stay.remindedCheckAt !== p.stay.nextCheckAt) out.push({ kind: 'care_check', at: p.stay.nextCheckAt });
    // Identified people staying long are flagged too (the unidentified by the 10-day mark above).
    if (p.identified && !p.stay.longStayFlaggedAt) out.push({ kind: 'long_stay', at: later(p.stay.since, rules.longTermDays * DAY_MS, timeScale) });
  }
  if (p.followUp && !p.followUp.remindedAt && !staying) out.push({ kind: 'follow_up', at: p.followUp.dueAt });
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

/** The label a person is known by where their name may not be shown, or is not known: their number. */
export const personLabel = (p: Pick<PersonFile, 'name' | 'number' | 'erasedAt'>) => (p.name && !p.erasedAt ? p.name : p.number);

/** The fields that say who a person is: erased at retention or on request; the rest (age group, sex, grade, dates) stays. */
export const IDENTIFYING_FIELDS = ['name', 'estimatedAge', 'dialect', 'features', 'clothing'] as const satisfies readonly (keyof PersonFile)[];

/** The file without what says who the person is (retention, or on request): grade, age group, sex, dates and counts stay. */
export function erasedFile(file: PersonFile, at: string): PersonFile {
  const next: PersonFile = { ...file, photos: [], erasedAt: file.erasedAt ?? at, workflowGeneration: file.workflowGeneration + 1 };
  for (const field of IDENTIFYING_FIELDS) delete next[field];
  next.encounters = file.encounters.map(({ location: _where, ...encounter }) => encounter);
  if (next.stay) next.stay = { ...next.stay, checks: next.stay.checks.map(({ note: _n, ...check }) => check), referrals: [] };
  next.followUps = file.followUps.map(({ note: _n, ...followUp }) => followUp);
  return next;
}

/** When the person was last in anyone's hands: met, in a station, followed up. A file quiet for the retention period is erased. */
export function lastActivity(file: PersonFile): string {
  const times = [file.createdAt, ...file.encounters.map((e) => e.at), file.stay?.dischargedAt, ...file.followUps.map((f) => f.at)]
    .filter((t): t is string => Boolean(t));
  return times.reduce((a, b) => (a > b ? a : b));
}

/** 无名氏编号: the city's prefix, the intake date, and the tail of the id. */
export function unidentifiedNumber(personId: string, at: string): string {
  const date = new Date(Date.parse(at) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
  return `WM-${date}-${personId.slice(-5)}`;
}
