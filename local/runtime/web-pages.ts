import { createReadStream, existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Readable } from 'node:stream';
import compression from 'compression';
import sirv, { type RequestHandler } from 'sirv';
import * as z from 'zod';
import { CITY_OUTLINE_PATH, cityShown } from '#shared/contract/city';
import { WebConfig } from '#shared/contract/web-config';
import type { City } from '#infra/city';
import { problem } from '#shared/http/problem';
import { LocalEngineError } from '#local/engines/errors';
import { sendProblem } from './http-replies';

export const WEB_CONFIG_PATH = '/config.json';
/** The API's and the local endpoints' paths: an unknown path there is a 404 problem, never the app shell. */
const NOT_PAGES = /^\/(v1|open311|local|\.well-known)(\/|$)|^\/(health|openapi\.json)$/;
/** Vite names everything under assets/ by its content hash, so a browser may keep it for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html, sw.js, the manifest, config.json: revalidated on every load, so a rebuild shows at once. */
const REVALIDATE = 'no-cache';
/** Smaller files gain nothing from compression (CloudFront's own floor is 1,000 bytes). */
const COMPRESS_FROM_BYTES = 1_000;

/** GET /config.json of the local runtime: dev-token sign-in, Server-Sent Events, the map tiles the environment names. */
export function localWebConfig(env: NodeJS.ProcessEnv, city: City): WebConfig {
  const parsed = WebConfig.safeParse({
    city: cityShown(city.config),
    auth: { mode: 'local' },
    live: 'stream',
    apiBase: '',
    // The same setting the handlers read, so that the phone asks where the timeline marks an arrival far.
    ...(env.ARRIVAL_CHECK_M ? { arrivalCheckM: Number(env.ARRIVAL_CHECK_M) } : {}),
    map: {
      tileUrl: env.MAP_TILE_URL || undefined,
      tileCrs: env.MAP_TILE_CRS || 'gcj02',
      attribution: env.MAP_TILE_ATTRIBUTION || undefined,
    },
  });
  if (!parsed.success) {
    throw new LocalEngineError(`the pages' settings (MAP_TILE_URL, MAP_TILE_CRS, MAP_TILE_ATTRIBUTION) are not valid:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/**
 * The built pages (web/dist) at `/`, as CloudFront serves them in the cloud: files as they are, any extension-less
 * path (`/coordinator`, `/station/…`) as index.html for the client-side routes, and `/config.json` from the
 * environment. The directory is read on every request, so `npm run build:web` beside a running stack shows at once.
 */
export class WebPages {
  private readonly serveFile: RequestHandler;
  private readonly compress = compression({ threshold: COMPRESS_FROM_BYTES });
  private readonly config: string;

  /** The city's outline (served at CITY_OUTLINE_PATH, as the cloud deploys it next to the pages). */
  private readonly outlineFile: string | undefined;

  constructor(readonly distDir: string, config: WebConfig, city?: City) {
    this.config = JSON.stringify(config);
    this.outlineFile = city?.outlineFile;
    this.serveFile = sirv(distDir, {
      dev: true,
      etag: true,
      // Only exact files: the SPA fallback below decides what an extension-less path is.
      extensions: [],
      dotfiles: false,
      setHeaders: (res, pathname) => res.setHeader('cache-control', pathname.startsWith('/assets/') ? IMMUTABLE : REVALIDATE),
    });
  }

  /** Answers GET and HEAD outside the API's paths; false for anything else (the caller's 404 follows). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    // The URL parser resolves `.` and `..` segments (`%2e%2e` included); `%2f` stays encoded and is checked below.
    const pathname = new URL(req.url ?? '/', 'http://pages').pathname;
    if (pathname === WEB_CONFIG_PATH) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': REVALIDATE });
      res.end(this.config);
      return true;
    }
    if (pathname === CITY_OUTLINE_PATH && this.outlineFile) {
      res.setHeader('content-type', 'application/geo+json');
      res.setHeader('cache-control', REVALIDATE);
      res.once('pipe', (source: Readable) => source.once('error', () => res.destroy()));
      this.compress(req as Parameters<typeof this.compress>[0], res as Parameters<typeof this.compress>[1], () => {
        createReadStream(this.outlineFile!).pipe(res);
      });
      return true;
    }
    if (NOT_PAGES.test(pathname)) return false;

    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      sendProblem(res, problem('invalid-request', `the path ${pathname} is not valid percent-encoding`));
      return true;
    }
    // No way out of the directory and no hidden files: no `..` or dot-file segment, no backslash, no NUL.
    if (/[\\\0]/.test(decoded) || decoded.split('/').some((segment) => segment.startsWith('.'))) {
      sendProblem(res, problem('not-found', `nothing at ${pathname}`));
      return true;
    }
    if (!existsSync(path.join(this.distDir, 'index.html'))) {
      this.sendNotBuilt(req, res);
      return true;
    }
    // A path with an extension asks for a file; any other path is a page of the app, which index.html routes.
    req.url = path.posix.extname(decoded) ? pathname : '/index.html';
    // A file removed mid-response (a rebuild empties web/dist) must end this response, not the whole process.
    res.once('pipe', (source: Readable) => source.once('error', () => res.destroy()));
    // Compressed as CloudFront compresses (brotli or gzip, as the browser accepts): the wall's scripts are 1.6 MB raw.
    this.compress(req as Parameters<typeof this.compress>[0], res as Parameters<typeof this.compress>[1], () => {
      this.serveFile(req, res, () => sendProblem(res, problem('not-found', `the pages have no file ${decoded}`)));
    });
    return true;
  }

  private sendNotBuilt(req: IncomingMessage, res: ServerResponse) {
    const detail = `the pages are not built: ${this.distDir}/index.html is missing. Run \`npm run build:web\` (\`npm start\` does it when the pages are missing or stale), then reload.`;
    if (req.headers.accept?.includes('text/html')) {
      res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '10' });
      res.end(`<!doctype html><meta charset="utf-8"><title>Pages not built</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>The pages are not built yet</h1><p>Run <code>npm run build:web</code> in the repository, then reload.</p>
<p>The API is up: <a href="/health">/health</a>, <a href="/openapi.json">/openapi.json</a>.</p></body>`);
      return;
    }
    sendProblem(res, { type: '/problems/pages-not-built', title: 'The pages are not built', status: 503, detail });
  }
}
