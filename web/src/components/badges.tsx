import type { CaseStatus, RiskLevel } from '#shared/contract/vocabulary';
import { useI18n } from '../app/i18n';
import type { LiveStatus } from '../app/live';

/** Risk is shown by colour AND word: colour alone fails the colour-blind and the screen reader. */
export function RiskBadge({ risk }: { risk: RiskLevel }) {
  const { m } = useI18n();
  return <span className={`badge risk risk-${risk}`}>{m.risk[risk]}</span>;
}

export function StatusBadge({ status }: { status: CaseStatus | string }) {
  const { m } = useI18n();
  return <span className={`badge status status-${status}`}>{(m.status as Record<string, string>)[status] ?? status}</span>;
}

export function LiveIndicator({ status }: { status: LiveStatus }) {
  const { m } = useI18n();
  return <span className={`live live-${status}`} role="status" aria-live="polite">{m.live[status]}</span>;
}
