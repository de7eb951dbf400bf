import { z } from 'zod';
import { CaseIdParam } from '#shared/contract/schemas';
import { notFound } from '#shared/domain/errors';
import { mergedPeople } from '#shared/domain/people';
import { apiHandler } from '#shared/http/api-handler';
import { dependenciesFromEnvironment } from '#shared/use-cases/dependencies';
import { PHOTO_URL_SECONDS } from '#shared/use-cases/uploads';

const deps = dependenciesFromEnvironment();

export const handler = apiHandler('GetCase', { params: z.object({ caseId: CaseIdParam }) }, async ({ params }) => {
  const detail = await deps.cases.getCaseDetail(params.caseId);
  if (!detail) throw notFound(`case ${params.caseId} does not exist`);
  // Workflow bookkeeping stays inside: the task token, the optimistic version, the execution generation.
  const { wait: _wait, version: _version, workflowGeneration: _generation, retriage: _retriage, ...visible } = detail.case;
  // Only the copy without metadata is handed out; the original (with the device's own details) never is, so a
  // photo recorded without such a copy is listed without a URL.
  const photos = await Promise.all(detail.photos.map(async ({ key: _original, viewKey, ...photo }) => ({
    ...photo,
    ...(viewKey ? {
      url: await deps.bucket.presignGet(viewKey, PHOTO_URL_SECONDS),
      urlExpiresAt: new Date(Date.now() + PHOTO_URL_SECONDS * 1000).toISOString(),
    } : {}),
  })));
  return {
    statusCode: 200,
    body: {
      ...visible, people: detail.case.intakePeople ?? mergedPeople(detail.sightings), timeline: detail.timeline, sightings: detail.sightings, detections: detail.detections, photos,
      notifications: detail.notifications.toSorted((x, y) => x.createdAt.localeCompare(y.createdAt)),
    },
  };
});
