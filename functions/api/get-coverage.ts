import { CoverageQuery } from '#shared/contract/campaign';
import { seesEverything } from '#shared/domain/access-policy';
import { apiHandler } from '#shared/http/api-handler';
import { mayReadCampaign, nightCoverage } from '#shared/use-cases/campaign';
import { tableDependencies } from '#shared/use-cases/dependencies';

const deps = tableDependencies();

export const handler = apiHandler('GetCoverage', { query: CoverageQuery }, async ({ query, principal }) => {
  await mayReadCampaign(deps, principal);
  // A station sees its own hot spots; a coordinator the city's.
  const stationId = seesEverything(principal) ? undefined : principal.stationId;
  return { statusCode: 200, body: await nightCoverage(deps, query.night, stationId ? { stationId } : {}) };
});
