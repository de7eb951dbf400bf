import { type FormEvent, useEffect, useRef, useState } from 'react';
import { AGE_GROUPS, type Condition, SEXES } from '#shared/contract/vocabulary';
import { api, type CaseSummary } from '../../app/api';
import { caseName } from '../../app/case-name';
import { useI18n } from '../../app/i18n';
import { ModalDialog } from './modal-dialog';

type AgeGroup = (typeof AGE_GROUPS)[number];
type Sex = (typeof SEXES)[number];
interface Arrival { ageGroup: AgeGroup; sex: Sex; conditions: Condition[] }

const MAX_PEOPLE = 20;
const unknownPerson = (): Arrival => ({ ageGroup: 'unknown', sex: 'unknown', conditions: [] });

/**
 * 入站登记: who came in, not only a click. How many, and each one's age group and sex, filled in from what the
 * reports said (the case's people) for the officer to correct; their conditions are kept as reported.
 */
export function IntakeDialog({ c, busy, error, onIntake, onClose }: {
  c: CaseSummary;
  busy: boolean;
  error: string | undefined;
  onIntake: (people: Arrival[]) => void;
  onClose: () => void;
}) {
  const { m } = useI18n();
  const words = m.station.intake;
  const [people, setPeople] = useState<Arrival[]>([unknownPerson()]);
  // Once the officer changed anything, the prefill arriving late must not undo it.
  const touched = useRef(false);
  useEffect(() => {
    const controller = new AbortController();
    api.getCase(c.caseId, controller.signal).then((detail) => {
      if (!touched.current && detail.people.length) setPeople(detail.people.map((p) => ({ ageGroup: p.ageGroup, sex: p.sex, conditions: [...p.conditions] })));
    }, () => undefined);
    return () => controller.abort();
    // Prefilled once, from the case as it is when the dialog opens.
  }, [c.caseId]);

  const change = (index: number, patch: Partial<Arrival>) => {
    touched.current = true;
    setPeople((current) => current.map((p, i) => (i === index ? { ...p, ...patch } : p)));
  };
  const resize = (count: number) => {
    touched.current = true;
    setPeople((current) => (count > current.length
      ? [...current, ...Array.from({ length: count - current.length }, unknownPerson)]
      : current.slice(0, Math.max(1, count))));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onIntake(people);
  };
  return (
    <ModalDialog labelledBy="station-intake-title" onClose={onClose}>
      <form onSubmit={submit} className="station-dialog-form" data-testid="intake-dialog">
        <h2 id="station-intake-title">{words.title}</h2>
        <p className="station-muted">{caseName(c, m)} · {m.risk[c.risk]}</p>
        <label className="station-field">
          <span>{words.count}</span>
          <input type="number" min={1} max={MAX_PEOPLE} value={people.length} data-testid="intake-count"
            onChange={(e) => resize(Math.min(MAX_PEOPLE, Math.max(1, Number(e.target.value) || 1)))} />
        </label>
        <ol className="station-intake-people">
          {people.map((person, index) => (
            <li key={index} data-testid="intake-person">
              <label>
                <span>{words.ageGroup}</span>
                <select value={person.ageGroup} onChange={(e) => change(index, { ageGroup: e.target.value as AgeGroup })}>
                  {AGE_GROUPS.map((age) => <option key={age} value={age}>{m.ageGroup[age]}</option>)}
                </select>
              </label>
              <label>
                <span>{words.sex}</span>
                <select value={person.sex} onChange={(e) => change(index, { sex: e.target.value as Sex })}>
                  {SEXES.map((sex) => <option key={sex} value={sex}>{m.sex[sex]}</option>)}
                </select>
              </label>
              {person.conditions.length > 0 && (
                <span className="station-conditions">{person.conditions.map((x) => m.condition[x]).join('、')}</span>
              )}
            </li>
          ))}
        </ol>
        {error && <p role="alert" className="error">{error}</p>}
        <div className="station-dialog-buttons">
          <button type="button" onClick={onClose}>{m.app.cancel}</button>
          <button type="submit" className="button-primary" disabled={busy}>{m.action.intake}</button>
        </div>
      </form>
    </ModalDialog>
  );
}
