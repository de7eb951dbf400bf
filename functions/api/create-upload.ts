import { CreateUploadRequest } from '#shared/contract/schemas';
import { apiHandler } from '#shared/http/api-handler';
import { caseGate } from '#shared/use-cases/case-access';
import { tableDependencies, uploadBucket } from '#shared/use-cases/dependencies';
import { requestUpload } from '#shared/use-cases/uploads';

const deps = { ...tableDependencies(), ...uploadBucket() };

export const handler = apiHandler('CreateUpload', { body: CreateUploadRequest }, async ({ body, actor, principal, idempotency }) => {
  const result = await requestUpload(deps, { request: body, actor, gate: await caseGate(deps, principal), ...(idempotency ? { idempotency } : {}) });
  return { statusCode: result.statusCode, body: result.body, ...(result.replayed ? { headers: { 'idempotency-replayed': 'true' } } : {}) };
});
