import * as z from 'zod';
import type { RouteDoc } from './openapi';
import { CaseSummary, TimelineEntry } from './responses';
import { Timestamp } from './schemas';

/**
 * The live event feed (GET /v1/events): what the pages (a coordinator's wall map, a station desk) poll to stay
 * current. Its request and response schemas, and its entry in the OpenAPI document.
 */

/** How far back `since` may go: a week of hours is a few empty pages at most; older history is GET /v1/cases. */
export const FEED_MAX_LOOKBACK_DAYS = 7;

export const ListEventsQuery = z.strictObject({
  after: z.string().min(1).max(200).optional(),
  since: Timestamp.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListEventsQuery = z.output<typeof ListEventsQuery>;

export const CaseEvent = z.object({
  eventId: z.string().describe('Unique, and also a cursor: `after=<eventId>` reads on from just after this event.'),
  writtenAt: Timestamp.describe("When the entry was recorded; the feed's order. The entry's `at` may be earlier."),
  caseId: z.string(),
  entry: TimelineEntry,
  case: CaseSummary.describe('The case as it is when the page is read, not as it was when the entry was written.'),
});

export const EventPage = z.object({
  items: z.array(CaseEvent).describe('Oldest first.'),
  nextCursor: z.string().describe('Always present: send it as `after` to read on, now or at the next poll.'),
  hasMore: z.boolean().describe('More can be read at once; otherwise wait a few seconds before polling again.'),
});

export const LIST_EVENTS_DOC: RouteDoc<'ListEvents'> = {
  tag: 'Cases',
  description: 'Every entry added to any case\'s timeline (opened, sighting, alerted, acknowledged ...), in the order '
    + 'it was recorded, with the case as it is now: a page keeps its map or desk current by polling with the '
    + '`nextCursor` it got last (every few seconds; at once while `hasMore`). An entry appears about 2 seconds after it '
    + 'is recorded, so that a poller never passes one still being written.\n\n'
    + 'In the cloud the pages poll this operation: API Gateway HTTP APIs do not stream. The local runtime also serves '
    + '`GET /v1/events/stream`, the same events as Server-Sent Events (`id:` the eventId, `event: case`, `data:` the '
    + 'event as JSON), with the token as `Authorization: Bearer` or `access_token` in the query (EventSource cannot '
    + 'set headers), resuming after `Last-Event-ID` (or `after`, `since`); it is not part of the cloud deployment.',
  query: ListEventsQuery,
  parameters: {
    after: 'A `nextCursor` or an `eventId`: read the events after it. Takes precedence over `since`.',
    since: `Without \`after\`: read the events recorded from this time on, at most ${FEED_MAX_LOOKBACK_DAYS} days ago. `
      + 'Without either: from 15 minutes ago.',
    limit: 'Most events in one page.',
  },
  responses: { 200: { description: 'The events after the cursor, oldest first, and the cursor to read on from.', schema: EventPage } },
  problems: { 400: `\`after\` is not a cursor this feed returned, or \`since\` is more than ${FEED_MAX_LOOKBACK_DAYS} days ago.` },
};

export const EVENT_FEED_COMPONENTS = { CaseEvent, EventPage };
