import * as z from 'zod';
import { AccessLogQuery, CaseIdParam } from '#shared/contract/schemas';
import { apiHandler } from '#shared/http/api-handler';
import { caseGate, missingCase, readableCase } from '#shared/use-cases/case-access';
import { tableDependencies } from '#shared/use-cases/dependencies';

const deps = tableDependencies();

export const handler = apiHandler('ListCaseDetections', { params: z.object({ caseId: CaseIdParam }), query: AccessLogQuery },
  async ({ params, query, principal }) => {
    // As the detail: a case the caller reads in full, else the same 404 as a missing one.
    const { access } = await readableCase(deps, await caseGate(deps, principal), params.caseId);
    if (access !== 'full') throw missingCase(params.caseId);
    return { statusCode: 200, body: await deps.cases.listDetections(params.caseId, query.limit, query.cursor) };
  });
