import { dynamoDocumentClient } from '#shared/adapters/aws-clients';
import { CreateServiceRequestInput, ListServiceRequestsQuery, OPEN311_SERVICES } from '#shared/contract/open311';
import { notFound } from '#shared/domain/errors';
import { open311Handler, parseOpen311 } from '#shared/http/open311-handler';
import { settings } from '#shared/settings';
import { Open311RequestStore } from '#shared/store/open311-request-store';
import { caseWorkflow, notifier, tableDependencies } from '#shared/use-cases/dependencies';
import {
  getServiceRequest, helpPointOfKey, listServiceRequests, requireHelpPoint, submitServiceRequest,
} from '#shared/use-cases/open311';

const deps = { ...tableDependencies(), ...caseWorkflow(), ...notifier(), open311: new Open311RequestStore(dynamoDocumentClient(), settings.tableName) };

/** Open311 GeoReport v2 for the help points (shared/contract/open311.ts): every method, in .json and .xml. */
export const handler = open311Handler({
  'GET /open311/v2/services': async () => ({ kind: 'services', rows: OPEN311_SERVICES }),

  'POST /open311/v2/requests': async ({ fields, idempotencyKey }) => {
    const body = fields();
    // The key first: someone without one learns nothing, not even which fields are wrong.
    const helpPoint = await requireHelpPoint(deps, body.api_key, 'report');
    const request = parseOpen311(CreateServiceRequestInput, body);
    const result = await submitServiceRequest(deps, { helpPoint, request, ...(idempotencyKey ? { idempotencyKey } : {}) });
    return {
      statusCode: 201,
      kind: 'service_requests',
      rows: [result.created],
      ...(result.replayed ? { headers: { 'idempotency-replayed': 'true' } } : {}),
    };
  },

  'GET /open311/v2/requests': async ({ query }) => {
    const helpPoint = await requireHelpPoint(deps, query.api_key, 'list requests');
    const filters = parseOpen311(ListServiceRequestsQuery, query);
    return { kind: 'service_requests', rows: await listServiceRequests(deps, { helpPoint, query: filters }) };
  },

  'GET /open311/v2/requests/{requestFile}': async ({ params, query }) => {
    // API Gateway paths cannot hold a parameter and a literal in one segment: the id comes with its format.
    const requestId = /^(.+)\.(json|xml)$/i.exec(params.requestFile ?? '')?.[1];
    if (!requestId) throw notFound('ask for requests/{service_request_id}.json or .xml');
    const viewer = await helpPointOfKey(deps, query.api_key, 'read this request');
    return { kind: 'service_requests', rows: [await getServiceRequest(deps, { requestId, ...(viewer ? { viewer } : {}) })] };
  },
});
