/**
 * `npm run bench:correlation`: one person, one case, over several simulated nights with the field's position error.
 *
 *   npm run bench:correlation                          # seeds 1–10 at scale 1, ~1 minute a seed
 *   npm run bench:correlation -- --seeds 1-3 --scale 0.5
 *
 * Each seed is a night of scripts/simulate-night.ts (drones about 8 m, fixed cameras 3 m, the camera network's AI
 * 15–20 m, patrols 8–16 m, tips 20 m, one report in twenty three times as far off; late, out-of-order and resent
 * batches) driven through the public API of a fresh stack in this process, so that no night's cases draw another's
 * reports. Printed per seed and over all: places with people, the cases they became, places split into several cases,
 * cases holding several places, reports landed with another place's case, and the case ratio. The figures go to
 * bench/results/correlation-<date>.json.
 */
import '#local/quiet-sdk';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { simulateNight } from '../scripts/simulate-night';
import { startDemoCity, writeResult } from './demo-city';
import { log, machine, round } from './figures';

function seedsOf(spec: string): number[] {
  const range = /^(\d+)-(\d+)$/.exec(spec);
  if (range) return Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i);
  const list = spec.split(',').map(Number);
  if (!list.length || list.some((n) => !Number.isInteger(n))) throw new Error(`--seeds takes 1-10 or 1,4,7, not '${spec}'`);
  return list;
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

/** One night on a fresh stack (its own process: the SDK clients of a process are bound to its first stack). */
async function oneNight(seed: number, scale: number) {
  const { stack } = await startDemoCity();
  try {
    const started = Date.now();
    const night = await simulateNight({ url: stack.url, seed, scale, settleMs: 5_000, patrols: false });
    const c = night.correlation;
    return {
      seed, places: night.truth.places, cases: night.cases.ofPeople, split: c.splitPlaces.length, merged: c.mergedCases.length,
      misplacedReports: c.misplacedReports.length, reports: night.answers.accepted + night.traffic.sightings,
      unexpected: night.answers.unexpected.length, unexpectedAnswers: night.answers.unexpected.slice(0, 5), falsePositivesAlerted: night.falsePositives.alerted.length,
      splits: c.splitPlaces.map((s) => ({ place: s.place, cases: s.cases.map((x) => ({ reports: x.reports, fromPlaceM: x.fromPlaceM })) })),
      mergedPlaces: c.mergedCases.map((m) => m.places.map((p) => `${p.place}×${p.reports}`).join(' + ')),
      seconds: round((Date.now() - started) / 1000, 1),
    };
  } finally {
    await stack.stop();
  }
}

type NightResult = Awaited<ReturnType<typeof oneNight>>;

async function main() {
  const scale = Number(option('scale') ?? 1);
  const only = option('night');
  if (only !== undefined) {
    console.log(JSON.stringify(await oneNight(Number(only), scale)));
    return;
  }
  const seeds = seedsOf(option('seeds') ?? '1-10');
  const nights: NightResult[] = [];
  for (const seed of seeds) {
    const { stdout } = await promisify(execFile)(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--night', String(seed), '--scale', String(scale)], {
      maxBuffer: 64 * 2 ** 20,
    });
    const figures = JSON.parse(stdout.trim().split('\n').at(-1)!) as NightResult;
    nights.push(figures);
    log(`seed ${seed}: ${figures.places} places → ${figures.cases} cases, split ${figures.split}, merged ${figures.merged}, `
      + `misplaced ${figures.misplacedReports} of ${figures.reports} reports (${figures.seconds} s)`);
  }
  const sum = (key: 'places' | 'cases' | 'split' | 'merged' | 'misplacedReports' | 'reports' | 'unexpected' | 'falsePositivesAlerted') =>
    nights.reduce((total, n) => total + n[key], 0);
  const result = {
    machine: machine(), scale, seeds,
    total: {
      places: sum('places'), cases: sum('cases'), caseRatio: round(sum('cases') / sum('places'), 3),
      splitPlaces: sum('split'), mergedCases: sum('merged'), misplacedReports: sum('misplacedReports'), reports: sum('reports'),
      unexpectedAnswers: sum('unexpected'), falsePositivesAlerted: sum('falsePositivesAlerted'),
    },
    nights,
  };
  console.log(`\none person, one case: ${seeds.length} nights at scale ${scale} (seeds ${seeds.join(', ')})`);
  console.log('  seed  places  cases  split  merged  misplaced/reports');
  for (const n of nights) {
    console.log(`  ${String(n.seed).padStart(4)}  ${String(n.places).padStart(6)}  ${String(n.cases).padStart(5)}  ${String(n.split).padStart(5)}  ${String(n.merged).padStart(6)}  ${n.misplacedReports}/${n.reports}`);
  }
  const t = result.total;
  console.log(`  all   ${String(t.places).padStart(6)}  ${String(t.cases).padStart(5)}  ${String(t.splitPlaces).padStart(5)}  ${String(t.mergedCases).padStart(6)}  ${t.misplacedReports}/${t.reports}`);
  console.log(`  case ratio ${t.caseRatio} (goal ≤ 1.05), purity: ${t.mergedCases} cases hold two places; unexpected answers ${t.unexpectedAnswers}, false positives alerted ${t.falsePositivesAlerted}`);
  await writeResult('correlation', result);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
