import { CreateSightingRequest } from '#shared/contract/schemas';
import { apiHandler } from '#shared/http/api-handler';
import { caseWorkflow, notifier, tableDependencies } from '#shared/use-cases/dependencies';
import { reportSighting } from '#shared/use-cases/report-sighting';

const deps = { ...tableDependencies(), ...caseWorkflow(), ...notifier() };

export const handler = apiHandler('CreateSighting', { body: CreateSightingRequest }, async (request) => {
  const result = await reportSighting(deps, {
    request: request.body,
    actor: request.actor,
    ...(request.idempotency ? { idempotency: request.idempotency } : {}),
  });
  return {
    statusCode: result.statusCode,
    body: result.body,
    headers: {
      location: `/v1/cases/${result.body.caseId}`,
      ...(result.replayed ? { 'idempotency-replayed': 'true' } : {}),
    },
  };
});
