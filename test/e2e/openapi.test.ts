import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/runtime/local-stack';
import { ApiClient, startTestStack, synthesizeForTest } from '../support/local-stack';

let stack: LocalStack;
let api: ApiClient;

beforeAll(async () => {
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates);
  api = new ApiClient(stack.url);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('GET /openapi.json', () => {
  it('serves the OpenAPI 3.1 document without a token', async () => {
    const response = await api.call('GET', '/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.body.openapi).toBe('3.1.0');
    expect(response.body.paths['/v1/sightings'].post.operationId).toBe('CreateSighting');
    expect(response.body.paths['/openapi.json'].get.security).toEqual([]);
  });
});
