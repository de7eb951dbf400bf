import { forgetSent } from '../outbox/outbox';

/** What the phone keeps between visits that says where people are: the team's case lists and the last position fix. */
const KEPT_PREFIXES = ['srp.patrol.'];

/**
 * At sign-out the phone forgets the cases it kept for no signal, its last position and the member's sent reports
 * (their notes and who was seen). Unsent reports stay, for their member to send (the sign-out check said so).
 */
export async function forgetOnSignOut(member: string | undefined, storage: Storage = localStorage): Promise<void> {
  for (const key of Object.keys(storage)) {
    if (KEPT_PREFIXES.some((prefix) => key.startsWith(prefix))) storage.removeItem(key);
  }
  if (member) await forgetSent(member).catch(() => undefined);
}
