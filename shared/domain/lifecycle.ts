import type { ActionType, CaseStatus, Role } from '../contract/vocabulary';
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
};

/** The statuses each action may be taken from, and the status it leads to (undefined: status unchanged). */
const TRANSITIONS: Record<Exclude<ActionType, 'note'>, { from: readonly CaseStatus[]; to: CaseStatus }> = {
  acknowledge: { from: ['open', 'alerted'], to: 'acknowledged' },
  arrive: { from: ['alerted', 'acknowledged'], to: 'on_scene' },
  // A station may close an unverified machine lead as a false alarm without sending anyone.
  resolve: { from: ['unverified', 'acknowledged', 'on_scene'], to: 'resolved' },
  intake: { from: ['resolved', 'on_scene'], to: 'in_station' },
  discharge: { from: ['in_station'], to: 'closed' },
  verify: { from: ['unverified'], to: 'open' },
};

const WHY_NOT: Partial<Record<CaseStatus, string>> = {
  unverified: 'the lead is unverified: verify it first (or resolve it as a false alarm)',
  open: 'the case has not been triaged and alerted yet',
  closed: 'the case is closed',
};

export function authorizeAction(action: ActionType, roles: readonly Role[]): void {
  if (roles.includes('admin')) return;
  if (!ACTION_ROLES[action].some((role) => roles.includes(role))) {
    throw forbidden(`'${action}' may be done by ${ACTION_ROLES[action].join(' or ')} only`);
  }
}

/** The status a case moves to when `action` is taken; throws a conflict with the reason when the status forbids it. */
export function nextStatus(current: CaseStatus, action: ActionType): CaseStatus {
  if (action === 'note') {
    return current;
  }
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(current)) {
    const reason = WHY_NOT[current] ?? `the case is ${current.replace('_', ' ')}`;
    throw conflict(`cannot ${action}: ${reason}; allowed when the case is ${rule.from.join(' or ')}`);
  }
  return rule.to;
}
