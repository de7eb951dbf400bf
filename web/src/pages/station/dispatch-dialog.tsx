import { type FormEvent, useState } from 'react';
import type { CaseSummary } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { caseName } from '../../app/case-name';
import { rankTeams } from './desk-order';
import { ModalDialog } from './modal-dialog';
import type { TeamsState } from '../../app/use-teams';
import { fill } from '../../app/words';

/** Who a station sends: one of the teams, or a person of its own, by name. */
export type Going = { teamId: string } | { assignee: string };

/** The radio value that means "the station goes itself"; no team id can take this form. */
const SELF = ' self';

/**
 * 派单: the teams on duty first, nearest the case first, the nearest chosen already (the team alerted, when it is
 * one of them); or the station handles it itself and names who goes. When the team list cannot be loaded the error
 * is shown and a team id can be typed instead.
 */
export function DispatchDialog({ c, teams, busy, error, onDispatch, onClose }: {
  c: CaseSummary;
  teams: TeamsState;
  busy: boolean;
  error: string | undefined;
  onDispatch: (going: Going) => void;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { m } = i18n;
  const ranked = teams.status === 'loaded' ? rankTeams(teams.teams, c.location) : [];
  const nearest = ranked.find((t) => t.onDuty && t.distanceKm !== undefined)?.teamId;
  const alerted = c.alert?.target.kind === 'team' ? ranked.find((t) => t.teamId === c.alert!.target.id)?.teamId : undefined;
  const [chosen, setChosen] = useState('');
  const [assignee, setAssignee] = useState('');
  // Until the officer picks one, the team already alerted (else the nearest team on duty) is the choice.
  const teamId = chosen || (teams.status === 'loaded' ? alerted ?? ranked.find((t) => t.onDuty)?.teamId ?? SELF : '');
  const self = teamId === SELF;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (self) {
      if (assignee.trim()) onDispatch({ assignee: assignee.trim() });
    } else if (teamId.trim()) {
      onDispatch({ teamId: teamId.trim() });
    }
  };
  return (
    <ModalDialog labelledBy="station-dispatch-title" onClose={onClose}>
      <form onSubmit={submit} className="station-dialog-form">
        <h2 id="station-dispatch-title">{m.station.dispatch.title}</h2>
        <p className="station-muted">{fill(m.station.dispatch.forCase, { place: caseName(c, m) })} · {m.risk[c.risk]}</p>
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
            <label className="station-team" data-testid="dispatch-self">
              <input type="radio" name="teamId" value={SELF} checked={self} onChange={() => setChosen(SELF)} />
              <span className="station-team-name">{m.station.dispatch.self}</span>
            </label>
          </fieldset>
        ))}
        {self && (
          <label className="station-field">
            <span>{m.station.dispatch.assignee}</span>
            <input value={assignee} onChange={(e) => setAssignee(e.target.value)} placeholder={m.station.dispatch.assigneeHint} required autoComplete="name" />
          </label>
        )}
        {error && <p role="alert" className="error">{error}</p>}
        <div className="station-dialog-buttons">
          <button type="button" onClick={onClose}>{m.app.cancel}</button>
          <button type="submit" className="button-primary" disabled={busy || (self ? !assignee.trim() : !teamId.trim())}>{m.action.dispatch}</button>
        </div>
      </form>
    </ModalDialog>
  );
}
