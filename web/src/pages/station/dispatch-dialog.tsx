import { type FormEvent, useState } from 'react';
import type { CaseSummary } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { placeOf } from './case-card';
import { rankTeams } from './desk-order';
import { ModalDialog } from './modal-dialog';
import type { TeamsState } from './use-teams';
import { fill } from '../../app/words';

/**
 * 派单: the teams on duty first, nearest the case first, the nearest chosen already. When the team list cannot be
 * loaded the error is shown and a team id can be typed instead.
 */
export function DispatchDialog({ c, teams, busy, error, onDispatch, onClose }: {
  c: CaseSummary;
  teams: TeamsState;
  busy: boolean;
  error: string | undefined;
  onDispatch: (teamId: string) => void;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { m } = i18n;
  const ranked = teams.status === 'loaded' ? rankTeams(teams.teams, c.location) : [];
  const nearest = ranked.find((t) => t.onDuty && t.distanceKm !== undefined)?.teamId;
  const [chosen, setChosen] = useState('');
  // Until the officer picks one, the nearest team on duty is the choice.
  const teamId = chosen || (teams.status === 'loaded' ? ranked.find((t) => t.onDuty)?.teamId ?? '' : '');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (teamId.trim()) onDispatch(teamId.trim());
  };
  return (
    <ModalDialog labelledBy="station-dispatch-title" onClose={onClose}>
      <form onSubmit={submit} className="station-dialog-form">
        <h2 id="station-dispatch-title">{m.station.dispatch.title}</h2>
        <p className="station-muted">{fill(m.station.dispatch.forCase, { place: placeOf(c, m) })} · {m.risk[c.risk]}</p>
        {teams.status === 'loading' && <p role="status">{m.station.dispatch.teamsLoading}</p>}
        {teams.status === 'failed' && (
          <>
            <p role="alert" className="error">{fill(m.station.dispatch.teamsFailed, { detail: teams.error })}</p>
            <label className="station-field">
              <span>{m.station.dispatch.teamId}</span>
              <input value={teamId} onChange={(e) => setChosen(e.target.value)} placeholder={m.station.dispatch.teamIdHint} required autoComplete="off" />
            </label>
          </>
        )}
        {teams.status === 'loaded' && (ranked.length === 0 ? <p>{m.station.dispatch.noTeams}</p> : (
          <fieldset className="station-teams">
            <legend>{m.station.dispatch.teams}</legend>
            {ranked.map((team) => (
              <label key={team.teamId} className={`station-team${team.onDuty ? '' : ' station-team-off'}`} data-testid="dispatch-team" data-team-id={team.teamId}>
                <input type="radio" name="teamId" value={team.teamId} checked={teamId === team.teamId} onChange={() => setChosen(team.teamId)} />
                <span className="station-team-name">{team.name}</span>
                <span className={`badge ${team.onDuty ? 'station-on-duty' : 'status'}`}>{team.onDuty ? m.station.dispatch.onDuty : m.station.dispatch.offDuty}</span>
                <span className="station-team-distance">
                  {team.distanceKm === undefined ? m.station.dispatch.noLocation : fill(m.station.dispatch.distance, { km: i18n.number(team.distanceKm, 1) })}
                </span>
                {team.teamId === nearest && <span className="badge station-nearest">{m.station.dispatch.nearest}</span>}
              </label>
            ))}
          </fieldset>
        ))}
        {error && <p role="alert" className="error">{error}</p>}
        <div className="station-dialog-buttons">
          <button type="button" onClick={onClose}>{m.app.cancel}</button>
          <button type="submit" className="button-primary" disabled={busy || !teamId.trim()}>{m.action.dispatch}</button>
        </div>
      </form>
    </ModalDialog>
  );
}
