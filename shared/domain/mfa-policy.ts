import type { Role } from '../contract/vocabulary';

/**
 * Who must prove a second factor (an authenticator app's TOTP code) to act in their role: the roles that read every
 * case of a station or the city. Cognito can require MFA only of a whole pool, so the pool offers it to everyone and
 * a member of these roles without an authenticator gets a token without those roles (and a claim saying why), until
 * they enrol one. Patrol members on their phones and devices are not asked.
 */
export const MFA_REQUIRED_ROLES: readonly Role[] = ['station', 'coordinator', 'admin'];

/** The claim a token carries while its member must enrol an authenticator before acting in their role. */
export const MFA_SETUP_CLAIM = 'mfa_setup_required';

/** The groups a member's token carries, given whether they have an authenticator enrolled. */
export function tokenGroups(groups: readonly string[], hasAuthenticator: boolean): { groups: string[]; mfaSetupRequired: boolean } {
  const privileged = groups.filter((group) => (MFA_REQUIRED_ROLES as readonly string[]).includes(group));
  if (!privileged.length || hasAuthenticator) return { groups: [...groups], mfaSetupRequired: false };
  return { groups: groups.filter((group) => !privileged.includes(group)), mfaSetupRequired: true };
}
