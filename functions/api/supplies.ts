import { CountSuppliesRequest, StationIdParam } from '#shared/contract/campaign';
import { apiHandler, apiRoutes } from '#shared/http/api-handler';
import { mayReadCampaign } from '#shared/use-cases/campaign';
import { notifier, tableDependencies } from '#shared/use-cases/dependencies';
import { countSupplies, listSupplies } from '#shared/use-cases/supplies';

const deps = { ...tableDependencies(), ...notifier() };

export const handler = apiRoutes({
  ListSupplies: apiHandler('ListSupplies', {}, async ({ principal }) => {
    await mayReadCampaign(deps, principal);
    return { statusCode: 200, body: await listSupplies(deps, principal) };
  }),
  CountSupplies: apiHandler('CountSupplies', { params: StationIdParam, body: CountSuppliesRequest }, async ({ params, body, actor, principal }) => {
    await mayReadCampaign(deps, principal);
    return { statusCode: 200, body: await countSupplies(deps, { stationId: params.stationId, stock: body.stock, actor, roles: principal.roles }) };
  }),
});
