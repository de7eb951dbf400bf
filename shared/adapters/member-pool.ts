import { AdminGetUserCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

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
