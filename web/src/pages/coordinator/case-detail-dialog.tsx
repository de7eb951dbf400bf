import { useEffect, useId, useRef, useState } from 'react';
import { api, type CaseDetail, type CaseSummary, problemText } from '../../app/api';
import { distanceText } from '../../app/distance-text';
import { distanceM } from '#shared/domain/geo';
import { type I18n, useI18n } from '../../app/i18n';
import { RiskBadge, StatusBadge } from '../../components/badges';
import { CaseTimeline } from '../../components/case-timeline';

import { isAbort } from './words';
import { caseName } from '../../app/case-name';
import { useNames } from '../../app/use-teams';
import { fill, reasonWordsOf, riskReasonText } from '../../app/words';
import { ThermalCrops } from '../../components/thermal-crops';

export interface CaseDetailDialogProps {
  caseId: string;
  /** Changes when a live event for this case arrives: the detail is read again. */
  version: number;
  /** The cases the wall holds: those a possible duplicate names are shown by name, and offered to merge. */
  known: ReadonlyMap<string, CaseSummary>;
  onClose(): void;
}

/**
 * One case in full, in a modal side panel (native <dialog>: focus is trapped, Escape closes). It stays open across
 * live updates and reads the case again on each; the page returns focus to what opened it.
 */
export function CaseDetailDialog({ caseId, version, known, onClose }: CaseDetailDialogProps) {
  const i18n = useI18n();
  const { m } = i18n;
  const words = m.coordinator.detail;
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [detail, setDetail] = useState<CaseDetail>();
  const [error, setError] = useState<string>();
  const latestWords = useRef(m);
  latestWords.current = m;

  // Removing the element ends the modal state; closing it here would fire `close` into a dialog being remounted.
  useEffect(() => {
    if (!dialog.current!.open) dialog.current!.showModal();
  }, []);

  useEffect(() => {
    setDetail((held) => (held?.caseId === caseId ? held : undefined));
  }, [caseId]);

  useEffect(() => {
    const controller = new AbortController();
    api.getCase(caseId, controller.signal).then(
      (read) => {
        setDetail(read);
        setError(undefined);
      },
      (failure: unknown) => {
        if (!isAbort(failure)) setError(problemText(failure, latestWords.current));
      },
    );
    return () => controller.abort();
  }, [caseId, version]);

  const place = detail ? caseName(detail, m) : '';
  return (
    <dialog ref={dialog} className="coordinator-detail" aria-labelledby={titleId} onClose={onClose} data-testid="case-detail" data-case-id={caseId}>
      <div className="coordinator-detail-head">
        <h2 id={titleId}>{detail ? place : words.title}</h2>
        <button type="button" className="button-quiet" onClick={() => dialog.current!.close()} data-testid="case-detail-close">{m.app.close}</button>
      </div>
      {error && <p className="coordinator-problem" role="alert">{words.failed}: {error}</p>}
      {!detail && !error && <p role="status">{m.app.loading}</p>}
      {detail && <MergeOffer key={detail.caseId} detail={detail} known={known} i18n={i18n} />}
      {detail && <DetailBody detail={detail} i18n={i18n} />}
    </dialog>
  );
}

/** Cases still being worked on: the only ones a merge takes. */
const ACTIVE: readonly CaseDetail['status'][] = ['unverified', 'open', 'alerted', 'acknowledged', 'on_scene'];

/**
 * A case opened near another active one that it did not fit (a report far off its place, or a neighbour a street
 * away): the coordinator sees how far apart they are and may merge them (合并为一案), as the station's desk may. The
 * server keeps the one further along and refuses two places with the reason, which is shown here.
 */
function MergeOffer({ detail, known, i18n }: { detail: CaseDetail; known: ReadonlyMap<string, CaseSummary>; i18n: I18n }) {
  const { m } = i18n;
  const [state, setState] = useState<{ busy?: boolean; error?: string; merged?: string }>({});
  const others = (detail.mergeCandidates ?? []).map((id) => known.get(id)).filter((o): o is CaseSummary => o !== undefined && ACTIVE.includes(o.status));
  if (!state.merged && (!ACTIVE.includes(detail.status) || !others.length)) return null;
  const merge = async (other: CaseSummary) => {
    setState({ busy: true });
    try {
      await api.takeAction(detail.caseId, { type: 'merge', with: other.caseId }, crypto.randomUUID());
      setState({ merged: caseName(other, m) });
    } catch (error) {
      setState({ error: problemText(error, m) });
    }
  };
  return (
    <div className="coordinator-merge" data-testid="merge-offer">
      {!state.merged && others.map((other) => (
        <p key={other.caseId}>
          {fill(m.station.merge.offer, { place: caseName(other, m), tail: other.caseId.slice(-6), distance: distanceText(distanceM(detail.location, other.location), i18n) })}
          {' '}
          <button type="button" disabled={state.busy} onClick={() => void merge(other)} data-testid="merge-button">{m.station.merge.button}</button>
        </p>
      ))}
      {state.merged && <p role="status">{fill(m.coordinator.detail.merged, { place: state.merged })}</p>}
      {state.error && <p className="coordinator-problem" role="alert">{state.error}</p>}
    </div>
  );
}

function DetailBody({ detail, i18n }: { detail: CaseDetail; i18n: I18n }) {
  const { m } = i18n;
  const names = useNames();
  const words = m.coordinator.detail;
  const reasonWords = reasonWordsOf(m);
  const people = detail.people;
  const notes = detail.sightings.filter((s) => s.note);
  const photos = detail.photos.filter((p) => p.url);
  return (
    <div className="coordinator-detail-body">
      <dl className="coordinator-detail-facts">
        <div>
          <dt>{words.risk}</dt>
          <dd>
            <RiskBadge risk={detail.risk} />
            {detail.riskReasons.length > 0 && <span> {detail.riskReasons.map((r) => riskReasonText(r, reasonWords)).join(words.separator)}</span>}
          </dd>
        </div>
        <div><dt>{words.status}</dt><dd><StatusBadge status={detail.status} /></dd></div>
        <div>
          <dt>{words.place}</dt>
          <dd>
            {caseName(detail, m)}{detail.placeName && detail.placeType !== 'other' ? ` · ${m.place[detail.placeType]}` : ''}
            <span className="coordinator-muted"> ({detail.location.lat.toFixed(6)}, {detail.location.lon.toFixed(6)})</span>
          </dd>
        </div>
        <div>
          <dt>{words.people}</dt>
          <dd>{people.length === 0 ? words.noPeople : fill(words.peopleCount, {
            count: people.length,
            who: people.map((p) => (p.conditions.length
              ? fill(words.person, { age: m.ageGroup[p.ageGroup], conditions: p.conditions.map((c) => m.condition[c]).join(words.separator) })
              : m.ageGroup[p.ageGroup])).join(words.separator),
          })}</dd>
        </div>
        <div>
          <dt>{words.reports}</dt>
          <dd>{fill(words.reportCounts, { sightings: detail.sightingCount, detections: detail.detectionCount })}</dd>
        </div>
        <div><dt>{words.opened}</dt><dd><time dateTime={detail.openedAt}>{i18n.dateTime(detail.openedAt)}</time></dd></div>
        {detail.alert && (
          <div>
            <dt>{words.alert}</dt>
            <dd>
              {detail.alert.target.name ?? m.station.targetKind[detail.alert.target.kind]}
              {detail.alert.rung >= 1 && <span className="coordinator-flag">{fill(m.coordinator.list.rung, { rung: detail.alert.rung })}</span>}
              {' · '}{words.deadline} <time dateTime={detail.alert.deadline}>{i18n.time(detail.alert.deadline)}</time>
              <span className="coordinator-muted"> ({i18n.relative(detail.alert.deadline)})</span>
            </dd>
          </div>
        )}
        {detail.due && (
          <div>
            <dt>{words.due}</dt>
            <dd>
              {m.due[detail.due.kind]} · <time dateTime={detail.due.at}>{i18n.time(detail.due.at)}</time>
              <span className="coordinator-muted"> ({i18n.relative(detail.due.at)})</span>
              {detail.due.overdue >= 1 && <span className="coordinator-flag">{fill(words.overdue, { count: detail.due.overdue })}</span>}
            </dd>
          </div>
        )}
        <div><dt>{words.team}</dt><dd>{names.team(detail.assignedTeamId) ?? (detail.assignee ? fill(m.station.assignee, { name: detail.assignee }) : detail.assignedTeamId ? m.station.unknownTeam : '—')}</dd></div>
        <div><dt>{words.outcome}</dt><dd>{detail.outcome ? m.outcome[detail.outcome] : '—'}</dd></div>
      </dl>

      <ThermalCrops detail={detail} className="coordinator-photos thermal-crops" />

      <h3>{words.timeline}</h3>
      <CaseTimeline entries={detail.timeline} />

      <h3>{words.photos}</h3>
      {photos.length === 0 ? <p className="coordinator-muted">{words.noPhotos}</p> : (
        <ul className="coordinator-photos">
          {photos.map((photo) => (
            <li key={photo.uploadId}>
              <img src={photo.url} loading="lazy" width={photo.width} height={photo.height}
                alt={fill(words.photoAlt, { time: i18n.dateTime(photo.takenAt ?? photo.uploadedAt), who: photo.uploadedBy.teamId ?? photo.uploadedBy.sub })} />
            </li>
          ))}
        </ul>
      )}

      <h3>{words.notes}</h3>
      {notes.length === 0 ? <p className="coordinator-muted">{words.noNotes}</p> : (
        <ul className="coordinator-notes">
          {notes.map((s) => (
            <li key={s.sightingId}>
              <time dateTime={s.observedAt}>{i18n.dateTime(s.observedAt)}</time>
              <span className="coordinator-muted"> · {s.teamId ?? m.source[s.source]}</span>
              <p>{s.note}</p>
            </li>
          ))}
        </ul>
      )}

      <h3>{words.notifications}</h3>
      {detail.notifications.length === 0 ? <p className="coordinator-muted">{words.noNotifications}</p> : (
        <table className="coordinator-mini-table coordinator-notifications">
          <thead>
            <tr>
              <th scope="col">{words.sent}</th><th scope="col">{words.kind}</th><th scope="col">{words.to}</th><th scope="col">{words.delivery}</th>
            </tr>
          </thead>
          <tbody>
            {detail.notifications.map((n) => (
              <tr key={n.notificationId} className={`coordinator-delivery-${n.status}`}>
                <td><time dateTime={n.createdAt}>{i18n.time(n.createdAt)}</time></td>
                <td>{m.coordinator.notificationKind[n.kind]}</td>
                <td>{n.to.name ?? n.to.id}</td>
                <td>
                  {m.coordinator.delivery[n.status]}
                  {n.status !== 'delivered' && n.attempts > 0 && <span className="coordinator-muted"> · {fill(words.attempts, { count: n.attempts })}</span>}
                  {n.lastError && n.status !== 'delivered' && <span className="coordinator-muted"> · {n.lastError}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
