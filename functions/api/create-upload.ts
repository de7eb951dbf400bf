import { CreateUploadRequest } from '#shared/contract/schemas';
import { apiHandler } from '#shared/http/api-handler';
import { dependenciesFromEnvironment } from '#shared/use-cases/dependencies';
import { requestUpload } from '#shared/use-cases/uploads';

const deps = dependenciesFromEnvironment();

export const handler = apiHandler('CreateUpload', { body: CreateUploadRequest }, async ({ body, actor }) => ({
  statusCode: 201,
  body: await requestUpload(deps, { request: body, actor }),
}));
