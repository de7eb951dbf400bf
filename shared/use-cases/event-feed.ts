import { FEED_MAX_LOOKBACK_DAYS } from '../contract/event-feed';
import { MAX_CLOCK_SKEW_MS } from '../contract/schemas';
import type { Case, CaseSummary, TimelineEntry } from '../domain/case';
import { invalid } from '../domain/errors';
import { decodeFeedCursor, encodeFeedCursor, type EventFeedStore } from '../store/event-feed';
import { feedInstantOf, feedPositionAt } from '../store/keys';
import { type CaseGate, caseView, feedEntryView } from './case-access';
import type { Dependencies } from './dependencies';

/**
 * An entry is shown once it is this old. A write is stamped before it commits (and in the cloud reaches the index a
 * little later still); a reader already past that stamp would never see it. Pages get the news 2 s late instead.
 */
export const FEED_SETTLE_MS = 2_000;
/** Where a reader without a cursor or `since` starts: enough for a page opened during a shift to show what is going on. */
export const FEED_DEFAULT_LOOKBACK_MS = 15 * 60_000;

/** Something that happened to a case: the timeline entry, and the case as it is now. */
export interface CaseEvent {
  /** Also a cursor: reading after it continues with the next event. */
  eventId: string;
  writtenAt: string;
  caseId: string;
  entry: TimelineEntry;
  case: CaseSummary;
}

export interface EventPage {
  items: CaseEvent[];
  nextCursor: string;
  hasMore: boolean;
}

/** An event as read from the feed, before the access policy decides what of it a reader sees. */
export interface FeedEvent {
  position: string;
  writtenAt: string;
  caseId: string;
  entry: TimelineEntry;
  case: Case;
}

export interface EventRead {
  events: FeedEvent[];
  through: string;
  more: boolean;
}

export type EventFeedDependencies = Pick<Dependencies, 'cases' | 'directory' | 'now'> & { events: EventFeedStore };

/**
 * Where a reader starts: right after a cursor (a `nextCursor` or an `eventId`), else at `since`, else 15 minutes
 * ago. A cursor this feed did not hand out is a 400 naming `from.after.at` (a query parameter or a header).
 */
export function feedStart(now: Date, from: { after?: { cursor: string; at: string }; since?: string }): string {
  if (from.after) {
    const position = decodeFeedCursor(from.after.cursor);
    // A position this far ahead of the clock was not handed out by this feed, and would leave its reader waiting.
    if (!position || Date.parse(feedInstantOf(position)) > now.getTime() + MAX_CLOCK_SKEW_MS) {
      throw invalid(`${from.after.at} is not a cursor this feed returned; start again without it (or with since)`,
        [{ path: from.after.at, message: 'is not a cursor of the event feed' }]);
    }
    return position;
  }
  if (from.since !== undefined && Date.parse(from.since) < now.getTime() - FEED_MAX_LOOKBACK_DAYS * 86_400_000) {
    throw invalid(`since may be at most ${FEED_MAX_LOOKBACK_DAYS} days ago; older cases are listed by GET /v1/cases`,
      [{ path: 'query.since', message: `is more than ${FEED_MAX_LOOKBACK_DAYS} days ago` }]);
  }
  return feedPositionAt(from.since ?? new Date(now.getTime() - FEED_DEFAULT_LOOKBACK_MS));
}

/** The position before which every entry has settled: the furthest a reader may go now. */
export const feedHorizon = (now: Date) => feedPositionAt(new Date(now.getTime() - FEED_SETTLE_MS));

/** Up to `limit` events after a position, oldest first, with their cases as they are now (read in one batch). */
export async function readEvents(deps: EventFeedDependencies, after: string, limit: number): Promise<EventRead> {
  const read = await deps.events.read(after, feedHorizon(deps.now()), limit);
  const cases = new Map((await deps.cases.getCases([...new Set(read.entries.map((entry) => entry.caseId))])).map((c) => [c.caseId, c]));
  const events: FeedEvent[] = [];
  for (const { position, writtenAt, caseId, entry } of read.entries) {
    const found = cases.get(caseId);
    // Every entry is written with or after its case, so this holds unless the case was deleted by hand.
    if (found) events.push({ position, writtenAt, caseId, entry, case: found });
  }
  return { events, through: read.through, more: read.more };
}

/** The event as this reader may see it (fewer fields for a summary case), or undefined when it may not see the case. */
export function eventFor(event: FeedEvent, gate: CaseGate): CaseEvent | undefined {
  const access = gate.access(event.case);
  if (access === 'none') return undefined;
  return {
    eventId: encodeFeedCursor(event.position), writtenAt: event.writtenAt, caseId: event.caseId,
    entry: feedEntryView(event.entry, access), case: caseView(event.case, access),
  };
}

/** GET /v1/events: a page of the feed, and the cursor to read on from, always (a poller keeps it). */
export async function listEvents(
  deps: EventFeedDependencies,
  gate: CaseGate,
  query: { after?: string; since?: string; limit: number },
): Promise<EventPage> {
  const start = feedStart(deps.now(), {
    ...(query.after !== undefined ? { after: { cursor: query.after, at: 'query.after' } } : {}),
    ...(query.since !== undefined ? { since: query.since } : {}),
  });
  const read = await readEvents(deps, start, query.limit);
  // The cursor moves past what this reader may not see too: it is where the feed was read up to.
  const items = read.events.map((event) => eventFor(event, gate)).filter((event) => event !== undefined);
  return { items, nextCursor: encodeFeedCursor(read.through), hasMore: read.more };
}
