import { CoverageQuery, CreateCheckRequest, HotSpotParams } from '#shared/contract/campaign';
import { apiHandler, apiRoutes } from '#shared/http/api-handler';
import { checkInAtHotSpot, listCheckIns, mayReadCampaign } from '#shared/use-cases/campaign';
import { caseWorkflow, notifier, tableDependencies, uploadBucket } from '#shared/use-cases/dependencies';

const deps = { ...tableDependencies(), ...caseWorkflow(), ...notifier(), ...uploadBucket() };

export const handler = apiRoutes({
  CreateHotSpotCheck: apiHandler('CreateHotSpotCheck', { params: HotSpotParams, body: CreateCheckRequest }, async ({ params, body, actor, idempotency }) => {
    const result = await checkInAtHotSpot(deps, { hotSpotId: params.hotSpotId, request: body, actor, ...(idempotency ? { idempotency } : {}) });
    return { statusCode: result.statusCode, body: result.body, ...(result.replayed ? { headers: { 'idempotency-replayed': 'true' } } : {}) };
  }),
  ListHotSpotChecks: apiHandler('ListHotSpotChecks', { params: HotSpotParams, query: CoverageQuery }, async ({ params, query, principal }) => {
    await mayReadCampaign(deps, principal);
    return { statusCode: 200, body: await listCheckIns(deps, params.hotSpotId, query.night) };
  }),
});
