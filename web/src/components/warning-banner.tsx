import { api, type Warning } from '../app/api';
import { useI18n } from '../app/i18n';
import { usePolled, polledValue } from '../app/use-polled';
import { fill } from '../app/words';

/** Warnings are read again this often: the observatory updates them by the hour at most. */
const WARNINGS_EVERY_MS = 60_000;
const LEVEL_ORDER = { red: 0, orange: 1, yellow: 2, blue: 3 } as const;

/**
 * The weather warnings in force, on every page: the most severe first, in its colour, with until when. A cold wave
 * changes what everyone does tonight (targets raised, deadlines shorter), so nobody should miss that it is on.
 */
export function WarningBanner() {
  const { m, dateTime } = useI18n();
  const warnings = polledValue(usePolled((signal) => api.activeWarnings(signal), WARNINGS_EVERY_MS))?.items ?? [];
  if (!warnings.length) return null;
  const sorted = [...warnings].sort((a, b) => LEVEL_ORDER[a.level ?? 'blue'] - LEVEL_ORDER[b.level ?? 'blue']);
  const first: Warning = sorted[0]!;
  return (
    <aside className={`warning-banner warning-banner-${first.level ?? 'blue'}`} aria-label={m.warning.label} data-testid="warning-banner">
      <strong>{first.headline ?? first.event}</strong>
      {first.expires && <span> · {fill(m.warning.until, { time: dateTime(first.expires) })}</span>}
      {first.instruction && <span className="warning-banner-instruction"> · {first.instruction}</span>}
      {sorted.length > 1 && <span> · {fill(m.warning.more, { count: sorted.length - 1 })}</span>}
    </aside>
  );
}
