import type { Case } from './case';

/**
 * How long personal data is kept (api-contract v1.1, issue 11): people's details, notes and photos of a case closed
 * more than `caseDays` ago are removed, the case keeping its place, times, risk, outcome and counts so the figures
 * stay; a help-point reporter's contact, kept only when they asked for feedback, goes after `contactDays`.
 */
export interface RetentionSettings {
  caseDays: number;
  contactDays: number;
  /** Days a patrol team's positions are kept (where its members were: staff data, for coverage and the night's report). */
  positionDays: number;
  /** Days after a person last left a station (or was last met) that their file keeps what says who they are. */
  personDays: number;
}

export const DEFAULT_RETENTION: RetentionSettings = { caseDays: 180, contactDays: 30, positionDays: 60, personDays: 365 };

/** Fields of a timeline entry that say something about people: notes, who was registered, handover names, reasons. */
export const PERSONAL_ENTRY_FIELDS = ['text', 'note', 'people', 'handover', 'handedOver', 'reason', 'assignee'] as const;

/** A case's own fields about people; erased with its sightings' people and notes and its photos. */
export const PERSONAL_CASE_FIELDS = ['intakePeople', 'handover', 'handedOver', 'assignee'] as const satisfies readonly (keyof Case)[];

/** The fields of an entry to remove: a sighting's entry counts its people (a number), which stays. */
export const personalFieldsOf = (entry: Record<string, unknown>) =>
  PERSONAL_ENTRY_FIELDS.filter((field) => field in entry && !(field === 'people' && typeof entry.people === 'number'));

/** Cases closed before this instant are past their retention. */
export const retentionCutoff = (now: Date, settings: RetentionSettings) => new Date(now.getTime() - settings.caseDays * 86_400_000);
