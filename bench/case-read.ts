/**
 * `npm run bench:read`: what the access policy and the access log add to GET /v1/cases/{caseId}.
 *
 *   npm run bench:read                 # ~1 minute; prints a table, writes bench/results/case-read-<date>.json
 *   BENCH_READS=500 npm run bench:read # more reads per round (default 200), 3 rounds
 *
 * It starts its own stack in this process (in-memory DynamoDB Local, port 0) with the demo city's directory and one
 * case with a photo-less timeline, then, in each round, times the whole request over HTTP as a station member (the
 * policy's costliest caller: the nearest station is computed) and, in the same process, the parts the policy and the
 * log add: reading the directory to check the caller (`caseGate`, run beside the case's own read, so it adds only what
 * it takes beyond that read), and appending the access-log entry (awaited before the answer). Medians per round.
 */
import '#local/quiet-sdk';
import { DEMO_STATIONS } from '#local/runtime/demo';
import { caseGate } from '#shared/use-cases/case-access';
import { dependenciesFromEnvironment } from '#shared/use-cases/dependencies';
import { startDemoCity, writeResult } from './demo-city';
import { log, machine, median, round } from './figures';

const READS = Number(process.env.BENCH_READS ?? 200);
const ROUNDS = 3;

async function timed(times: number, run: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

async function main() {
  const { stack, token } = await startDemoCity();
  try {
    const coordinator = await token({ role: 'coordinator', sub: 'bench.coord' });
    const station = await token({ role: 'station', sub: 'bench.duty', stationId: DEMO_STATIONS[0]!.stationId });
    const created = await (await fetch(`${stack.url}/v1/sightings`, {
      method: 'POST', headers: { authorization: `Bearer ${coordinator}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        observedAt: new Date().toISOString(), location: { lat: 28.6829, lon: 115.8579, accuracyM: 10 }, place: { type: 'bridge', name: '八一大桥' },
        people: [{ ageGroup: 'elderly', sex: 'male', conditions: ['ill'] }], note: 'bench',
      }),
    })).json() as { caseId: string };
    const deps = dependenciesFromEnvironment();
    const principal = { sub: 'bench.duty', roles: ['station' as const], stationId: DEMO_STATIONS[0]!.stationId };
    const get = async () => {
      const response = await fetch(`${stack.url}/v1/cases/${created.caseId}`, { headers: { authorization: `Bearer ${station}` } });
      if (response.status !== 200) throw new Error(`GET answered ${response.status}`);
      await response.arrayBuffer();
    };
    await timed(50, get);

    const rounds = [];
    for (let round_ = 1; round_ <= ROUNDS; round_ += 1) {
      const request = await timed(READS, get);
      const gate = await timed(READS, () => caseGate(deps, principal));
      const detail = await timed(READS, () => deps.cases.getCaseDetail(created.caseId));
      const append = await timed(READS, () => deps.accessLog.append(created.caseId, [{ at: new Date().toISOString(), sub: 'bench', role: 'station', what: 'read' }]));
      // The gate runs beside the case's read, so it adds only what it takes beyond it; the log is written before answering.
      const added = Math.max(0, gate - detail) + append;
      rounds.push({
        requestMs: round(request, 2), caseReadMs: round(detail, 2), gateMs: round(gate, 2), accessLogMs: round(append, 2),
        addedMs: round(added, 2), addedShare: round(added / request, 2),
      });
      log(`round ${round_}: GET ${round(request, 2)} ms; case read ${round(detail, 2)} ms, beside it the policy's directory read ${round(gate, 2)} ms; access log ${round(append, 2)} ms`);
    }
    const result = {
      what: 'GET /v1/cases/{caseId} as a station member, and the parts the access policy and the access log add (medians)',
      readsPerRound: READS, rounds, machine: machine(), at: new Date().toISOString(),
      howToReproduce: 'npm run bench:read',
    };
    console.log(JSON.stringify(result, null, 2));
    await writeResult('case-read', result);
  } finally {
    await stack.stop();
  }
}

await main();
