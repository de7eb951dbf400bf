import { useI18n } from '../../app/i18n';
import type { KnownFix } from './position';
import type { PositionState } from './use-position';
import { fill } from '../../app/words';

/** Where the phone is, for a report or an arrival: the accuracy, or why not and what to do about it. */
export function PositionField({ position, retry, takeLast }: {
  position: PositionState;
  retry: () => void;
  takeLast: (fix: KnownFix) => void;
}) {
  const { m, relative } = useI18n();
  const words = m.patrol.position;
  const ageOf = (fix: KnownFix) => relative(new Date(fix.at).toISOString());
  return (
    <section className={`patrol-position patrol-position-${position.state}`} aria-labelledby="patrol-position-heading">
      <h3 id="patrol-position-heading">{words.heading}</h3>
      <p role="status" aria-live="polite" className="patrol-position-text" data-testid="position-status" data-state={position.state}>
        {position.state === 'locating' && words.locating}
        {position.state === 'fixed' && (position.fromLast
          ? fill(words.usingLast, { age: ageOf(position.fix), m: position.fix.accuracyM ?? '?' })
          : fill(words.fixed, { m: position.fix.accuracyM ?? '?' }))}
        {position.state === 'failed' && words[position.reason]}
      </p>
      {position.state !== 'locating' && (
        <div className="patrol-row">
          <button type="button" className="button-large" onClick={retry}>{words.retry}</button>
          {position.state === 'failed' && position.last && (
            <button type="button" className="button-large" onClick={() => takeLast(position.last!)}>
              {fill(words.useLast, { age: ageOf(position.last), m: position.last.accuracyM ?? '?' })}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
