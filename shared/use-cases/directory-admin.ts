import { randomBytes } from 'node:crypto';
import type * as z from 'zod';
import type { HelpPointInput, StationInput, TeamInput } from '../contract/directory';
import type { Actor } from '../domain/case';
import { invalid, notFound } from '../domain/errors';
import { apiKeyHash, type DirectoryChange, type HelpPoint, type Station, type Team } from '../store/directory-store';
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

/** The fields whose values differ between two versions of an entry (the audit names them, not their values). */
function changedFields(before: object, after: object): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify((before as Record<string, unknown>)[k]) !== JSON.stringify((after as Record<string, unknown>)[k])).sort();
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

export async function createStation(deps: Deps, input: { request: z.output<typeof StationInput>; actor: Actor; idempotency?: IdempotentRequest }) {
  return idempotentCreate(deps, input.idempotency, async () => {
    const { stationId: chosen, ...request } = input.request;
    const station: Station = { stationId: chosen ?? idFromKey('st', input.idempotency), ...request };
    await deps.directory.writeAudited('station', station, 'create', change(deps, input.actor, 'station', station.stationId, 'created'));
    return { statusCode: 201, body: shownChannel(station) };
  });
}

export async function replaceStation(deps: Deps, input: { stationId: string; request: StationRequest; actor: Actor }) {
  samePath('stationId', input.stationId, input.request);
  const before = await deps.directory.get('station', input.stationId);
  if (!before) throw notFound(`no station ${input.stationId}`);
  const { stationId: _same, ...request } = input.request;
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
const newApiKey = () => `hp_${randomBytes(32).toString('base64url')}`;

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
