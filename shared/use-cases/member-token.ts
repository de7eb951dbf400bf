import type { MemberPool } from '../adapters/member-pool';
import { MFA_SETUP_CLAIM, tokenGroups } from '../domain/mfa-policy';

/**
 * What Cognito's pre-token-generation trigger changes in a member's token: a station, coordinator or admin member
 * without an authenticator gets their token without those roles and with the claim that sends the pages to enrol
 * one. Run at every sign-in and every renewal, so removing the authenticator takes the roles away within the hour.
 */
export async function memberTokenOverrides(
  pool: MemberPool,
  input: { userPoolId: string; username: string; groups: readonly string[] },
): Promise<{ groupsToOverride?: string[]; claimsToAdd?: Record<string, string> }> {
  const privileged = tokenGroups(input.groups, false);
  if (!privileged.mfaSetupRequired) return {};
  const decided = tokenGroups(input.groups, await pool.hasAuthenticator(input.userPoolId, input.username));
  return decided.mfaSetupRequired ? { groupsToOverride: decided.groups, claimsToAdd: { [MFA_SETUP_CLAIM]: 'true' } } : {};
}
