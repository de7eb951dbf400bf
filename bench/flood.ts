/**
 * `npm run bench:flood`: a flood on the public and device routes while a patrol keeps reporting, and what the quotas
 * and the workflow do with it.
 *
 *   npm run bench:flood                # ~1–2 minutes; prints the figures, writes bench/results/flood-<date>.json
 *   FLOOD_REPORTS=400 npm run bench:flood
 *
 * It starts its own stack in this process (in-memory DynamoDB Local, port 0) with the demo city's directory. Then, at
 * once: one help point posts FLOOD_REPORTS (200) Open311 reports of new places, 8 in flight; one drone posts 8 batches
 * of 50 detections of new places, 2 in flight; and a patrol member reports a red case every 2 s, 10 in all. Counted:
 * what the quotas let in and refused (429, or `rejected`), and for the patrol's cases, seconds from the report to the
 * alert (median and max), against the same patrol reports with no flood, measured first. Locally there is no API
 * Gateway throttling (it is the stage's, in the cloud): this measures the quotas and the workflow alone.
 */
import '#local/quiet-sdk';
import { DEMO_HELP_POINT_KEY } from '#local/runtime/demo';
import { startDemoCity, writeResult } from './demo-city';
import { log, machine, median, round } from './figures';

const REPORTS = Number(process.env.FLOOD_REPORTS ?? 200);
const BATCHES = 8;
const PER_BATCH = 50;
const PATROL_REPORTS = 10;

async function main() {
  const { stack, token } = await startDemoCity();
  try {
    const post = (route: string, init: RequestInit) => fetch(`${stack.url}${route}`, { method: 'POST', ...init });
    const patrol = await token({ role: 'patrol', sub: 'flood.patrol', teamId: 'team-01' });
    const drone = await token({ role: 'device', sub: 'drone-flood', deviceId: 'drone-flood' });
    let place = 0;
    /** A new place each call, ~220 m apart on a grid over the city. */
    const newPlace = () => {
      place += 1;
      return { lat: 28.60 + (place % 40) * 0.002, lon: 115.80 + Math.floor(place / 40) * 0.002 };
    };

    /** A patrol's red report, and the seconds until its case is alerted. */
    const patrolReport = async (): Promise<number> => {
      const started = Date.now();
      const created = await (await post('/v1/sightings', {
        headers: { authorization: `Bearer ${patrol}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          observedAt: new Date().toISOString(), location: { ...newPlace(), accuracyM: 12 }, place: { type: 'bridge' },
          people: [{ ageGroup: 'elderly', sex: 'male', conditions: ['ill', 'inadequate_clothing'] }],
        }),
      })).json() as { caseId: string };
      for (;;) {
        const c = await (await fetch(`${stack.url}/v1/cases/${created.caseId}`, { headers: { authorization: `Bearer ${patrol}` } })).json() as { status: string };
        if (c.status !== 'open') return (Date.now() - started) / 1000;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const patrolRun = async () => {
      const seconds: number[] = [];
      for (let i = 0; i < PATROL_REPORTS; i += 1) {
        const pace = new Promise((resolve) => setTimeout(resolve, 2_000));
        seconds.push(await patrolReport());
        await pace;
      }
      return seconds;
    };

    log('patrol reports with no flood');
    const quiet = await patrolRun();

    log(`flood: ${REPORTS} Open311 reports, ${BATCHES}×${PER_BATCH} detections, and the patrol's reports`);
    const open311 = { created: 0, refused: 0, other: 0 };
    const statuses: Record<string, number> = {};
    const helpPointFlood = async () => {
      let next = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (next < REPORTS) {
          next += 1;
          const where = newPlace();
          const res = await post('/open311/v2/requests.json', {
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ api_key: DEMO_HELP_POINT_KEY, service_code: 'person_in_need', lat: String(where.lat), long: String(where.lon), description: 'flood' }),
          });
          await res.arrayBuffer();
          if (res.status === 201) open311.created += 1;
          else if (res.status === 429) open311.refused += 1;
          else {
            open311.other += 1;
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          }
        }
      }));
    };
    const detections = { accepted: 0, rejected: 0, requests429: 0, requests5xx: 0 };
    const deviceFlood = async () => {
      let batch = 0;
      await Promise.all(Array.from({ length: 2 }, async () => {
        while (batch < BATCHES) {
          batch += 1;
          const at = new Date().toISOString();
          const res = await post('/v1/detections', {
            headers: { authorization: `Bearer ${drone}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              deviceId: 'drone-flood', source: 'drone_thermal',
              detections: Array.from({ length: PER_BATCH }, (_, i) => ({
                detectionId: `flood/${batch}/${i}`, observedAt: at, location: { ...newPlace(), accuracyM: 8 }, confidence: 0.9, ambientTempC: -3,
              })),
            }),
          });
          if (res.status === 429) {
            detections.requests429 += 1;
            detections.rejected += PER_BATCH;
            await res.arrayBuffer();
            continue;
          }
          if (res.status >= 500) {
            // The batch's fate is unknown to the device (some may have landed): it would send it again.
            detections.requests5xx += 1;
            await res.arrayBuffer();
            continue;
          }
          const body = await res.json() as { results: { status: string }[] };
          detections.accepted += body.results.filter((r) => r.status === 'accepted').length;
          detections.rejected += body.results.filter((r) => r.status === 'rejected').length;
        }
      }));
    };
    const [flooded] = await Promise.all([patrolRun(), helpPointFlood(), deviceFlood()]);

    const result = {
      what: 'A flood on Open311 and the device route while a patrol reports red cases; quotas (help point 20/h, device 300/h) and the workflow',
      open311: { sent: REPORTS, ...open311, otherStatuses: statuses },
      detections: { sent: BATCHES * PER_BATCH, ...detections },
      reportToAlertSeconds: {
        quiet: { median: round(median(quiet), 2), max: round(Math.max(...quiet), 2) },
        duringFlood: { median: round(median(flooded), 2), max: round(Math.max(...flooded), 2) },
      },
      machine: machine(), at: new Date().toISOString(), howToReproduce: 'npm run bench:flood',
    };
    console.log(JSON.stringify(result, null, 2));
    await writeResult('flood', result);
  } finally {
    await stack.stop();
  }
}

await main();
