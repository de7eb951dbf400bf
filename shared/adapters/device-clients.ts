import {
  CreateUserPoolClientCommand, DeleteUserPoolClientCommand, type CognitoIdentityProviderClient, ResourceNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { DeviceScope } from '../contract/vocabulary';
import { DEVICE_TOKEN_MINUTES, qualifiedScope } from '../domain/device-auth';

export interface DeviceCredentials { clientId: string; clientSecret: string }

/** A device's OAuth app client: made with its secret (shown once), and deleted when revoked or replaced. */
export interface DeviceClients {
  create(deviceId: string, scopes: readonly DeviceScope[]): Promise<DeviceCredentials>;
  remove(clientId: string): Promise<void>;
  /** Where a device trades its credentials for a token (the user pool domain's /oauth2/token). */
  readonly tokenUrl: string;
}

/**
 * One app client of the members' user pool per device, allowed only the client-credentials grant and the scopes
 * its kind needs. Cognito keeps the secret; the directory keeps the client id.
 */
export class CognitoDeviceClients implements DeviceClients {
  constructor(private readonly cognito: CognitoIdentityProviderClient, private readonly userPoolId: string, readonly tokenUrl: string) {}

  async create(deviceId: string, scopes: readonly DeviceScope[]): Promise<DeviceCredentials> {
    const { UserPoolClient: client } = await this.cognito.send(new CreateUserPoolClientCommand({
      UserPoolId: this.userPoolId,
      ClientName: `device-${deviceId}`.slice(0, 128),
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: scopes.map(qualifiedScope),
      AccessTokenValidity: DEVICE_TOKEN_MINUTES,
      TokenValidityUnits: { AccessToken: 'minutes' },
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
    }));
    if (!client?.ClientId || !client.ClientSecret) throw new Error(`the user pool made no client with a secret for device ${deviceId}`);
    return { clientId: client.ClientId, clientSecret: client.ClientSecret };
  }

  async remove(clientId: string): Promise<void> {
    try {
      await this.cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: this.userPoolId, ClientId: clientId }));
    } catch (error) {
      // Gone already (a retried revocation): what was wanted.
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}
