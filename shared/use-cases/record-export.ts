import { monotonicFactory } from 'ulid';
import type { RecordExportRequest } from '../contract/schemas';
import type { Principal } from '../http/principal';
import type { Dependencies } from './dependencies';
import { type IdempotentRequest, idempotentCreate } from './idempotent';
import { accessLogReader, readingRole } from './read-case';

const ulid = monotonicFactory();

/**
 * POST /v1/exports: before the wall hands out a CSV or GeoJSON of cases, each case's access log gets an `export`
 * entry with who and how many cases the export held. The pages make the file only once this has answered.
 */
export async function recordExport(
  deps: Pick<Dependencies, 'accessLog' | 'idempotency' | 'now'>,
  input: { request: RecordExportRequest; principal: Principal; idempotency?: IdempotentRequest },
) {
  return idempotentCreate(deps, input.idempotency, async () => {
    const caseIds = [...new Set(input.request.caseIds)];
    const at = deps.now().toISOString();
    await deps.accessLog.appendToEach(caseIds, { at, ...accessLogReader(input.principal, readingRole(input.principal)), what: 'export', count: caseIds.length });
    return { statusCode: 201, body: { exportId: `exp-${ulid()}`, format: input.request.format, cases: caseIds.length, at } };
  });
}
