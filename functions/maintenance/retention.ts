import middy from '@middy/core';
import { tableDependencies, uploadBucket } from '#shared/use-cases/dependencies';
import { sweepRetention } from '#shared/use-cases/retention';

const deps = { ...tableDependencies(), ...uploadBucket() };

/** Runs daily (an EventBridge rule; the runtime's scheduler locally): erases the personal data of cases past retention. */
export const handler = middy<unknown, unknown>().handler(async () => {
  const figures = await sweepRetention(deps);
  if (figures.erased || figures.filesErased) console.log(JSON.stringify({ level: 'info', message: 'personal data past retention erased', ...figures }));
  return figures;
});
