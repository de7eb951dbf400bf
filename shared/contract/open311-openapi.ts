import * as z from 'zod';
import type { OperationDoc, ResponseDoc, RouteDoc } from './openapi';
import {
  CreateServiceRequestInput, ListServiceRequestsQuery, MAX_REQUEST_IDS, SERVICE_REQUEST_ID,
} from './open311';

/**
 * The OpenAPI documentation of the Open311 route (shared/contract/open311.ts, functions/open311/georeport.ts): each
 * GeoReport v2 method in its .json and .xml forms. The answers are the standard's, described here as zod schemas
 * (test/unit/contract/openapi.test.ts holds them to the interfaces of ./open311.ts).
 */

type Format = 'json' | 'xml';
/** The media types of the two forms (the handler adds `; charset=utf-8`). */
const MEDIA: Record<Format, string> = { json: 'application/json', xml: 'text/xml' };

const nullableText = z.string().nullable();

export const Open311Service = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']),
  keywords: z.string(),
  group: z.string(),
}).meta({ xml: { name: 'service' } });
export const Open311Services = z.array(Open311Service).meta({ xml: { name: 'services', wrapped: true } });

export const Open311ServiceRequest = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']).describe('Closed once the people were dealt with on the street.'),
  status_notes: nullableText,
  service_name: z.string(),
  service_code: z.string(),
  description: nullableText.describe('Shown only to the help point that filed the request (its api_key).'),
  agency_responsible: nullableText,
  service_notice: nullableText,
  requested_datetime: z.string().describe('W3C date-time in China Standard Time (+08:00).'),
  updated_datetime: z.string(),
  expected_datetime: nullableText,
  address: nullableText.describe('Shown only to the help point that filed the request.'),
  address_id: nullableText,
  zipcode: nullableText,
  lat: z.number().nullable().describe('Shown only to the help point that filed the request, when it sent coordinates.'),
  long: z.number().nullable(),
  media_url: nullableText.describe('Shown only to the help point that filed the request.'),
}).meta({ xml: { name: 'request' } });
export const Open311ServiceRequests = z.array(Open311ServiceRequest).meta({ xml: { name: 'service_requests', wrapped: true } });

export const Open311Created = z.object({
  service_request_id: z.string(),
  service_notice: z.string(),
  account_id: nullableText,
}).meta({ xml: { name: 'request' } });
export const Open311CreatedList = z.array(Open311Created).meta({ xml: { name: 'service_requests', wrapped: true } });

export const Open311Error = z.object({
  code: z.int().describe('The HTTP status.'),
  description: z.string().describe('What is wrong, naming the field at fault.'),
}).meta({ xml: { name: 'error' } });
export const Open311Errors = z.array(Open311Error).meta({ xml: { name: 'errors', wrapped: true } });

const ApiKey = z.string().min(1).max(256);
const API_KEY = "The help point's own key.";

/** POST requests: the fields the handler validates, and the api_key it checks first. */
export const Open311ServiceRequestInput = z.object({ api_key: ApiKey.describe(API_KEY), ...CreateServiceRequestInput.shape });

type ErrorStatus = 400 | 403 | 404 | 409 | 413 | 415 | 429;

/** One Open311 method in one form: its answers, and its errors as GeoReport errors, all in that form. */
function method(formats: readonly Format[], doc: Omit<OperationDoc, 'tag' | 'responses' | 'ownErrors'> & {
  operationId: string;
  summary: string;
  success: { status: 200 | 201; description: string; schema: z.ZodType };
  errors: Partial<Record<ErrorStatus, string>>;
}): OperationDoc & { operationId: string; summary: string } {
  const { success, errors, ...rest } = doc;
  const mediaTypes = formats.map((format) => MEDIA[format]);
  const responses: Record<number, ResponseDoc> = { [success.status]: { description: success.description, schema: success.schema, mediaTypes } };
  for (const [status, description] of Object.entries(errors)) {
    responses[Number(status)] = { description: `${description} GeoReport errors: \`[{ code, description }]\`.`, schema: Open311Errors, mediaTypes };
  }
  return { ...rest, tag: 'Open311', ownErrors: true, responses };
}

const BODY_ERRORS = { 413: 'The body is larger than the API accepts.', 415: 'The fields are not form-encoded (or JSON).' } as const;

const listServices = (format: Format) => method([format], {
  operationId: format === 'json' ? 'Open311ListServices' : 'Open311ListServicesXml',
  summary: `The services a help point may request (${format.toUpperCase()}).`,
  success: { status: 200, description: 'The services.', schema: Open311Services },
  errors: {},
});

const createRequest = (format: Format) => method([format], {
  operationId: format === 'json' ? 'Open311CreateRequest' : 'Open311CreateRequestXml',
  summary: `Report a person in need, or ask for help (${format.toUpperCase()} answer).`,
  description: 'The request becomes a sighting from the public at the help point, and a case. Send `lat` and `long`, '
    + 'or `address_string` (the case then stands at the help point until a team finds the place). Fields the '
    + 'standard defines but this service does not use are accepted and ignored.',
  body: {
    schema: Open311ServiceRequestInput,
    mediaTypes: ['application/x-www-form-urlencoded', 'application/json'],
  },
  idempotent: true,
  success: { status: 201, description: 'The request is filed.', schema: Open311CreatedList },
  errors: {
    400: 'A field is missing or not valid.',
    403: 'The api_key is missing or not a help point\'s.',
    404: 'The service_code is not one of services.json.',
    409: 'The Idempotency-Key was already used with different fields.',
    429: 'The help point has opened as many new cases this hour as its quota allows (20 by default); nothing was filed. '
      + '`Retry-After` says when the hour turns. A tip about a place that already has a case is never refused.',
    ...BODY_ERRORS,
  },
});

const listRequests = (format: Format) => method([format], {
  operationId: format === 'json' ? 'Open311ListRequests' : 'Open311ListRequestsXml',
  summary: `The help point's own requests, newest first (${format.toUpperCase()}).`,
  description: 'At most 1000 requests, of at most 90 days (the last 90 by default). Unlike in the standard, '
    + 'api_key is required: these are reports about vulnerable people. `service_request_id` overrides the other filters.',
  query: z.object({ api_key: ApiKey, ...ListServiceRequestsQuery.shape }),
  parameters: {
    api_key: API_KEY,
    service_request_id: `Up to ${MAX_REQUEST_IDS} ids, comma-separated.`,
    service_code: 'Service codes, comma-separated.',
    start_date: 'Requests filed at or after this time.',
    end_date: 'Requests filed at or before this time.',
    status: '`open`, `closed` or both, comma-separated.',
  },
  success: { status: 200, description: 'The requests.', schema: Open311ServiceRequests },
  errors: { 400: 'A filter is not valid, or the dates span more than 90 days.', 403: 'The api_key is missing or not a help point\'s.' },
});

const getRequest = method(['json', 'xml'], {
  operationId: 'Open311GetRequest',
  summary: 'One request, by its id; `.json` or `.xml` picks the form.',
  description: 'Anyone with the id sees its progress; the help point that filed it (its api_key) also sees what it reported.',
  path: z.object({
    requestFile: z.string().regex(new RegExp(`^${SERVICE_REQUEST_ID.source.slice(1, -1)}\\.(json|xml)$`)),
  }),
  query: z.object({ api_key: ApiKey.optional() }),
  parameters: { requestFile: 'The service_request_id followed by `.json` or `.xml`.', api_key: API_KEY },
  success: { status: 200, description: 'The request, as a list of one.', schema: Open311ServiceRequests },
  errors: { 403: 'The api_key is not a help point\'s.', 404: 'There is no such request.' },
});

export const OPEN311_DOC: RouteDoc<'Open311'> = {
  operations: {
    'GET /open311/v2/services.json': listServices('json'),
    'GET /open311/v2/services.xml': listServices('xml'),
    'POST /open311/v2/requests.json': createRequest('json'),
    'POST /open311/v2/requests.xml': createRequest('xml'),
    'GET /open311/v2/requests.json': listRequests('json'),
    'GET /open311/v2/requests.xml': listRequests('xml'),
    'GET /open311/v2/requests/{requestFile}': getRequest,
  },
};

/** The document's components for Open311, named as the standard names them. */
export const OPEN311_COMPONENTS = {
  Open311ServiceRequestInput, Open311Service, Open311Services, Open311ServiceRequest, Open311ServiceRequests, Open311Created, Open311CreatedList,
  Open311Error, Open311Errors,
};
