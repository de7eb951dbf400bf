import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What `npm run build:web` writes, in miniature: tests of the serving need no real build. */
export const FIXTURE_ASSET = '/assets/index-Cg1WVMal.js';
/** A script large enough to be worth compressing, as the wall's chunks are. */
export const FIXTURE_LARGE_ASSET = '/assets/coordinator-page-D4x9Kq2L.js';
export const FIXTURE_LARGE_SOURCE = Array.from({ length: 2_000 }, (_, i) => `export const line${i} = "冬春救助 ${i}";`).join('\n');

export function makeWebDistFixture(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'web-dist-'));
  const dist = path.join(root, 'dist');
  mkdirSync(path.join(dist, 'assets'), { recursive: true });
  writeFileSync(path.join(dist, 'index.html'), `<!doctype html><title>巡查救助</title><div id="root"></div><script type="module" src="${FIXTURE_ASSET}"></script>`);
  writeFileSync(path.join(dist, 'sw.js'), 'self.addEventListener("install", () => self.skipWaiting());');
  writeFileSync(path.join(dist, 'manifest.webmanifest'), '{"name":"巡查救助"}');
  writeFileSync(path.join(dist, 'assets', 'index-Cg1WVMal.js'), 'document.getElementById("root").textContent = "pages";');
  writeFileSync(path.join(dist, 'assets', 'index-BbbnFSQC.css'), 'body { margin: 0 }');
  writeFileSync(path.join(dist, FIXTURE_LARGE_ASSET), FIXTURE_LARGE_SOURCE);
  // Beside the pages, never to be served: what a traversal would reach for.
  writeFileSync(path.join(root, 'secret.txt'), 'outside the pages');
  mkdirSync(path.join(root, 'dist-old'));
  writeFileSync(path.join(root, 'dist-old', 'leak.js'), 'outside the pages');
  writeFileSync(path.join(dist, '.env'), 'SECRET=1');
  return dist;
}
