import type { TimelineEntry } from '../app/api';
import { type I18n, useI18n } from '../app/i18n';

/** What a timeline entry says beyond its type, in a line: who was asked, the outcome, the note… */
function detailOf(entry: TimelineEntry, i18n: I18n): string {
  const { m } = i18n;
  const e = entry as Record<string, unknown>;
  // Alerts, escalations and overdue steps name who was asked in `to` (shared/use-cases/case-workflow-steps.ts).
  const target = (e.to ?? e.target) as { name?: string; id?: string } | undefined;
  const parts: string[] = [];
  if (target) parts.push(target.name ?? target.id ?? '');
  if (typeof e.deadline === 'string') parts.push(`→ ${i18n.time(e.deadline)}`);
  if (typeof e.outcome === 'string') parts.push((m.outcome as Record<string, string>)[e.outcome] ?? e.outcome);
  if (typeof e.risk === 'string' && entry.type !== 'alerted') parts.push((m.risk as Record<string, string>)[e.risk] ?? e.risk);
  for (const field of ['text', 'note', 'reason', 'closeReason'] as const) if (typeof e[field] === 'string') parts.push(e[field] as string);
  if (typeof e.teamId === 'string' && !target) parts.push(e.teamId);
  if (typeof e.stationId === 'string') parts.push(e.stationId);
  return parts.filter(Boolean).join(' · ');
}

export function CaseTimeline({ entries }: { entries: TimelineEntry[] }) {
  const i18n = useI18n();
  const { m } = i18n;
  return (
    <ol className="timeline" aria-label={m.timeline.opened}>
      {entries.map((entry, index) => {
        const actor = entry.actor as { sub?: string; teamId?: string; role?: string } | undefined;
        return (
          <li key={`${entry.at}-${index}`} className={`timeline-entry timeline-${entry.type}`}>
            <time dateTime={entry.at}>{i18n.dateTime(entry.at)}</time>
            <strong>{m.timeline[entry.type] ?? entry.type}</strong>
            {actor && <span className="timeline-actor">{actor.teamId ?? actor.sub}</span>}
            <span className="timeline-detail">{detailOf(entry, i18n)}</span>
          </li>
        );
      })}
    </ol>
  );
}
