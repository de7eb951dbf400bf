import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { CARE_LEVELS, DISCHARGE_REASONS, GRADES } from '#shared/contract/vocabulary';
import { api, ApiError, type PersonFile } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { fill } from '../../app/words';
import { ModalDialog } from './modal-dialog';

type Action = Record<string, unknown> & { type: string };

/**
 * A person's file (一人一档) at the desk: who they are, every time they were met, their grade and why, their stay and
 * care (checks, referrals), the family search (the notice, the DNA request, the 10-day mark, the chief's approval),
 * and what the desk does with it: grade with a reason, change the care level, refer, identify, discharge. Opening it
 * is a read of the file, logged.
 */
export function PersonDialog({ personId, onChanged, onClose }: { personId: string; onChanged: () => void; onClose: () => void }) {
  const { m, dateTime } = useI18n();
  const words = m.station.files;
  const f = words.file;
  const [file, setFile] = useState<PersonFile>();
  const [version, setVersion] = useState(0);
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    api.person(personId, controller.signal).then(setFile, (error: unknown) => {
      if ((error as Error).name !== 'AbortError') setProblem(error instanceof ApiError ? error.problem.detail : (error as Error).message);
    });
    return () => controller.abort();
  }, [personId, version]);

  const act = async (action: Action) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await api.personAction(personId, action);
      setVersion((n) => n + 1);
      onChanged();
      return true;
    } catch (error) {
      setProblem(fill(words.failed, { detail: error instanceof ApiError ? error.problem.detail : (error as Error).message }));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const stay = file?.inStation ? file.stay : undefined;
  const search = file?.familySearch;
  return (
    <ModalDialog labelledBy="person-file-title" onClose={onClose} className="station-detail person-file">
      <div className="station-detail-head">
        <h2 id="person-file-title">
          {file ? <><span className={`grade-chip grade-${file.grade.level}`}>{words.grade[file.grade.level]}</span> {file.label}</> : f.title}
        </h2>
        <button type="button" onClick={onClose}>{m.app.close}</button>
      </div>
      {problem && <p role="alert" className="error">{problem}</p>}
      {!file ? <p role="status">{m.app.loading}</p> : (
        <div className="station-detail-body person-file-body" data-testid="person-file" data-person={file.personId}>
          <section aria-label={f.details}>
            <p>
              {isMinor(file) && <strong>{f.minor} · </strong>}
              {file.label !== file.number && <>{file.number} · </>}
              {m.ageGroup[file.ageGroup]}{file.estimatedAge !== undefined ? ` (${fill(f.age, { age: file.estimatedAge })})` : ''} · {m.sex[file.sex]}
              {file.dialect ? ` · ${fill(f.dialect, { dialect: file.dialect })}` : ''}
              {file.conditions.length > 0 && <> · {file.conditions.map((c) => m.condition[c]).join('、')}</>}
            </p>
            {file.features && <p><strong>{f.features}</strong> {file.features}</p>}
            {file.clothing && <p><strong>{f.clothing}</strong> {file.clothing}</p>}
            {file.photos.length > 0 && (
              <div className="person-file-photos" aria-label={f.photos}>
                {file.photos.map((p) => <img key={p.uploadId} src={p.url} alt={`${f.photos} ${dateTime(p.at)}`} />)}
              </div>
            )}
          </section>

          <Part title={f.grade}>
            <p>
              {words.grade[file.grade.level]} · {file.grade.set === 'station' ? fill(f.gradeSet, { reason: file.grade.reasons.join('；') }) : `${f.gradeRules}：${file.grade.reasons.map((r) => reasonWord(r, m)).join('、') || '—'}`}
            </p>
            <ChoiceForm label={f.setGrade} options={GRADES.map((g) => [g, words.grade[g]])} reasonLabel={f.reason} submit={f.submit} busy={busy} testId="set-grade"
              onSubmit={(level, reason) => act({ type: 'grade', level, reason: reason! })} />
          </Part>

          {stay && (
            <Part title={f.care}>
              <p>
                {words.care[stay.careLevel]} · {fill(words.since, { time: dateTime(stay.since) })} ·{' '}
                <span className={stay.checkOverdue ? 'station-supplies-short' : ''}>{fill(stay.checkOverdue ? words.checkOverdue : words.nextCheck, { time: dateTime(stay.nextCheckAt) })}</span>
              </p>
              <h4>{f.checks}</h4>
              {stay.checks.length === 0 ? <p className="station-muted">{f.noChecks}</p> : (
                <ul>{stay.checks.slice(-5).reverse().map((c) => <li key={c.at}>{dateTime(c.at)}{c.note ? ` · ${c.note}` : ''}</li>)}</ul>
              )}
              {stay.referrals.length > 0 && <ul>{stay.referrals.map((r) => <li key={r.at}>{dateTime(r.at)} · {f.referral} → {r.to}：{r.reason}</li>)}</ul>}
              <ChoiceForm label={f.setCare} options={CARE_LEVELS.map((c) => [c, words.care[c]])} reasonLabel={f.reason} submit={f.submit} busy={busy}
                onSubmit={(level, reason) => act({ type: 'care_level', level, reason: reason! })} />
              <TextPairForm labels={[f.referralTo, f.reason]} submit={f.addReferral} busy={busy} onSubmit={(to, reason) => act({ type: 'referral', to, reason })} />
            </Part>
          )}

          {search && search.status !== 'not_needed' && (
            <Part title={f.search}>
              <p data-testid="file-family-search">{search.status === 'not_started' ? '—' : fill(words.search[search.status], { time: search.dueAt ? dateTime(search.dueAt) : '' })}</p>
              {search.dna && (
                <p>
                  {search.dna.sampledAt ? fill(f.dnaSampled, { time: dateTime(search.dna.sampledAt) })
                    : search.dna.requestedAt ? fill(f.dnaRequested, { time: dateTime(search.dna.requestedAt) })
                      : fill(f.dna, { time: dateTime(search.dna.dueAt) })}
                  {' '}
                  {!search.dna.requestedAt && <button type="button" disabled={busy} onClick={() => void act({ type: 'dna', step: 'requested' })}>{f.requestDna}</button>}
                  {search.dna.requestedAt && !search.dna.sampledAt && <button type="button" disabled={busy} onClick={() => void act({ type: 'dna', step: 'sampled' })}>{f.sampledDna}</button>}
                </p>
              )}
              {search.longTermAt && <p className={search.longTermFlaggedAt ? 'station-supplies-short' : ''}>{search.longTermFlaggedAt ? f.longTermFlagged : fill(f.longTerm, { time: dateTime(search.longTermAt) })}</p>}
              {/* A minor's notice waits for the station chief. */}
              {search.approval ? <p>{fill(f.approved, { time: dateTime(search.approval.at) })}</p> : isMinor(file) && (
                <p>
                  <button type="button" disabled={busy} onClick={() => void act({ type: 'approve_notice', withPhoto: false })}>{f.approve}</button>{' '}
                  <button type="button" disabled={busy} onClick={() => void act({ type: 'approve_notice', withPhoto: true })}>{f.approve}（{f.withPhoto}）</button>
                </p>
              )}
              {!file.identified && <TextPairForm labels={[f.name]} submit={f.identify} busy={busy} onSubmit={(name) => act({ type: 'identify', name })} />}
            </Part>
          )}

          {stay && (
            <Part title={f.discharge}>
              <ChoiceForm label={f.dischargeReason} options={DISCHARGE_REASONS.map((r) => [r, f.dischargeReasons[r]])} reasonLabel={m.station.discharge.detail} optionalReason
                submit={f.discharge} busy={busy} testId="discharge-person"
                onSubmit={(reason, note) => act({ type: 'discharge', reason, ...(note ? { note } : {}) })} />
            </Part>
          )}

          <Part title={f.encounters}>
            <ul>
              {file.encounters.toReversed().map((e, i) => (
                <li key={`${e.at}-${i}`}>{dateTime(e.at)} · {f.encounterKind[e.kind]}{e.caseId ? ` · ${fill(f.case, { tail: e.caseId.slice(-6) })}` : ''}</li>
              ))}
            </ul>
          </Part>
        </div>
      )}
    </ModalDialog>
  );
}

const isMinor = (p: Pick<PersonFile, 'ageGroup' | 'estimatedAge' | 'conditions'>) =>
  p.ageGroup === 'child' || (p.estimatedAge !== undefined && p.estimatedAge < 18) || p.conditions.includes('unaccompanied_minor');

function Part({ title, children }: { title: string; children: ReactNode }) {
  return <section className="person-file-part"><h3>{title}</h3>{children}</section>;
}

/** A choice and (required unless optional) its reason, sent together. */
function ChoiceForm({ label, options, reasonLabel, optionalReason, submit, busy, testId, onSubmit }: {
  label: string; options: [string, string][]; reasonLabel: string; optionalReason?: boolean; submit: string; busy: boolean; testId?: string;
  onSubmit: (choice: string, reason: string | undefined) => Promise<boolean>;
}) {
  const [choice, setChoice] = useState('');
  const [reason, setReason] = useState('');
  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!choice || (!optionalReason && !reason.trim())) return;
    if (await onSubmit(choice, reason.trim() || undefined)) {
      setChoice('');
      setReason('');
    }
  };
  return (
    <form className="person-file-form" onSubmit={(e) => void send(e)} data-testid={testId}>
      <label>{label} <select value={choice} required onChange={(e) => setChoice(e.target.value)}>
        <option value="">—</option>
        {options.map(([value, words]) => <option key={value} value={value}>{words}</option>)}
      </select></label>
      <label>{reasonLabel} <input value={reason} required={!optionalReason} maxLength={500} onChange={(e) => setReason(e.target.value)} /></label>
      <button type="submit" disabled={busy}>{submit}</button>
    </form>
  );
}

/** One or two short texts, sent together. */
function TextPairForm({ labels, submit, busy, onSubmit }: { labels: string[]; submit: string; busy: boolean; onSubmit: (a: string, b: string) => Promise<boolean> }) {
  const [values, setValues] = useState(labels.map(() => ''));
  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (values.some((v) => !v.trim())) return;
    if (await onSubmit(values[0]!.trim(), (values[1] ?? '').trim())) setValues(labels.map(() => ''));
  };
  return (
    <form className="person-file-form" onSubmit={(e) => void send(e)}>
      {labels.map((label, i) => (
        <label key={label}>{label} <input value={values[i]} required maxLength={200} onChange={(e) => setValues((v) => v.map((x, j) => (j === i ? e.target.value : x)))} /></label>
      ))}
      <button type="submit" disabled={busy}>{submit}</button>
    </form>
  );
}

/** A rule's reason in words: a condition by its name, the rest as the rules say them. */
function reasonWord(reason: string, m: ReturnType<typeof useI18n>['m']): string {
  const conditions = m.condition as Record<string, string>;
  const ages = { minor: m.ageGroup.child, elderly: m.ageGroup.elderly } as Record<string, string>;
  return conditions[reason] ?? ages[reason] ?? (m.station.files.ruleReasons as Record<string, string>)[reason] ?? reason;
}
