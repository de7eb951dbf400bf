import type { z } from 'zod';
import type { TeamList } from '../contract/directory';
import type { Dependencies } from './dependencies';

/** The teams as a page may see them: on duty first, without their channels or members. */
export async function listTeams(deps: Pick<Dependencies, 'directory'>): Promise<z.output<typeof TeamList>> {
  const teams = await deps.directory.list('team');
  return {
    items: teams
      .map(({ teamId, name, stationId, onDuty, location }) => ({ teamId, name, stationId, onDuty, location }))
      .sort((a, b) => Number(b.onDuty) - Number(a.onDuty) || a.teamId.localeCompare(b.teamId)),
  };
}
