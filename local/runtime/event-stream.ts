import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { dynamoDocumentClient } from '#shared/adapters/aws-clients';
import { route } from '#shared/api/routes';
import { ListEventsQuery } from '#shared/contract/event-feed';
import { problemOf, RequestProblem, validationProblem } from '#shared/http/api-handler';
import { principalFromClaims } from '#shared/http/principal';
import { problem, problemResponse } from '#shared/http/problem';
import { settings } from '#shared/settings';
import { EventFeedStore } from '#shared/store/event-feed';
import { dependenciesFromEnvironment } from '#shared/use-cases/dependencies';
import { type CaseGate, caseGate } from '#shared/use-cases/case-access';
import {
  type EventFeedDependencies, eventFor, type FeedEvent, feedHorizon, feedStart, readEvents,
} from '#shared/use-cases/event-feed';
import type { LocalIssuer } from './local-issuer';

export const EVENT_STREAM_PATH = '/v1/events/stream';
const POLL_MS = 500;
const HEARTBEAT_MS = 15_000;
/** What EventSource waits before reconnecting (with Last-Event-ID) when the stream drops. */
const RETRY_MS = 1_000;
const PAGE = 500;
/** Pages one tick reads for one reader; a reader far behind catches up over several ticks without stalling the others. */
const MAX_PAGES_PER_TICK = 20;

/** The query of the stream: the feed's, without paging, and the token for EventSource, which cannot send headers. */
const StreamQuery = ListEventsQuery.pick({ after: true, since: true }).extend({ access_token: z.string().optional() });

interface Subscriber {
  res: ServerResponse;
  /** What this reader may see: checked against the directory when the stream opened, per case at each event. */
  gate: CaseGate;
  /** Everything up to here was sent to this reader. */
  position: string;
}

/**
 * GET /v1/events/stream, local mode only: the feed of GET /v1/events as Server-Sent Events. One poller reads the
 * feed for every reader; a reader that starts further back (Last-Event-ID, after, since) catches up on its own
 * until it reaches the poller. In the cloud the pages poll GET /v1/events instead (HTTP APIs do not stream).
 */
export class EventStream {
  private readonly subscribers = new Set<Subscriber>();
  /** Where the shared poller has read up to. */
  private head = '';
  private timer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private closed = false;

  constructor(private readonly deps: EventFeedDependencies, private readonly issuer: LocalIssuer, private readonly log: (line: string) => void) {}

  /** With the functions' environment (the table), as the route's handler would have it. */
  static fromEnvironment(issuer: LocalIssuer, log: (line: string) => void): EventStream {
    const events = new EventFeedStore(dynamoDocumentClient(), settings.tableName);
    return new EventStream({ ...dependenciesFromEnvironment(), events }, issuer, log);
  }

  /** Serves the stream; false for any other path. */
  async serve(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname !== EVENT_STREAM_PATH) return false;
    let start: { position: string; gate: CaseGate };
    try {
      start = await this.admit(req, url);
    } catch (error) {
      const answer = problemResponse(problemOf(error, randomUUID()));
      res.writeHead(answer.statusCode!, { ...(answer.headers as Record<string, string>), ...(answer.statusCode === 401 ? { 'www-authenticate': 'Bearer' } : {}) });
      res.end(answer.body);
      return true;
    }
    if (this.closed) {
      res.writeHead(503).end();
      return true;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(`retry: ${RETRY_MS}\n: case events\n\n`);
    const subscriber: Subscriber = { res, position: start.position, gate: start.gate };
    this.subscribers.add(subscriber);
    res.on('close', () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.rest();
    });
    this.wake();
    return true;
  }

  /** Ends every stream and stops polling; resolves once a read in flight is over. */
  async close(): Promise<void> {
    this.closed = true;
    this.rest();
    await this.polling;
    for (const { res } of this.subscribers) res.end();
    this.subscribers.clear();
  }

  /** Checks the caller as the API does (token, role, the access policy) and returns where its stream starts. */
  private async admit(req: IncomingMessage, url: URL): Promise<{ position: string; gate: CaseGate }> {
    if (req.method !== 'GET') throw new RequestProblem(problem('not-found', `${req.method} is not served at ${EVENT_STREAM_PATH}; open it with GET`));
    const query = Object.fromEntries(url.searchParams);
    const token = req.headers.authorization ?? (query.access_token ? `Bearer ${query.access_token}` : undefined);
    const principal = principalFromClaims(await this.issuer.verify(token));
    if (!principal) {
      throw new RequestProblem(problem('unauthenticated', 'send a valid bearer token in the Authorization header, or as access_token in the query'));
    }
    const { access } = route('ListEvents');
    if (access !== 'public' && !principal.roles.includes('admin') && !access.some((role) => principal.roles.includes(role))) {
      throw new RequestProblem(problem('forbidden', `${EVENT_STREAM_PATH} is for ${access.join(', ')}; your roles: ${principal.roles.join(', ') || 'none'}`));
    }
    const parsed = StreamQuery.safeParse(query);
    if (!parsed.success) throw new RequestProblem(validationProblem(parsed.error, 'query'));
    // EventSource sends Last-Event-ID when it reconnects, with the URL it first opened: the header wins.
    const lastEventId = req.headers['last-event-id'];
    const after = typeof lastEventId === 'string' && lastEventId !== ''
      ? { cursor: lastEventId, at: 'header:Last-Event-ID' }
      : parsed.data.after !== undefined ? { cursor: parsed.data.after, at: 'query.after' } : undefined;
    const position = feedStart(this.deps.now(), { ...(after ? { after } : {}), ...(parsed.data.since ? { since: parsed.data.since } : {}) });
    return { position, gate: await caseGate(this.deps, principal) };
  }

  /** Starts the poller and the heartbeat for the first reader; later readers join them. */
  private wake() {
    this.heartbeat ??= setInterval(() => {
      for (const { res } of this.subscribers) res.write(': heartbeat\n\n');
    }, HEARTBEAT_MS).unref();
    if (this.timer || this.polling) return;
    this.head = feedHorizon(this.deps.now());
    this.schedule();
  }

  /** Stops polling while nobody listens. */
  private rest() {
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    this.timer = undefined;
    this.heartbeat = undefined;
  }

  private schedule() {
    if (this.closed || this.timer || this.polling || this.subscribers.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.polling = this.poll()
        .catch((error: unknown) => this.log(`[events] reading the feed failed: ${(error as Error).stack ?? error}`))
        .finally(() => {
          this.polling = undefined;
          this.schedule();
        });
    }, POLL_MS).unref();
  }

  /** One tick: read what is new once for everyone, then bring each reader up to it. */
  private async poll() {
    const from = this.head;
    const fresh: FeedEvent[] = [];
    for (let page = 0; page < MAX_PAGES_PER_TICK && !this.closed; page += 1) {
      const read = await readEvents(this.deps, this.head, PAGE);
      fresh.push(...read.events);
      this.head = read.through;
      if (!read.more) break;
    }
    for (const subscriber of this.subscribers) {
      if (subscriber.position >= from) {
        for (const event of fresh) if (event.position > subscriber.position) this.send(subscriber, event);
        if (this.head > subscriber.position) subscriber.position = this.head;
      } else {
        await this.catchUp(subscriber);
      }
    }
  }

  /** Reads on for a reader behind the poller, from its own position, until it reaches the poller. */
  private async catchUp(subscriber: Subscriber) {
    for (let page = 0; page < MAX_PAGES_PER_TICK && subscriber.position < this.head && !this.closed; page += 1) {
      const read = await readEvents(this.deps, subscriber.position, PAGE);
      for (const event of read.events) this.send(subscriber, event);
      if (read.through > subscriber.position) subscriber.position = read.through;
      if (!read.more) break;
    }
  }

  /** Sends the event as this reader may see it; one it may not see only moves its position on. */
  private send(subscriber: Subscriber, feedEvent: FeedEvent) {
    subscriber.position = feedEvent.position;
    if (subscriber.res.writableEnded || subscriber.res.destroyed) return;
    const event = eventFor(feedEvent, subscriber.gate);
    if (event) subscriber.res.write(`id: ${event.eventId}\nevent: case\ndata: ${JSON.stringify(event)}\n\n`);
  }
}
