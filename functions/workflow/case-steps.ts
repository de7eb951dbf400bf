import middy from '@middy/core';
import * as z from 'zod';
import { CASE_STATUSES } from '#shared/contract/vocabulary';
import { DomainError } from '#shared/domain/errors';
import { StepError } from './step-error';
import {
  alertCase, awaitCaseChange, chaseOverdue, disposeCase, escalateCase, expireLead, loadCaseState, revisitCase, triageCase,
} from '#shared/use-cases/case-workflow-steps';
import { caseWorkflow, notifier, tableDependencies } from '#shared/use-cases/dependencies';
import { observed } from '#shared/adapters/observability';

const deps = { ...tableDependencies(), ...caseWorkflow(), ...notifier() };

const CaseRef = { caseId: z.string().min(1), generation: z.int().min(0) };
const step = <T extends string>(name: T) => z.object({ step: z.literal(name), ...CaseRef });
export const CaseStepInput = z.discriminatedUnion('step', [
  step('load'), step('triage'), step('alert'), step('escalate'), step('expire'), step('overdue'), step('dispose'),
  step('revisit'),
  z.object({ step: z.literal('await'), ...CaseRef, status: z.enum(CASE_STATUSES), taskToken: z.string().min(1) }),
]);

/** The steps of the case workflow, one Lambda for all of them: Step Functions says which step in the payload. */
export const handler = middy<unknown, unknown>().use(observed()).handler(async (event) => {
  const parsed = CaseStepInput.safeParse(event);
  if (!parsed.success) throw new StepError('InvalidStepInput', z.prettifyError(parsed.error));
  const input = parsed.data;
  try {
    switch (input.step) {
      case 'load': return await loadCaseState(deps, input);
      case 'triage': return await triageCase(deps, input);
      case 'alert': return await alertCase(deps, input);
      case 'escalate': return await escalateCase(deps, input);
      case 'expire': return await expireLead(deps, input);
      case 'overdue': return await chaseOverdue(deps, input);
      case 'dispose': return await disposeCase(deps, input);
      case 'revisit': return await revisitCase(deps, input);
      case 'await': return await awaitCaseChange(deps, input);
    }
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not_found') throw new StepError('CaseNotFound', error.message);
    throw error;
  }
});
