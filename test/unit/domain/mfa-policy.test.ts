import { describe, expect, it } from 'vitest';
import type { MemberPool } from '#shared/adapters/member-pool';
import { MFA_SETUP_CLAIM, tokenGroups } from '#shared/domain/mfa-policy';
import { memberTokenOverrides } from '#shared/use-cases/member-token';

/** The pool as the trigger asks it, answering from a set of members who enrolled an authenticator. */
class EnrolledMembers implements MemberPool {
  readonly asked: string[] = [];
  constructor(private readonly enrolled: Set<string>) {}
  async hasAuthenticator(_pool: string, username: string) {
    this.asked.push(username);
    return this.enrolled.has(username);
  }
}

describe('who must have an authenticator', () => {
  it('station, coordinator and admin members without one lose those roles, and keep any other', () => {
    expect(tokenGroups(['station'], false)).toEqual({ groups: [], mfaSetupRequired: true });
    expect(tokenGroups(['patrol', 'admin'], false)).toEqual({ groups: ['patrol'], mfaSetupRequired: true });
    expect(tokenGroups(['coordinator'], true)).toEqual({ groups: ['coordinator'], mfaSetupRequired: false });
    expect(tokenGroups(['patrol'], false)).toEqual({ groups: ['patrol'], mfaSetupRequired: false });
    expect(tokenGroups(['device'], false)).toEqual({ groups: ['device'], mfaSetupRequired: false });
  });
});

describe('the token trigger', () => {
  const input = (username: string, groups: string[]) => ({ userPoolId: 'cn-north-1_pool', username, groups });

  it('strips the privileged roles of a member without an authenticator and says why in a claim', async () => {
    const pool = new EnrolledMembers(new Set(['enrolled.duty']));
    expect(await memberTokenOverrides(pool, input('new.duty', ['station']))).toEqual({ groupsToOverride: [], claimsToAdd: { [MFA_SETUP_CLAIM]: 'true' } });
    expect(await memberTokenOverrides(pool, input('enrolled.duty', ['station']))).toEqual({});
  });

  it('does not ask the pool about patrol members and devices', async () => {
    const pool = new EnrolledMembers(new Set());
    expect(await memberTokenOverrides(pool, input('li.wei', ['patrol']))).toEqual({});
    expect(await memberTokenOverrides(pool, input('drone-03', ['device']))).toEqual({});
    expect(pool.asked).toEqual([]);
  });
});
