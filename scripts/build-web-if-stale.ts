import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Before `npm start`: builds the pages (web/dist) when they are missing or older than anything they are built from,
 * so the local stack never serves yesterday's pages. Prints one line either way.
 */
const root = path.resolve(import.meta.dirname, '..');
/** What the build reads: the pages, their static files and config, the shared modules they import (the contract, the Shanghai clock …), the lock file. */
const SOURCES = ['web/src', 'web/index.html', 'web/public', 'web/vite.config.ts', 'shared', 'package-lock.json'];
const BUILT = 'web/dist/index.html';

function newestMtime(entry: string): { mtimeMs: number; file?: string } {
  let stats;
  try {
    stats = statSync(entry);
  } catch {
    return { mtimeMs: 0 };
  }
  if (!stats.isDirectory()) return { mtimeMs: stats.mtimeMs, file: entry };
  let newest: { mtimeMs: number; file?: string } = { mtimeMs: 0 };
  for (const name of readdirSync(entry)) {
    const candidate = newestMtime(path.join(entry, name));
    if (candidate.mtimeMs > newest.mtimeMs) newest = candidate;
  }
  return newest;
}

const sources = SOURCES.map((s) => newestMtime(path.join(root, s))).reduce((a, b) => (b.mtimeMs > a.mtimeMs ? b : a));
const built = newestMtime(path.join(root, BUILT));

if (built.mtimeMs > 0 && built.mtimeMs >= sources.mtimeMs) {
  console.log(`pages are up to date (${BUILT} is newer than their sources)`);
  process.exit(0);
}
const reason = built.mtimeMs === 0 ? `${BUILT} is missing` : `${path.relative(root, sources.file!)} changed since the last build`;
console.log(`building the pages: ${reason} (npm run build:web)`);
// Always a production build: run from a test runner this inherits NODE_ENV=test, with which Vite would build
// React's development bundle and leave the service worker unregistered (import.meta.env.PROD false).
const build = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
if (build.status !== 0) {
  console.error(`\n✖ the pages did not build (details above); fix them, or run \`npm run build:web\` to see the error again\n`);
  process.exit(build.status ?? 1);
}
