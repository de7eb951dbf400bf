import middy from '@middy/core';
import { z } from 'zod';
import { CASE_STATUSES } from '#shared/contract/vocabulary';
import { DomainError } from '#shared/domain/errors';
import {
  alertCase, awaitCaseChange, escalateCase, expireLead, loadCaseState, triageCase,
} from '#shared/use-cases/case-workflow-steps';
import { dependenciesFromEnvironment } from '#shared/use-cases/dependencies';

const deps = dependenciesFromEnvironment();

const CaseRef = { caseId: z.string().min(1) };
export const CaseStepInput = z.discriminatedUnion('step', [
  z.object({ step: z.literal('load'), ...CaseRef }),
  z.object({ step: z.literal('triage'), ...CaseRef }),
  z.object({ step: z.literal('alert'), ...CaseRef }),
  z.object({ step: z.literal('escalate'), ...CaseRef }),
  z.object({ step: z.literal('expire'), ...CaseRef }),
  z.object({ step: z.literal('await'), ...CaseRef, status: z.enum(CASE_STATUSES), taskToken: z.string().min(1) }),
]);

/** Errors the state machine can catch by name; anything else is retried by the task's Retry policy. */
class CaseStepError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** The steps of the case workflow, one Lambda for all of them: Step Functions says which step in the payload. */
export const handler = middy<unknown, unknown>().handler(async (event) => {
  const parsed = CaseStepInput.safeParse(event);
  if (!parsed.success) throw new CaseStepError('InvalidStepInput', z.prettifyError(parsed.error));
  const input = parsed.data;
  try {
    switch (input.step) {
      case 'load': return await loadCaseState(deps, input.caseId);
      case 'triage': return await triageCase(deps, input.caseId);
      case 'alert': return await alertCase(deps, input.caseId);
      case 'escalate': return await escalateCase(deps, input.caseId);
      case 'expire': return await expireLead(deps, input.caseId);
      case 'await': return await awaitCaseChange(deps, input);
    }
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not_found') throw new CaseStepError('CaseNotFound', error.message);
    throw error;
  }
});
