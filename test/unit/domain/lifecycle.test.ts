import { describe, expect, it } from 'vitest';
import type { CaseAction } from '#shared/contract/schemas';
import { ACTION_TYPES, type ActionType, CASE_STATUSES, type CaseStatus, type Outcome, ROLES, type Role } from '#shared/contract/vocabulary';
import { DomainError } from '#shared/domain/errors';
import { authorizeAction, nextStatus } from '#shared/domain/lifecycle';

const thrown = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError, nothing was thrown');
};

/** Every transition the case lifecycle allows: [from, action, to]. */
const ALLOWED: [CaseStatus, Exclude<ActionType, 'note'>, CaseStatus][] = [
  ['open', 'acknowledge', 'acknowledged'],
  ['alerted', 'acknowledge', 'acknowledged'],
  ['alerted', 'arrive', 'on_scene'],
  ['acknowledged', 'arrive', 'on_scene'],
  ['acknowledged', 'resolve', 'resolved'],
  ['on_scene', 'resolve', 'resolved'],
  ['on_scene', 'intake', 'in_station'],
  ['resolved', 'intake', 'in_station'],
  ['in_station', 'discharge', 'closed'],
  // An unverified machine lead: a station or coordinator verifies it, or a station closes it as a false alarm.
  ['unverified', 'verify', 'open'],
  ['unverified', 'resolve', 'resolved'],
  // Two cases of the same people: the merge keeps each status (which survives is decided with the other case).
  ['unverified', 'merge', 'unverified'],
  ['open', 'merge', 'open'],
  ['alerted', 'merge', 'alerted'],
  ['acknowledged', 'merge', 'acknowledged'],
  ['on_scene', 'merge', 'on_scene'],
];

/** A valid action of each type, as the API would pass it on. */
const ACTIONS: Record<ActionType, CaseAction> = {
  acknowledge: { type: 'acknowledge' },
  arrive: { type: 'arrive', location: { lat: 28.68, lon: 115.86 } },
  resolve: { type: 'resolve', outcome: 'false_alarm' },
  intake: { type: 'intake', stationId: 'station-nc' },
  discharge: { type: 'discharge', reason: 'went home with family' },
  note: { type: 'note', text: 'still sleeping' },
  verify: { type: 'verify' },
  merge: { type: 'merge', with: 'case-b' },
};
/** A case in `status`; a resolved one was escorted to the station (so an intake is expected). */
const at = (status: CaseStatus, outcome: Outcome = 'escorted_to_station') => ({ status, outcome });
const act = (from: CaseStatus, action: ActionType) => nextStatus(at(from), ACTIONS[action]);

const isAllowed = (from: CaseStatus, action: ActionType) => ALLOWED.some(([f, a]) => f === from && a === action);

const ILLEGAL = CASE_STATUSES.flatMap((from) => ACTION_TYPES
  .filter((action): action is Exclude<ActionType, 'note'> => action !== 'note' && !isAllowed(from, action))
  .map((action) => [from, action] as const));

describe('nextStatus', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, action, to) => {
    expect(act(from, action)).toBe(to);
  });

  it.each(CASE_STATUSES.map((s) => [s] as const))('a note keeps the status %s', (status) => {
    expect(act(status, 'note')).toBe(status);
  });

  it('refuses the illegal transitions that matter most', () => {
    // Sanity check of the generated list: these must be among the refused ones.
    expect(ILLEGAL).toEqual(expect.arrayContaining([
      ['closed', 'acknowledge'], ['open', 'resolve'], ['open', 'arrive'], ['resolved', 'discharge'],
      ['in_station', 'resolve'], ['acknowledged', 'acknowledge'], ['closed', 'discharge'],
      ['unverified', 'acknowledge'], ['open', 'verify'], ['resolved', 'merge'], ['closed', 'merge'],
    ]));
    expect(ILLEGAL).toHaveLength(CASE_STATUSES.length * (ACTION_TYPES.length - 1) - ALLOWED.length);
  });

  it.each(ILLEGAL)('from %s, %s is a conflict with the reason', (from, action) => {
    const error = thrown(() => act(from, action));
    expect(error.kind).toBe('conflict');
    expect(error.message).toContain(action);
    // The reason says which statuses would allow it …
    const allowedFrom = ALLOWED.filter(([, a]) => a === action).map(([f]) => f);
    for (const status of allowedFrom) expect(error.message).toContain(status);
  });

  it.each(ILLEGAL.filter(([from]) => from !== 'open'))('the refusal from %s (%s) names the current status', (from, action) => {
    // … and what the case is now (statuses are written in words: on_scene → "on scene").
    const error = thrown(() => act(from, action));
    expect(error.message).toContain(from.replace('_', ' '));
  });

  it('explains a refusal on an open case in words', () => {
    const error = thrown(() => act('open', 'arrive'));
    expect(error.message).toMatch(/not been triaged and alerted/);
  });

  it('lets an unverified lead be dismissed or not found, but not resolved as if someone had been there', () => {
    expect(nextStatus(at('unverified'), { type: 'resolve', outcome: 'not_found' })).toBe('resolved');
    for (const outcome of ['escorted_to_station', 'declined_help', 'medical_handover', 'reunited_with_family'] as const) {
      const error = thrown(() => nextStatus(at('unverified'), { type: 'resolve', outcome, handover: { to: 'ambulance 120' } }));
      expect(error.kind).toBe('conflict');
      expect(error.message).toMatch(/verify it first/);
    }
  });

  it('expects an intake only of a case resolved as escorted to the station', () => {
    expect(nextStatus(at('resolved', 'escorted_to_station'), ACTIONS.intake)).toBe('in_station');
    const error = thrown(() => nextStatus(at('resolved', 'declined_help'), ACTIONS.intake));
    expect(error.kind).toBe('conflict');
    expect(error.message).toContain('declined_help');
  });

  it('says plainly that a closed case is closed', () => {
    expect(thrown(() => act('closed', 'resolve')).message).toContain('the case is closed');
  });
});

/** The contract's table of who may take each action (admins aside). */
const CONTRACT_ROLES: Record<ActionType, Role[]> = {
  acknowledge: ['patrol', 'station'],
  arrive: ['patrol'],
  resolve: ['patrol', 'station'],
  intake: ['station'],
  discharge: ['station'],
  note: ['patrol', 'station', 'coordinator'],
  // Added beyond the contract's table: confirming an unverified machine lead.
  verify: ['station', 'coordinator'],
  // And merging two cases of the same people.
  merge: ['station', 'coordinator'],
};

describe('authorizeAction', () => {
  const cells = ACTION_TYPES.flatMap((action) => ROLES.filter((r) => r !== 'admin').map((role) => [action, role] as const));

  it.each(cells.filter(([action, role]) => CONTRACT_ROLES[action].includes(role)))('%s is allowed for %s', (action, role) => {
    expect(() => authorizeAction(action, [role])).not.toThrow();
  });

  it.each(cells.filter(([action, role]) => !CONTRACT_ROLES[action].includes(role)))('%s is forbidden for %s', (action, role) => {
    const error = thrown(() => authorizeAction(action, [role]));
    expect(error.kind).toBe('forbidden');
    expect(error.message).toContain(action);
    for (const allowed of CONTRACT_ROLES[action]) expect(error.message).toContain(allowed);
  });

  it.each(ACTION_TYPES.map((a) => [a] as const))('an admin may %s', (action) => {
    expect(() => authorizeAction(action, ['admin'])).not.toThrow();
  });

  it('allows a caller who holds any one of the allowed roles', () => {
    expect(() => authorizeAction('intake', ['coordinator', 'station'])).not.toThrow();
    expect(() => authorizeAction('arrive', ['device', 'patrol'])).not.toThrow();
  });

  it('forbids a caller with no roles at all', () => {
    expect(thrown(() => authorizeAction('note', [])).kind).toBe('forbidden');
  });

  it('a device may not even add a note', () => {
    expect(thrown(() => authorizeAction('note', ['device'])).kind).toBe('forbidden');
  });
});
