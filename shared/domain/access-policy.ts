import type { Location } from '../contract/schemas';
import type { ActionType, CaseStatus, Role } from '../contract/vocabulary';
import type { Case } from './case';
import { responsibleStationFor, type StationArea } from './station-area';

/**
 * Who may see and do what (api-contract.md, "Who may see and do what"): one decision per caller and case, deny by
 * default. Every read and every action on a case asks here; nothing else decides.
 *
 *   coordinator, admin   every case in full, may act on all
 *   station              in full the cases it is responsible for: the station whose area holds the case (else the
 *                        nearest), or one that was
 *                        alerted, dispatched a team, sent its own people or took the person in
 *   patrol               in full the cases its team was alerted to, assigned, dispatched to or reported; as a summary
 *                        (where and how urgent, not who) the cases nobody has taken yet in its own station's area,
 *                        which it may only take (acknowledge) for its own team
 *   device, anyone else  nothing
 * A member whose team or station is not in the directory reads and acts on nothing.
 */
export type CaseAccess = 'full' | 'summary' | 'none';

/** The caller as the policy sees it: the token's claims, checked against the directory. */
export interface Caller {
  sub: string;
  roles: readonly Role[];
  /** The team, only when the directory has it, and the station that team belongs to. */
  team?: { teamId: string; stationId: string };
  /** The station, only when the directory has it. */
  stationId?: string;
}

/** What the policy needs of the directory: which teams and stations exist, where the stations are and what they cover. */
export interface AccessDirectory {
  teams: readonly { teamId: string; stationId: string }[];
  stations: readonly { stationId: string; location: Location; area?: StationArea }[];
}

/** The fields of a case the policy reads (what a store projects when it reads no more than the policy needs). */
export const CASE_RELATION_FIELDS = [
  'status', 'location', 'alert', 'assignedTeamId', 'reportedByTeamId', 'stationId', 'relatedTeams', 'relatedStations',
] as const satisfies readonly (keyof Case)[];
export type CaseRelationsView = Pick<Case, (typeof CASE_RELATION_FIELDS)[number]>;

/** Statuses of a case nobody has taken yet: the ones a patrol of the station's area sees as summaries, to take one. */
export const UNTAKEN_STATUSES: readonly CaseStatus[] = ['unverified', 'open', 'alerted'];

/** Relations that can be read off the case as it is now; writers add them to `relatedTeams`/`relatedStations`, so they are kept once the case moves on. */
export function currentRelations(c: Pick<Case, 'alert' | 'assignedTeamId' | 'reportedByTeamId' | 'stationId'>) {
  const teams = new Set<string>();
  const stations = new Set<string>();
  if (c.alert?.target.kind === 'team') teams.add(c.alert.target.id);
  if (c.alert?.target.kind === 'station') stations.add(c.alert.target.id);
  if (c.assignedTeamId) teams.add(c.assignedTeamId);
  if (c.reportedByTeamId) teams.add(c.reportedByTeamId);
  if (c.stationId) stations.add(c.stationId);
  return { teams: [...teams], stations: [...stations] };
}

/** The caller's claims checked against the directory: a team or station it does not have is dropped. */
export function callerOf(
  principal: { sub: string; roles: readonly Role[]; teamId?: string; stationId?: string },
  directory: AccessDirectory,
): Caller {
  const team = principal.teamId ? directory.teams.find((t) => t.teamId === principal.teamId) : undefined;
  const station = principal.stationId ? directory.stations.find((s) => s.stationId === principal.stationId) : undefined;
  return {
    sub: principal.sub,
    roles: principal.roles,
    ...(team ? { team: { teamId: team.teamId, stationId: team.stationId } } : {}),
    ...(station ? { stationId: station.stationId } : {}),
  };
}

/**
 * The stations responsible for a case: the one whose area holds it (else the nearest), and every one that was
 * alerted, dispatched or took the person in.
 */
export function responsibleStations(c: CaseRelationsView, directory: AccessDirectory): Set<string> {
  const stations = new Set([...(c.relatedStations ?? []), ...currentRelations(c).stations]);
  const closest = responsibleStationFor(directory.stations, c.location);
  if (closest) stations.add(closest.stationId);
  return stations;
}

/** Coordinators and admins see every case, and the whole city's figures; anyone else only what the policy lets them. */
export const seesEverything = (caller: Pick<Caller, 'roles'>) => caller.roles.includes('coordinator') || caller.roles.includes('admin');

const involvedTeams = (c: CaseRelationsView) => new Set([...(c.relatedTeams ?? []), ...currentRelations(c).teams]);

/** How much of a case the caller may read. */
export function caseAccess(caller: Caller, c: CaseRelationsView, directory: AccessDirectory): CaseAccess {
  if (seesEverything(caller)) return 'full';
  if (caller.roles.includes('station') && caller.stationId && responsibleStations(c, directory).has(caller.stationId)) return 'full';
  if (caller.roles.includes('patrol') && caller.team) {
    if (involvedTeams(c).has(caller.team.teamId)) return 'full';
    if (UNTAKEN_STATUSES.includes(c.status) && responsibleStations(c, directory).has(caller.team.stationId)) return 'summary';
  }
  return 'none';
}

/**
 * Whether the caller may take this action on a case it may read so: any action its role allows on a case it reads
 * in full (the lifecycle decides the rest), and on a summary case only acknowledging it for its own team.
 */
export function mayAct(caller: Caller, access: CaseAccess, action: { type: ActionType; teamId?: string; assignee?: string }): boolean {
  if (access === 'full') return true;
  if (access === 'summary') {
    return action.type === 'acknowledge' && !action.assignee && (action.teamId === undefined || action.teamId === caller.team?.teamId);
  }
  return false;
}
