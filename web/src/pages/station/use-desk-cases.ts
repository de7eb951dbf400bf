import { useCallback, useEffect, useState } from 'react';
import { api, type CaseSummary } from '../../app/api';
import { useLiveEvents } from '../../app/live';
import { useConfig } from '../../app/use-config';
import { DESK_STATUSES, mergeNewer } from './desk-order';

/** The most a desk loads of one status: a city's night is tens of cases; thousands would be a different screen. */
const MAX_PER_STATUS = 2_000;

/**
 * The cases on the desk, loaded once per status and kept current by the live feed and by the results of the desk's
 * own actions. `versions` changes whenever a case does, so that details shown elsewhere know to load it again.
 */
export function useDeskCases() {
  const config = useConfig();
  const [cases, setCases] = useState<ReadonlyMap<string, CaseSummary>>(new Map());
  const [versions, setVersions] = useState<Readonly<Record<string, string>>>({});
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);

  const upsert = useCallback((summary: CaseSummary, version: string) => {
    setCases((known) => mergeNewer(known, summary));
    setVersions((known) => ({ ...known, [summary.caseId]: version }));
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    Promise.all(DESK_STATUSES.map((status) => api.allCases({ status }, MAX_PER_STATUS, controller.signal)))
      .then((lists) => {
        setCases((known) => lists.flat().reduce<ReadonlyMap<string, CaseSummary>>(mergeNewer, known));
        setLoading(false);
      }, (failure: unknown) => {
        if ((failure as Error).name === 'AbortError') return;
        setError(failure);
        setLoading(false);
      });
    return () => controller.abort();
  }, [attempt]);

  const live = useLiveEvents(config, (event) => upsert(event.case, event.eventId));
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { cases, versions, loading, error, retry, upsert, live };
}
