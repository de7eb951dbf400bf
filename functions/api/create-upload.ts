import { CreateUploadRequest } from '#shared/contract/schemas';
import { apiHandler } from '#shared/http/api-handler';
import { dependenciesFromEnvironment } from '#shared/use-cases/dependencies';
import { requestUpload } from '#shared/use-cases/uploads';

const deps = dependenciesFromEnvironment();

export const handler = apiHandler('CreateUpload', { body: CreateUploadRequest }, async ({ body, actor, idempotency }) => {
  const result = await requestUpload(deps, { request: body, actor, ...(idempotency ? { idempotency } : {}) });
  return { statusCode: result.statusCode, body: result.body, ...(result.replayed ? { headers: { 'idempotency-replayed': 'true' } } : {}) };
});
