import { type FormEvent, useState } from 'react';
import type { CaseSummary } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { caseName } from '../../app/case-name';
import { ModalDialog } from './modal-dialog';

/** 离站: why the person leaves, from the common reasons or in words, written on the case's timeline. */
export function DischargeDialog({ c, busy, error, onDischarge, onClose }: {
  c: CaseSummary;
  busy: boolean;
  error: string | undefined;
  onDischarge: (reason: string) => void;
  onClose: () => void;
}) {
  const { m } = useI18n();
  const reasons = m.station.discharge.reasons;
  const [choice, setChoice] = useState<keyof typeof reasons | 'other' | ''>('');
  const [detail, setDetail] = useState('');
  const [missing, setMissing] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const words = [choice && choice !== 'other' ? reasons[choice] : '', detail.trim()].filter(Boolean);
    if (words.length === 0 || (choice === 'other' && !detail.trim())) {
      setMissing(true);
      return;
    }
    onDischarge(words.join(' · '));
  };

  return (
    <ModalDialog labelledBy="station-discharge-title" onClose={onClose}>
      <form onSubmit={submit} className="station-dialog-form" noValidate>
        <h2 id="station-discharge-title">{m.station.discharge.title}</h2>
        <p className="station-muted">{caseName(c, m)} · {m.risk[c.risk]}</p>
        <label className="station-field">
          <span>{m.station.discharge.reason}</span>
          <select value={choice} onChange={(e) => { setChoice(e.target.value as typeof choice); setMissing(false); }} aria-invalid={missing} data-testid="discharge-reason">
            <option value="">{m.station.discharge.choose}</option>
            {(Object.keys(reasons) as (keyof typeof reasons)[]).map((key) => <option key={key} value={key}>{reasons[key]}</option>)}
            <option value="other">{m.station.discharge.other}</option>
          </select>
        </label>
        <label className="station-field">
          <span>{m.station.discharge.detail}</span>
          <textarea value={detail} onChange={(e) => { setDetail(e.target.value); setMissing(false); }} rows={3} maxLength={400} data-testid="discharge-detail" />
        </label>
        {missing && <p role="alert" className="error">{m.station.discharge.required}</p>}
        {error && <p role="alert" className="error">{error}</p>}
        <div className="station-dialog-buttons">
          <button type="button" onClick={onClose}>{m.app.cancel}</button>
          <button type="submit" className="button-danger" disabled={busy}>{m.action.discharge}</button>
        </div>
      </form>
    </ModalDialog>
  );
}
