import * as z from 'zod';
import { CaseIdParam } from '#shared/contract/schemas';
import { apiHandler } from '#shared/http/api-handler';
import { accessLogReader } from '#shared/use-cases/read-case';
import { tableDependencies, uploadBucket } from '#shared/use-cases/dependencies';
import { eraseCase } from '#shared/use-cases/retention';

const deps = { ...tableDependencies(), ...uploadBucket() };

export const handler = apiHandler('EraseCase', { params: z.object({ caseId: CaseIdParam }) }, async ({ params, principal }) => ({
  statusCode: 200,
  body: await eraseCase(deps, params.caseId, accessLogReader(principal, 'admin')),
}));
