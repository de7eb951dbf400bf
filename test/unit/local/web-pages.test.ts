import { rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEngineError } from '#local/engines/errors';
import { localWebConfig, WebPages } from '#local/runtime/web-pages';
import { localModelFrom } from '#local/template/local-model';
import { PAGES_BUCKET_METADATA } from '#infra/web-hosting';
import { WebConfig } from '#shared/contract/web-config';
import { CITY_OUTLINE_PATH, cityShown } from '#shared/contract/city';
import { loadCity } from '#infra/city';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { FIXTURE_ASSET, FIXTURE_LARGE_ASSET, FIXTURE_LARGE_SOURCE, makeWebDistFixture } from '../../support/web-dist-fixture';

/** The pages module alone behind a node:http server; whatever it declines answers 418, so a decline is visible. */
let dist: string;
let server: Server;
let base: string;

async function serve(pages: WebPages): Promise<{ server: Server; base: string }> {
  const s = createServer((req, res) => {
    if (!pages.handle(req, res)) res.writeHead(418).end('declined');
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { server: s, base: `http://127.0.0.1:${(s.address() as AddressInfo).port}` };
}

/** A request with the path exactly as written: fetch would resolve `..` before sending it. */
function rawGet(rawPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/`, { path: rawPath }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => { body += chunk.toString('utf8'); });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const city = loadCity();

beforeAll(async () => {
  dist = makeWebDistFixture();
  ({ server, base } = await serve(new WebPages(dist, localWebConfig({}, city), city)));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(path.dirname(dist), { recursive: true, force: true });
});

describe('files and client-side routes', () => {
  it.each(['/', '/coordinator', '/station', '/station/01JH8ZQ4', '/patrol/', '/sign-in?code=abc&state=xyz'])('answers %s with index.html, revalidated', async (p) => {
    const response = await fetch(`${base}${p}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html;charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('<div id="root">');
  });

  it.each([
    [FIXTURE_ASSET, 'text/javascript', 'public, max-age=31536000, immutable'],
    ['/assets/index-BbbnFSQC.css', 'text/css', 'public, max-age=31536000, immutable'],
    ['/sw.js', 'text/javascript', 'no-cache'],
    ['/manifest.webmanifest', 'application/manifest+json', 'no-cache'],
  ])('serves %s as %s with cache-control %s', async (p, type, cacheControl) => {
    const response = await fetch(`${base}${p}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('cache-control')).toBe(cacheControl);
  });

  it('answers a missing file with a 404 problem, not the app shell', async () => {
    const response = await fetch(`${base}/nope.js`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect((await response.json() as { status: number }).status).toBe(404);
  });

  it('answers HEAD, conditional GET and ranges as a static server should', async () => {
    const head = await fetch(`${base}${FIXTURE_ASSET}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const etag = head.headers.get('etag')!;
    expect((await fetch(`${base}${FIXTURE_ASSET}`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const range = await fetch(`${base}${FIXTURE_ASSET}`, { headers: { range: 'bytes=0-7' } });
    expect(range.status).toBe(206);
    expect(await range.text()).toBe('document');
  });

  it('leaves other methods and the API\'s paths to the caller', async () => {
    expect((await fetch(`${base}/coordinator`, { method: 'POST' })).status).toBe(418);
    for (const p of ['/v1/nothing-here', '/open311/v2/x', '/health', '/local/chat-robot/x', '/openapi.json', '/.well-known/jwks.json']) {
      expect((await fetch(`${base}${p}`)).status, p).toBe(418);
    }
  });
});

/** The raw bytes and headers of a GET, with the Accept-Encoding given (fetch would decompress before we look). */
function getEncoded(rawPath: string, acceptEncoding?: string): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${rawPath}`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('compression, as CloudFront does it', () => {
  it('sends a large script brotli-compressed to a browser that takes it, gzip to one that takes only that', async () => {
    const br = await getEncoded(FIXTURE_LARGE_ASSET, 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(FIXTURE_LARGE_SOURCE);
    expect(br.body.length).toBeLessThan(FIXTURE_LARGE_SOURCE.length / 4);

    const gzip = await getEncoded(FIXTURE_LARGE_ASSET, 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString('utf8')).toBe(FIXTURE_LARGE_SOURCE);
  });

  it('sends it as it is to a client that asks for no encoding, and leaves small files alone', async () => {
    const plain = await getEncoded(FIXTURE_LARGE_ASSET);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(FIXTURE_LARGE_SOURCE);
    const small = await getEncoded(FIXTURE_ASSET, 'br');
    expect(small.headers['content-encoding']).toBeUndefined();
  });
});

describe('no way out of web/dist', () => {
  it.each([
    '/../secret.txt',
    '/../../package.json',
    '/..%2fsecret.txt',
    '/..%2f..%2fpackage.json',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/..%2fdist-old%2fleak.js',
    '/.env',
    '/assets/%00.js',
  ])('%s reaches nothing outside the pages', async (p) => {
    const response = await rawGet(p);
    expect(response.body).not.toContain('outside the pages');
    expect(response.body).not.toContain('SECRET');
    expect(response.body).not.toContain('"name": "street-rescue-patrol"');
    // `..` segments that the URL parser resolves land back inside the pages; everything else is refused.
    if (response.status === 200) expect(response.body).toContain('<div id="root">');
    else expect([400, 404]).toContain(response.status);
  });
});

describe('config.json', () => {
  it('says local sign-in and live events by stream, revalidated, and is a valid WebConfig', async () => {
    const response = await fetch(`${base}/config.json`);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const config = WebConfig.parse(await response.json());
    expect(config).toEqual({ auth: { mode: 'local' }, live: 'stream', apiBase: '', arrivalCheckM: 300, map: { tileCrs: 'gcj02' }, city: cityShown(city.config) });
    expect(config.city).toMatchObject({ id: 'nanchang', name: { 'zh-CN': '南昌市' }, timeZone: 'Asia/Shanghai', outline: { url: CITY_OUTLINE_PATH, crs: 'gcj02' } });
  });

  it("serves the city's outline where the config says, as the cloud deploys it beside the pages", async () => {
    const response = await fetch(`${base}${CITY_OUTLINE_PATH}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/geo+json');
    const outline = await response.json() as { type: string; features: { properties: { name: string } }[] };
    expect(outline.type).toBe('FeatureCollection');
    expect(outline.features.map((f) => f.properties.name)).toContain('东湖区');
  });

  it('takes the map tiles from the environment, and refuses a datum it does not know', () => {
    expect(localWebConfig({ MAP_TILE_URL: 'https://tiles.example/{z}/{x}/{y}.png', MAP_TILE_CRS: 'wgs84', MAP_TILE_ATTRIBUTION: '© OSM' }, city).map)
      .toEqual({ tileUrl: 'https://tiles.example/{z}/{x}/{y}.png', tileCrs: 'wgs84', attribution: '© OSM' });
    expect(() => localWebConfig({ MAP_TILE_CRS: 'bd09' }, city)).toThrow(LocalEngineError);
  });
});

describe('before the first build', () => {
  let unbuilt: { server: Server; base: string };
  beforeAll(async () => {
    unbuilt = await serve(new WebPages(path.join(path.dirname(dist), 'not-built'), localWebConfig({}, city)));
  });
  afterAll(() => new Promise<void>((resolve) => unbuilt.server.close(() => resolve())));

  it('answers 503 saying to run npm run build:web: a page for a browser, a problem for anything else', async () => {
    const page = await fetch(`${unbuilt.base}/coordinator`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(503);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('npm run build:web');
    const problem = await fetch(`${unbuilt.base}/`);
    expect(problem.status).toBe(503);
    expect(problem.headers.get('content-type')).toBe('application/problem+json');
    expect(((await problem.json()) as { detail: string }).detail).toContain('npm run build:web');
  });

  it('still answers config.json', async () => {
    expect((await fetch(`${unbuilt.base}/config.json`)).status).toBe(200);
  });
});

describe('the pages bucket of the template', () => {
  it('is left out of the local model: the runtime serves web/dist itself', () => {
    const model = localModelFrom([{
      stackName: 'Api',
      template: {
        Resources: {
          Uploads: { Type: 'AWS::S3::Bucket', Properties: {} },
          Pages: { Type: 'AWS::S3::Bucket', Properties: {}, Metadata: { [PAGES_BUCKET_METADATA]: true } },
          Distribution: { Type: 'AWS::CloudFront::Distribution', Properties: { DistributionConfig: { Origins: [{ DomainName: { 'Fn::GetAtt': ['Pages', 'RegionalDomainName'] } }] } } },
          Deployment: { Type: 'Custom::CDKBucketDeployment', Properties: { DestinationBucketName: { Ref: 'Pages' } } },
        },
      },
    }]);
    expect(model.buckets.map((b) => b.logicalId)).toEqual(['Uploads']);
  });
});
