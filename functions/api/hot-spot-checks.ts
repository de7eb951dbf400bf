import { CreateCheckRequest, HotSpotParams } from '#shared/contract/campaign';
import { apiHandler } from '#shared/http/api-handler';
import { checkInAtHotSpot } from '#shared/use-cases/campaign';
import { caseWorkflow, notifier, tableDependencies } from '#shared/use-cases/dependencies';

const deps = { ...tableDependencies(), ...caseWorkflow(), ...notifier() };

export const handler = apiHandler('CreateHotSpotCheck', { params: HotSpotParams, body: CreateCheckRequest }, async ({ params, body, actor, idempotency }) => {
  const result = await checkInAtHotSpot(deps, { hotSpotId: params.hotSpotId, request: body, actor, ...(idempotency ? { idempotency } : {}) });
  return { statusCode: result.statusCode, body: result.body, ...(result.replayed ? { headers: { 'idempotency-replayed': 'true' } } : {}) };
});
