import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

/**
 * The few calls of the Cognito user pool API the functions make, answered locally (AWS JSON 1.1, `x-amz-target:
 * AWSCognitoIdentityProviderService.<Action>`): devices' app clients (Create/DeleteUserPoolClient) and members'
 * invitations (AdminCreateUser, AdminAddUserToGroup, AdminGetUser, AdminDisableUser). Kept in a file under the data
 * directory, next to the issuer's key, so a device registered before a restart still gets tokens after it. A client's
 * secret is kept as a hash. Listens on 127.0.0.1 only, and checks no signature, as the local Step Functions does.
 */
const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

interface LocalClient { userPoolId: string; name: string; secretHash: string; scopes: string[]; flows: string[]; createdAt: string }
export interface LocalMember {
  userPoolId: string; username: string; attributes: Record<string, string>; groups: string[]; enabled: boolean; createdAt: string;
}
interface State { clients: Record<string, LocalClient>; users: Record<string, LocalMember> }

class CognitoError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

type Body = Record<string, unknown>;
const hash = (secret: string) => createHash('sha256').update(secret, 'utf8').digest();
const text = (body: Body, field: string): string => {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw new CognitoError('InvalidParameterException', `1 validation error detected: '${field}' must be a string`);
  return value;
};
const texts = (body: Body, field: string): string[] => (Array.isArray(body[field]) ? (body[field] as unknown[]).map(String) : []);

export class LocalCognito {
  private constructor(private readonly file: string | undefined, private readonly state: State) {}

  static async open(dataDir?: string): Promise<LocalCognito> {
    const file = dataDir ? path.join(dataDir, 'local-cognito.json') : undefined;
    const saved = file ? await readFile(file, 'utf8').then((t) => JSON.parse(t) as State, () => undefined) : undefined;
    return new LocalCognito(file, saved ?? { clients: {}, users: {} });
  }

  /**
   * The scopes of the client whose id and secret these are (what the token endpoint grants), if it exists and may use
   * the client-credentials grant; undefined otherwise.
   */
  clientCredentials(clientId: string, secret: string): string[] | undefined {
    const client = this.state.clients[clientId];
    if (!client || !client.flows.includes('client_credentials')) return undefined;
    const given = hash(secret);
    return timingSafeEqual(given, Buffer.from(client.secretHash, 'hex')) ? client.scopes : undefined;
  }

  /** An invited member, as the local sign-in finds them; undefined for one unknown or disabled. */
  member(username: string): LocalMember | undefined {
    const member = this.state.users[username];
    return member?.enabled ? member : undefined;
  }

  async handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    try {
      const target = req.headers['x-amz-target'];
      const name = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      const action = req.method === 'POST' ? this.actions[name] : undefined;
      if (!action) throw new CognitoError('UnknownOperationException', `the local user pool does not answer ${String(target ?? req.method)}`);
      let body: Body;
      try {
        body = raw.length ? JSON.parse(raw.toString('utf8')) as Body : {};
      } catch {
        throw new CognitoError('SerializationException', 'the request body is not valid JSON');
      }
      send(res, 200, await action(body));
    } catch (error) {
      if (error instanceof CognitoError) send(res, 400, { __type: error.code, message: error.message });
      else send(res, 500, { __type: 'InternalErrorException', message: (error as Error).message });
    }
  }

  /** Writes one after another (each the whole state as it is then), so two changes at once never share a temp file. */
  private saving: Promise<void> = Promise.resolve();
  private save(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    this.saving = this.saving.catch(() => undefined).then(async () => {
      await mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(this.state), { mode: 0o600 });
      await rename(temporary, file);
    });
    return this.saving;
  }

  private user(body: Body): LocalMember {
    const user = this.state.users[text(body, 'Username')];
    if (!user || user.userPoolId !== text(body, 'UserPoolId')) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    return user;
  }

  private readonly actions: Record<string, (body: Body) => Promise<object>> = {
    CreateUserPoolClient: async (body) => {
      const clientId = randomBytes(13).toString('hex').slice(0, 26);
      const secret = body.GenerateSecret === true ? randomBytes(36).toString('base64url') : undefined;
      const client: LocalClient = {
        userPoolId: text(body, 'UserPoolId'), name: text(body, 'ClientName'), secretHash: secret ? hash(secret).toString('hex') : '',
        scopes: texts(body, 'AllowedOAuthScopes'), flows: texts(body, 'AllowedOAuthFlows'), createdAt: new Date().toISOString(),
      };
      this.state.clients[clientId] = client;
      await this.save();
      return {
        UserPoolClient: {
          UserPoolId: client.userPoolId, ClientName: client.name, ClientId: clientId, ...(secret ? { ClientSecret: secret } : {}),
          AllowedOAuthScopes: client.scopes, AllowedOAuthFlows: client.flows, AllowedOAuthFlowsUserPoolClient: true,
        },
      };
    },
    DeleteUserPoolClient: async (body) => {
      const clientId = text(body, 'ClientId');
      if (this.state.clients[clientId]?.userPoolId !== text(body, 'UserPoolId')) throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
      delete this.state.clients[clientId];
      await this.save();
      return {};
    },
    AdminCreateUser: async (body) => {
      const username = text(body, 'Username');
      if (this.state.users[username]) throw new CognitoError('UsernameExistsException', 'User account already exists');
      const attributes = Object.fromEntries((Array.isArray(body.UserAttributes) ? body.UserAttributes as { Name: string; Value: string }[] : [])
        .map(({ Name, Value }) => [String(Name), String(Value)]));
      const member: LocalMember = { userPoolId: text(body, 'UserPoolId'), username, attributes: { sub: randomUUID(), ...attributes }, groups: [], enabled: true, createdAt: new Date().toISOString() };
      this.state.users[username] = member;
      await this.save();
      return { User: { Username: username, Attributes: wireAttributes(member), Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD', UserCreateDate: Date.now() / 1000 } };
    },
    AdminAddUserToGroup: async (body) => {
      const user = this.user(body);
      const group = text(body, 'GroupName');
      if (!user.groups.includes(group)) user.groups.push(group);
      await this.save();
      return {};
    },
    AdminGetUser: async (body) => {
      const user = this.user(body);
      return { Username: user.username, UserAttributes: wireAttributes(user), Enabled: user.enabled, UserStatus: 'FORCE_CHANGE_PASSWORD', UserMFASettingList: [] };
    },
    AdminDisableUser: async (body) => {
      this.user(body).enabled = false;
      await this.save();
      return {};
    },
    // Locally there are no refresh tokens to end: the dev tokens of a disabled member are refused at the next mint.
    AdminUserGlobalSignOut: async (body) => {
      this.user(body);
      return {};
    },
  };
}

const wireAttributes = (member: LocalMember) => Object.entries(member.attributes).map(([Name, Value]) => ({ Name, Value }));

function send(res: ServerResponse, status: number, body: object): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(payload), 'x-amzn-requestid': randomUUID(),
    ...(status >= 400 ? { 'x-amzn-errortype': (body as { __type: string }).__type } : {}),
  });
  res.end(payload);
}
