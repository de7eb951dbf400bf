import type { z } from 'zod';
import type { TeamList } from '../contract/directory';
import type { Dependencies } from './dependencies';

/** The teams as a page may see them: on duty first, without their channels or members. */
export async function listTeams(deps: Pick<Dependencies, 'directory'>): Promise<z.output<typeof TeamList>> {
  const [teams, stations] = await Promise.all([deps.directory.list('team'), deps.directory.list('station')]);
  const stationNames = new Map(stations.map((s) => [s.stationId, s.name]));
  return {
    items: teams
      .map(({ teamId, name, stationId, onDuty, location }) => ({
        teamId, name, stationId, ...(stationNames.has(stationId) ? { stationName: stationNames.get(stationId)! } : {}), onDuty, location,
      }))
      .sort((a, b) => Number(b.onDuty) - Number(a.onDuty) || a.teamId.localeCompare(b.teamId)),
  };
}
