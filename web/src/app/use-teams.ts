import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, problemText, type Team } from './api';
import type { Messages } from './messages';

export type TeamsState = { status: 'loading' } | { status: 'loaded'; teams: Team[] } | { status: 'failed'; error: string };

/** The teams (GET /v1/teams): loaded with the page, and again on `reload` (the desk, whenever a dispatch begins). */
export function useTeams(m: Messages) {
  const [teams, setTeams] = useState<TeamsState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    api.teams(controller.signal).then(({ items }) => setTeams({ status: 'loaded', teams: items }), (failure: unknown) => {
      if ((failure as Error).name !== 'AbortError') setTeams({ status: 'failed', error: problemText(failure, m) });
    });
    return () => controller.abort();
  }, [attempt, m]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { teams, reload };
}

/** Names for the ids a page is handed (teams, their stations): a page shows names, never ids. */
export interface DirectoryNames {
  team(teamId: string | undefined): string | undefined;
  station(stationId: string | undefined): string | undefined;
}

export function namesOf(teams: TeamsState): DirectoryNames {
  const list = teams.status === 'loaded' ? teams.teams : [];
  const teamNames = new Map(list.map((t) => [t.teamId, t.name]));
  const stationNames = new Map(list.flatMap((t) => (t.stationName ? [[t.stationId, t.stationName] as const] : [])));
  return {
    team: (teamId) => (teamId ? teamNames.get(teamId) : undefined),
    station: (stationId) => (stationId ? stationNames.get(stationId) : undefined),
  };
}

const NO_NAMES = namesOf({ status: 'loading' });
export const NamesContext = createContext<DirectoryNames>(NO_NAMES);

/** The names of the teams and stations, loaded once for the signed-in member's pages (the shell provides them). */
export function useDirectoryNames(m: Messages): DirectoryNames {
  const { teams } = useTeams(m);
  return useMemo(() => namesOf(teams), [teams]);
}

/** Names for ids anywhere below the shell. */
export const useNames = () => useContext(NamesContext);
