/**
 * `npm run bench:burst`: the device route at its worst (issue 12): 4 devices post a batch of 500 detections at 500
 * new places each, all 4 in flight, with room in their quotas (QUOTA_DEVICE_CASES_PER_HOUR is raised to 1,000 for
 * this run). Printed: each answer's status and time (none may run into the function's 10 s timeout), what was landed
 * at once and what was deferred, and how long until every deferred detection was in a case, with the count of cases
 * against the 2,000 places sent (nothing accepted may be lost).
 *
 *   npm run bench:burst             # ~2–4 minutes; writes bench/results/burst-<date>.json
 *   BURST_BATCHES=2 npm run bench:burst
 */
process.env.QUOTA_DEVICE_CASES_PER_HOUR ??= '1000';
import '#local/quiet-sdk';
import { startDemoCity, writeResult } from './demo-city';
import { log, machine, median, round } from './figures';

const BATCHES = Number(process.env.BURST_BATCHES ?? 4);
const PER_BATCH = 500;

async function main() {
  const { stack, token } = await startDemoCity();
  try {
    const coordinator = await token({ role: 'coordinator', sub: 'burst.coordinator' });
    /** Place n of the burst: a grid 120 m apart east of the city, clear of the demo. */
    const place = (n: number) => ({ lat: +(28.55 + (n % 50) * 0.0011).toFixed(6), lon: +(116.00 + Math.floor(n / 50) * 0.0013).toFixed(6) });
    const answers = await Promise.all(Array.from({ length: BATCHES }, async (_, b) => {
      const deviceId = `burst-${b}`;
      const device = await token({ role: 'device', sub: deviceId, deviceId });
      const observedAt = new Date().toISOString();
      const started = Date.now();
      const res = await fetch(`${stack.url}/v1/detections`, {
        method: 'POST',
        headers: { authorization: `Bearer ${device}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          deviceId, source: 'drone_thermal',
          detections: Array.from({ length: PER_BATCH }, (_, i) => ({
            detectionId: `burst/${b}/${i}`, observedAt, location: { ...place(b * PER_BATCH + i), accuracyM: 8 }, confidence: 0.9, ambientTempC: -3,
          })),
        }),
      });
      const seconds = (Date.now() - started) / 1000;
      const body = await res.json() as { results?: { status: string; deferred?: boolean; caseId?: string }[] };
      const results = body.results ?? [];
      return {
        deviceId, status: res.status, seconds: round(seconds, 2),
        landed: results.filter((r) => r.status === 'accepted' && r.caseId).length,
        deferred: results.filter((r) => r.deferred).length,
        rejected: results.filter((r) => r.status === 'rejected').length,
      };
    }));
    for (const a of answers) log(`${a.deviceId}: ${a.status} in ${a.seconds} s; landed ${a.landed}, deferred ${a.deferred}, rejected ${a.rejected}`);

    // Until every place sent is a case (the landing sweep runs every minute here too).
    const sent = BATCHES * PER_BATCH;
    const since = new Date(Date.now() - 10 * 60_000).toISOString();
    const started = Date.now();
    let cases = 0;
    while (Date.now() - started < 240_000) {
      cases = 0;
      let cursor: string | undefined;
      do {
        const page = await (await fetch(`${stack.url}/v1/cases?since=${encodeURIComponent(since)}&bbox=115.99,28.54,116.06,28.61&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
          headers: { authorization: `Bearer ${coordinator}` },
        })).json() as { items: unknown[]; nextCursor?: string };
        cases += page.items.length;
        cursor = page.nextCursor;
      } while (cursor);
      if (cases >= sent) break;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    const result = {
      what: `${BATCHES} devices × ${PER_BATCH} detections at ${PER_BATCH} new places each, all in flight, quota ${process.env.QUOTA_DEVICE_CASES_PER_HOUR}/h`,
      answers,
      answerSeconds: { median: round(median(answers.map((a) => a.seconds)), 2), max: round(Math.max(...answers.map((a) => a.seconds)), 2) },
      statuses: answers.map((a) => a.status),
      landedAtOnce: answers.reduce((n, a) => n + a.landed, 0),
      deferred: answers.reduce((n, a) => n + a.deferred, 0),
      casesWhenDone: cases, placesSent: sent,
      secondsUntilAllLanded: cases >= sent ? round((Date.now() - started) / 1000, 1) : 'not within 240 s',
      machine: machine(), at: new Date().toISOString(), howToReproduce: 'npm run bench:burst',
    };
    console.log(JSON.stringify(result, null, 2));
    await writeResult('burst', result);
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
