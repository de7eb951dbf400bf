import middy from '@middy/core';
import { tableDependencies, uploadBucket } from '#shared/use-cases/dependencies';
import { sweepRetention } from '#shared/use-cases/retention';
import { logger, observed } from '#shared/adapters/observability';

const deps = { ...tableDependencies(), ...uploadBucket() };

/** Runs daily (an EventBridge rule; the runtime's scheduler locally): erases the personal data of cases past retention. */
export const handler = middy<unknown, unknown>().use(observed()).handler(async () => {
  const figures = await sweepRetention(deps);
  if (figures.erased || figures.filesErased) logger.info('personal data past retention erased', { ...figures });
  return figures;
});
