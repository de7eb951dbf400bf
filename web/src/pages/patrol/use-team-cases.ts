import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, type CaseSummary, OfflineError } from '../../app/api';
import type { LiveStatus } from '../../app/live';
import { useLiveEvents } from '../../app/live';
import { useConfig } from '../../app/use-config';

/**
 * The statuses the phone lists: a case not yet taken, and one taken and not yet over. Which cases, the server
 * decides (its access policy): the team's own in full, and the untaken ones of its station's area as summaries.
 */
const LISTED_STATUSES = ['unverified', 'open', 'alerted', 'acknowledged', 'on_scene', 'resolved'] as const;

/** Whether the phone lists a case the server sent: any it sent in a listed status (the station or closing takes it off). */
export const isListed = (c: CaseSummary): boolean => (LISTED_STATUSES as readonly string[]).includes(c.status);

/**
 * Remembers the newest state seen of every case, the ones dropped from the list included: an older answer arriving
 * late (an action's, after the live feed said the case closed) must not bring a case back.
 */
function isNewest(newest: Map<string, string>, c: CaseSummary): boolean {
  const seen = newest.get(c.caseId);
  if (seen !== undefined && seen > c.updatedAt) return false;
  newest.set(c.caseId, c.updatedAt);
  return true;
}

interface Stored {
  at: number;
  items: CaseSummary[];
}

/** How often a list shown from the phone's copy is loaded again while the phone says it has signal. */
const RELOAD_WHILE_CACHED_MS = 5_000;

const storageKey = (teamId: string) => `srp.patrol.cases.${teamId}`;

function readStored(teamId: string): Stored | undefined {
  try {
    return JSON.parse(localStorage.getItem(storageKey(teamId)) ?? 'null') ?? undefined;
  } catch {
    return undefined;
  }
}

export interface TeamCases {
  teamId: string;
  /** What the server lets the team see: its own cases in full, the untaken ones of its station's area as summaries. */
  cases: CaseSummary[];
  /** loading: first load; live: from the API; cached: the last list kept on the phone (no signal); failed: see problem. */
  source: 'loading' | 'live' | 'cached' | 'failed';
  loadedAt?: number;
  problem?: string;
  live: LiveStatus;
  /** Puts a newer state of a case in (from an action's answer); drops it when it is no longer the team's. */
  upsert(c: CaseSummary): void;
  reload(): void;
}

/**
 * The team's cases, followed live. The last list is kept on the phone, so that a page opened without signal still
 * shows the cases (and their actions can be queued).
 */
export function useTeamCases(teamId: string): TeamCases {
  const config = useConfig();
  const [cases, setCases] = useState<Map<string, CaseSummary>>(() => new Map());
  const [source, setSource] = useState<TeamCases['source']>('loading');
  const [loadedAt, setLoadedAt] = useState<number>();
  const [problem, setProblem] = useState<string>();

  const newest = useRef(new Map<string, string>());

  const upsert = useCallback((c: CaseSummary) => {
    if (!isNewest(newest.current, c)) return;
    setCases((current) => {
      const known = current.get(c.caseId);
      const next = new Map(current);
      if (isListed(c)) next.set(c.caseId, c);
      else if (known) next.delete(c.caseId);
      else return current;
      return next;
    });
  }, []);

  const reload = useCallback(() => {
    const controller = new AbortController();
    Promise.all(LISTED_STATUSES.map((status) => api.allCases({ status }, 2_000, controller.signal))).then((lists) => {
      const items = lists.flat().filter((c) => isNewest(newest.current, c));
      setCases(new Map(items.map((c) => [c.caseId, c])));
      setSource('live');
      setLoadedAt(Date.now());
      setProblem(undefined);
    }, (error: Error) => {
      if (error.name === 'AbortError') return;
      if (error instanceof OfflineError) {
        const stored = readStored(teamId);
        if (stored) {
          setCases(new Map(stored.items.map((c) => [c.caseId, c])));
          setLoadedAt(stored.at);
        }
        setSource((current) => (current === 'live' || stored ? 'cached' : 'failed'));
        return;
      }
      setSource((current) => (current === 'live' ? current : 'failed'));
      setProblem(error instanceof ApiError ? error.problem.detail : error.message);
    });
    return () => controller.abort();
  }, [teamId]);

  useEffect(() => {
    const stop = reload();
    const onOnline = () => reload();
    window.addEventListener('online', onOnline);
    return () => {
      stop();
      window.removeEventListener('online', onOnline);
    };
  }, [reload]);

  // The 'online' event often comes before the network carries anything: while the list shown is the kept one (or
  // none could be loaded) and the phone says it is online, try again every few seconds until a load goes through,
  // so the "no signal" banner clears once the signal really is back.
  useEffect(() => {
    // A refusal (a problem from the API) is not a signal problem: retrying would not help.
    if (source !== 'cached' && !(source === 'failed' && problem === undefined)) return undefined;
    let stop: (() => void) | undefined;
    const timer = setInterval(() => {
      if (!navigator.onLine) return;
      stop?.();
      stop = reload();
    }, RELOAD_WHILE_CACHED_MS);
    return () => {
      clearInterval(timer);
      stop?.();
    };
  }, [source, problem, reload]);

  // What the phone shows without signal next time: the list as it last was with signal.
  useEffect(() => {
    if (source === 'live') localStorage.setItem(storageKey(teamId), JSON.stringify({ at: Date.now(), items: [...cases.values()] } satisfies Stored));
  }, [cases, source, teamId]);

  const live = useLiveEvents(config, (event) => upsert(event.case));
  return { teamId, cases: [...cases.values()], source, loadedAt, problem, live, upsert, reload };
}
