import type { TimelineEntry } from '../app/api';
import { type I18n, useI18n } from '../app/i18n';
import { type DirectoryNames, useNames } from '../app/use-teams';
import { fill } from '../app/words';
import { distanceText } from '../app/distance-text';
import { byPerson, reasonText, type TimelineLine, timelineLines } from './timeline-lines';

/** Who acted, in words: a team's or station's name, a role, a device by its kind and id; never a member's id. */
export function actorText(actor: TimelineEntry['actor'], i18n: I18n, names: DirectoryNames): string | undefined {
  if (!actor) return undefined;
  const { m } = i18n;
  // A device has no name in the directory yet: its kind and its id ("设备 fixed-04").
  if (actor.role === 'device') return `${m.roles.device} ${actor.deviceId ?? actor.sub}`;
  if (actor.role === 'public') return m.source.public;
  return names.team(actor.teamId) ?? names.station(actor.stationId) ?? m.roles[actor.role];
}

/** What a timeline entry says beyond its type, in a line: who was asked, who went, the outcome, the note… */
function detailOf(entry: TimelineEntry, i18n: I18n, names: DirectoryNames): string {
  const { m } = i18n;
  const words = m.timelineWords;
  const e = entry as Record<string, unknown>;
  // Alerts, escalations and overdue steps name who was asked in `to` (shared/use-cases/case-workflow-steps.ts).
  const target = (e.to ?? e.target) as { name?: string; id?: string; kind?: string } | undefined;
  const parts: string[] = [];
  if (target) parts.push(target.name ?? names.team(target.id) ?? names.station(target.id) ?? m.station.targetKind[target.kind as 'team'] ?? '');
  if (entry.type === 'acknowledged' && typeof e.teamId === 'string') {
    parts.push(fill(words.sentTeam, { team: names.team(e.teamId) ?? (typeof e.teamName === 'string' ? e.teamName : m.station.unknownTeam) }));
  }
  if (typeof e.assignee === 'string') parts.push(fill(words.going, { name: e.assignee }));
  if (entry.type === 'arrived' && typeof e.distanceM === 'number') {
    parts.push(fill(words.distance, { distance: distanceText(e.distanceM, i18n) }) + (e.far ? words.far : ''));
  }
  if (entry.type === 'sighting' && typeof e.people === 'number') parts.push(fill(words.people, { n: e.people }));
  if (typeof e.deadline === 'string') parts.push(`→ ${i18n.time(e.deadline)}`);
  if (typeof e.outcome === 'string') parts.push((m.outcome as Record<string, string>)[e.outcome] ?? '');
  if (typeof e.risk === 'string' && entry.type !== 'alerted') parts.push((m.risk as Record<string, string>)[e.risk] ?? '');
  for (const field of ['text', 'note'] as const) if (typeof e[field] === 'string') parts.push(e[field] as string);
  // A closing outcome already says why; other reasons (an expired lead, the revisit limit) in the page's words.
  if (typeof e.reason === 'string' && !(entry.type === 'closed' && typeof e.outcome === 'string' && !e.reason.startsWith('discharged'))) {
    parts.push(reasonText(e.reason, m.reason));
  }
  if (entry.type === 'intake' && typeof e.stationId === 'string') parts.push(names.station(e.stationId) ?? '');
  return parts.filter(Boolean).join(' · ');
}

function lineKey(line: TimelineLine, index: number) {
  return line.kind === 'entry' ? `${line.entry.at}-${index}` : `${line.deviceId}-${line.from}-${index}`;
}

/**
 * A case's timeline, oldest first: people's actions stand out; a device's run of detections is one line; names,
 * never ids.
 */
export function CaseTimeline({ entries }: { entries: TimelineEntry[] }) {
  const i18n = useI18n();
  const names = useNames();
  const { m } = i18n;
  return (
    <ol className="timeline" aria-label={m.station.detail.timeline} data-testid="case-timeline">
      {timelineLines(entries).map((line, index) => {
        if (line.kind === 'detections') {
          const source = (m.source as Record<string, string>)[line.source] ?? m.timeline.detection!;
          const text = fill(line.from === line.to ? m.timelineWords.oneFrame : m.timelineWords.frames, {
            source, device: line.deviceId, n: line.frames, from: i18n.time(line.from), to: i18n.time(line.to),
          });
          return (
            <li key={lineKey(line, index)} className="timeline-entry timeline-detection" data-testid="timeline-line" data-type="detections">
              <time dateTime={line.from}>{i18n.dateTime(line.from)}</time>
              <strong>{m.timeline.detection}</strong>
              <span className="timeline-detail">{text}</span>
            </li>
          );
        }
        const { entry } = line;
        const actor = actorText(entry.actor, i18n, names);
        return (
          <li key={lineKey(line, index)} className={`timeline-entry timeline-${entry.type}${byPerson(entry) ? ' timeline-person' : ''}`}
            data-testid="timeline-line" data-type={entry.type}>
            <time dateTime={entry.at}>{i18n.dateTime(entry.at)}</time>
            <strong>{m.timeline[entry.type] ?? entry.type}</strong>
            {actor && <span className="timeline-actor">{actor}</span>}
            <span className="timeline-detail">{detailOf(entry, i18n, names)}</span>
          </li>
        );
      })}
    </ol>
  );
}
