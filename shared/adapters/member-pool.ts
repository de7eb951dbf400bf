import {
  AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminDisableUserCommand, AdminGetUserCommand, AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';

/** The members' user pool, as the token trigger asks it: has this member enrolled an authenticator app? */
export interface MemberPool {
  hasAuthenticator(userPoolId: string, username: string): Promise<boolean>;
}

export class CognitoMemberPool implements MemberPool {
  constructor(private readonly cognito: CognitoIdentityProviderClient) {}

  async hasAuthenticator(userPoolId: string, username: string): Promise<boolean> {
    const user = await this.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    return (user.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA');
  }
}

export interface Invitation {
  username: string; name: string; role: string; teamId?: string; stationId?: string; phone?: string; email?: string;
}

/** Members brought into the pool by an administrator through the API (POST /v1/members), and taken out. */
export interface MemberInvitations {
  /** Creates the member with their group and team/station set, and has the pool send the invitation; their `sub`. */
  invite(invitation: Invitation): Promise<{ sub: string }>;
  /**
   * A member the pool has already (an invitation whose answer was lost, or that crashed before the directory kept
   * it): their `sub`, with the group added again, when they work for the team and station invited; else undefined.
   */
  adopt(invitation: Invitation): Promise<{ sub: string } | undefined>;
  /** Disables the member and signs their sessions out (their refresh tokens stop working). */
  disable(username: string): Promise<void>;
}

export class CognitoMemberInvitations implements MemberInvitations {
  constructor(private readonly cognito: CognitoIdentityProviderClient, private readonly userPoolId: string) {}

  async invite(invitation: Invitation): Promise<{ sub: string }> {
    const attributes = [
      { Name: 'name', Value: invitation.name },
      ...(invitation.phone ? [{ Name: 'phone_number', Value: invitation.phone }, { Name: 'phone_number_verified', Value: 'true' }] : []),
      ...(invitation.email ? [{ Name: 'email', Value: invitation.email }, { Name: 'email_verified', Value: 'true' }] : []),
      ...(invitation.teamId ? [{ Name: 'custom:teamId', Value: invitation.teamId }] : []),
      ...(invitation.stationId ? [{ Name: 'custom:stationId', Value: invitation.stationId }] : []),
    ];
    const { User: user } = await this.cognito.send(new AdminCreateUserCommand({
      UserPoolId: this.userPoolId, Username: invitation.username, UserAttributes: attributes,
      DesiredDeliveryMediums: [...(invitation.phone ? ['SMS' as const] : []), ...(invitation.email ? ['EMAIL' as const] : [])],
    }));
    await this.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: invitation.username, GroupName: invitation.role }));
    const sub = user?.Attributes?.find((a) => a.Name === 'sub')?.Value;
    if (!sub) throw new Error(`the user pool answered no sub for ${invitation.username}`);
    return { sub };
  }

  async adopt(invitation: Invitation): Promise<{ sub: string } | undefined> {
    const user = await this.cognito.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: invitation.username }));
    const attribute = (name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
    const sub = attribute('sub');
    if (!sub || user.Enabled === false) return undefined;
    if ((attribute('custom:teamId') ?? undefined) !== invitation.teamId || (attribute('custom:stationId') ?? undefined) !== invitation.stationId) return undefined;
    await this.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: invitation.username, GroupName: invitation.role }));
    return { sub };
  }

  async disable(username: string): Promise<void> {
    await this.cognito.send(new AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username: username }));
    await this.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username: username }));
  }
}
