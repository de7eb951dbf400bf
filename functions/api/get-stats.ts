import { StatsQuery } from '#shared/contract/stats';
import { apiHandler } from '#shared/http/api-handler';
import { tableDependencies } from '#shared/use-cases/dependencies';
import { caseGate } from '#shared/use-cases/case-access';
import { campaignStats } from '#shared/use-cases/stats';

const deps = tableDependencies();

export const handler = apiHandler('GetStats', { query: StatsQuery }, async ({ query, principal }) => ({
  statusCode: 200,
  body: await campaignStats(deps, query, await caseGate(deps, principal)),
}));
