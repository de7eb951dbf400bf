import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z, ZodType } from 'zod';
import type { Open311Error } from '../contract/open311';
import { formatOfPath, type Open311Format, type Open311Kind, OPEN311_CONTENT_TYPES, renderOpen311 } from '../contract/open311-format';
import { idempotencyKeyOf, MAX_BODY_BYTES, problemOf, RequestProblem, retryAfterOf, validationProblem } from './api-handler';
import { problem, type Problem } from './problem';
import { observed } from '../adapters/observability';

/** Public routes: no authorizer, so no JWT claims; the help point's api_key is the credential. */
type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

/** The contract's limit on an Idempotency-Key. */

export interface Open311Call {
  format: Open311Format;
  query: Record<string, string>;
  params: Record<string, string>;
  /** The body's fields, form-encoded (the standard) or JSON; {} without a body. */
  fields: () => Record<string, unknown>;
  idempotencyKey?: string;
  event: Event;
}

export interface Open311Answer {
  statusCode?: number;
  kind: Open311Kind;
  rows: readonly object[];
  headers?: Record<string, string>;
}

export type Open311Operation = (call: Open311Call) => Promise<Open311Answer>;

/** Open311's error shape: one { code, description } per problem found, code being the HTTP status. */
export function open311Errors(p: Pick<Problem, 'status' | 'detail' | 'errors'>): Open311Error[] {
  return p.errors?.length
    ? p.errors.map((e) => ({ code: p.status, description: e.path ? `${e.path}: ${e.message}` : e.message }))
    : [{ code: p.status, description: p.detail }];
}

/** Every error becomes Open311 errors in the format the path asked for; anything unexpected is a bug, logged. */
const open311ErrorResponses = (): MiddlewareObj<Event, Result> => ({
  onError: async (request) => {
    const p = problemOf(request.error, request.context.awsRequestId);
    const format = formatOfPath(request.event.rawPath ?? '');
    request.response = {
      statusCode: p.status,
      headers: { 'content-type': OPEN311_CONTENT_TYPES[format], 'cache-control': 'no-store', ...retryAfterOf(request.error) },
      body: renderOpen311(format, 'errors', open311Errors(p)),
    };
  },
});

function bodyFields(event: Event): Record<string, unknown> {
  if (event.body === undefined || event.body === null || event.body === '') return {};
  // API Gateway base64-encodes form bodies; the local gateway passes them as text.
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new RequestProblem(problem('payload-too-large', `the body may be at most ${MAX_BODY_BYTES} bytes`));
  }
  const type = (event.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  if (type === 'application/json' || type.endsWith('+json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new RequestProblem(problem('malformed-json', `the body is not valid JSON: ${(error as Error).message}`));
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new RequestProblem(problem('invalid-request', 'the JSON body must be an object of Open311 fields'));
    }
    return parsed as Record<string, unknown>;
  }
  throw new RequestProblem(problem('unsupported-media-type',
    `send the fields as application/x-www-form-urlencoded (or application/json), not '${type || 'no content type'}'`));
}

/** Validates with zod; a failure is a 400 naming every field at fault (Open311's fields are flat names, query or body). */
export function parseOpen311<T extends ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new RequestProblem(validationProblem(result.error, 'body'));
  return result.data;
}

/**
 * The Open311 counterpart of apiHandler: one function serves the standard's methods, each in .json and .xml.
 * Operations are keyed by route key without the format ('GET /open311/v2/services'); answers and errors are
 * rendered in the format the path asks for.
 */
export function open311Handler(operations: Record<string, Open311Operation>) {
  return middy<Event, Result, Error, Context>()
    .use(observed())
    .use(open311ErrorResponses())
    .handler(async (event) => {
      const format = formatOfPath(event.rawPath);
      const operation = operations[event.routeKey.replace(/\.(json|xml)$/, '')];
      if (!operation) throw new RequestProblem(problem('not-found', `no Open311 method serves ${event.routeKey}`));
      const idempotencyKey = event.requestContext.http.method === 'POST' ? idempotencyKeyOf(event.headers) : undefined;
      const answer = await operation({
        format,
        query: (event.queryStringParameters ?? {}) as Record<string, string>,
        params: (event.pathParameters ?? {}) as Record<string, string>,
        fields: () => bodyFields(event),
        ...(idempotencyKey ? { idempotencyKey } : {}),
        event,
      });
      return {
        statusCode: answer.statusCode ?? 200,
        headers: { 'content-type': OPEN311_CONTENT_TYPES[format], 'cache-control': 'no-store', ...answer.headers },
        body: renderOpen311(format, answer.kind, answer.rows),
      };
    });
}
