import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type CaseSummary, problemText } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { type TimeWindow, windowRange } from './time-window';
import { isAbort } from './words';

/** More than a city's worst night; beyond it the wall says that it shows only the newest. */
export const MAX_CASES = 5_000;

export type CaseLoad = { state: 'loading' } | { state: 'ready'; truncated: boolean } | { state: 'failed'; message: string };

/** The newer of two versions of a case wins, whichever arrived last (a list read and a live event can cross). */
function merge(known: ReadonlyMap<string, CaseSummary>, incoming: readonly CaseSummary[]): ReadonlyMap<string, CaseSummary> {
  const next = new Map(known);
  for (const c of incoming) {
    const held = next.get(c.caseId);
    if (!held || Date.parse(c.updatedAt) >= Date.parse(held.updatedAt)) next.set(c.caseId, c);
  }
  return next;
}

/**
 * The cases opened in the window, read once (GET /v1/cases?since=) and then kept current by the live events the
 * page passes to `upsert`. Cases read for a wider window stay known when it narrows: the filter hides them.
 */
export function useLiveCases(window: TimeWindow) {
  const { m } = useI18n();
  // The words of an error are those of the language at the time; switching language does not read the cases again.
  const words = useRef(m);
  words.current = m;
  const [cases, setCases] = useState<ReadonlyMap<string, CaseSummary>>(() => new Map());
  const [load, setLoad] = useState<CaseLoad>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoad({ state: 'loading' });
    const since = new Date(windowRange(window, Date.now()).from).toISOString();
    api.allCases({ since }, MAX_CASES, controller.signal).then(
      (items) => {
        setCases((known) => merge(known, items));
        setLoad({ state: 'ready', truncated: items.length >= MAX_CASES });
      },
      (error: unknown) => {
        if (!isAbort(error)) setLoad({ state: 'failed', message: problemText(error, words.current) });
      },
    );
    return () => controller.abort();
  }, [window, attempt]);

  const upsert = useCallback((c: CaseSummary) => setCases((known) => merge(known, [c])), []);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { cases, load, upsert, retry };
}
