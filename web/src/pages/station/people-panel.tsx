import { useState } from 'react';
import { api, ApiError, fetchNoticePdf, type PersonInStation } from '../../app/api';
import { download } from '../../app/download';
import { useI18n } from '../../app/i18n';
import { polledValue, usePolled } from '../../app/use-polled';
import { fill } from '../../app/words';
import { PersonDialog } from './person-dialog';

/**
 * The people in the station with a file (一人一档): each with their grade, care level and the next check due, and
 * their family search. The desk records a check, publishes the notice and prints it from here. No photos: a list
 * never shows one (the file does).
 */
export function PeoplePanel({ now }: { now: number }) {
  const { m, dateTime: time } = useI18n();
  const words = m.station.files;
  const [version, setVersion] = useState(0);
  const polled = usePolled((signal) => api.peopleInStation(signal), 30_000, version);
  const people = polledValue(polled)?.items ?? [];
  const [busy, setBusy] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [open, setOpen] = useState<string>();
  const [outcomes, setOutcomes] = useState<Record<string, string>>({});
  // People out of the station with a follow-up (回访) scheduled, soonest first.
  const away = usePolled((signal) => api.peopleToFollowUp(signal), 60_000, version);
  const followUps = (polledValue(away)?.items ?? []).filter((p) => p.followUp)
    .sort((a, b) => a.followUp!.dueAt.localeCompare(b.followUp!.dueAt));

  const run = async (personId: string, work: () => Promise<unknown>) => {
    setBusy(personId);
    setProblem(undefined);
    try {
      await work();
      setVersion((n) => n + 1);
    } catch (error) {
      setProblem(fill(words.failed, { detail: error instanceof ApiError ? error.problem.detail : (error as Error).message }));
    } finally {
      setBusy(undefined);
    }
  };
  const print = (p: PersonInStation) => run(p.personId, async () => {
    const { blob, fileName } = await fetchNoticePdf(p.personId);
    download(blob, fileName, 'application/pdf');
  });
  const search = (p: PersonInStation) => {
    const f = p.familySearch;
    return f.status === 'not_started' ? '' : fill(words.search[f.status], { time: f.dueAt ? time(f.dueAt) : '' });
  };

  return (
    <section className="station-list station-people" aria-labelledby="station-people-heading" data-testid="people-in-station">
      <h2 id="station-people-heading">{words.title}</h2>
      {people.length === 0 ? <p className="station-supplies-note">{words.empty}</p> : (
        <ul>
          {people.map((p) => {
            const stay = p.stay!;
            const checkLate = Date.parse(stay.nextCheckAt) <= now;
            const searchLate = p.familySearch.status === 'overdue' || (p.familySearch.status === 'due' && p.familySearch.dueAt !== undefined && Date.parse(p.familySearch.dueAt) <= now);
            return (
              <li key={p.personId} data-person={p.personId} data-grade={p.grade.level} data-search={p.familySearch.status}>
                <div className="station-person-head">
                  <span className={`grade-chip grade-${p.grade.level}`} title={p.grade.reasons.join(', ')}>{words.grade[p.grade.level]}</span>
                  <button type="button" className="link-button" onClick={() => setOpen(p.personId)} title={words.open}><strong>{p.label}</strong></button>
                  {p.label !== p.number && <span className="station-supplies-note"> {p.number}</span>}
                </div>
                <p className="station-supplies-note">
                  {words.care[stay.careLevel]} · {fill(words.since, { time: time(stay.since) })}
                  {stay.longStayFlaggedAt ? ` · ${words.longStay}` : ''}
                </p>
                <p className={checkLate ? 'station-supplies-short' : 'station-supplies-note'} data-testid="next-check">
                  {fill(checkLate ? words.checkOverdue : words.nextCheck, { time: time(stay.nextCheckAt) })}
                </p>
                {search(p) && <p className={searchLate ? 'station-supplies-short' : 'station-supplies-note'} data-testid="family-search">{search(p)}</p>}
                <div className="station-person-actions">
                  <button type="button" disabled={busy === p.personId} onClick={() => void run(p.personId, () => api.personAction(p.personId, { type: 'check' }))}>{words.check}</button>
                  {(p.familySearch.status === 'due' || p.familySearch.status === 'overdue') && (
                    <button type="button" disabled={busy === p.personId} onClick={() => void run(p.personId, () => api.publishNotice(p.personId))}>{words.publish}</button>
                  )}
                  {!p.identified && <button type="button" disabled={busy === p.personId} onClick={() => void print(p)} data-testid="print-notice">{words.print}</button>}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {followUps.length > 0 && (
        <>
          <h3>{words.followUps}</h3>
          <ul data-testid="follow-ups">
            {followUps.map((p) => {
              const due = p.followUp!;
              const late = Date.parse(due.dueAt) <= now;
              return (
                <li key={p.personId} data-person={p.personId}>
                  <div className="station-person-head">
                    <span className={`grade-chip grade-${p.grade.level}`}>{words.grade[p.grade.level]}</span>
                    <button type="button" className="link-button" onClick={() => setOpen(p.personId)}><strong>{p.label}</strong></button>
                    <span className="station-supplies-note">{words.followUpReason[due.reason as keyof typeof words.followUpReason]}</span>
                  </div>
                  <p className={late ? 'station-supplies-short' : 'station-supplies-note'}>{fill(words.followUpDue, { number: due.number, time: time(due.dueAt) })}</p>
                  <form className="station-person-actions" onSubmit={(e) => {
                    e.preventDefault();
                    const outcome = outcomes[p.personId];
                    if (outcome) void run(p.personId, () => api.personAction(p.personId, { type: 'follow_up', outcome }));
                  }}>
                    <select aria-label={words.record} value={outcomes[p.personId] ?? ''} required onChange={(e) => setOutcomes((o) => ({ ...o, [p.personId]: e.target.value }))}>
                      <option value="">—</option>
                      {(Object.keys(words.outcome) as (keyof typeof words.outcome)[]).map((k) => <option key={k} value={k}>{words.outcome[k]}</option>)}
                    </select>
                    <button type="submit" disabled={busy === p.personId}>{words.record}</button>
                  </form>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {problem && <p role="alert" className="error">{problem}</p>}
      {open && <PersonDialog personId={open} onChanged={() => setVersion((n) => n + 1)} onClose={() => setOpen(undefined)} />}
    </section>
  );
}
