import { z } from 'zod';
import { CaseIdParam } from '#shared/contract/schemas';
import { notFound } from '#shared/domain/errors';
import { apiHandler } from '#shared/http/api-handler';
import { dependenciesFromEnvironment } from '#shared/use-cases/dependencies';

const deps = dependenciesFromEnvironment();

export const handler = apiHandler('GetCase', { params: z.object({ caseId: CaseIdParam }) }, async ({ params }) => {
  const detail = await deps.cases.getCaseDetail(params.caseId);
  if (!detail) throw notFound(`case ${params.caseId} does not exist`);
  const { wait: _wait, ...visible } = detail.case;
  return {
    statusCode: 200,
    body: { ...visible, timeline: detail.timeline, sightings: detail.sightings, detections: [], photos: detail.photos },
  };
});
