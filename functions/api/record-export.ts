import { RecordExportRequest } from '#shared/contract/schemas';
import { apiHandler } from '#shared/http/api-handler';
import { tableDependencies } from '#shared/use-cases/dependencies';
import { recordExport } from '#shared/use-cases/record-export';

const deps = tableDependencies();

export const handler = apiHandler('RecordExport', { body: RecordExportRequest }, async ({ body, principal, idempotency }) => {
  const result = await recordExport(deps, { request: body, principal, ...(idempotency ? { idempotency } : {}) });
  return { statusCode: result.statusCode, body: result.body, ...(result.replayed ? { headers: { 'idempotency-replayed': 'true' } } : {}) };
});
