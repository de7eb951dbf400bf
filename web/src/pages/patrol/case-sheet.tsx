import { KnownPeople } from '../known-people';
import { useEffect, useState } from 'react';
import { api, type CaseDetail, type CaseSummary, OfflineError } from '../../app/api';
import { caseName } from '../../app/case-name';
import { caseNotes } from '../../app/case-notes';
import { useI18n } from '../../app/i18n';
import { fill, reasonWordsOf, riskReasonText } from '../../app/words';
import { ThermalCrops } from '../../components/thermal-crops';
import { RiskBadge, StatusBadge } from '../../components/badges';
import { navigationLinks } from '../../map/navigation';
import { ModalDialog } from './modal-dialog';

/**
 * A case opened from the team's list: what the team needs on the way and at the place. Who is there and what to
 * know about them, the notes, the photos, whether it was escalated, the deadline, and a link that opens the phone's
 * map app at the place. Without signal it shows what the list kept (the case's summary) and says so.
 */
export function CaseSheet({ c, onClose }: { c: CaseSummary; onClose: () => void }) {
  const i18n = useI18n();
  const { m, time, relative } = i18n;
  const words = m.patrol.sheet;
  const [detail, setDetail] = useState<CaseDetail>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    const controller = new AbortController();
    api.getCase(c.caseId, controller.signal).then(setDetail, (error: Error) => {
      if (error.name !== 'AbortError') setProblem(error instanceof OfflineError ? words.offline : error.message);
    });
    return () => controller.abort();
  }, [c.caseId, words.offline]);

  const shown = detail ?? c;
  const name = caseName(shown, m);
  const reasons = reasonWordsOf(m);
  const notes = detail ? caseNotes(detail) : [];
  const photos = detail?.photos.filter((p) => p.url) ?? [];
  const deadline = shown.status === 'alerted' && shown.alert ? { at: shown.alert.deadline, label: m.patrol.cases.ackDeadline }
    : shown.due ? { at: shown.due.at, label: fill(m.patrol.cases.dueDeadline, { due: m.due[shown.due.kind] }) } : undefined;

  return (
    <ModalDialog title={words.title} onClose={onClose}>
      <div className="patrol-form-body patrol-sheet" data-testid="case-sheet" data-case-id={c.caseId}>
        <p className="patrol-dialog-subject">{name}</p>
        <p className="patrol-case-top">
          <RiskBadge risk={shown.risk} />
          <StatusBadge status={shown.status} />
          {shown.alert && shown.alert.rung >= 1 && <span className="badge patrol-escalated" data-testid="sheet-escalated">{fill(words.escalated, { rung: shown.alert.rung })}</span>}
        </p>
        {deadline && (
          <p className={Date.parse(deadline.at) < Date.now() ? 'patrol-overdue' : 'patrol-case-due'}>
            {deadline.label} <time dateTime={deadline.at}>{time(deadline.at)}</time>（{relative(deadline.at)}）
          </p>
        )}
        <nav aria-label={words.navigate} className="patrol-row">
          {navigationLinks(shown.location, name).map((link) => (
            <a key={link.app} className="button-large patrol-nav" href={link.href} target={link.app === 'geo' ? undefined : '_blank'}
              rel="noopener noreferrer" data-testid={`navigate-${link.app}`}>
              {words.apps[link.app]}
            </a>
          ))}
        </nav>
        {problem && <p role="status" className="patrol-note">{problem}</p>}
        {!detail && !problem && <p role="status">{m.app.loading}</p>}
        {detail && (
          <>
            <h3>{words.people}</h3>
            {detail.people.length === 0 ? <p className="patrol-muted">{words.noPeople}</p> : (
              <ul className="patrol-sheet-people" data-testid="sheet-people">
                {detail.people.map((person, index) => (
                  <li key={index}>
                    <strong>{m.ageGroup[person.ageGroup]} · {m.sex[person.sex]}</strong>
                    {person.conditions.length > 0 && <> · {person.conditions.map((x) => m.condition[x]).join('、')}</>}
                  </li>
                ))}
              </ul>
            )}
            <KnownPeople detail={detail} />
            {detail.riskReasons.length > 0 && (
              <p className="patrol-muted">{words.whyRisk}{detail.riskReasons.map((r) => riskReasonText(r, reasons)).join('、')}</p>
            )}
            <h3>{words.notes}</h3>
            {notes.length === 0 ? <p className="patrol-muted">{words.noNotes}</p> : (
              <ul className="patrol-sheet-notes">
                {notes.map((note, index) => <li key={index}><time dateTime={note.at}>{time(note.at)}</time> {note.text}</li>)}
              </ul>
            )}
            <h3>{words.photos}</h3>
            {photos.length === 0 ? <p className="patrol-muted">{words.noPhotos}</p> : (
              <ul className="patrol-photos">
                {photos.map((photo) => <li key={photo.uploadId}><img src={photo.url} alt={fill(words.photoAlt, { time: time(photo.takenAt ?? photo.uploadedAt) })} /></li>)}
              </ul>
            )}
            {detail && <ThermalCrops detail={detail} className="patrol-photos thermal-crops" />}
          </>
        )}
      </div>
    </ModalDialog>
  );
}
