import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { buildOpenApiDocument } from '#shared/contract/openapi';

// Static for a deployment: built once per container, when the module loads.
const body = JSON.stringify(buildOpenApiDocument());

/** GET /openapi.json: public, so it does not go through apiHandler (which requires a token). */
export const handler = async (): Promise<APIGatewayProxyStructuredResultV2> => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
  body,
});
