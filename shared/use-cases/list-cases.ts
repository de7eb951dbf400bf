import type { CaseSummary } from '../domain/case';
import type { Principal } from '../http/principal';
import type { CaseListFilter } from '../store/case-store';
import { caseGate, caseView } from './case-access';
import type { Dependencies } from './dependencies';

/**
 * GET /v1/cases: the cases the caller may read, newest first, each as much as it may read (a summary carries where
 * and how urgent, not who). The cursor is sealed for the caller and the filters.
 */
export async function listCasesFor(
  deps: Pick<Dependencies, 'cases' | 'directory'>,
  principal: Principal,
  query: Omit<CaseListFilter, 'keep' | 'scope'>,
): Promise<{ items: CaseSummary[]; nextCursor?: string }> {
  const gate = await caseGate(deps, principal);
  const page = await deps.cases.listCases({ ...query, scope: principal.sub, keep: (c) => gate.access(c) !== 'none' });
  return {
    items: page.items.map((c) => caseView(c, gate.access(c) as 'full' | 'summary')),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}
