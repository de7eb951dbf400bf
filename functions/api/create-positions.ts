import { CreatePositionsRequest } from '#shared/contract/campaign';
import { apiHandler } from '#shared/http/api-handler';
import { recordPositions } from '#shared/use-cases/campaign';
import { tableDependencies } from '#shared/use-cases/dependencies';

const deps = tableDependencies();

export const handler = apiHandler('CreatePositions', { body: CreatePositionsRequest }, async ({ body, actor, idempotency }) => {
  const result = await recordPositions(deps, { actor, positions: body.positions, ...(idempotency ? { idempotency } : {}) });
  return { statusCode: result.statusCode, body: result.body, ...(result.replayed ? { headers: { 'idempotency-replayed': 'true' } } : {}) };
});
