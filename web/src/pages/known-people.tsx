import { useState } from 'react';
import type { CaseDetail } from '../app/api';
import { api, ApiError } from '../app/api';
import { useI18n } from '../app/i18n';
import { fill } from '../app/words';

type Known = CaseDetail['files'][number] & { lastMetAt?: string };

/**
 * The people of a case who have a file (一人一档), as much as helping them needs: name or number, grade, dialect,
 * conditions, help declined before; and, while nobody is linked, those met near here before, as a suggestion only.
 * A station may confirm a suggestion (link the file to the case); nothing links by itself.
 */
export function KnownPeople({ detail, canLink, onLinked }: {
  detail: Pick<CaseDetail, 'caseId'> & Partial<Pick<CaseDetail, 'files' | 'possiblyKnown'>>; canLink?: boolean; onLinked?: () => void;
}) {
  const { m, dateTime } = useI18n();
  // A detail kept on the phone from before files were shown has neither.
  const files = detail.files ?? [];
  const possiblyKnown = detail.possiblyKnown ?? [];
  const words = m.knownPeople;
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (!files.length && !possiblyKnown.length) return null;
  const link = async (personId: string) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await api.personAction(personId, { type: 'link', caseId: detail.caseId });
      onLinked?.();
    } catch (error) {
      setProblem(error instanceof ApiError ? error.problem.detail : (error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const row = (p: Known, suggested: boolean) => (
    <li key={p.personId} data-person={p.personId}>
      <span className={`grade-chip grade-${p.grade}`}>{words.grade[p.grade]}</span> <strong>{p.label}</strong>
      {' · '}{m.ageGroup[p.ageGroup]} · {m.sex[p.sex]}
      {p.conditions.length > 0 && <> · {p.conditions.map((x) => m.condition[x]).join('、')}</>}
      {p.dialect && <> · {fill(words.dialect, { dialect: p.dialect })}</>}
      {p.declinedHelp > 0 && <> · {fill(words.declined, { count: p.declinedHelp })}</>}
      {suggested && p.lastMetAt && <> · {fill(words.lastMet, { time: dateTime(p.lastMetAt) })}</>}
      {suggested && canLink && <> <button type="button" disabled={busy} onClick={() => void link(p.personId)}>{words.link}</button></>}
    </li>
  );
  return (
    <div className="known-people" data-testid="known-people">
      {files.length > 0 && (<><h4>{words.title}</h4><ul>{files.map((p) => row(p, false))}</ul></>)}
      {possiblyKnown.length > 0 && (<><h4>{words.possibly}</h4><ul data-testid="possibly-known">{possiblyKnown.map((p) => row(p, true))}</ul></>)}
      {problem && <p role="alert" className="error">{problem}</p>}
    </div>
  );
}
