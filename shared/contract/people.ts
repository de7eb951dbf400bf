import * as z from 'zod';
import type { RouteDoc } from './openapi';
import { CaseIdParam } from './schemas';
import {
  AGE_GROUPS, CARE_LEVELS, CONDITIONS, DISCHARGE_REASONS, ENCOUNTER_KINDS, FAMILY_SEARCH_STATUSES, FOLLOW_UP_OUTCOMES, GRADES, SEXES,
} from './vocabulary';

/**
 * People (contract v1.1, "People (一人一档), station care, family search"): one file per person, their care in a
 * station, and their family search. Only stations and coordinators read a file; a patrol sees, in its own case, the
 * least it needs to help (name or number, grade, what to know).
 */

export const PersonIdParam = z.string().regex(/^per-[0-9A-Za-z]{26}$/, 'is not a person id');
export const PersonParams = z.strictObject({ personId: PersonIdParam });

const Text = (max: number) => z.string().trim().min(1).max(max);

const PersonFields = {
  name: Text(100).optional().describe('When known. An unidentified person is known by their number (无名氏编号).'),
  ageGroup: z.enum(AGE_GROUPS),
  estimatedAge: z.number().int().min(0).max(120).optional(),
  sex: z.enum(SEXES),
  dialect: Text(100).optional().describe('e.g. 南昌话: what the team should speak.'),
  features: Text(1000).optional().describe('Height, build, scars, marks: what the family-search notice shows.'),
  clothing: Text(1000).optional(),
  conditions: z.array(z.enum(CONDITIONS)).max(CONDITIONS.length).default([])
    .refine((list) => new Set(list).size === list.length, { message: 'lists a condition twice' }),
};

export const CreatePersonRequest = z.strictObject({
  caseId: CaseIdParam.optional().describe('The case the person was met in. A patrol may only create a file for a person in one of its full cases.'),
  identified: z.boolean().describe('Whether the person is known (named, and the name confirmed). An unidentified person taken in gets a family search.'),
  ...PersonFields,
}).refine((p) => !p.identified || p.name !== undefined, { path: ['name'], message: 'is required for an identified person' });
export type CreatePersonRequest = z.output<typeof CreatePersonRequest>;

/** What a station or coordinator does with a file, one action at a time. */
export const PersonAction = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('update'), ...Object.fromEntries(Object.entries(PersonFields).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof typeof PersonFields]: z.ZodOptional<(typeof PersonFields)[K]>
  } }).describe('Corrects or completes the details.'),
  z.strictObject({ type: z.literal('identify'), name: Text(100), note: Text(500).optional() })
    .describe('The person is identified: the family search is no longer needed.'),
  z.strictObject({ type: z.literal('grade'), level: z.enum(GRADES), reason: Text(500) })
    .describe('The station sets the grade, with its reason; the rules no longer change it.'),
  z.strictObject({ type: z.literal('care_level'), level: z.enum(CARE_LEVELS), reason: Text(500) }),
  z.strictObject({ type: z.literal('check'), note: Text(1000).optional() }).describe('A care check made (查房): the next is due by the care level.'),
  z.strictObject({ type: z.literal('referral'), to: Text(200), reason: Text(500) }).describe('A medical referral.'),
  z.strictObject({ type: z.literal('dna'), step: z.enum(['requested', 'sampled']), note: Text(500).optional() })
    .describe('The police were asked for a DNA sample, or took it.'),
  z.strictObject({ type: z.literal('approve_notice'), withPhoto: z.boolean().default(false) })
    .describe("The station chief approves a minor's family-search notice (and whether it may show the photo)."),
  z.strictObject({ type: z.literal('discharge'), reason: z.enum(DISCHARGE_REASONS), note: Text(500).optional() }),
  z.strictObject({ type: z.literal('follow_up'), outcome: z.enum(FOLLOW_UP_OUTCOMES), note: Text(1000).optional() })
    .describe('The outcome of a follow-up visit (回访).'),
  z.strictObject({ type: z.literal('link'), caseId: CaseIdParam, kind: z.enum(['met', 'declined_help']).default('met') })
    .describe('This person was in that case (a person links a possibly-known match; the system never does).'),
  z.strictObject({ type: z.literal('merge'), with: PersonIdParam })
    .describe('The other file is the same person: its encounters, photos and history join this one, and it points here.'),
  z.strictObject({ type: z.literal('erase'), reason: Text(500) })
    .describe('Erases what says who the person is (name, age, dialect, features, clothing, photos); the figures stay.'),
], { error: () => 'type must be one of update, identify, grade, care_level, check, referral, dna, approve_notice, discharge, follow_up, link, merge, erase' });
export type PersonAction = z.output<typeof PersonAction>;

export const ListPeopleQuery = z.strictObject({
  inStation: z.enum(['true', 'false']).optional().describe('`true`: only the people in a station now.'),
  stationId: z.string().trim().min(1).max(64).optional(),
});

export const FamilySearchView = z.object({
  status: z.enum(FAMILY_SEARCH_STATUSES),
  dueAt: z.string().optional(),
  escalations: z.number().optional(),
  publishedAt: z.string().optional(),
  approval: z.object({ by: z.string(), at: z.string(), withPhoto: z.boolean() }).optional(),
  dna: z.object({ dueAt: z.string(), requestedAt: z.string().optional(), sampledAt: z.string().optional() }).optional(),
  longTermAt: z.string().optional(),
  longTermFlaggedAt: z.string().optional(),
  reunitedAt: z.string().optional(),
});

const GradeView = z.object({ level: z.enum(GRADES), reasons: z.array(z.string()), set: z.enum(['rules', 'station']), at: z.string() });
const StayView = z.object({
  stationId: z.string(), caseId: z.string().optional(), since: z.string(), careLevel: z.enum(CARE_LEVELS), careLevelSet: z.enum(['rules', 'station']),
  nextCheckAt: z.string(), checkOverdue: z.boolean(), checks: z.array(z.object({ at: z.string(), by: z.string(), note: z.string().optional() })),
  referrals: z.array(z.object({ at: z.string(), to: z.string(), reason: z.string(), by: z.string() })),
  longStayFlaggedAt: z.string().optional(), dischargedAt: z.string().optional(), dischargeReason: z.enum(DISCHARGE_REASONS).optional(),
});

export const PersonFileView = z.object({
  personId: z.string(),
  number: z.string(),
  label: z.string().describe('The name when known, else the number.'),
  identified: z.boolean(),
  name: z.string().optional(), ageGroup: z.enum(AGE_GROUPS), estimatedAge: z.number().optional(), sex: z.enum(SEXES),
  dialect: z.string().optional(), features: z.string().optional(), clothing: z.string().optional(), conditions: z.array(z.enum(CONDITIONS)),
  createdAt: z.string(), updatedAt: z.string(),
  grade: GradeView,
  inStation: z.boolean(),
  stay: StayView.optional(),
  stays: z.number(),
  encounters: z.array(z.object({
    caseId: z.string().optional(), at: z.string(), kind: z.enum(ENCOUNTER_KINDS), stationId: z.string().optional(), teamId: z.string().optional(),
    location: z.object({ lat: z.number(), lon: z.number() }).optional(),
  })),
  familySearch: FamilySearchView,
  followUp: z.object({ dueAt: z.string(), reason: z.string(), number: z.number() }).optional(),
  followUps: z.array(z.object({ at: z.string(), by: z.string(), outcome: z.enum(FOLLOW_UP_OUTCOMES), note: z.string().optional() })),
  photos: z.array(z.object({ uploadId: z.string(), at: z.string(), url: z.string(), urlExpiresAt: z.string() }))
    .describe('Only in a file read one at a time: never in lists, exports or the feed.'),
  mergedInto: z.string().optional(), mergedFrom: z.array(z.string()).optional(), erasedAt: z.string().optional(),
});

/** A person in a list (the desk's people in the station): no photos, no features. */
export const PersonListItem = PersonFileView.pick({
  personId: true, number: true, label: true, identified: true, ageGroup: true, estimatedAge: true, sex: true, conditions: true,
  grade: true, inStation: true, stay: true, familySearch: true, followUp: true,
});
export const PersonList = z.object({ items: z.array(PersonListItem) });

/** What a patrol (or anyone reading the case) sees of a person linked to the case: the least it needs to help. */
export const CasePersonView = z.object({
  personId: z.string(), label: z.string(), grade: z.enum(GRADES), ageGroup: z.enum(AGE_GROUPS), sex: z.enum(SEXES),
  dialect: z.string().optional(), conditions: z.array(z.enum(CONDITIONS)),
  declinedHelp: z.number().describe('How many times they declined help before.'),
});

/** The family-search notice: only the fields the national platform (全国救助寻亲网) shows. */
export const FamilySearchNotice = z.object({
  personId: z.string(),
  number: z.string(),
  title: z.string(),
  status: z.enum(FAMILY_SEARCH_STATUSES),
  minor: z.boolean(),
  sex: z.enum(SEXES),
  estimatedAge: z.string().describe('As the platform shows it: 约 70 岁, 60 岁以上, 未成年.'),
  features: z.string().optional(),
  clothing: z.string().optional(),
  dialect: z.string().optional(),
  foundAt: z.string().describe('When the person was found (or came to the station).'),
  foundPlace: z.string().describe('Where: a place name, or the district only for a minor.'),
  takenInAt: z.string().optional(),
  station: z.object({ name: z.string(), phone: z.string().optional(), address: z.string().optional() }),
  photo: z.object({ uploadId: z.string(), url: z.string(), urlExpiresAt: z.string() }).optional(),
  publishedAt: z.string().optional(),
});

export const CREATE_PERSON_DOC: RouteDoc<'CreatePerson'> = {
  tag: 'People',
  description: 'Opens a person\'s file (一人一档). A station may open one at intake or before; a patrol only for a person in one of its full cases. '
    + 'A file opened by a station without a case is a walk-in: the person is taken in at that station now.',
  body: { schema: CreatePersonRequest, example: { caseId: 'case-01JH5Y3W8ZC3KQ7M4N2P6R9T0V', identified: false, ageGroup: 'elderly', estimatedAge: 70, sex: 'male', dialect: '南昌话', features: '身高约165厘米，偏瘦，左眉有疤', clothing: '深蓝色棉袄，黑色裤子', conditions: ['ill'] } },
  responses: { 201: { description: 'The file.', schema: PersonFileView } },
  problems: { 404: 'The case does not exist, or the caller may not read it in full.', 403: 'A patrol opening a file for a case that is not its team\'s, or any other role.' },
};
export const LIST_PEOPLE_DOC: RouteDoc<'ListPeople'> = {
  tag: 'People', description: 'The people of the caller\'s station (a coordinator: every station), newest first; `inStation=true` for those in a station now. No photos.',
  query: ListPeopleQuery,
  responses: { 200: { description: 'The people.', schema: PersonList } },
};
export const GET_PERSON_DOC: RouteDoc<'GetPerson'> = {
  tag: 'People', description: 'The person\'s file: details, encounters and cases, grade, care, family search, follow-ups, photos (URLs valid 5 minutes). Every read is logged.',
  path: PersonParams,
  responses: { 200: { description: 'The file.', schema: PersonFileView } },
  problems: { 404: 'No such person, or one the caller may not read.', 403: 'Patrol, device and the public never read a file.' },
};
export const TAKE_PERSON_ACTION_DOC: RouteDoc<'TakePersonAction'> = {
  tag: 'People', description: 'Grades, care levels, checks, referrals, the DNA request, the chief\'s approval of a minor\'s notice, discharge, follow-ups, links, merges and erasure.',
  path: PersonParams, body: { schema: PersonAction, example: { type: 'check', note: '体温正常，已进食' } },
  responses: { 200: { description: 'The file after the action.', schema: PersonFileView } },
  problems: { 409: 'The action does not fit the file now (not in a station, already discharged, merging a file into itself), with the reason.' },
};
export const PUBLISH_NOTICE_DOC: RouteDoc<'PublishFamilySearchNotice'> = {
  tag: 'People', description: 'Publishes the family-search notice (寻亲公告). Publishing again is harmless: the first publication stands.',
  path: PersonParams,
  responses: { 200: { description: 'The notice as published.', schema: FamilySearchNotice } },
  problems: { 409: 'The person is identified (no notice is needed), or is a minor whose notice the station chief has not approved.' },
};
export const GET_NOTICE_DOC: RouteDoc<'GetFamilySearchNotice'> = {
  tag: 'People', description: 'The notice as JSON for the national platform, or as a printable A4 PDF in Chinese with the photo (`Accept: application/pdf`).',
  path: PersonParams,
  responses: { 200: { description: 'The notice.', schema: FamilySearchNotice, mediaTypes: ['application/json', 'application/pdf'] } },
  problems: { 409: 'The person is identified: there is no notice.' },
};
export const GET_PERSON_ACCESS_LOG_DOC: RouteDoc<'GetPersonAccessLog'> = {
  tag: 'People', description: 'Who read the file, newest first (coordinator, admin).',
  path: PersonParams,
  responses: { 200: { description: 'The log.', schema: z.object({ items: z.array(z.record(z.string(), z.unknown())), nextCursor: z.string().optional() }) } },
};

export const PEOPLE_COMPONENTS = { PersonFileView, PersonListItem, PersonAction, CreatePersonRequest, FamilySearchNotice, CasePersonView };
