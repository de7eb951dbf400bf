import { type FormEvent, useRef, useState } from 'react';
import { OUTCOMES, type Outcome } from '#shared/contract/vocabulary';
import type { CaseSummary } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { enqueueAction } from '../../outbox/outbox';
import { caseName } from '../../app/case-name';
import { ModalDialog } from './modal-dialog';
import { lastKnownFix } from './position';
import { ToggleButton } from './toggle-button';
import { fill } from '../../app/words';

const SUPPLIES = ['quilt', 'coat', 'hot_food', 'gloves'] as const;
/** A fix older than this says nothing about where the outcome happened. */
const FIX_FRESH_MS = 10 * 60_000;

/** "处置结果": the outcome in one tap, with who took the person for a 120 handover and what was given to one who declined. */
export function ResolveDialog({ c, onClose }: { c: CaseSummary; onClose: () => void }) {
  const { m } = useI18n();
  const words = m.patrol.resolve;
  const [outcome, setOutcome] = useState<Outcome>();
  const [handoverTo, setHandoverTo] = useState('');
  const [handoverPlace, setHandoverPlace] = useState('');
  const [supplies, setSupplies] = useState<readonly (typeof SUPPLIES)[number][]>([]);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string>();
  const handoverInput = useRef<HTMLInputElement>(null);
  const outcomeGroup = useRef<HTMLFieldSetElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!outcome) {
      setProblem(words.needOutcome);
      outcomeGroup.current?.querySelector('button')?.focus();
      return;
    }
    if (outcome === 'medical_handover' && !handoverTo.trim()) {
      setProblem(words.needHandover);
      handoverInput.current?.focus();
      return;
    }
    const fix = lastKnownFix();
    try {
      await enqueueAction(c.caseId, {
        type: 'resolve', outcome, note,
        // Handed over now, even if the signal carries the outcome later.
        handover: { to: handoverTo, place: handoverPlace, at: Date.now() },
        // Free words on the API: stored as the member reads them.
        handedOver: supplies.map((s) => m.patrol.supplies[s]),
        ...(fix && Date.now() - fix.at < FIX_FRESH_MS ? { location: fix } : {}),
      });
      onClose();
    } catch (error) {
      setProblem(fill(m.patrol.report.saveFailed, { detail: (error as Error).message }));
    }
  };

  return (
    <ModalDialog title={words.title} onClose={onClose}>
      <form className="patrol-form" onSubmit={(event) => void submit(event)} noValidate>
        <div className="patrol-form-body">
          <p className="patrol-dialog-subject">{caseName(c, m)}</p>
          <fieldset ref={outcomeGroup} className="patrol-fieldset">
            <legend>{words.outcome}</legend>
            <div className="patrol-outcome-grid">
              {OUTCOMES.map((o) => (
                <ToggleButton key={o} pressed={outcome === o} onToggle={() => setOutcome(o)}>{m.outcome[o]}</ToggleButton>
              ))}
            </div>
          </fieldset>

          {outcome === 'medical_handover' && (
            <>
              <label className="patrol-label">
                {words.handoverTo}
                <input ref={handoverInput} type="text" required maxLength={200} value={handoverTo} onChange={(event) => setHandoverTo(event.target.value)} />
              </label>
              <label className="patrol-label">
                {words.handoverPlace}
                <input type="text" maxLength={200} value={handoverPlace} onChange={(event) => setHandoverPlace(event.target.value)} />
              </label>
            </>
          )}

          {outcome === 'declined_help' && (
            <fieldset className="patrol-fieldset">
              <legend>{words.handedOver}</legend>
              <div className="patrol-choice-grid">
                {SUPPLIES.map((s) => (
                  <ToggleButton key={s} pressed={supplies.includes(s)}
                    onToggle={() => setSupplies((current) => (current.includes(s) ? current.filter((x) => x !== s) : [...current, s]))}>
                    {m.patrol.supplies[s]}
                  </ToggleButton>
                ))}
              </div>
            </fieldset>
          )}

          <label className="patrol-label">
            {words.note}
            <textarea rows={3} maxLength={2000} value={note} onChange={(event) => setNote(event.target.value)} />
          </label>
        </div>
        <div className="patrol-form-footer">
          {problem && <p role="alert" className="patrol-problem">{problem}</p>}
          <button type="submit" className="button-primary button-large patrol-submit">{words.confirm}</button>
        </div>
      </form>
    </ModalDialog>
  );
}
