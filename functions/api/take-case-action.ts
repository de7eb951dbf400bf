import { z } from 'zod';
import { CaseAction, CaseIdParam } from '#shared/contract/schemas';
import { apiHandler } from '#shared/http/api-handler';
import { takeCaseAction } from '#shared/use-cases/case-actions';
import { dependenciesFromEnvironment } from '#shared/use-cases/dependencies';

const deps = dependenciesFromEnvironment();

export const handler = apiHandler('TakeCaseAction', { params: z.object({ caseId: CaseIdParam }), body: CaseAction },
  async ({ params, body, actor, principal }) => {
    const result = await takeCaseAction(deps, { caseId: params.caseId, action: body, actor, roles: principal.roles });
    return { statusCode: 200, body: result };
  });
