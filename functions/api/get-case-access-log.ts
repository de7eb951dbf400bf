import * as z from 'zod';
import { AccessLogQuery, CaseIdParam } from '#shared/contract/schemas';
import { apiHandler } from '#shared/http/api-handler';
import { caseGate, readableCase } from '#shared/use-cases/case-access';
import { tableDependencies } from '#shared/use-cases/dependencies';

const deps = tableDependencies();

export const handler = apiHandler('GetCaseAccessLog', { params: z.object({ caseId: CaseIdParam }), query: AccessLogQuery },
  async ({ params, query, principal }) => {
    // The route is for coordinators and admins, who read every case: this only tells a missing case apart.
    await readableCase(deps, await caseGate(deps, principal), params.caseId);
    return { statusCode: 200, body: await deps.accessLog.list(params.caseId, query.limit, query.cursor) };
  });
