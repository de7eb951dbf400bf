import { useEffect, useRef, useState } from 'react';
import { api, type CaseEvent, OfflineError } from './api';
import type { WebConfig } from './config';
import { currentSession } from './session';

export type LiveStatus = 'connecting' | 'connected' | 'offline';
const POLL_MS = 4_000;

/**
 * Follows the live event feed: Server-Sent Events where the runtime streams them (local), otherwise GET /v1/events
 * polled with the cursor it hands back (cloud: API Gateway HTTP APIs do not stream). Returns a stop function.
 */
export function followEvents(config: WebConfig, onEvent: (event: CaseEvent) => void, onStatus: (status: LiveStatus) => void): () => void {
  const session = currentSession();
  if (!session) return () => undefined;
  onStatus('connecting');
  if (config.live === 'stream' && typeof EventSource !== 'undefined') {
    // EventSource cannot send headers: the token goes in the query, as the stream accepts. It reconnects by
    // itself and resumes after the last event it saw (Last-Event-ID).
    const source = new EventSource(`${config.apiBase}/v1/events/stream?access_token=${encodeURIComponent(session.token)}`);
    source.onopen = () => onStatus('connected');
    source.onerror = () => onStatus(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    source.addEventListener('case', (message) => onEvent(JSON.parse((message as MessageEvent<string>).data) as CaseEvent));
    return () => source.close();
  }
  let stopped = false;
  let cursor: string | undefined;
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poll = async () => {
    if (stopped) return;
    let again = POLL_MS;
    try {
      const page = await api.events(cursor ? { after: cursor } : {}, controller.signal);
      cursor = page.nextCursor;
      for (const event of page.items) onEvent(event);
      onStatus('connected');
      if (page.hasMore) again = 0;
    } catch (error) {
      if ((error as Error).name === 'AbortError') return;
      onStatus(error instanceof OfflineError ? 'offline' : 'connecting');
    }
    if (!stopped) timer = setTimeout(() => void poll(), again);
  };
  void poll();
  return () => {
    stopped = true;
    controller.abort();
    clearTimeout(timer);
  };
}

/** Follows the feed while the component is mounted; the latest handler is always the one called. */
export function useLiveEvents(config: WebConfig | undefined, onEvent: (event: CaseEvent) => void): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (!config) return undefined;
    return followEvents(config, (event) => handler.current(event), setStatus);
  }, [config]);
  return status;
}
