import type { CaseStatus } from '../contract/vocabulary';
import type { Dependencies } from './dependencies';

/** Statuses in which a case's workflow still has work: a lead to verify, triage, or an acknowledgement to await. */
export const WORKFLOW_STATUSES: readonly CaseStatus[] = ['unverified', 'open', 'alerted'];

/**
 * Starts the workflow of every case that should have one. Starting is harmless for a case whose execution is
 * running (same name, same input), so this needs no record of which executions exist. It reads the status index,
 * never the whole table.
 */
export async function reconcileWorkflows(deps: Pick<Dependencies, 'cases' | 'workflow'>): Promise<number> {
  let started = 0;
  for (const status of WORKFLOW_STATUSES) {
    let cursor: string | undefined;
    do {
      const page = await deps.cases.listCases({ status, limit: 500, ...(cursor ? { cursor } : {}) });
      for (const c of page.items) {
        await deps.workflow.start(c.caseId, c.workflowGeneration ?? 0);
        started += 1;
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  return started;
}
