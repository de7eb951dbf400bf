import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { RouteId } from '#shared/api/routes';
import { conflict, notFound } from '#shared/domain/errors';
import { type ApiRequest, type ApiResult, apiHandler } from '#shared/http/api-handler';
import { logger } from '#shared/adapters/observability';

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;

const context = {
  awsRequestId: 'req-0001', functionName: 'test', getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

interface EventOptions {
  claims?: Record<string, unknown>;
  body?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  params?: Record<string, string>;
  base64?: boolean;
}

const PATROL = { sub: 'patrol-1', 'cognito:groups': '[patrol]', 'custom:teamId': 'team-07' };

function apiEvent(options: EventOptions = {}): Event {
  const requestContext = {
    accountId: '000000000000', apiId: 'api', domainName: 'localhost', domainPrefix: 'localhost',
    http: { method: 'POST', path: '/v1/sightings', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
    requestId: 'r-1', routeKey: 'POST /v1/sightings', stage: '$default', time: '12/Jan/2026:14:41:00 +0000', timeEpoch: 0,
    ...(options.claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: options.claims, scopes: [] } } } : {}),
  };
  return {
    version: '2.0', routeKey: 'POST /v1/sightings', rawPath: '/v1/sightings', rawQueryString: '',
    headers: { 'content-type': 'application/json', ...options.headers },
    requestContext,
    isBase64Encoded: options.base64 ?? false,
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.params ? { pathParameters: options.params } : {}),
  } as unknown as Event;
}

const Body = z.strictObject({
  name: z.string().min(1),
  people: z.array(z.strictObject({ ageGroup: z.enum(['child', 'adult', 'elderly', 'unknown']).default('unknown') })).min(1),
});
const Query = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) });

type Seen = ApiRequest<z.output<typeof Body>, z.output<typeof Query>, undefined>;

/** A handler whose use case records what it was given and answers `result`, or throws `failure`. */
function handlerFor(routeId: RouteId, options: { result?: ApiResult; failure?: unknown; query?: boolean } = {}) {
  const seen: Seen[] = [];
  // Whether the key is honoured is the route table's to say (CreateSighting: yes; TakeCaseAction: no).
  const handler = apiHandler(routeId, { body: Body, ...(options.query ? { query: Query } : {}) }, async (request) => {
    seen.push(request as Seen);
    if (options.failure !== undefined) throw options.failure;
    return options.result ?? { statusCode: 201, body: { ok: true, name: request.body.name } };
  });
  const invoke = async (event: Event) => (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
  return { invoke, seen };
}

const goodBody = JSON.stringify({ name: 'n', people: [{ ageGroup: 'elderly' }] });

const problemOf = (response: APIGatewayProxyStructuredResultV2) => {
  expect(response.headers?.['content-type']).toBe('application/problem+json');
  const body = JSON.parse(String(response.body)) as { type: string; title: string; status: number; detail: string; errors?: { path: string; message: string }[] };
  expect(body.status).toBe(response.statusCode);
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('apiHandler', () => {
  it('runs the use case with the parsed body, principal and actor, and answers JSON', async () => {
    const { invoke, seen } = handlerFor('CreateSighting');
    const response = await invoke(apiEvent({ claims: PATROL, body: JSON.stringify({ name: 'n', people: [{}] }) }));
    expect(response.statusCode).toBe(201);
    expect(response.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(String(response.body))).toEqual({ ok: true, name: 'n' });
    expect(seen).toHaveLength(1);
    // zod defaults are applied before the use case sees the body.
    expect(seen[0]!.body).toEqual({ name: 'n', people: [{ ageGroup: 'unknown' }] });
    expect(seen[0]!.principal).toEqual({ sub: 'patrol-1', roles: ['patrol'], teamId: 'team-07' });
    expect(seen[0]!.actor).toEqual({ sub: 'patrol-1', role: 'patrol', teamId: 'team-07' });
    expect(seen[0]!.idempotency).toBeUndefined();
  });

  it('accepts a base64-encoded body and a JSON content type with parameters', async () => {
    const { invoke } = handlerFor('CreateSighting');
    const response = await invoke(apiEvent({
      claims: PATROL, body: Buffer.from(goodBody).toString('base64'), base64: true,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    }));
    expect(response.statusCode).toBe(201);
  });

  it('is 401 without claims, and runs nothing', async () => {
    const { invoke, seen } = handlerFor('CreateSighting');
    const response = await invoke(apiEvent({ body: goodBody }));
    expect(response.statusCode).toBe(401);
    expect(problemOf(response).type).toBe('/problems/unauthenticated');
    expect(seen).toHaveLength(0);
  });

  it('is 401 when the claims carry no subject', async () => {
    const { invoke } = handlerFor('CreateSighting');
    const response = await invoke(apiEvent({ claims: { 'cognito:groups': '[patrol]' }, body: goodBody }));
    expect(response.statusCode).toBe(401);
  });

  it.each([['station'], ['device'], ['volunteer']])('is 403 for a %s on CreateSighting, and runs nothing', async (group) => {
    const { invoke, seen } = handlerFor('CreateSighting');
    const response = await invoke(apiEvent({ claims: { sub: 'x', 'cognito:groups': `[${group}]` }, body: goodBody }));
    expect(response.statusCode).toBe(403);
    const problem = problemOf(response);
    expect(problem.type).toBe('/problems/forbidden');
    expect(problem.detail).toContain('/v1/sightings');
    expect(seen).toHaveLength(0);
  });

  it.each([['patrol'], ['coordinator'], ['admin'], ['station admin']])('lets a %s create a sighting', async (groups) => {
    const { invoke } = handlerFor('CreateSighting');
    const response = await invoke(apiEvent({ claims: { sub: 'x', 'cognito:groups': `[${groups}]` }, body: goodBody }));
    expect(response.statusCode).toBe(201);
  });

  it('is 403 for a device on ListCases', async () => {
    const { invoke } = handlerFor('ListCases');
    const response = await invoke(apiEvent({ claims: { sub: 'd', 'cognito:groups': ['device'] }, body: goodBody }));
    expect(response.statusCode).toBe(403);
  });

  it('checks the role before anything else: a forbidden caller with a broken body is 403, not 400', async () => {
    const { invoke } = handlerFor('CreateSighting');
    const response = await invoke(apiEvent({ claims: { sub: 'd', 'cognito:groups': '[device]' }, body: '{nope' }));
    expect(response.statusCode).toBe(403);
  });

  it('is 415 for a body that is not JSON', async () => {
    const { invoke, seen } = handlerFor('CreateSighting');
    const response = await invoke(apiEvent({ claims: PATROL, body: 'name=n', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    expect(response.statusCode).toBe(415);
    expect(problemOf(response).type).toBe('/problems/unsupported-media-type');
    expect(seen).toHaveLength(0);
  });

  it('is 400 without a body', async () => {
    const { invoke } = handlerFor('CreateSighting');
    const response = await invoke(apiEvent({ claims: PATROL }));
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).type).toBe('/problems/invalid-request');
  });

  it('is 400 malformed-json for a body that does not parse', async () => {
    const { invoke, seen } = handlerFor('CreateSighting');
    const response = await invoke(apiEvent({ claims: PATROL, body: '{"name": "n", ' }));
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).type).toBe('/problems/malformed-json');
    expect(seen).toHaveLength(0);
  });

  it('is 400 with the path of each invalid field', async () => {
    const { invoke, seen } = handlerFor('CreateSighting');
    const response = await invoke(apiEvent({
      claims: PATROL, body: JSON.stringify({ name: 'n', people: [{ ageGroup: 'adult' }, { ageGroup: 'teenager' }] }),
    }));
    expect(response.statusCode).toBe(400);
    const problem = problemOf(response);
    expect(problem.type).toBe('/problems/invalid-request');
    expect(problem.errors?.map((e) => e.path)).toEqual(['people[1].ageGroup']);
    expect(problem.detail).toContain('people[1].ageGroup');
    expect(seen).toHaveLength(0);
  });

  it('reports every invalid field, not only the first', async () => {
    const { invoke } = handlerFor('CreateSighting');
    const response = await invoke(apiEvent({ claims: PATROL, body: JSON.stringify({ name: '', people: [{ ageGroup: 'x' }] }) }));
    const problem = problemOf(response);
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(['name', 'people[0].ageGroup']);
    expect(problem.detail).toContain('and 1 more');
  });

  it('reports unknown fields by name, at the top and nested', async () => {
    const { invoke } = handlerFor('CreateSighting');
    const response = await invoke(apiEvent({
      claims: PATROL, body: JSON.stringify({ name: 'n', colour: 'red', people: [{ ageGroup: 'adult', shoeSize: 42 }] }),
    }));
    expect(response.statusCode).toBe(400);
    const errors = problemOf(response).errors ?? [];
    expect(errors).toEqual(expect.arrayContaining([
      { path: 'colour', message: 'is not a known field' },
      { path: 'people[0].shoeSize', message: 'is not a known field' },
    ]));
  });

  it('reports invalid query parameters under query.', async () => {
    const { invoke } = handlerFor('CreateSighting', { query: true });
    const response = await invoke(apiEvent({ claims: PATROL, body: goodBody, query: { limit: '501' } }));
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors?.[0]?.path).toBe('query.limit');
  });

  describe('Idempotency-Key', () => {
    it('hands the use case a scope naming route, caller and key, and a hash of the body', async () => {
      const { invoke, seen } = handlerFor('CreateSighting');
      await invoke(apiEvent({ claims: PATROL, body: goodBody, headers: { 'idempotency-key': 'k-1' } }));
      await invoke(apiEvent({ claims: PATROL, body: goodBody, headers: { 'idempotency-key': 'k-1' } }));
      await invoke(apiEvent({ claims: PATROL, body: JSON.stringify({ name: 'other', people: [{}] }), headers: { 'idempotency-key': 'k-1' } }));
      const [first, again, other] = seen.map((s) => s.idempotency);
      expect(first?.scope).toContain('CreateSighting');
      expect(first?.scope).toContain('patrol-1');
      expect(first?.scope).toContain('k-1');
      expect(again).toEqual(first);
      expect(other?.scope).toBe(first?.scope);
      expect(other?.hash).not.toBe(first?.hash);
    });

    it('scopes the same key to its caller', async () => {
      const { invoke, seen } = handlerFor('CreateSighting');
      await invoke(apiEvent({ claims: PATROL, body: goodBody, headers: { 'idempotency-key': 'k-1' } }));
      await invoke(apiEvent({ claims: { ...PATROL, sub: 'patrol-2' }, body: goodBody, headers: { 'idempotency-key': 'k-1' } }));
      expect(seen[0]!.idempotency?.scope).not.toBe(seen[1]!.idempotency?.scope);
    });

    it('accepts a key of 128 characters', async () => {
      const { invoke } = handlerFor('CreateSighting');
      const response = await invoke(apiEvent({ claims: PATROL, body: goodBody, headers: { 'idempotency-key': 'k'.repeat(128) } }));
      expect(response.statusCode).toBe(201);
    });

    it('is 400 for a key longer than 128 characters, and runs nothing', async () => {
      const { invoke, seen } = handlerFor('CreateSighting');
      const response = await invoke(apiEvent({ claims: PATROL, body: goodBody, headers: { 'idempotency-key': 'k'.repeat(129) } }));
      expect(response.statusCode).toBe(400);
      const problem = problemOf(response);
      expect(problem.type).toBe('/problems/invalid-request');
      expect(problem.errors?.[0]?.path).toMatch(/Idempotency-Key/i);
      expect(seen).toHaveLength(0);
    });

    it('is not read on a route that creates nothing', async () => {
      const { invoke, seen } = handlerFor('TakeCaseAction');
      await invoke(apiEvent({ claims: PATROL, body: goodBody, headers: { 'idempotency-key': 'k-1' } }));
      expect(seen).toHaveLength(1);
      expect(seen[0]!.idempotency).toBeUndefined();
    });

    it('is 400 for an empty key', async () => {
      const { invoke } = handlerFor('CreateSighting');
      const response = await invoke(apiEvent({ claims: PATROL, body: goodBody, headers: { 'idempotency-key': '' } }));
      expect(response.statusCode).toBe(400);
    });
  });

  it('maps a domain conflict to 409 problem+json with its message', async () => {
    const { invoke } = handlerFor('CreateSighting', { failure: conflict('cannot resolve: the case is closed') });
    const response = await invoke(apiEvent({ claims: PATROL, body: goodBody }));
    expect(response.statusCode).toBe(409);
    const problem = problemOf(response);
    expect(problem.type).toBe('/problems/conflict');
    expect(problem.detail).toBe('cannot resolve: the case is closed');
  });

  it('maps a domain not-found to 404', async () => {
    const { invoke } = handlerFor('CreateSighting', { failure: notFound('case case-X does not exist') });
    const response = await invoke(apiEvent({ claims: PATROL, body: goodBody }));
    expect(response.statusCode).toBe(404);
    expect(problemOf(response).type).toBe('/problems/not-found');
  });

  it('maps an unexpected error to a 500 problem that does not leak the message', async () => {
    const log = vi.spyOn(logger, 'error').mockImplementation(() => {});
    const { invoke } = handlerFor('CreateSighting', { failure: new Error('secret table arn:aws:dynamodb:xyz exploded') });
    const response = await invoke(apiEvent({ claims: PATROL, body: goodBody }));
    expect(response.statusCode).toBe(500);
    const problem = problemOf(response);
    expect(problem.type).toBe('/problems/internal-error');
    expect(String(response.body)).not.toContain('secret');
    expect(String(response.body)).not.toContain('exploded');
    expect(problem.detail).toContain('req-0001');
    // The message is kept for the operators, in the log.
    expect(log).toHaveBeenCalled();
    expect(log.mock.calls[0]![1]).toMatchObject({ requestId: 'req-0001', error: expect.objectContaining({ message: expect.stringContaining('exploded') }) });
  });
});
