import type { Location } from '../contract/schemas';
import type { AlertTarget } from './case';
import { rungAt } from './alert-policy';
import { distanceM } from './geo';
import type { Landmark } from './place-name';
import { type StationArea, stationsByResponsibility } from './station-area';

export interface RoutingDirectory {
  teams: { teamId: string; name: string; stationId: string; location: Location; onDuty: boolean }[];
  stations: { stationId: string; name: string; location: Location; area?: StationArea }[];
  /** Known places: a case nobody named is named after the nearest (shared/domain/place-name.ts). */
  hotSpots?: Landmark[];
}

/** The campaign coordinator's desk: the last rung, always there. */
export const COORDINATOR_TARGET: AlertTarget = { kind: 'coordinator', id: 'campaign-coordinator', name: '专项行动协调人' };

/** The `nth` nearest of `items` (0: the nearest). */
export const nearest = <T extends { location: Location }>(items: T[], to: Location, nth = 0): T | undefined =>
  [...items].sort((a, b) => distanceM(a.location, to) - distanceM(b.location, to))[nth];

/**
 * Who to ask on a given rung of the escalation ladder: the nearest team on duty, another team, then the duty officer
 * of the station that answers for the place (its area holds it, else the nearest), then the coordinator. A rung with nobody to ask falls through to the next one, so a case
 * is never silent.
 */
export function alertTargetFor(rung: number, where: Location, directory: RoutingDirectory): { rung: number; target: AlertTarget } {
  for (let index = rung; ; index += 1) {
    const { kind, nth } = rungAt(index);
    if (kind === 'team') {
      const team = nearest(directory.teams.filter((t) => t.onDuty), where, nth);
      if (team) return { rung: index, target: { kind, id: team.teamId, name: team.name } };
    } else if (kind === 'station') {
      // The station whose area holds the place first, then the others by distance.
      const station = stationsByResponsibility(directory.stations, where)[nth];
      if (station) return { rung: index, target: { kind, id: station.stationId, name: station.name } };
    } else {
      return { rung: index, target: COORDINATOR_TARGET };
    }
  }
}
