import middy, { type MiddlewareObj } from '@middy/core';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context,
} from 'aws-lambda';
import * as z from 'zod';
import type { ZodError, ZodType } from 'zod';
import { pathsOf, route as routeSpec, type RouteId, type RouteSpec } from '../api/routes';
import type { Actor } from '../domain/case';
import { DomainError } from '../domain/errors';
import { idempotencyScope, requestHash } from '../store/idempotency-store';
import type { IdempotentRequest } from '../use-cases/idempotent';
import { countQuotaRefusal, logger, observed } from '../adapters/observability';
import { actorOf, type Principal, principalFromClaims } from './principal';
import { problem, type Problem, problemResponse, type ProblemType } from './problem';

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
type Result = APIGatewayProxyStructuredResultV2;

/** Larger bodies are refused before parsing; the biggest legitimate request (500 detections) is far below this. */
export const MAX_BODY_BYTES = 1_000_000;
export const MAX_IDEMPOTENCY_KEY = 128;

/** A problem found in the request itself, before any use case runs. */
export class RequestProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = 'RequestProblem';
  }
}

export interface ApiRequest<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  principal: Principal;
  actor: Actor;
  /** Present when the client sent an Idempotency-Key on a route that honours it. */
  idempotency?: IdempotentRequest;
  event: Event;
  /** Milliseconds left before the function is cut off: a route that may run long stops in time (create-detections). */
  remainingMs: () => number;
}

export interface ApiResult {
  statusCode: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The body is sent as it is, not as JSON: text (CSV), or bytes (a PDF, base64-encoded as the gateway wants them). */
  raw?: 'text' | 'base64';
}

interface Spec<B extends ZodType, Q extends ZodType, P extends ZodType> {
  /** The JSON body's schema; with `text`, the schema of the body as text. */
  body?: B;
  /** The body is text of these media types (XML, say), not JSON: `body` gets the text, validated by its schema. */
  text?: { mediaTypes: readonly string[] };
  query?: Q;
  params?: P;
}

const DOMAIN_PROBLEM: Record<DomainError['kind'], ProblemType> = {
  invalid: 'invalid-request',
  forbidden: 'forbidden',
  not_found: 'not-found',
  conflict: 'conflict',
  too_many_requests: 'too-many-requests',
};

/** A refusal that says when to come back (a used-up quota) carries Retry-After. */
export const retryAfterOf = (error: unknown): Record<string, string> =>
  (error instanceof DomainError && error.retryAfterSeconds !== undefined ? { 'retry-after': String(error.retryAfterSeconds) } : {});

const formatPath = (path: readonly PropertyKey[], prefix: string) =>
  path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), prefix);

export function validationProblem(error: ZodError, where: 'body' | 'query' | 'path'): Problem {
  const prefix = where === 'body' ? '' : where;
  // One error per unknown field, at that field's own path, so a client can point at it.
  const errors = error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys'
    ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key], prefix), message: 'is not a known field' }))
    : [{ path: formatPath(issue.path, prefix), message: issue.message }]));
  const first = errors[0]!;
  return problem('invalid-request', `${first.path || 'body'}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`, errors);
}

/**
 * The problem an error stands for: a request problem or a domain error as such; anything unexpected is a bug,
 * logged with the request id and answered as a 500 without its details.
 */
export function problemOf(error: unknown, requestId: string): Problem {
  if (error instanceof RequestProblem) return error.problem;
  if (error instanceof DomainError) return problem(DOMAIN_PROBLEM[error.kind], error.message, error.details);
  logger.error('unhandled error', { requestId, error: error instanceof Error ? error : String(error) });
  return problem('internal-error', `please retry; if it persists, report request ${requestId}`);
}

/** Turns every error into one problem response. */
const problemDetails = (): MiddlewareObj<Event, Result> => ({
  onError: async (request) => {
    if (request.error instanceof DomainError && request.error.kind === 'too_many_requests') countQuotaRefusal();
    request.response = problemResponse(problemOf(request.error, request.context.awsRequestId), retryAfterOf(request.error));
  },
});

/** The body as text: present, of a media type `accepts` takes (named `wanted` in the refusal), within the size limit. */
function bodyText(event: Event, accepts: (type: string) => boolean, wanted: string, missing: string): string {
  if (event.body === undefined || event.body === null || event.body === '') {
    throw new RequestProblem(problem('invalid-request', missing));
  }
  const type = (event.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!accepts(type)) {
    throw new RequestProblem(problem('unsupported-media-type', `send the body as ${wanted}, not '${type || 'no content type'}'`));
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new RequestProblem(problem('payload-too-large', `the body may be at most ${MAX_BODY_BYTES} bytes`));
  }
  return text;
}

function parseJsonBody(event: Event): unknown {
  const text = bodyText(event, (type) => type === 'application/json' || type.endsWith('+json'), 'application/json', 'the request needs a JSON body');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RequestProblem(problem('malformed-json', `the body is not valid JSON: ${(error as Error).message}`));
  }
}

const parseTextBody = (event: Event, mediaTypes: readonly string[]) =>
  bodyText(event, (type) => mediaTypes.includes(type), mediaTypes.join(' or '), `the request needs a body (${mediaTypes.join(' or ')})`);

function authenticate(event: Event, spec: RouteSpec): Principal {
  // Routes devices call have the Callers Lambda authorizer, whose context holds the same claims (authorize-caller.ts).
  const authorizer = event.requestContext.authorizer as { jwt?: { claims?: Record<string, unknown> }; lambda?: Record<string, unknown> } | undefined;
  const principal = principalFromClaims(authorizer?.lambda ?? authorizer?.jwt?.claims);
  if (!principal) throw new RequestProblem(problem('unauthenticated', 'send a valid bearer token in the Authorization header'));
  if (spec.access !== 'public' && !principal.roles.includes('admin') && !spec.access.some((r) => principal.roles.includes(r))) {
    throw new RequestProblem(problem('forbidden', `${spec.method} ${spec.path} is for ${spec.access.join(', ')}; your roles: ${principal.roles.join(', ') || 'none'}`));
  }
  return principal;
}

/** The Idempotency-Key header, if sent; a key of the wrong length is a 400. */
export function idempotencyKeyOf(headers: Record<string, string | undefined>): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY) {
    throw new RequestProblem(problem('invalid-request', `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY} characters`,
      [{ path: 'header:Idempotency-Key', message: `must be 1 to ${MAX_IDEMPOTENCY_KEY} characters, not ${key.length}` }]));
  }
  return key;
}

function idempotencyOf(event: Event, spec: RouteSpec, principal: Principal, body: unknown): IdempotentRequest | undefined {
  const key = idempotencyKeyOf(event.headers);
  return key === undefined ? undefined : { scope: idempotencyScope(spec.id, principal.sub, key), hash: requestHash(body) };
}

function parseWith<T extends ZodType>(schema: T | undefined, value: unknown, where: 'body' | 'query' | 'path'): z.output<T> {
  if (!schema) return undefined as z.output<T>;
  const result = schema.safeParse(value);
  if (!result.success) throw new RequestProblem(validationProblem(result.error, where));
  return result.data;
}

/**
 * Wraps a route's use case: authenticates, checks the role, parses and validates with zod, and maps the result
 * or any error to the response. Handlers only say what to parse and which use case to call.
 */
export function apiHandler<B extends ZodType = ZodType<undefined>, Q extends ZodType = ZodType<undefined>, P extends ZodType = ZodType<undefined>>(
  routeId: RouteId,
  spec: Spec<B, Q, P>,
  run: (request: ApiRequest<z.output<B>, z.output<Q>, z.output<P>>) => Promise<ApiResult>,
) {
  const route = routeSpec(routeId);
  return middy<Event, Result, Error, Context>()
    .use(observed())
    .use(problemDetails())
    .handler(async (event, context) => {
      const principal = authenticate(event, route);
      const params = parseWith(spec.params, event.pathParameters ?? {}, 'path');
      const query = parseWith(spec.query, event.queryStringParameters ?? {}, 'query');
      const rawBody = spec.text ? parseTextBody(event, spec.text.mediaTypes) : spec.body ? parseJsonBody(event) : undefined;
      const body = parseWith(spec.body, rawBody, 'body');
      const idempotency = route.idempotent ? idempotencyOf(event, route, principal, rawBody) : undefined;
      const result = await run({
        body, query, params, principal, actor: actorOf(principal, route.access), event,
        remainingMs: () => (typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : Number.POSITIVE_INFINITY),
        ...(idempotency ? { idempotency } : {}),
      });
      if (result.statusCode === 204) return { statusCode: 204, headers: { 'cache-control': 'no-store', ...result.headers } };
      if (result.raw) {
        return {
          statusCode: result.statusCode, headers: { 'cache-control': 'no-store', ...result.headers }, body: String(result.body),
          ...(result.raw === 'base64' ? { isBase64Encoded: true } : {}),
        };
      }
      return {
        statusCode: result.statusCode,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...result.headers },
        body: JSON.stringify(result.body),
      };
    });
}

type RouteHandler = (event: Event, context: Context) => Promise<Result>;

/**
 * One function serving several routes (those of ROUTES naming the same entry): each request goes to its route's
 * handler by the gateway's route key (`PUT /v1/hot-spots/{hotSpotId}`).
 */
export function apiRoutes(handlers: Partial<Record<RouteId, RouteHandler>>): RouteHandler {
  const byKey = new Map<string, RouteHandler>();
  for (const [id, handle] of Object.entries(handlers) as [RouteId, RouteHandler][]) {
    for (const { method, path } of pathsOf(routeSpec(id))) byKey.set(`${method} ${path}`, handle);
  }
  return async (event, context) => {
    const handle = byKey.get(event.routeKey);
    if (!handle) return problemResponse(problem('not-found', `this function does not serve ${event.routeKey}`));
    return handle(event, context);
  };
}

