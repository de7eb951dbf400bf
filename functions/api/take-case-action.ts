import * as z from 'zod';
import { CaseAction, CaseIdParam } from '#shared/contract/schemas';
import { apiHandler } from '#shared/http/api-handler';
import { caseGate } from '#shared/use-cases/case-access';
import { takeCaseAction } from '#shared/use-cases/case-actions';
import { caseWorkflow, notifier, personWorkflow, tableDependencies } from '#shared/use-cases/dependencies';

const deps = { ...tableDependencies(), ...caseWorkflow(), ...personWorkflow(), ...notifier() };

export const handler = apiHandler('TakeCaseAction', { params: z.object({ caseId: CaseIdParam }), body: CaseAction },
  async ({ params, body, actor, principal }) => {
    const gate = await caseGate(deps, principal);
    const result = await takeCaseAction(deps, { caseId: params.caseId, action: body, actor, roles: principal.roles, gate });
    return { statusCode: 200, body: result };
  });
