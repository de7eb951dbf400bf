import { api } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { polledValue, usePolled } from '../../app/use-polled';
import { TEAM_STALE_MS } from '../../map/case-map-constants';

/** The teams on duty, where each last was and how long ago: whom the desk can send, and who has gone quiet. */
export function TeamPositions({ now }: { now: number }) {
  const { m, relative } = useI18n();
  const teams = polledValue(usePolled((signal) => api.teams(signal), 30_000))?.items ?? [];
  const onDuty = teams.filter((t) => t.onDuty);
  if (!onDuty.length) return null;
  return (
    <section className="station-list station-team-positions" aria-labelledby="station-teams-heading" data-testid="team-positions">
      <h2 id="station-teams-heading">{m.coordinator.map.team}</h2>
      <ul>
        {onDuty.map((team) => {
          const at = team.lastPosition ? Date.parse(team.lastPosition.at) : undefined;
          const stale = at === undefined || now - at > TEAM_STALE_MS;
          return (
            <li key={team.teamId} data-team-id={team.teamId} data-stale={stale}>
              <strong>{team.name}</strong>{' · '}
              <span className={stale ? 'station-team-stale' : ''}>
                {team.lastPosition ? relative(team.lastPosition.at, now) : m.coordinator.map.noPosition}
                {stale && at !== undefined ? ` · ${m.coordinator.map.teamStale}` : ''}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
