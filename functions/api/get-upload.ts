import * as z from 'zod';
import { UploadIdParam } from '#shared/contract/schemas';
import { apiHandler } from '#shared/http/api-handler';
import { caseGate } from '#shared/use-cases/case-access';
import { tableDependencies, uploadBucket } from '#shared/use-cases/dependencies';
import { getUpload } from '#shared/use-cases/uploads';

const deps = { ...tableDependencies(), ...uploadBucket() };

export const handler = apiHandler('GetUpload', { params: z.object({ uploadId: UploadIdParam }) }, async ({ params, actor, principal }) => {
  const { uploadedBy: _uploadedBy, requestedPose: _requested, ...upload } = await getUpload(deps, { uploadId: params.uploadId, actor, gate: await caseGate(deps, principal) });
  return { statusCode: 200, body: upload };
});
