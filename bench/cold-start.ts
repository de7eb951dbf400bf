/**
 * `npm run bench:cold-start`: what each function costs to start. Every handler under functions/ is bundled the way
 * the CDK bundles it (infra/constructs/rescue-function.ts: esbuild, ESM, minified, node24, the SDK inside), then
 * imported in a fresh Node process RUNS times (the median is printed). Printed per function: the bundle's size, the
 * SDK clients it carries, and the import time; the figures go to bench/results/cold-start-<date>.json.
 *
 *   npm run bench:cold-start               # 7 imports per function, ~1 minute
 *   RUNS=15 npm run bench:cold-start
 *
 * The import is what a cold Lambda pays before its first request, besides the runtime's own start: module
 * evaluation, the clients and stores built at load. The goal: ≤ 300 kB for a function that needs only DynamoDB, and
 * ≤ 80 ms to import.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLING } from '#infra/bundling';
import { writeResult } from './demo-city';
import { log, machine, median, round } from './figures';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.RUNS ?? 7);
/** The SDK clients a bundle may carry, by a string each one's code holds. */
const CLIENTS: Record<string, string> = {
  dynamodb: 'DynamoDB_20120810', s3: 'AmazonS3', sfn: 'AWSStepFunctions', sns: 'AmazonSimpleNotificationService',
  cognito: 'AWSCognitoIdentityProviderService',
};

/** What the functions read from their environment, so that loading one does not stop at a missing setting. */
const ENVIRONMENT = {
  TABLE_NAME: 'bench', UPLOADS_BUCKET: 'bench', CASE_WORKFLOW_ARN: 'arn:aws:states:cn-north-1:000000000000:stateMachine:bench',
  NOTIFICATION_DELIVERY_ARN: 'arn:aws:states:cn-north-1:000000000000:stateMachine:bench-delivery', AWS_REGION: 'cn-north-1',
  CURSOR_KEY: 'bench-cursor-key-bench-cursor-key', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench',
};

async function entries(): Promise<string[]> {
  const dirs = await readdir(path.join(ROOT, 'functions'));
  const files = await Promise.all(dirs.map(async (dir) => (await readdir(path.join(ROOT, 'functions', dir))).map((f) => path.join('functions', dir, f))));
  return files.flat().filter((f) => f.endsWith('.ts')).sort();
}

async function main() {
  const out = await mkdtemp(path.join(os.tmpdir(), 'cold-start-'));
  const rows = [];
  try {
    for (const entry of await entries()) {
      const outfile = path.join(out, `${entry.replaceAll('/', '_').replace(/\.ts$/, '')}.mjs`);
      await build({
        entryPoints: [path.join(ROOT, entry)], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent',
        target: BUNDLING.target, minify: BUNDLING.minify, mainFields: [...BUNDLING.mainFields], external: [...BUNDLING.externalModules],
        banner: { js: BUNDLING.banner },
      });
      const code = await readFile(outfile, 'utf8');
      const sizeKB = round((await stat(outfile)).size / 1024);
      const clients = Object.entries(CLIENTS).filter(([, mark]) => code.includes(mark)).map(([name]) => name);
      const times: number[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        const printed = execFileSync(process.execPath, ['--input-type=module', '-e',
          `const t = performance.now(); await import(${JSON.stringify(outfile)}); console.log(performance.now() - t);`], {
          // Without the SDK's warning that this Node is old: Lambda runs Node 24.
          env: { ...process.env, ...ENVIRONMENT, NODE_OPTIONS: '--no-warnings' }, encoding: 'utf8',
        });
        times.push(Number(printed.trim().split('\n').at(-1)));
      }
      const row = { function: entry, sizeKB, clients, importMs: round(median(times), 1) };
      rows.push(row);
      log(`${entry}: ${sizeKB} kB, ${row.importMs} ms (${clients.join(', ') || 'no SDK client'})`);
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
  console.log(`\nbundle size and import time per function (median of ${RUNS} imports in a fresh Node each)`);
  console.log('  function                                      kB    import ms  clients');
  for (const r of rows) console.log(`  ${r.function.padEnd(44)} ${String(r.sizeKB).padStart(5)}  ${String(r.importMs).padStart(9)}  ${r.clients.join(', ')}`);
  console.log(`  largest ${Math.max(...rows.map((r) => r.sizeKB))} kB, slowest ${Math.max(...rows.map((r) => r.importMs))} ms, median ${median(rows.map((r) => r.importMs))} ms`);
  await writeResult('cold-start', { machine: machine(), runs: RUNS, functions: rows, howToReproduce: 'npm run bench:cold-start' });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
