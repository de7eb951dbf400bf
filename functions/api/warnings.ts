import * as z from 'zod';
import { WarningsQuery } from '#shared/contract/campaign';
import { apiHandler, apiRoutes } from '#shared/http/api-handler';
import { listWarnings, postWarning } from '#shared/use-cases/warnings';
import { notifier, tableDependencies } from '#shared/use-cases/dependencies';

const deps = { ...tableDependencies(), ...notifier() };

export const handler = apiRoutes({
  CreateWarning: apiHandler('CreateWarning', { body: z.string(), text: { mediaTypes: ['application/cap+xml', 'application/xml', 'text/xml'] } },
    async ({ body, actor, idempotency }) => {
      const result = await postWarning(deps, { text: body, actor, ...(idempotency ? { idempotency } : {}) });
      return { statusCode: result.statusCode, body: result.body, ...(result.replayed ? { headers: { 'idempotency-replayed': 'true' } } : {}) };
    }),
  ListWarnings: apiHandler('ListWarnings', { query: WarningsQuery }, async ({ query }) =>
    ({ statusCode: 200, body: await listWarnings(deps, { active: query.active === 'true' }) })),
});
