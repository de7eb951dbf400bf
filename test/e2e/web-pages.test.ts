import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/runtime/local-stack';
import { WebConfig } from '#shared/contract/web-config';
import { ApiClient, startTestStack, synthesizeForTest } from '../support/local-stack';
import { FIXTURE_ASSET, makeWebDistFixture } from '../support/web-dist-fixture';

/** The pages and the API on one origin, as `npm start` serves them (a miniature build stands in for web/dist). */
let stack: LocalStack;
let api: ApiClient;
let dist: string;

beforeAll(async () => {
  dist = makeWebDistFixture();
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates, { webDist: dist });
  api = new ApiClient(stack.url);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  if (dist) rmSync(path.dirname(dist), { recursive: true, force: true });
});

describe('the pages', () => {
  it.each(['/', '/coordinator', '/station/01JH8ZQ4', '/patrol'])('answer %s with the app shell', async (p) => {
    const response = await fetch(`${stack.url}${p}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain(FIXTURE_ASSET);
  });

  it('serve a hashed asset as JavaScript, cached for good', async () => {
    const response = await fetch(`${stack.url}${FIXTURE_ASSET}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript');
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('serve config.json for local mode, valid against WebConfig', async () => {
    const response = await fetch(`${stack.url}/config.json`);
    expect(response.status).toBe(200);
    const config = WebConfig.parse(await response.json());
    expect(config.auth.mode).toBe('local');
    expect(config.live).toBe('stream');
    expect(config.apiBase).toBe('');
  });

  it('answer a missing file with 404, and keep the directory closed', async () => {
    const missing = await fetch(`${stack.url}/nope.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    const traversal = await fetch(`${stack.url}/..%2f..%2fpackage.json`);
    expect(traversal.status).toBe(404);
    expect(await traversal.text()).not.toContain('street-rescue-patrol');
  });
});

describe('the API beside the pages', () => {
  it('still answers its own paths: /v1/cases, /openapi.json, /health, the dev token', async () => {
    expect((await api.call('GET', '/v1/cases')).status).toBe(401);
    const coordinator = await api.token({ role: 'coordinator', sub: 'zhao.min' });
    const cases = await api.call('GET', '/v1/cases', { token: coordinator });
    expect(cases.status).toBe(200);
    expect(Array.isArray(cases.body.items)).toBe(true);
    const openapi = await fetch(`${stack.url}/openapi.json`);
    expect(openapi.headers.get('content-type')).toContain('json');
    expect(((await openapi.json()) as { openapi: string }).openapi).toMatch(/^3\.1/);
    expect((await api.call('GET', '/health')).body.status).toBe('ok');
  });

  it('answers an unknown API path with a problem, never the app shell', async () => {
    const response = await fetch(`${stack.url}/v1/nothing-here`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
