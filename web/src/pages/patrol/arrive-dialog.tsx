import { useState } from 'react';
import type { CaseSummary } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { useConfig } from '../../app/use-config';
import { enqueueAction } from '../../outbox/outbox';
import { distanceText } from '../../app/distance-text';
import { caseName } from '../../app/case-name';
import { ModalDialog } from './modal-dialog';
import { distanceM } from './position';
import { PositionField } from './position-field';
import { usePositionFix } from './use-position';
import { fill } from '../../app/words';

/** "已到场": the arrival carries where the member is, so the dialog locates first and the member confirms. */
export function ArriveDialog({ c, onClose }: { c: CaseSummary; onClose: () => void }) {
  const i18n = useI18n();
  const { m } = i18n;
  const { arrivalCheckM } = useConfig();
  const { position, retry, takeLast } = usePositionFix();
  const [problem, setProblem] = useState<string>();
  // Far from the case (a wrong case tapped, a stale fix): the member confirms once more; the timeline keeps the distance.
  const [askedFar, setAskedFar] = useState(false);
  const metres = position.state === 'fixed' ? distanceM(position.fix, c.location) : undefined;
  const far = metres !== undefined && metres > arrivalCheckM;
  const confirm = async () => {
    if (position.state !== 'fixed') return;
    if (far && !askedFar) {
      setAskedFar(true);
      return;
    }
    try {
      await enqueueAction(c.caseId, { type: 'arrive', location: position.fix });
      onClose();
    } catch (error) {
      setProblem(fill(m.patrol.report.saveFailed, { detail: (error as Error).message }));
    }
  };
  return (
    <ModalDialog title={m.patrol.arrive.title} onClose={onClose}>
      <div className="patrol-form">
        <div className="patrol-form-body">
          <p className="patrol-dialog-subject">
            {caseName(c, m)}
            {position.state === 'fixed' && <span className="patrol-muted"> · {fill(m.patrol.arrive.distance, { distance: distanceText(distanceM(position.fix, c.location), i18n) })}</span>}
          </p>
          <PositionField position={position} retry={retry} takeLast={takeLast} />
        </div>
        <div className="patrol-form-footer">
          {problem && <p role="alert" className="patrol-problem">{problem}</p>}
          {far && askedFar && (
            <p role="alert" className="patrol-problem" data-testid="arrive-far">
              {fill(m.patrol.arrive.far, { distance: distanceText(metres!, i18n), limit: distanceText(arrivalCheckM, i18n) })}
            </p>
          )}
          <button type="button" className="button-primary button-large patrol-submit" disabled={position.state !== 'fixed'} onClick={() => void confirm()}>
            {far && askedFar ? m.patrol.arrive.confirmFar : m.patrol.arrive.confirm}
          </button>
        </div>
      </div>
    </ModalDialog>
  );
}
