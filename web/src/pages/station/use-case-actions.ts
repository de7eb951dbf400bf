import { useCallback, useState } from 'react';
import { api, type CaseSummary, problemText, type TimelineEntry } from '../../app/api';
import type { Messages } from '../../app/messages';
import type { CaseAction } from '#shared/contract/schemas';

export interface ActionDone { case: CaseSummary; entry: TimelineEntry }

/**
 * Takes actions on cases: which cases have a request in flight (their buttons wait), and the last error of each,
 * in words. A result is handed to `onDone` at once, so that the desk does not wait for the live feed.
 */
export function useCaseActions(m: Messages, onDone: (done: ActionDone) => void) {
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});

  const run = useCallback(async (caseId: string, action: CaseAction): Promise<boolean> => {
    setPending((known) => new Set(known).add(caseId));
    setErrors(({ [caseId]: _cleared, ...rest }) => rest);
    try {
      onDone(await api.takeAction(caseId, action));
      return true;
    } catch (error) {
      setErrors((known) => ({ ...known, [caseId]: problemText(error, m) }));
      return false;
    } finally {
      setPending((known) => {
        const next = new Set(known);
        next.delete(caseId);
        return next;
      });
    }
  }, [m, onDone]);

  return { run, pending, errors };
}
