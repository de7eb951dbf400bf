import { ListCasesQuery } from '#shared/contract/schemas';
import { summarize } from '#shared/domain/case';
import { apiHandler } from '#shared/http/api-handler';
import { dependenciesFromEnvironment } from '#shared/use-cases/dependencies';

const deps = dependenciesFromEnvironment();

export const handler = apiHandler('ListCases', { query: ListCasesQuery }, async ({ query }) => {
  const page = await deps.cases.listCases(query);
  return {
    statusCode: 200,
    body: { items: page.items.map(summarize), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) },
  };
});
