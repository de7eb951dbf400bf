import { CreateDetectionsRequest } from '#shared/contract/schemas';
import { apiHandler } from '#shared/http/api-handler';
import { dependenciesFromEnvironment } from '#shared/use-cases/dependencies';
import { ingestDetections } from '#shared/use-cases/ingest-detections';

const deps = dependenciesFromEnvironment();

export const handler = apiHandler('CreateDetections', { body: CreateDetectionsRequest }, async ({ body, actor, idempotency }) => {
  const result = await ingestDetections(deps, { ...body, actor, ...(idempotency ? { idempotency } : {}) });
  return { statusCode: result.statusCode, body: result.body, ...(result.replayed ? { headers: { 'idempotency-replayed': 'true' } } : {}) };
});
