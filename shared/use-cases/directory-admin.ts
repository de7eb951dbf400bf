import { randomBytes } from 'node:crypto';
import type * as z from 'zod';
import type { DeviceClients, DeviceCredentials } from '../adapters/device-clients';
import { logger } from '../adapters/observability';
import { qualifiedScope } from '../domain/device-auth';
import { areaOfDistricts, type DistrictAreas } from '../domain/district-areas';
import type { StationArea } from '../domain/station-area';
import type { MemberInvitations } from '../adapters/member-pool';
import type { DeviceInput, DeviceReplacement, HelpPointInput, MemberInput, StationInput, TeamInput } from '../contract/directory';
import type { DeviceKind, DeviceScope } from '../contract/vocabulary';
import type { Actor } from '../domain/case';
import { conflict, invalid, notFound } from '../domain/errors';
import { apiKeyHash, type Device, type DirectoryChange, type HelpPoint, type Member, type Station, type Team } from '../store/directory-store';
import type { Dependencies } from './dependencies';
import { type IdempotentRequest, idempotentCreate, idFromKey } from './idempotent';

/**
 * The directory written through the API (admins; coordinators read): stations, teams and help points, each change
 * written together with its entry in the directory's audit trail (who, when, which fields). A help point's api_key
 * is made here, shown once and stored as a hash; rotating it drops the old key's lookup in the same transaction, so
 * the old key stops working at once; revoking leaves the help point without any.
 */
type Deps = Pick<Dependencies, 'directory' | 'idempotency' | 'now'>;
type StationRequest = z.output<typeof StationInput>;
type TeamRequest = z.output<typeof TeamInput>;
type HelpPointRequest = z.output<typeof HelpPointInput>;

/** A replacement's body may repeat the path's id, never name another. */
function samePath<K extends string>(key: K, pathId: string, request: Partial<Record<K, string>>): void {
  const given = request[key];
  if (given !== undefined && given !== pathId) throw invalid(`${key} ${given} is not the path's ${pathId}: an entry's id does not change`, [{ path: key, message: 'differs from the path' }]);
}

/** A webhook's URL is its secret: the directory's readers see only which channel. */
const shownChannel = <T extends { notify?: Station['notify'] }>(entry: T) => ({ ...entry, ...(entry.notify ? { notify: { channel: entry.notify.channel } } : {}) });
const shownHelpPoint = ({ apiKeyHash: hash, ...helpPoint }: HelpPoint) => ({ ...helpPoint, keyActive: Boolean(hash) });

/** JSON with every object's keys in order: a stored entry's maps come back in any order. */
const canonical = (value: unknown): string => JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
  ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y))) : v));

/** The fields whose values differ between two versions of an entry (the audit names them, not their values). */
export function changedFields(before: object, after: object): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => canonical((before as Record<string, unknown>)[k]) !== canonical((after as Record<string, unknown>)[k])).sort();
}

const change = (deps: Deps, actor: Actor, kind: DirectoryChange['kind'], id: string, what: DirectoryChange['what'], fields?: string[]): DirectoryChange =>
  ({ at: deps.now().toISOString(), sub: actor.sub, kind, id, what, ...(fields ? { fields } : {}) });

async function requireStation(deps: Deps, stationId: string) {
  if (!(await deps.directory.get('station', stationId))) {
    throw invalid(`station ${stationId} does not exist: create it first`, [{ path: 'stationId', message: 'is not a station of the directory' }]);
  }
}

// ─── Stations ────────────────────────────────────────────────────────────────────────────────────────────────

export async function listStations(deps: Pick<Deps, 'directory'>) {
  return { items: (await deps.directory.list('station')).map(shownChannel).sort((a, b) => a.stationId.localeCompare(b.stationId)) };
}

/** The city's district boundaries, where the deployment has them (shared/adapters/city-districts.ts). */
export type DistrictSource = { districtAreas?: () => Promise<DistrictAreas | undefined> };

/**
 * A station that names its districts and draws no area gets theirs (the city's outline): a case in them is its case.
 * A district the city does not have is a 400 on `districts`. Without the city's boundaries, districts stay names.
 */
export async function withDistrictArea<T extends { area?: StationArea; districts?: string[] }>(deps: DistrictSource, station: T, where = 'districts'): Promise<T> {
  if (station.area || !station.districts?.length) return station;
  const areas = await deps.districtAreas?.();
  if (!areas) return station;
  const found = areaOfDistricts(station.districts, areas);
  if ('unknown' in found) {
    throw invalid(`${found.unknown.join(', ')}: not a district of this city (${[...areas.keys()].join('、')})`, [{ path: where, message: `names ${found.unknown.join(', ')}, not a district of the city` }]);
  }
  return { ...station, area: found.area };
}

export async function createStation(deps: Deps & DistrictSource, input: { request: z.output<typeof StationInput>; actor: Actor; idempotency?: IdempotentRequest }) {
  const request = await withDistrictArea(deps, input.request);
  return idempotentCreate(deps, input.idempotency, async () => {
    const { stationId: chosen, ...rest } = request;
    const station: Station = { stationId: chosen ?? idFromKey('st', input.idempotency), ...rest };
    await deps.directory.writeAudited('station', station, 'create', change(deps, input.actor, 'station', station.stationId, 'created'));
    return { statusCode: 201, body: shownChannel(station) };
  });
}

export async function replaceStation(deps: Deps & DistrictSource, input: { stationId: string; request: StationRequest; actor: Actor }) {
  samePath('stationId', input.stationId, input.request);
  const before = await deps.directory.get('station', input.stationId);
  if (!before) throw notFound(`no station ${input.stationId}`);
  const { stationId: _same, ...request } = await withDistrictArea(deps, input.request);
  const station: Station = { stationId: input.stationId, ...request };
  const fields = changedFields(before, station);
  if (!(await deps.directory.writeAudited('station', station, 'replace', change(deps, input.actor, 'station', station.stationId, 'updated', fields)))) {
    throw notFound(`no station ${input.stationId}`);
  }
  return shownChannel(station);
}

// ─── Teams ───────────────────────────────────────────────────────────────────────────────────────────────────

export async function createTeam(deps: Deps, input: { request: z.output<typeof TeamInput>; actor: Actor; idempotency?: IdempotentRequest }) {
  await requireStation(deps, input.request.stationId);
  return idempotentCreate(deps, input.idempotency, async () => {
    const { teamId: chosen, ...request } = input.request;
    const team: Team = { teamId: chosen ?? idFromKey('team', input.idempotency), ...request };
    await deps.directory.writeAudited('team', team, 'create', change(deps, input.actor, 'team', team.teamId, 'created'));
    return { statusCode: 201, body: shownChannel(team) };
  });
}

export async function getTeam(deps: Pick<Deps, 'directory'>, teamId: string) {
  const team = await deps.directory.get('team', teamId);
  if (!team) throw notFound(`no team ${teamId}`);
  return shownChannel(team);
}

export async function replaceTeam(deps: Deps, input: { teamId: string; request: TeamRequest; actor: Actor }) {
  samePath('teamId', input.teamId, input.request);
  const before = await deps.directory.get('team', input.teamId);
  if (!before) throw notFound(`no team ${input.teamId}`);
  await requireStation(deps, input.request.stationId);
  const { teamId: _same, ...request } = input.request;
  const team: Team = { teamId: input.teamId, ...request };
  if (!(await deps.directory.writeAudited('team', team, 'replace', change(deps, input.actor, 'team', team.teamId, 'updated', changedFields(before, team))))) {
    throw notFound(`no team ${input.teamId}`);
  }
  return shownChannel(team);
}

// ─── Help points ─────────────────────────────────────────────────────────────────────────────────────────────

/** A new api_key: 32 random bytes, URL-safe (what a kiosk is configured with; only its hash is kept). */
export const newApiKey = () => `hp_${randomBytes(32).toString('base64url')}`;

export async function listHelpPoints(deps: Pick<Deps, 'directory'>) {
  return { items: (await deps.directory.list('help_point')).map(shownHelpPoint).sort((a, b) => a.helpPointId.localeCompare(b.helpPointId)) };
}

/**
 * A help point with its first api_key, answered once. Not replayed through Idempotency-Key (the record would keep
 * the key in the clear): a retry with the same `helpPointId` is a 409, and the key is rotated if it was lost.
 */
export async function createHelpPoint(deps: Deps, input: { request: z.output<typeof HelpPointInput>; actor: Actor }) {
  await requireStation(deps, input.request.stationId);
  const { helpPointId: chosen, ...request } = input.request;
  const apiKey = newApiKey();
  const helpPoint: HelpPoint = { helpPointId: chosen ?? `hp-${randomBytes(8).toString('hex')}`, ...request, apiKeyHash: apiKeyHash(apiKey) };
  await deps.directory.putHelpPoint(helpPoint, change(deps, input.actor, 'help_point', helpPoint.helpPointId, 'created'), 'new');
  return { ...shownHelpPoint(helpPoint), apiKey };
}

export async function replaceHelpPoint(deps: Deps, input: { helpPointId: string; request: HelpPointRequest; actor: Actor }) {
  samePath('helpPointId', input.helpPointId, input.request);
  const before = await deps.directory.get('help_point', input.helpPointId);
  if (!before) throw notFound(`no help point ${input.helpPointId}`);
  await requireStation(deps, input.request.stationId);
  // Its key stays as it is: keys change only by rotation or revocation.
  const { helpPointId: _same, ...request } = input.request;
  const helpPoint: HelpPoint = { helpPointId: input.helpPointId, ...request, ...(before.apiKeyHash ? { apiKeyHash: before.apiKeyHash } : {}) };
  await deps.directory.putHelpPoint(helpPoint, change(deps, input.actor, 'help_point', helpPoint.helpPointId, 'updated', changedFields(before, helpPoint)), 'existing');
  return shownHelpPoint(helpPoint);
}

/** A new api_key for a help point (answered once); the old one stops working in the same write. */
export async function rotateHelpPointKey(deps: Deps, input: { helpPointId: string; actor: Actor }) {
  const before = await deps.directory.get('help_point', input.helpPointId);
  if (!before) throw notFound(`no help point ${input.helpPointId}`);
  const apiKey = newApiKey();
  const helpPoint: HelpPoint = { ...before, apiKeyHash: apiKeyHash(apiKey) };
  await deps.directory.putHelpPoint(helpPoint, change(deps, input.actor, 'help_point', helpPoint.helpPointId, 'key_issued'), 'existing');
  return { ...shownHelpPoint(helpPoint), apiKey };
}

/** No api_key works for the help point any more (a kiosk stolen or retired), until a new one is issued. */
export async function revokeHelpPointKey(deps: Deps, input: { helpPointId: string; actor: Actor }) {
  const before = await deps.directory.get('help_point', input.helpPointId);
  if (!before) throw notFound(`no help point ${input.helpPointId}`);
  const { apiKeyHash: _revoked, ...helpPoint } = before;
  await deps.directory.putHelpPoint(helpPoint, change(deps, input.actor, 'help_point', helpPoint.helpPointId, 'key_revoked'), 'existing');
  return shownHelpPoint(helpPoint);
}

export function listDirectoryChanges(deps: Pick<Deps, 'directory'>, query: { limit: number; cursor?: string }) {
  return deps.directory.changes(query.limit, query.cursor);
}

// ─── Devices ─────────────────────────────────────────────────────────────────────────────────────────────────

type DeviceDeps = Deps & { deviceClients: DeviceClients };
type DeviceRequest = z.output<typeof DeviceInput>;

/** What each kind of device sends, when its registration does not say: a camera's hot spots and frames, a feed's warnings. */
export const DEFAULT_DEVICE_SCOPES: Record<DeviceKind, DeviceScope[]> = {
  drone: ['detections:write', 'uploads:write'],
  fixed_camera: ['detections:write', 'uploads:write'],
  camera_gateway: ['detections:write', 'uploads:write'],
  weather_feed: ['warnings:write', 'weather:write'],
};

const withCredentials = (deps: DeviceDeps, device: Device, credentials: DeviceCredentials) => ({
  ...device,
  credentials: {
    ...credentials, tokenUrl: deps.deviceClients.tokenUrl, grantType: 'client_credentials' as const,
    scope: device.scopes.map(qualifiedScope).join(' '),
  },
});

export async function listDevices(deps: Pick<Deps, 'directory'>) {
  return { items: (await deps.directory.list('device')).sort((a, b) => a.deviceId.localeCompare(b.deviceId)) };
}

/**
 * Registers a device and gives it an app client of its own, whose secret is answered this once (Cognito keeps it;
 * the directory keeps only the client's id). Not replayed by Idempotency-Key, as a help point's key is not: a retry
 * with the same `deviceId` is a 409, and a lost secret is replaced by rotating it.
 */
export async function createDevice(deps: DeviceDeps, input: { request: DeviceRequest; actor: Actor }) {
  await requireStation(deps, input.request.stationId);
  const { deviceId: chosen, scopes, ...request } = input.request;
  const deviceId = chosen ?? `dev-${randomBytes(8).toString('hex')}`;
  // Refused before a client is made, so that a duplicate leaves nothing behind in the user pool.
  if (await deps.directory.get('device', deviceId)) throw conflict(`device ${deviceId} exists already`);
  const granted = scopes ?? DEFAULT_DEVICE_SCOPES[request.kind];
  const credentials = await deps.deviceClients.create(deviceId, granted);
  const device: Device = { deviceId, ...request, scopes: granted, status: 'active', clientId: credentials.clientId, createdAt: deps.now().toISOString() };
  try {
    await deps.directory.putDevice(device, change(deps, input.actor, 'device', deviceId, 'created'), 'new');
  } catch (error) {
    // A client nobody will ever hold: no device names it, so the authorizer would refuse it anyway.
    await deps.deviceClients.remove(credentials.clientId).catch(() => undefined);
    throw error;
  }
  return withCredentials(deps, device, credentials);
}

/** Replaces a device's name, station and owner; what it is and may send stay (a different machine is registered anew). */
export async function replaceDevice(deps: DeviceDeps, input: { deviceId: string; request: z.output<typeof DeviceReplacement>; actor: Actor }) {
  samePath('deviceId', input.deviceId, input.request);
  const before = await deps.directory.get('device', input.deviceId);
  if (!before) throw notFound(`no device ${input.deviceId}`);
  await requireStation(deps, input.request.stationId);
  const { deviceId: _same, owner, ...request } = input.request;
  const { owner: _owner, ...kept } = before;
  const device: Device = { ...kept, ...request, ...(owner ? { owner } : {}) };
  await deps.directory.putDevice(device, change(deps, input.actor, 'device', device.deviceId, 'updated', changedFields(before, device)), 'existing');
  return device;
}

/**
 * New credentials for a device (a secret lost or leaked, or a revoked device back in service): a new app client,
 * answered once; the old client's tokens are refused from the same write, and the old client is deleted.
 */
export async function rotateDeviceSecret(deps: DeviceDeps, input: { deviceId: string; actor: Actor }) {
  const before = await deps.directory.get('device', input.deviceId);
  if (!before) throw notFound(`no device ${input.deviceId}`);
  const credentials = await deps.deviceClients.create(before.deviceId, before.scopes);
  const device: Device = { ...before, status: 'active', clientId: credentials.clientId };
  try {
    await deps.directory.putDevice(device, change(deps, input.actor, 'device', device.deviceId, 'key_issued'), 'existing');
  } catch (error) {
    await deps.deviceClients.remove(credentials.clientId).catch(() => undefined);
    throw error;
  }
  if (before.clientId) await removeClient(deps, before.clientId);
  return withCredentials(deps, device, credentials);
}

/**
 * Deletes a client the directory no longer names. Its tokens are refused already (the authorizer finds no device for
 * it), so a failure here is logged for the operators, not the admin's problem: the change is done.
 */
async function removeClient(deps: DeviceDeps, clientId: string): Promise<void> {
  await deps.deviceClients.remove(clientId).catch((error: Error) => {
    logger.warn('a device client the directory no longer names could not be deleted; delete it in the user pool', { clientId, error: error.message });
  });
}

/**
 * A device out of service (lost, stolen, retired): the directory forgets its client first, so its next call is
 * refused whatever token it holds, then the client is deleted. Revoking twice is harmless.
 */
export async function revokeDevice(deps: DeviceDeps, input: { deviceId: string; actor: Actor }) {
  const before = await deps.directory.get('device', input.deviceId);
  if (!before) throw notFound(`no device ${input.deviceId}`);
  if (before.status === 'revoked' && !before.clientId) return before;
  const { clientId, ...rest } = before;
  const device: Device = { ...rest, status: 'revoked' };
  await deps.directory.putDevice(device, change(deps, input.actor, 'device', device.deviceId, 'key_revoked'), 'existing');
  if (clientId) await removeClient(deps, clientId);
  return device;
}

// ─── Members ─────────────────────────────────────────────────────────────────────────────────────────────────

type MemberDeps = Deps & { invitations: MemberInvitations };

export async function listMembers(deps: Pick<Deps, 'directory'>) {
  return { items: (await deps.directory.list('member')).sort((a, b) => a.username.localeCompare(b.username)) };
}

/**
 * Invites a member: their team or station must exist; the pool gets them with their group and the attributes that
 * say whom they work for (set here, never by them), and sends the temporary password. The directory keeps who was
 * invited, by whom, and for what; their phone and e-mail stay in the pool only.
 */
export async function inviteMember(deps: MemberDeps, input: { request: z.output<typeof MemberInput>; actor: Actor }) {
  const { request } = input;
  if (request.teamId && !(await deps.directory.get('team', request.teamId))) {
    throw invalid(`team ${request.teamId} does not exist: create it first`, [{ path: 'teamId', message: 'is not a team of the directory' }]);
  }
  if (request.stationId) await requireStation(deps, request.stationId);
  if (await deps.directory.get('member', request.username)) throw conflict(`member ${request.username} exists already`);
  const { phone: _phone, email: _email, ...kept } = request;
  const { sub } = await deps.invitations.invite(request).catch(async (error: Error) => {
    if (error.name !== 'UsernameExistsException') throw error;
    // Invited before, but the directory never kept it (a lost answer, a crash): the same invitation completes it.
    const adopted = await deps.invitations.adopt(request);
    if (!adopted) throw conflict(`the user pool has a member ${request.username} already, for another team or station`);
    return adopted;
  });
  const member: Member = { ...kept, sub, status: 'invited', invitedAt: deps.now().toISOString(), invitedBy: input.actor.sub };
  await deps.directory.writeAudited('member', member, 'create', change(deps, input.actor, 'member', member.username, 'created'));
  return member;
}

/** Disables a member in the pool (no sign-in, sessions ended) and marks them so in the directory. Twice is harmless. */
export async function disableMember(deps: MemberDeps, input: { username: string; actor: Actor }) {
  const before = await deps.directory.get('member', input.username);
  if (!before) throw notFound(`no member ${input.username}`);
  if (before.status === 'disabled') return before;
  await deps.invitations.disable(before.username);
  const member: Member = { ...before, status: 'disabled' };
  await deps.directory.writeAudited('member', member, 'replace', change(deps, input.actor, 'member', member.username, 'updated', ['status']));
  return member;
}
