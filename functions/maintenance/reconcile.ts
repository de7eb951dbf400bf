import middy from '@middy/core';
import { caseWorkflow, notifier, personWorkflow, tableDependencies } from '#shared/use-cases/dependencies';
import { reconcileWorkflows } from '#shared/use-cases/reconcile-workflows';
import { logger, observed } from '#shared/adapters/observability';

const deps = { ...tableDependencies(), ...caseWorkflow(), ...personWorkflow(), ...notifier() };

/**
 * Runs on a schedule (an EventBridge rule): gives every case that still needs its workflow a live execution.
 * The scheduled event carries nothing the reconciler needs, so there is nothing to parse.
 */
export const handler = middy<unknown, unknown>().use(observed()).handler(async () => {
  const figures = await reconcileWorkflows(deps);
  // A quiet pass (everything alive, nothing pending) is the normal case: only a pass that had to act is logged.
  if (figures.started || figures.resumed || figures.failed || figures.redispatched || figures.mended) {
    (figures.failed ? logger.warn : logger.info).call(logger, 'case workflows reconciled', { ...figures });
  }
  return figures;
});
