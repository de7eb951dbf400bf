import type { z } from 'zod';
import type { TeamList } from '../contract/directory';
import type { Actor } from '../domain/case';
import type { Team } from '../store/directory-store';
import type { Dependencies } from './dependencies';

/** A team's last position stands for where it is for this long; older, it is stale and its home base stands instead. */
export const TEAM_POSITION_FRESH_MINUTES = 5;

/**
 * The teams, each located where it is now: its last position when fresh, else its home base. Whom to alert and whom
 * to send (the nearest team on duty) is chosen from these.
 */
export async function teamsWhereTheyAre(deps: Pick<Dependencies, 'directory' | 'campaign' | 'now'>): Promise<Team[]> {
  const [teams, positions] = await Promise.all([deps.directory.list('team'), deps.campaign.lastPositions()]);
  const freshSince = deps.now().getTime() - TEAM_POSITION_FRESH_MINUTES * 60_000;
  return teams.map((team) => {
    const last = positions.get(team.teamId);
    return last && Date.parse(last.at) >= freshSince
      ? { ...team, location: { lat: last.lat, lon: last.lon, ...(last.accuracyM !== undefined ? { accuracyM: last.accuracyM } : {}) } }
      : team;
  });
}

/** Roles that see where the teams are now. */
const SEE_POSITIONS: readonly Actor['role'][] = ['station', 'coordinator', 'admin'];

/**
 * The teams as a page may see them: on duty first, without their channels or members; with their last position for
 * a station or coordinator.
 */
export async function listTeams(deps: Pick<Dependencies, 'directory' | 'campaign'>, actor: Actor): Promise<z.output<typeof TeamList>> {
  const [teams, stations, positions] = await Promise.all([
    deps.directory.list('team'), deps.directory.list('station'),
    SEE_POSITIONS.includes(actor.role) ? deps.campaign.lastPositions() : Promise.resolve(new Map()),
  ]);
  const stationNames = new Map(stations.map((s) => [s.stationId, s.name]));
  return {
    items: teams
      .map(({ teamId, name, stationId, onDuty, location }) => ({
        teamId, name, stationId, ...(stationNames.has(stationId) ? { stationName: stationNames.get(stationId)! } : {}), onDuty, location,
        ...(positions.has(teamId) ? { lastPosition: positions.get(teamId)! } : {}),
      }))
      .sort((a, b) => Number(b.onDuty) - Number(a.onDuty) || a.teamId.localeCompare(b.teamId)),
  };
}
