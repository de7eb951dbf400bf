import { type FormEvent, useEffect, useState } from 'react';
import { api, type CaseDetail, problemText } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { RiskBadge, StatusBadge } from '../../components/badges';
import { actorText, CaseTimeline } from '../../components/case-timeline';
import { caseNotes } from '../../app/case-notes';
import { CaseDeadline } from './case-card';
import { caseName } from '../../app/case-name';
import { useNames } from '../../app/use-teams';

import { ModalDialog } from './modal-dialog';
import { PeopleList } from './people-list';
import { KnownPeople } from '../known-people';
import { fill, reasonWordsOf, riskReasonText } from '../../app/words';
import { ThermalCrops } from '../../components/thermal-crops';

/**
 * Everything about one case in a side sheet: risk and why, place, people, what is awaited, team, notes, photos and
 * the timeline, and a note form. Loaded again whenever `version` changes (a live event or an action on the case).
 */
export function CaseDetailDialog({ caseId, version, now, busy, error, onNote, onClose }: {
  caseId: string;
  version: string | undefined;
  now: number;
  busy: boolean;
  error: string | undefined;
  onNote: (text: string) => Promise<boolean>;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const names = useNames();
  const { m } = i18n;
  const [detail, setDetail] = useState<CaseDetail>();
  const [loadError, setLoadError] = useState<string>();
  const [note, setNote] = useState('');
  // A person linked from here reads the case again.
  const [linked, setLinked] = useState(0);
  const reload = () => setLinked((n) => n + 1);

  useEffect(() => {
    const controller = new AbortController();
    api.getCase(caseId, controller.signal).then((loaded) => {
      setDetail(loaded);
      setLoadError(undefined);
    }, (failure: unknown) => {
      if ((failure as Error).name !== 'AbortError') setLoadError(problemText(failure, m));
    });
    return () => controller.abort();
  }, [caseId, version, m, linked]);

  const submitNote = async (event: FormEvent) => {
    event.preventDefault();
    if (note.trim() && await onNote(note.trim())) setNote('');
  };

  const reasonWords = reasonWordsOf(m);
  const notes = detail ? caseNotes(detail) : [];
  return (
    <ModalDialog labelledBy="station-detail-title" onClose={onClose} className="station-detail">
      <div className="station-detail-head">
        <h2 id="station-detail-title">{detail ? caseName(detail, m) : m.station.detail.title}</h2>
        <button type="button" className="button-quiet" onClick={onClose}>{m.app.close}</button>
      </div>
      {loadError && <p role="alert" className="error">{fill(m.station.detail.failed, { detail: loadError })}</p>}
      {!detail && !loadError && <p role="status">{m.app.loading}</p>}
      {detail && (
        <div className="station-detail-body" data-testid="case-detail" data-case-id={detail.caseId} data-status={detail.status}>
          <p className="station-detail-badges"><RiskBadge risk={detail.risk} /> <StatusBadge status={detail.status} /></p>
          <dl className="station-facts">
            <dt>{m.station.detail.riskReasons}</dt>
            <dd>
              {detail.riskReasons.length === 0 ? m.app.none : (
                <ul className="station-reasons">{detail.riskReasons.map((r) => <li key={r}>{riskReasonText(r, reasonWords)}</li>)}</ul>
              )}
            </dd>
            <dt>{m.station.detail.place}</dt>
            <dd>
              {m.place[detail.placeType]}{detail.placeName ? ` · ${detail.placeName}` : ''}
              <br />
              <span className="station-muted">
                {m.station.detail.coordinates} {i18n.number(detail.location.lat, 5)}, {i18n.number(detail.location.lon, 5)}
                {' · '}{fill(m.station.detail.reports, { sightings: detail.sightingCount, detections: detail.detectionCount })}
              </span>
            </dd>
            <dt>{m.station.detail.people}</dt>
            <dd><PeopleList people={detail.people} /><KnownPeople detail={detail} canLink onLinked={reload} /></dd>
            {(detail.alert || detail.due) && (
              <>
                <dt>{detail.alert ? m.station.detail.alert : m.station.detail.due}</dt>
                <dd><CaseDeadline c={detail} now={now} /></dd>
              </>
            )}
            <dt>{m.station.detail.team}</dt>
            <dd>
              {detail.assignedTeamId ? names.team(detail.assignedTeamId) ?? m.station.unknownTeam
                : detail.assignee ? fill(m.station.assignee, { name: detail.assignee }) : m.app.none}
            </dd>
            {detail.outcome && (
              <>
                <dt>{m.station.detail.outcome}</dt>
                <dd>{m.outcome[detail.outcome]}</dd>
              </>
            )}
            {detail.stationId && (
              <>
                <dt>{m.station.detail.station}</dt>
                <dd>{detail.stationId}</dd>
              </>
            )}
          </dl>

          <h3>{m.station.detail.notes}</h3>
          {notes.length === 0 ? <p className="station-muted">{m.station.detail.noNotes}</p> : (
            <ul className="station-notes">
              {notes.map((n, index) => (
                <li key={`${n.at}-${index}`}>
                  <time dateTime={n.at}>{i18n.dateTime(n.at)}</time>{n.by && <span className="station-muted"> · {actorText(n.by, i18n, names)}</span>}
                  <p>{n.text}</p>
                </li>
              ))}
            </ul>
          )}
          <form className="station-note-form" onSubmit={(e) => void submitNote(e)}>
            <label className="station-field">
              <span>{m.station.detail.noteLabel}</span>
              <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={2000} required data-testid="note-text" />
            </label>
            {error && <p role="alert" className="error">{error}</p>}
            <button type="submit" className="button-primary" disabled={busy || !note.trim()}>{m.app.save}</button>
          </form>

          <h3>{m.station.detail.photos}</h3>
          {detail.photos.some((p) => p.url) ? (
            <ul className="station-photos">
              {detail.photos.filter((p) => p.url).map((photo) => (
                <li key={photo.uploadId}>
                  <img src={photo.url} width={photo.width} height={photo.height} loading="lazy"
                    alt={fill(m.station.detail.photoAlt, { time: i18n.dateTime(photo.takenAt ?? photo.uploadedAt) })} />
                </li>
              ))}
            </ul>
          ) : <p className="station-muted">{m.station.detail.noPhotos}</p>}
          <ThermalCrops detail={detail} className="station-photos thermal-crops" />

          <h3>{m.station.detail.timeline}</h3>
          <CaseTimeline entries={detail.timeline} />
        </div>
      )}
    </ModalDialog>
  );
}
