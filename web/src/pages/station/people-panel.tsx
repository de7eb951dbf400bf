import { useState } from 'react';
import { api, ApiError, fetchNoticePdf, type PersonInStation } from '../../app/api';
import { download } from '../../app/download';
import { useI18n } from '../../app/i18n';
import { polledValue, usePolled } from '../../app/use-polled';
import { fill } from '../../app/words';

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
                  <strong>{p.label}</strong>
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
      {problem && <p role="alert" className="error">{problem}</p>}
    </section>
  );
}
