import { useCallback, useEffect, useState } from 'react';
import { api, problemText, type Team } from '../../app/api';
import type { Messages } from '../../app/messages';

export type TeamsState = { status: 'loading' } | { status: 'loaded'; teams: Team[] } | { status: 'failed'; error: string };

/** The teams the desk can dispatch (GET /v1/teams): loaded with the page, and again whenever a dispatch begins. */
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
