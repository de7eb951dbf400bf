import { useEffect, useRef, useState } from 'react';
import { api, ApiError, problemText, type Stats } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { isAbort } from './words';

/** Live events come in bursts (a drone sortie is hundreds of detections): the figures follow at most this often. */
const EVENT_REFRESH_MS = 10_000;
/** A short wait after the first event of a burst, so that one refresh takes in the whole burst. */
const EVENT_SETTLE_MS = 1_000;

export interface StatsState {
  stats?: Stats;
  /** Why the last read failed; the figures shown (if any) are then those of the read before. */
  error?: string;
  /** GET /v1/stats is not there (yet): a deployment older than the page. */
  missing?: boolean;
}

export interface StatsRequest {
  /** A name for the window: a new key reads at once and forgets the figures of the old window. */
  key: string;
  /** The window at the time of reading, epoch milliseconds. */
  range: (now: number) => { from: number; to: number };
  bucket?: 'hour' | 'day';
  refreshMs: number;
  /** Changes with every live event when the figures should follow them; undefined to read on the clock only. */
  eventCount?: number;
}

/** GET /v1/stats for a window, read again every `refreshMs` and (throttled) after live events. */
export function useStats({ key, range, bucket, refreshMs, eventCount }: StatsRequest): StatsState {
  const { m } = useI18n();
  const [state, setState] = useState<StatsState>({});
  const [reads, setReads] = useState(0);
  const latest = useRef({ range, m });
  latest.current = { range, m };
  const lastRead = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => setState({}), [key]);

  useEffect(() => {
    const controller = new AbortController();
    const { from, to } = latest.current.range(Date.now());
    lastRead.current = Date.now();
    api.stats(new Date(from).toISOString(), new Date(to).toISOString(), bucket, controller.signal).then(
      (stats) => setState({ stats }),
      (error: unknown) => {
        if (isAbort(error)) return;
        setState((held) => ({
          ...(held.stats ? { stats: held.stats } : {}),
          error: problemText(error, latest.current.m),
          missing: error instanceof ApiError && error.status === 404,
        }));
      },
    );
    return () => controller.abort();
  }, [key, bucket, reads]);

  useEffect(() => {
    const timer = setInterval(() => setReads((n) => n + 1), refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs]);

  // Trailing, and never pushed back by the next event: a steady stream of events still refreshes every 10 s.
  useEffect(() => {
    if (!eventCount || pending.current !== undefined) return;
    const wait = Math.max(EVENT_SETTLE_MS, lastRead.current + EVENT_REFRESH_MS - Date.now());
    pending.current = setTimeout(() => {
      pending.current = undefined;
      setReads((n) => n + 1);
    }, wait);
  }, [eventCount]);
  useEffect(() => () => {
    clearTimeout(pending.current);
    pending.current = undefined;
  }, []);

  return state;
}
