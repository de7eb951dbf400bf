/**
 * `npm run bench:campaign`: the campaign's two figures (issue 13).
 *  - Positions ingested per second through POST /v1/positions (the same handler and table as in the cloud), and the
 *    write units one position costs, from the item sizes as DynamoDB bills them.
 *  - A night's coverage for 200 hot spots and 20 teams, each team's phone having sent a night of positions (a fix a
 *    minute moving, one every two minutes standing): GET /v1/coverage end to end, and the dwell and target
 *    computation alone, in milliseconds.
 *
 *   npm run bench:campaign          # ~1–2 minutes; prints a table, writes bench/results/campaign-<date>.json
 *
 * It starts its own stack in this process (in-memory DynamoDB Local, port 0): nothing else is touched.
 */
import '#local/quiet-sdk';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LocalStack } from '#local/runtime/local-stack';
import { seededRandom } from '#local/runtime/demo-city';
import { nightOf, nightWindow } from '#shared/domain/campaign';
import { checksOf, coverageOf, type TeamPosition } from '#shared/domain/coverage';
import { settings } from '#shared/settings';
import { CampaignStore } from '#shared/store/campaign-store';
import { DirectoryStore } from '#shared/store/directory-store';
import { positionKey, TTL_ATTRIBUTE } from '#shared/store/keys';
import { itemSize } from './capacity';
import { log, machine, median, percentile, round } from './figures';

const HOT_SPOTS = 200;
const TEAMS = 20;
const POSITIONS_PER_BATCH = 20;
const IN_FLIGHT = 8;
const COVERAGE_READS = 15;
const here = path.dirname(fileURLToPath(import.meta.url));
const MINUTE = 60_000;

async function main() {
  const host = machine();
  log(`machine: ${host.cores} cores, Node ${host.node}; load average ${host.loadAverageAtStart.join(' ')}`);
  const stack = await LocalStack.start({ port: 0, log: () => undefined });
  try {
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.endpoints.dynamodb }));
    const directory = new DirectoryStore(db, settings.tableName);
    const random = seededRandom(13);
    const centre = { lat: 28.66, lon: 115.89 };
    const spots = Array.from({ length: HOT_SPOTS }, (_, i) => ({
      hotSpotId: `bench-spot-${i}`, name: `点位 ${i}`, type: 'bridge' as const, radiusM: 50, priority: i % 4 === 0 ? 'high' as const : 'normal' as const,
      location: { lat: centre.lat + random.uniform(-0.12, 0.12), lon: centre.lon + random.uniform(-0.14, 0.14) },
    }));
    for (const spot of spots) await directory.put('hot_spot', spot);
    const teams = Array.from({ length: TEAMS }, (_, i) => ({
      teamId: `bench-team-${i}`, name: `队 ${i}`, stationId: 'bench-station', onDuty: true,
      location: { lat: centre.lat + random.uniform(-0.1, 0.1), lon: centre.lon + random.uniform(-0.1, 0.1) },
    }));
    for (const team of teams) await directory.put('team', team);

    // Last night, 18:00–06:00: every team drives between hot spots and stops at each for 6 minutes.
    const night = nightOf(Date.now() - 24 * 3_600_000);
    const { start, end } = nightWindow(night);
    const tracks = new Map<string, { at: string; lat: number; lon: number; accuracyM: number }[]>();
    for (const team of teams) {
      const track: { at: string; lat: number; lon: number; accuracyM: number }[] = [];
      let at = start;
      let here2 = team.location;
      while (at < end - 10 * MINUTE) {
        const spot = spots[random.int(0, HOT_SPOTS - 1)]!;
        const legMinutes = 8 + random.int(0, 12);
        for (let m = 1; m <= legMinutes && at < end; m += 1) {
          const f = m / legMinutes;
          track.push({ at: new Date(at).toISOString(), lat: here2.lat + (spot.location.lat - here2.lat) * f, lon: here2.lon + (spot.location.lon - here2.lon) * f, accuracyM: 12 });
          at += MINUTE;
        }
        for (let m = 0; m < 3 && at < end; m += 1) {
          track.push({ at: new Date(at).toISOString(), ...spot.location, accuracyM: 12 });
          at += 2 * MINUTE;
        }
        here2 = spot.location;
      }
      tracks.set(team.teamId, track);
    }
    const total = [...tracks.values()].reduce((n, t) => n + t.length, 0);
    log(`${total} positions for ${TEAMS} teams (${Math.round(total / TEAMS)} each), ${HOT_SPOTS} hot spots`);

    const tokens = new Map<string, string>();
    for (const team of teams) {
      const r = await fetch(`${stack.url}/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'patrol', sub: `bench-${team.teamId}`, teamId: team.teamId }) });
      tokens.set(team.teamId, ((await r.json()) as { token: string }).token);
    }
    const batches = [...tracks.entries()].flatMap(([teamId, track]) =>
      Array.from({ length: Math.ceil(track.length / POSITIONS_PER_BATCH) }, (_, i) => ({ teamId, positions: track.slice(i * POSITIONS_PER_BATCH, (i + 1) * POSITIONS_PER_BATCH) })));
    let accepted = 0;
    const latencies: number[] = [];
    let next = 0;
    const began = performance.now();
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const t = performance.now();
        const r = await fetch(`${stack.url}/v1/positions`, {
          method: 'POST', headers: { authorization: `Bearer ${tokens.get(batch.teamId)}`, 'content-type': 'application/json' },
          body: JSON.stringify({ positions: batch.positions }),
        });
        latencies.push(performance.now() - t);
        const body = (await r.json()) as { accepted: number };
        if (r.status !== 200) throw new Error(`POST /v1/positions answered ${r.status}: ${JSON.stringify(body)}`);
        accepted += body.accepted;
      }
    }));
    const seconds = (performance.now() - began) / 1000;
    if (accepted !== total) throw new Error(`${accepted} of ${total} positions accepted`);
    const sample = [...tracks.values()][0]![0]!;
    const itemBytes = itemSize({ ...positionKey('bench-team-10', night, sample.at), entity: 'position', ...sample, [TTL_ATTRIBUTE]: 1_800_000_000 });
    const lastPositionBytes = itemSize({ pk: 'TEAM_POSITION', sk: 'bench-team-10', entity: 'team_position', teamId: 'bench-team-10', ...sample });
    const wcuPerPosition = 1 + Math.max(1, Math.ceil(lastPositionBytes / 1024)) / POSITIONS_PER_BATCH;

    // Coverage of that night: through the API, then the computation alone on the same positions.
    const coordinator = ((await (await fetch(`${stack.url}/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'coordinator', sub: 'bench' }) })).json()) as { token: string }).token;
    const reads: number[] = [];
    let summary: unknown;
    for (let i = 0; i < COVERAGE_READS; i += 1) {
      const t = performance.now();
      const r = await fetch(`${stack.url}/v1/coverage?night=${night}`, { headers: { authorization: `Bearer ${coordinator}` } });
      const body = (await r.json()) as { summary: unknown };
      reads.push(performance.now() - t);
      if (r.status !== 200) throw new Error(`GET /v1/coverage answered ${r.status}`);
      summary = body.summary;
    }
    const store = new CampaignStore(db, settings.tableName);
    const positions = new Map<string, TeamPosition[]>();
    for (const team of teams) positions.set(team.teamId, (await store.positionsOf(team.teamId, night)).map((p) => ({ at: Date.parse(p.at), lat: p.lat, lon: p.lon, accuracyM: p.accuracyM! })));
    const computes: number[] = [];
    for (let i = 0; i < COVERAGE_READS; i += 1) {
      const t = performance.now();
      coverageOf(spots, checksOf(spots, positions, []), (s) => (s.priority === 'high' ? 2 : 1));
      computes.push(performance.now() - t);
    }

    const result = {
      benchmark: 'campaign', date: new Date().toISOString(), machine: { ...host, loadAverageAtEnd: (await import('node:os')).loadavg().map((l) => round(l, 2)) },
      reproduce: 'npm ci && npm run bench:campaign; writes bench/results/campaign-<date>.json',
      positions: {
        setup: `${total} positions of ${TEAMS} teams in batches of ${POSITIONS_PER_BATCH}, ${IN_FLIGHT} in flight, through POST /v1/positions of an in-process local stack`,
        perSecond: Math.round(total / seconds),
        batchLatencyMs: { median: round(median(latencies), 1), p95: round(percentile(latencies, 95), 1) },
        itemBytes,
        wcuPerPosition: round(wcuPerPosition, 2),
        wcuMethod: 'one BatchWriteItem put per position (1 WCU, under 1 KB, no index), plus the team\'s last position once per batch (a conditional put, 1 WCU); the duplicate check is a BatchGetItem (reads, not writes)',
      },
      coverage: {
        setup: `${HOT_SPOTS} hot spots, ${TEAMS} teams, ${total} positions in last night's hours (${night})`,
        apiMs: { median: round(median(reads), 1), p95: round(percentile(reads, 95), 1) },
        computeMs: { median: round(median(computes), 1), p95: round(percentile(computes, 95), 1) },
        summary,
      },
    };
    const out = path.join(here, 'results', `campaign-${result.date.slice(0, 10)}.json`);
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log([
      '',
      `  positions   ${result.positions.perSecond} per second (${total} in batches of ${POSITIONS_PER_BATCH}, ${IN_FLIGHT} in flight); batch median ${result.positions.batchLatencyMs.median} ms, p95 ${result.positions.batchLatencyMs.p95} ms`,
      `              ${itemBytes} B an item; ${result.positions.wcuPerPosition} WCU per position`,
      `  coverage    ${HOT_SPOTS} hot spots × ${TEAMS} teams, ${total} positions: GET /v1/coverage median ${result.coverage.apiMs.median} ms (p95 ${result.coverage.apiMs.p95}); `
        + `dwells and targets alone ${result.coverage.computeMs.median} ms`,
      `  written to ${path.relative(process.cwd(), out)}`,
      '',
    ].join('\n'));
  } finally {
    await stack.stop();
  }
}

await main();
