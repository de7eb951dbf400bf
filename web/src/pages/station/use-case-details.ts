import { useEffect, useRef, useState } from 'react';
import { api, type CaseDetail, problemText } from '../../app/api';
import type { Messages } from '../../app/messages';

export interface LoadedDetail { version: string; detail?: CaseDetail; error?: string }

/**
 * The details of a few cases (the people in the station: who they are is in the sightings), loaded again whenever
 * a case's version changes (a live event or an action on it).
 */
export function useCaseDetails(caseIds: readonly string[], versions: Readonly<Record<string, string>>, m: Messages) {
  const [details, setDetails] = useState<Readonly<Record<string, LoadedDetail>>>({});
  const requested = useRef(new Map<string, string>());

  useEffect(() => {
    for (const caseId of caseIds) {
      const version = versions[caseId] ?? '';
      if (requested.current.get(caseId) === version) continue;
      requested.current.set(caseId, version);
      // An answer overtaken by a request for a later version is dropped.
      const current = () => requested.current.get(caseId) === version;
      api.getCase(caseId).then(
        (detail) => current() && setDetails((known) => ({ ...known, [caseId]: { version, detail } })),
        (error: unknown) => {
          // Asked again when the case changes next; the error stays shown until then.
          if (current()) setDetails((known) => ({ ...known, [caseId]: { ...known[caseId], version, error: problemText(error, m) } }));
        },
      );
    }
  }, [caseIds, versions, m]);

  return details;
}
