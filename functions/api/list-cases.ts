import { ListCasesQuery } from '#shared/contract/schemas';
import { apiHandler } from '#shared/http/api-handler';
import { tableDependencies } from '#shared/use-cases/dependencies';
import { listCasesFor } from '#shared/use-cases/list-cases';

const deps = tableDependencies();

export const handler = apiHandler('ListCases', { query: ListCasesQuery }, async ({ query, principal }) => ({
  statusCode: 200,
  body: await listCasesFor(deps, principal, query),
}));
