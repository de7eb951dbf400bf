import { useId, useState } from 'react';
import type { CaseEvent } from '../../app/api';
import { type I18n, useI18n } from '../../app/i18n';
import { RiskBadge } from '../../components/badges';
import { caseName } from '../../app/case-name';
import { nightStart } from '#shared/domain/shanghai-clock';
import { type DirectoryNames, useNames } from '../../app/use-teams';
import { actorText } from '../../components/case-timeline';
import { fill } from '../../app/words';

/** The timeline entries that say whether someone is being reached in time. */
export const ALERT_FEED_TYPES: ReadonlySet<string> = new Set([
  'alerted', 'escalated', 'overdue', 'notification_failed', 'acknowledged', 'resolved', 'revisit_due',
]);
export const ALERT_FEED_LENGTH = 50;

/** Who the entry is about: who was asked (alerts, escalations), else who acted (an acknowledgement, an outcome). */
function whoOf(event: CaseEvent, i18n: I18n, names: DirectoryNames): string | undefined {
  const words = i18n.m.coordinator.feed;
  const entry = event.entry as Record<string, unknown>;
  // Alerts, escalations, overdue steps and failed notifications name who was asked in `to`.
  const target = (entry.to ?? entry.target) as { name?: string; id?: string; kind?: 'team' | 'station' | 'coordinator' } | undefined;
  if (target) return fill(words.asked, { who: target.name ?? names.team(target.id) ?? i18n.m.station.targetKind[target.kind ?? 'team'] });
  const actor = actorText(event.entry.actor, i18n, names);
  return actor ? fill(words.by, { who: actor }) : undefined;
}

/**
 * Newest first by when it happened: the stream replays recent entries in the order they were written, and an
 * entry written late (a phone's report sent after the signal returned) is placed where it happened.
 */
export const inTimeOrder = (events: readonly CaseEvent[]) =>
  events.toSorted((a, b) => Date.parse(b.entry.at) - Date.parse(a.entry.at) || b.eventId.localeCompare(a.eventId));

/**
 * The latest alerts, escalations, overdue steps and failed notifications, newest first. Read out only when the
 * coordinator asks for it: on a busy night a screen reader announcing every entry would drown everything else.
 */
export function AlertFeed({ events, onOpenCase }: { events: readonly CaseEvent[]; onOpenCase(caseId: string, opener: HTMLElement): void }) {
  const i18n = useI18n();
  const { m } = i18n;
  const names = useNames();
  const words = m.coordinator.feed;
  const [announce, setAnnounce] = useState(false);
  const tonight = nightStart(Date.now());
  const titleId = useId();
  return (
    <section className="coordinator-panel coordinator-feed" aria-labelledby={titleId}>
      <div className="coordinator-panel-head">
        <h2 id={titleId}>{words.title}</h2>
        <label className="coordinator-check">
          <input type="checkbox" checked={announce} onChange={(event) => setAnnounce(event.target.checked)} data-testid="feed-announce" />
          {words.announce}
        </label>
      </div>
      {events.length === 0 && <p className="coordinator-empty">{words.empty}</p>}
      <ol className="coordinator-feed-list" aria-live={announce ? 'polite' : 'off'} aria-labelledby={titleId} data-testid="alert-feed">
        {inTimeOrder(events).map((event) => {
          const { entry, case: c } = event;
          const who = whoOf(event, i18n, names);
          return (
            <li key={event.eventId} data-testid="feed-item" data-type={entry.type} data-case-id={event.caseId}>
              <button type="button" className={`coordinator-feed-item coordinator-feed-${entry.type}`} onClick={(e) => onOpenCase(event.caseId, e.currentTarget)}>
                {/* Tonight's entries by the hour; anything from an earlier night with its date. */}
                <time dateTime={entry.at}>{Date.parse(entry.at) >= tonight ? i18n.time(entry.at) : i18n.dateTime(entry.at)}</time>
                <strong className="coordinator-feed-type">{m.timeline[entry.type] ?? entry.type}</strong>
                <RiskBadge risk={c.risk} />
                <span className="coordinator-feed-place">{caseName(c, m)}</span>
                {who && <span className="coordinator-feed-who">{who}</span>}
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
