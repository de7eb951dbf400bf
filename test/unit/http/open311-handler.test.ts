import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { conflict, forbidden, notFound } from '#shared/domain/errors';
import { type Open311Call, open311Errors, open311Handler, parseOpen311 } from '#shared/http/open311-handler';
import { logger } from '#shared/adapters/observability';

const context = { awsRequestId: 'req-0001', functionName: 'test', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
const xml = new XMLParser({ parseTagValue: false, isArray: (name) => ['error', 'request'].includes(name) });

function event(routeKey: string, rawPath: string, options: { body?: string; type?: string; base64?: boolean; headers?: Record<string, string> } = {}) {
  const method = routeKey.split(' ')[0]!;
  return {
    version: '2.0', routeKey, rawPath, rawQueryString: '',
    headers: { ...(options.type ? { 'content-type': options.type } : {}), ...options.headers },
    requestContext: { http: { method, path: rawPath }, requestId: 'r-1', routeKey },
    isBase64Encoded: options.base64 ?? false,
    ...(options.body !== undefined ? { body: options.body } : {}),
  } as unknown as APIGatewayProxyEventV2;
}

/** A handler whose one operation records the call and answers, or throws `failure`. */
function handlerFor(failure?: unknown) {
  const calls: { call: Open311Call; fields?: Record<string, unknown> }[] = [];
  const handler = open311Handler({
    'POST /open311/v2/requests': async (call) => {
      const seen = { call, fields: call.fields() };
      calls.push(seen);
      if (failure !== undefined) throw failure;
      parseOpen311(z.object({ service_code: z.string({ error: 'is required' }) }), seen.fields);
      return { statusCode: 201, kind: 'service_requests', rows: [{ service_request_id: 'sig-1', account_id: null }] };
    },
  });
  const invoke = async (e: APIGatewayProxyEventV2) => (await handler(e, context)) as APIGatewayProxyStructuredResultV2;
  return { invoke, calls };
}

const POST_JSON = ['POST /open311/v2/requests.json', '/open311/v2/requests.json'] as const;
const POST_XML = ['POST /open311/v2/requests.xml', '/open311/v2/requests.xml'] as const;
const FORM = 'application/x-www-form-urlencoded; charset=utf-8';

afterEach(() => vi.restoreAllMocks());

describe('open311Handler', () => {
  it('reads a form body, plain or base64-encoded as API Gateway sends it, and answers in the format of the path', async () => {
    const { invoke, calls } = handlerFor();
    const body = 'service_code=person_in_need&description=%E6%A1%A5%E4%B8%8B+%E6%9C%89%E4%BA%BA';
    const plain = await invoke(event(...POST_JSON, { body, type: FORM }));
    const encoded = await invoke(event(...POST_XML, { body: Buffer.from(body).toString('base64'), base64: true, type: FORM }));
    expect(calls.map((c) => c.fields)).toEqual([
      { service_code: 'person_in_need', description: '桥下 有人' }, { service_code: 'person_in_need', description: '桥下 有人' },
    ]);
    expect(plain).toMatchObject({ statusCode: 201, headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(JSON.parse(plain.body!)).toEqual([{ service_request_id: 'sig-1', account_id: null }]);
    expect(encoded.headers?.['content-type']).toBe('text/xml; charset=utf-8');
    expect(xml.parse(encoded.body!).service_requests.request).toEqual([{ service_request_id: 'sig-1', account_id: '' }]);
  });

  it('takes a JSON object body; refuses other JSON and other media types, in Open311 errors', async () => {
    const { invoke } = handlerFor();
    expect((await invoke(event(...POST_JSON, { body: '{"service_code":"x"}', type: 'application/json' }))).statusCode).toBe(201);
    const array = await invoke(event(...POST_JSON, { body: '["x"]', type: 'application/json' }));
    expect(array.statusCode).toBe(400);
    const text = await invoke(event(...POST_XML, { body: 'service_code=x', type: 'text/plain' }));
    expect(text.statusCode).toBe(415);
    expect(xml.parse(text.body!).errors.error).toEqual([{ code: '415', description: expect.stringContaining('x-www-form-urlencoded') }]);
  });

  it('lists every invalid field as an error of its own', async () => {
    const { invoke } = handlerFor();
    const missing = await invoke(event(...POST_JSON, { body: '', type: FORM }));
    expect(missing.statusCode).toBe(400);
    expect(JSON.parse(missing.body!)).toEqual([{ code: 400, description: 'service_code: is required' }]);
  });

  it.each([
    [forbidden('invalid api_key: cannot report'), 403],
    [notFound('service_code pothole was not found'), 404],
    [conflict('this Idempotency-Key was already used'), 409],
  ])('maps %s to HTTP %i with the same code in the body', async (error, status) => {
    const { invoke } = handlerFor(error);
    const response = await invoke(event(...POST_JSON, { body: 'service_code=x', type: FORM }));
    expect(response.statusCode).toBe(status);
    expect(JSON.parse(response.body!)).toEqual([{ code: status, description: (error as Error).message }]);
  });

  it('answers an unexpected error with a 500 naming the request, and logs it', async () => {
    const log = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const { invoke } = handlerFor(new Error('boom'));
    const response = await invoke(event(...POST_XML, { body: 'service_code=x', type: FORM }));
    expect(response.statusCode).toBe(500);
    expect(xml.parse(response.body!).errors.error[0].description).toContain('req-0001');
    expect(log).toHaveBeenCalledOnce();
    expect(response.body).not.toContain('boom');
  });

  it('passes a valid Idempotency-Key on and refuses an oversized one', async () => {
    const { invoke, calls } = handlerFor();
    await invoke(event(...POST_JSON, { body: 'service_code=x', type: FORM, headers: { 'idempotency-key': 'k-1' } }));
    expect(calls[0]!.call.idempotencyKey).toBe('k-1');
    const long = await invoke(event(...POST_JSON, { body: 'service_code=x', type: FORM, headers: { 'idempotency-key': 'k'.repeat(129) } }));
    expect(long.statusCode).toBe(400);
    expect(calls).toHaveLength(1);
  });

  it('answers a route it does not serve with 404', async () => {
    const { invoke } = handlerFor();
    expect((await invoke(event('GET /open311/v2/tokens/{token}', '/open311/v2/tokens/1.json'))).statusCode).toBe(404);
  });
});

describe('open311Errors', () => {
  it('is one error per field at fault, or the detail alone', () => {
    expect(open311Errors({ status: 400, detail: 'lat: x (and 1 more)', errors: [{ path: 'lat', message: 'x' }, { path: 'long', message: 'y' }] }))
      .toEqual([{ code: 400, description: 'lat: x' }, { code: 400, description: 'long: y' }]);
    expect(open311Errors({ status: 403, detail: 'invalid api_key' })).toEqual([{ code: 403, description: 'invalid api_key' }]);
  });
});
