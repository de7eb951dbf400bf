import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AdminCreateUserCommand, AdminGetUserCommand, CognitoIdentityProviderClient, CreateUserPoolClientCommand, DeleteUserPoolClientCommand,
  ResourceNotFoundException, UserNotFoundException, UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCognito } from '#local/runtime/local-cognito';

/** The local mirror of the pool's admin calls, through the real SDK client, as the directory's function calls it. */
const dir = mkdtempSync(path.join(tmpdir(), 'local-cognito-'));
let server: Server;
let cognito: LocalCognito;
let client: CognitoIdentityProviderClient;
const POOL = 'local-pool';

beforeAll(async () => {
  cognito = await LocalCognito.open(dir);
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void cognito.handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new CognitoIdentityProviderClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
});

afterAll(async () => {
  client.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const newClient = () => client.send(new CreateUserPoolClientCommand({
  UserPoolId: POOL, ClientName: 'device-x', GenerateSecret: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['street-rescue/detections:write'],
}));

describe('the local user pool', () => {
  it("makes app clients with a secret it keeps only as a hash, that outlive a restart, and deletes them", async () => {
    const { UserPoolClient: made } = await newClient();
    expect(cognito.clientCredentials(made!.ClientId!, made!.ClientSecret!)).toEqual(['street-rescue/detections:write']);
    expect(cognito.clientCredentials(made!.ClientId!, 'wrong')).toBeUndefined();
    const reopened = await LocalCognito.open(dir);
    expect(reopened.clientCredentials(made!.ClientId!, made!.ClientSecret!)).toEqual(['street-rescue/detections:write']);
    await client.send(new DeleteUserPoolClientCommand({ UserPoolId: POOL, ClientId: made!.ClientId! }));
    expect(cognito.clientCredentials(made!.ClientId!, made!.ClientSecret!)).toBeUndefined();
    await expect(client.send(new DeleteUserPoolClientCommand({ UserPoolId: POOL, ClientId: made!.ClientId! }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('keeps every one of many clients made at once', async () => {
    const made = await Promise.all(Array.from({ length: 12 }, newClient));
    const reopened = await LocalCognito.open(dir);
    for (const { UserPoolClient: c } of made) expect(reopened.clientCredentials(c!.ClientId!, c!.ClientSecret!)).toBeDefined();
  });

  it('creates members once, with the errors the SDK knows', async () => {
    const created = await client.send(new AdminCreateUserCommand({ UserPoolId: POOL, Username: 'zhao.lei', UserAttributes: [{ Name: 'custom:teamId', Value: 'team-01' }] }));
    const sub = created.User!.Attributes!.find((a) => a.Name === 'sub')!.Value;
    await expect(client.send(new AdminCreateUserCommand({ UserPoolId: POOL, Username: 'zhao.lei' }))).rejects.toBeInstanceOf(UsernameExistsException);
    const read = await client.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: 'zhao.lei' }));
    expect(read.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'sub', Value: sub }, { Name: 'custom:teamId', Value: 'team-01' }]));
    await expect(client.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: 'nobody' }))).rejects.toBeInstanceOf(UserNotFoundException);
  });
});
