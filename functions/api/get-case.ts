import * as z from 'zod';
import { CaseIdParam } from '#shared/contract/schemas';
import { apiHandler } from '#shared/http/api-handler';
import { tableDependencies, uploadBucket } from '#shared/use-cases/dependencies';
import { readCase } from '#shared/use-cases/read-case';

const deps = { ...tableDependencies(), ...uploadBucket() };

export const handler = apiHandler('GetCase', { params: z.object({ caseId: CaseIdParam }) }, async ({ params, principal }) => ({
  statusCode: 200,
  body: await readCase(deps, principal, params.caseId),
}));
