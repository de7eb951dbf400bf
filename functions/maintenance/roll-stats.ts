import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { tableDependencies } from '#shared/use-cases/dependencies';
import { rollStats } from '#shared/use-cases/roll-stats';
import { logger, observed } from '#shared/adapters/observability';

const deps = tableDependencies();
/** The pass stops walking back through history this long before it is cut off, so that it can keep what it counted. */
const MARGIN_MS = 15_000;

/**
 * Runs every minute (an EventBridge rule): keeps the figures of the hours whose cases changed, and walks back through
 * history not yet kept (shared/use-cases/roll-stats.ts). The scheduled event carries nothing it needs.
 */
export const handler = middy<unknown, unknown, Error, Context>().use(observed()).handler(async (_event, context) => {
  const rolled = await rollStats(deps, Date.now() + Math.max(5_000, context.getRemainingTimeInMillis() - MARGIN_MS));
  if (rolled.hours || rolled.walked) logger.info('figures kept', { ...rolled });
  return rolled;
});
