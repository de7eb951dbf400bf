import middy from '@middy/core';
import * as z from 'zod';
import { DomainError } from '#shared/domain/errors';
import { StepError } from './step-error';
import { notifier, tableDependencies } from '#shared/use-cases/dependencies';
import { actOnPersonDue, loadPerson } from '#shared/use-cases/person-workflow-steps';
import { observed } from '#shared/adapters/observability';

const deps = { ...tableDependencies(), ...notifier() };

export const PersonStepInput = z.object({ step: z.enum(['load', 'due']), personId: z.string().min(1), generation: z.int().min(0) });

/** The steps of the person workflow, one Lambda for both: Step Functions says which in the payload. */
export const handler = middy<unknown, unknown>().use(observed()).handler(async (event) => {
  const parsed = PersonStepInput.safeParse(event);
  if (!parsed.success) throw new StepError('InvalidStepInput', z.prettifyError(parsed.error));
  const { step, ...input } = parsed.data;
  try {
    return step === 'load' ? await loadPerson(deps, input) : await actOnPersonDue(deps, input);
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not_found') throw new StepError('PersonNotFound', error.message);
    throw error;
  }
});
