import type { WorkflowWait } from '../domain/case';
import type { Dependencies } from './dependencies';

/**
 * Finishes the wait a workflow holds on a case (it goes on and reads the case as it is now), its task token read from
 * beside the case. A wait whose token is gone has nothing left to finish.
 */
export async function finishWait(deps: Pick<Dependencies, 'cases' | 'workflow'>, caseId: string, wait: WorkflowWait): Promise<'completed' | 'gone'> {
  const token = await deps.cases.waitToken(caseId, wait);
  return token ? deps.workflow.completeWait(token, { caseId }) : 'gone';
}
