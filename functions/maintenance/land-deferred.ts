import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { caseWorkflow, notifier, tableDependencies } from '#shared/use-cases/dependencies';
import { landDeferredDetections } from '#shared/use-cases/ingest-detections';
import { logger, observed } from '#shared/adapters/observability';

const deps = { ...tableDependencies(), ...caseWorkflow(), ...notifier() };
/** The sweep stops starting landings this long before it is cut off, so that one begun can finish. */
const MARGIN_MS = 20_000;

/**
 * Runs every minute (an EventBridge rule): lands the detections that requests accepted but had no time to land
 * (shared/use-cases/ingest-detections.ts). The scheduled event carries nothing it needs.
 */
export const handler = middy<unknown, unknown, Error, Context>().use(observed()).handler(async (_event, context) => {
  const landed = await landDeferredDetections(deps, Date.now() + Math.max(5_000, context.getRemainingTimeInMillis() - MARGIN_MS));
  if (landed.landings) logger.info('deferred detections landed', { ...landed });
  return landed;
});
