import type { Location } from '../contract/schemas';
import type { AlertTarget } from './case';
import { rungAt } from './alert-policy';
import { distanceM } from './geo';

export interface RoutingDirectory {
  teams: { teamId: string; name: string; stationId: string; location: Location; onDuty: boolean }[];
  stations: { stationId: string; name: string; location: Location }[];
}

/** The campaign coordinator's desk: the last rung, always there. */
export const COORDINATOR_TARGET: AlertTarget = { kind: 'coordinator', id: 'campaign-coordinator', name: '专项行动协调人' };

const nearest = <T extends { location: Location }>(items: T[], to: Location): T | undefined =>
  items.reduce<T | undefined>((best, item) =>
    !best || distanceM(item.location, to) < distanceM(best.location, to) ? item : best, undefined);

/**
 * Who to ask on a given rung of the escalation ladder: the nearest team on duty, then the nearest station's duty
 * officer, then the coordinator. A rung with nobody to ask falls through to the next one, so a case is never silent.
 */
export function alertTargetFor(rung: number, where: Location, directory: RoutingDirectory): { rung: number; target: AlertTarget } {
  for (let index = rung; ; index += 1) {
    const kind = rungAt(index);
    if (kind === 'team') {
      const team = nearest(directory.teams.filter((t) => t.onDuty), where);
      if (team) return { rung: index, target: { kind, id: team.teamId, name: team.name } };
    } else if (kind === 'station') {
      const station = nearest(directory.stations, where);
      if (station) return { rung: index, target: { kind, id: station.stationId, name: station.name } };
    } else {
      return { rung: index, target: COORDINATOR_TARGET };
    }
  }
}
