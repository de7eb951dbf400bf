import type { CaseAction } from '../contract/schemas';
import type { ActionType, CaseStatus, Outcome, Role } from '../contract/vocabulary';
import type { Case } from './case';
import { conflict, forbidden } from './errors';

/** Which roles may take each action (contract table), admins aside. */
export const ACTION_ROLES: Record<ActionType, readonly Role[]> = {
  acknowledge: ['patrol', 'station'],
  arrive: ['patrol'],
  resolve: ['patrol', 'station'],
  intake: ['station'],
  discharge: ['station'],
  note: ['patrol', 'station', 'coordinator'],
  verify: ['station', 'coordinator'],
  merge: ['station', 'coordinator'],
};

/** The statuses each action may be taken from, and the status it leads to (undefined: status unchanged). */
const TRANSITIONS: Record<Exclude<ActionType, 'note' | 'merge'>, { from: readonly CaseStatus[]; to: CaseStatus }> = {
  // Taking a case before the alert went out is fine: whoever is nearest should not wait for the workflow.
  acknowledge: { from: ['open', 'alerted'], to: 'acknowledged' },
  // Arriving unannounced acknowledges the alert too.
  arrive: { from: ['alerted', 'acknowledged'], to: 'on_scene' },
  resolve: { from: ['unverified', 'acknowledged', 'on_scene'], to: 'resolved' },
  // A person escorted in, or someone the team on the scene brings straight to the station.
  intake: { from: ['resolved', 'on_scene'], to: 'in_station' },
  discharge: { from: ['in_station'], to: 'closed' },
  verify: { from: ['unverified'], to: 'open' },
};

/** Statuses in which a case may be merged with another: people are still being looked for or helped. */
export const MERGEABLE: readonly CaseStatus[] = ['unverified', 'open', 'alerted', 'acknowledged', 'on_scene'];

/** Outcomes that need nobody on the scene: an unchecked machine lead can only be dismissed or not be found. */
const UNVERIFIED_OUTCOMES: readonly Outcome[] = ['false_alarm', 'not_found'];

const WHY_NOT: Partial<Record<CaseStatus, string>> = {
  unverified: 'the lead is unverified: verify it first (or resolve it as a false alarm)',
  open: 'the case has not been triaged and alerted yet',
  alerted: 'the case is alerted and nobody has acknowledged it yet',
  resolved: 'the case is already resolved',
  in_station: 'the case is in station: the person is in the station',
  closed: 'the case is closed',
};

export function authorizeAction(action: ActionType, roles: readonly Role[]): void {
  if (roles.includes('admin')) return;
  if (!ACTION_ROLES[action].some((role) => roles.includes(role))) {
    throw forbidden(`'${action}' may be done by ${ACTION_ROLES[action].join(' or ')} only`);
  }
}

/**
 * The status a case moves to when `action` is taken; throws a conflict with the reason when the case's state forbids
 * it. `resolved` and `outcome` are what the case recorded, for the rules that depend on more than the status.
 */
export function nextStatus(current: Pick<Case, 'status' | 'outcome'>, action: CaseAction): CaseStatus {
  if (action.type === 'note') {
    return current.status;
  }
  if (action.type === 'merge') {
    if (!MERGEABLE.includes(current.status)) {
      throw conflict(`cannot merge: ${WHY_NOT[current.status] ?? `the case is ${current.status.replace('_', ' ')}`}; two cases merge while both are still worked on (${MERGEABLE.join(', ')})`);
    }
    // The status of the case that survives is decided with the other case (shared/use-cases/merge-cases.ts).
    return current.status;
  }
  const rule = TRANSITIONS[action.type];
  if (!rule.from.includes(current.status)) {
    const reason = WHY_NOT[current.status] ?? `the case is ${current.status.replace('_', ' ')}`;
    throw conflict(`cannot ${action.type}: ${reason}; allowed when the case is ${rule.from.join(' or ')}`);
  }
  if (action.type === 'resolve' && current.status === 'unverified' && !UNVERIFIED_OUTCOMES.includes(action.outcome)) {
    throw conflict(`cannot resolve an unverified lead as ${action.outcome}: nobody has been there; verify it first, or resolve it as ${UNVERIFIED_OUTCOMES.join(' or ')}`);
  }
  if (action.type === 'intake' && current.status === 'resolved' && current.outcome !== 'escorted_to_station') {
    throw conflict(`cannot intake: the case was resolved as ${current.outcome ?? 'unknown'}, not escorted_to_station; report someone who arrives later as a new sighting`);
  }
  return rule.to;
}
