import type { z } from 'zod';
import type { TimelineEntry as TimelineEntrySchema } from '#shared/contract/responses';

// The contract's type rather than app/api's: tested in node, without the DOM the API client needs.
type TimelineEntry = z.output<typeof TimelineEntrySchema>;

/**
 * A case's timeline as people read it: a drone that sent a hundred frames is one line ("无人机 drone-03 · 12 帧 ·
 * 22:41–22:43"), not a hundred burying the alert and the escalations. DOM-free, so that node tests can use it.
 */
export type TimelineLine =
  | { kind: 'entry'; entry: TimelineEntry }
  | { kind: 'detections'; source: string; deviceId: string; frames: number; from: string; to: string };

/** Detections of one device this close together are one pass of it over the place. */
export const DETECTION_GROUP_GAP_MS = 5 * 60_000;

const detectionOf = (entry: TimelineEntry) => {
  if (entry.type !== 'detection') return undefined;
  const e = entry as Record<string, unknown>;
  const actor = entry.actor as { deviceId?: string; sub?: string } | undefined;
  return {
    source: typeof e.source === 'string' ? e.source : '',
    deviceId: typeof e.deviceId === 'string' ? e.deviceId : actor?.deviceId ?? actor?.sub ?? '',
    frames: typeof e.count === 'number' ? e.count : 1,
  };
};

export function timelineLines(entries: readonly TimelineEntry[]): TimelineLine[] {
  const lines: TimelineLine[] = [];
  for (const entry of entries) {
    const detection = detectionOf(entry);
    if (!detection) {
      lines.push({ kind: 'entry', entry });
      continue;
    }
    const last = lines.at(-1);
    if (last?.kind === 'detections' && last.deviceId === detection.deviceId && last.source === detection.source
      && Date.parse(entry.at) - Date.parse(last.to) <= DETECTION_GROUP_GAP_MS) {
      last.frames += detection.frames;
      last.to = entry.at;
      continue;
    }
    lines.push({ kind: 'detections', ...detection, from: entry.at, to: entry.at });
  }
  return lines;
}

/** Entries made by a person (a member, someone at a help point), not by the workflow or a machine: shown first-class. */
export const byPerson = (entry: TimelineEntry) => {
  const role = (entry.actor as { role?: string } | undefined)?.role;
  return role !== undefined && role !== 'device';
};

/**
 * The server's reasons are English sentences (shared/domain/disposal.ts, the workflow's steps): each known one in the
 * page's words; the officer's own words after "discharged from the station:" are kept as they were typed.
 */
export function reasonText(reason: string, words: Record<string, string>): string {
  const discharged = /^discharged from the station: (.*)$/s.exec(reason);
  if (discharged) return `${words.discharged}：${discharged[1]}`;
  const revisits = /^declined help; visited again (\d+) time\(s\), the limit$/.exec(reason);
  if (revisits) return words.revisitLimit!.replace('{n}', revisits[1]!);
  const known: Record<string, string | undefined> = {
    'handed over to medical care': words.medical, 'reunited with family': words.family, 'referred to the police': words.police,
    'false alarm': words.falseAlarm, 'not found after a second search': words.notFound, 'resolved without an outcome': words.noOutcome,
    'unverified machine lead: no human check and no corroboration in time': words.expired,
    'not found: one more search before the case closes': words.searchAgain,
    'seen again at the place of a recently resolved case': words.seenAgain,
  };
  if (known[reason]) return known[reason]!;
  if (reason.startsWith('the running deadline is later than')) return words.deadlineMended!;
  // A workflow restarted after a failure: what it was is in the logs; the page says only that it happened.
  if (reason.startsWith('execution ')) return '';
  return reason;
}
