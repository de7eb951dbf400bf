/**
 * The patrols of a simulated night (part of `npm run simulate`): a cold-wave warning from the observatory (CAP 1.2),
 * then each team on duty walks a route through the registered hot spots, stopping at most of them for six minutes
 * and checking in at some, round after round while the night lasts, its phone sending positions as field phones do: off by 8–16 m (one in twenty three times
 * that), in batches, late and out of order after a stretch without signal, some batches twice. A few hot spots are
 * left unchecked, so the wall has something to show. It reports what the API answered and the night's coverage.
 */
import { seededRandom } from '#local/runtime/demo-city';
import { nearest } from '#shared/domain/alert-routing';
import { nightOf, nightWindow } from '#shared/domain/campaign';
import { distanceM } from '#shared/domain/geo';
import { shanghaiIso } from '#shared/domain/shanghai-clock';

interface Point { lat: number; lon: number }
interface Answer { status: number; body: any }
export interface PatrolClient {
  call(method: string, path: string, options?: { token?: string; json?: unknown; key?: string; raw?: { body: string; type: string } }): Promise<Answer>;
  token(claims: Record<string, string>): Promise<string>;
}

export interface PatrolFigures {
  night: string;
  window: { from: string; to: string };
  warning: { identifier: string; status: number } | 'skipped';
  teams: number;
  positions: { sent: number; accepted: number; duplicates: number; rejected: number; batches: number; resent: number; lateBatches: number };
  checkIns: { sent: number; refused: number };
  stops: number;
  coverage: { hotSpots: number; covered: number; coldWave: boolean; holiday: boolean; checkedAtLeastOnce: number };
  unexpected: string[];
}

const M_PER_DEG = 111_320;
const offset = (p: Point, north: number, east: number): Point => ({
  lat: p.lat + north / M_PER_DEG, lon: p.lon + east / (M_PER_DEG * Math.cos((p.lat * Math.PI) / 180)),
});
const MINUTE = 60_000;
/** Share of the hot spots the patrols leave unchecked: the wall shows them red. */
const LEFT_UNCHECKED = 0.2;

/**
 * The stretch of night the patrols walk: its last six hours so far, of tonight if it is night and has been for two
 * hours, of the night just over if it is day, else of the night before (so that the coverage counts them, whatever
 * the hour).
 */
function patrolWindow(now: number): { night: string; from: number; to: number } {
  const tonight = nightOf(now);
  const { start, end } = nightWindow(tonight);
  // Over (it is day), or two hours old: this night; younger than that, the one before.
  const night = now >= end || now - start >= 2 * 60 * MINUTE ? tonight : nightOf(start - 12 * 60 * MINUTE);
  const to = Math.min(now, nightWindow(night).end) - MINUTE;
  return { night, from: Math.max(nightWindow(night).start, to - 6 * 60 * MINUTE), to };
}

function capAlert(identifier: string, onset: number, now: number): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${identifier}</identifier>
  <sender>nanchang.meteorological.observatory</sender>
  <sent>${shanghaiIso(onset)}</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>寒潮黄色预警</event>
    <urgency>Expected</urgency>
    <severity>Moderate</severity>
    <certainty>Likely</certainty>
    <onset>${shanghaiIso(onset)}</onset>
    <expires>${shanghaiIso(now + 12 * 60 * MINUTE)}</expires>
    <headline>南昌市气象台发布寒潮黄色预警信号</headline>
    <description>受强冷空气影响，24小时内最低气温将下降8℃以上，最低气温降至-3℃。</description>
    <instruction>做好防寒保暖，加强街面巡查，及时救助流浪乞讨人员。</instruction>
    <area><areaDesc>南昌市</areaDesc></area>
  </info>
</alert>`;
}

export async function simulatePatrols(api: PatrolClient, options: { seed: number; coordinator: string; coldWave?: boolean; log?: (line: string) => void }): Promise<PatrolFigures> {
  const random = seededRandom(options.seed * 7919 + 17);
  const log = options.log ?? (() => undefined);
  const now = Date.now();
  const unexpected: string[] = [];
  const window = patrolWindow(now);

  let warning: PatrolFigures['warning'] = 'skipped';
  if (options.coldWave !== false) {
    // One warning a night: the same identifier again is the same warning.
    const identifier = `NCMET-SIM-${window.night}`;
    const posted = await api.call('POST', '/v1/warnings', { token: options.coordinator, raw: { body: capAlert(identifier, window.from - 60 * MINUTE, now), type: 'application/cap+xml' } });
    if (posted.status !== 201 && posted.status !== 200) unexpected.push(`POST /v1/warnings answered ${posted.status}: ${JSON.stringify(posted.body)}`);
    warning = { identifier, status: posted.status };
  }

  const hotSpots = (await api.call('GET', '/v1/hot-spots', { token: options.coordinator })).body.items as { hotSpotId: string; location: Point; radiusM: number; priority: string }[];
  const teams = ((await api.call('GET', '/v1/teams', { token: options.coordinator })).body.items as { teamId: string; onDuty: boolean; location: Point }[])
    .filter((t) => t.onDuty);
  const figures: PatrolFigures = {
    night: window.night, window: { from: shanghaiIso(window.from), to: shanghaiIso(window.to) }, warning, teams: teams.length,
    positions: { sent: 0, accepted: 0, duplicates: 0, rejected: 0, batches: 0, resent: 0, lateBatches: 0 },
    checkIns: { sent: 0, refused: 0 }, stops: 0,
    coverage: { hotSpots: 0, covered: 0, coldWave: false, holiday: false, checkedAtLeastOnce: 0 }, unexpected,
  };
  if (!teams.length || !hotSpots.length) return figures;

  // Each hot spot to the nearest team; a few left for nobody.
  const visited = hotSpots.filter(() => random.next() >= LEFT_UNCHECKED);
  const routes = new Map<string, typeof hotSpots>(teams.map((t) => [t.teamId, []]));
  for (const spot of visited) {
    routes.get(nearest(teams, spot.location)!.teamId)!.push(spot);
  }

  await Promise.all(teams.map(async (team) => {
    const token = await api.token({ role: 'patrol', sub: `sim-${team.teamId}-phone`, teamId: team.teamId });
    const route = routes.get(team.teamId)!;
    const fixes: { at: string; lat: number; lon: number; accuracyM: number }[] = [];
    const checkIns: { spot: (typeof hotSpots)[number]; at: number }[] = [];
    let at = window.from + random.int(0, 10) * MINUTE;
    let here = team.location;
    const fix = (p: Point, t: number) => {
      const accuracyM = random.int(8, 16);
      const err = accuracyM * (random.next() < 1 / 20 ? 3 : 1) * Math.sqrt(random.next());
      const angle = random.next() * 2 * Math.PI;
      const seen = offset(p, err * Math.cos(angle), err * Math.sin(angle));
      fixes.push({ at: new Date(t).toISOString(), lat: +seen.lat.toFixed(7), lon: +seen.lon.toFixed(7), accuracyM });
    };
    // Round after round of its hot spots while the night lasts (the high-priority ones need two or three checks).
    const round = route.length ? Array.from({ length: 20 }, () => route).flat() : [];
    for (const spot of round) {
      // Driving there at about 20 km/h, a fix a minute.
      const legMinutes = Math.max(2, Math.round(distanceM(here, spot.location) / 330));
      for (let m = 1; m < legMinutes && at < window.to; m += 1) {
        const f = m / legMinutes;
        fix({ lat: here.lat + (spot.location.lat - here.lat) * f, lon: here.lon + (spot.location.lon - here.lon) * f }, at);
        at += MINUTE;
      }
      if (at + 7 * MINUTE >= window.to) break;
      // The stop: six minutes standing, a fix every two (the phone's sparse rule), a check-in one time in three.
      for (let m = 0; m <= 6; m += 2) fix(spot.location, at + m * MINUTE);
      if (random.next() < 1 / 3) checkIns.push({ spot, at: at + 3 * MINUTE });
      figures.stops += 1;
      at += 7 * MINUTE;
      here = spot.location;
    }

    // Batches as the phone sends them: every few minutes; a stretch without signal goes late, newest first; some twice.
    const batches: (typeof fixes)[] = [];
    for (let i = 0; i < fixes.length;) {
      const size = random.next() < 0.15 ? random.int(12, 30) : random.int(2, 5);
      batches.push(fixes.slice(i, i + size));
      i += size;
    }
    const order = batches.map((b, i) => ({ b, key: i + (b.length >= 12 ? random.int(2, 6) : 0) })).sort((a, c) => a.key - c.key);
    for (const [index, { b, key }] of order.entries()) {
      if (key !== index) figures.positions.lateBatches += 1;
      const send = async () => {
        const answer = await api.call('POST', '/v1/positions', { token, json: { positions: [...b].reverse() } });
        if (answer.status !== 200) {
          unexpected.push(`POST /v1/positions (${team.teamId}) answered ${answer.status}: ${JSON.stringify(answer.body)}`);
          return;
        }
        figures.positions.accepted += answer.body.accepted;
        figures.positions.duplicates += answer.body.duplicates;
        figures.positions.rejected += answer.body.rejected.length;
      };
      figures.positions.batches += 1;
      figures.positions.sent += b.length;
      await send();
      if (random.next() < 0.05) {
        figures.positions.resent += 1;
        await send();
      }
    }
    for (const { spot, at: when } of checkIns) {
      const seen = offset(spot.location, random.int(-15, 15), random.int(-15, 15));
      const answer = await api.call('POST', `/v1/hot-spots/${spot.hotSpotId}/checks`, {
        token, key: `sim-check-${team.teamId}-${spot.hotSpotId}-${when}`,
        json: { at: new Date(when).toISOString(), location: { ...seen, accuracyM: 12 }, outcome: 'nobody' },
      });
      figures.checkIns.sent += 1;
      if (answer.status !== 201) {
        figures.checkIns.refused += 1;
        unexpected.push(`POST /v1/hot-spots/${spot.hotSpotId}/checks answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      }
    }
  }));

  const coverage = await api.call('GET', `/v1/coverage?night=${window.night}`, { token: options.coordinator });
  if (coverage.status !== 200) unexpected.push(`GET /v1/coverage answered ${coverage.status}`);
  else {
    figures.coverage = {
      hotSpots: coverage.body.summary.hotSpots, covered: coverage.body.summary.covered, coldWave: coverage.body.coldWave,
      holiday: coverage.body.holiday, checkedAtLeastOnce: coverage.body.items.filter((i: { checks: number }) => i.checks > 0).length,
    };
  }
  log(`patrols: ${figures.stops} stops, ${figures.positions.sent} positions in ${figures.positions.batches} batches; coverage ${figures.coverage.covered}/${figures.coverage.hotSpots}`);
  return figures;
}

export function formatPatrols(f: PatrolFigures): string[] {
  const p = f.positions;
  return [
    `  patrols      ${f.teams} teams on duty, ${shanghaiIso(Date.parse(f.window.from)).slice(11, 16)}–${shanghaiIso(Date.parse(f.window.to)).slice(11, 16)} of the night of ${f.night}: ${f.stops} stops at hot spots`
      + `${f.warning === 'skipped' ? '' : `; cold-wave warning ${f.warning.identifier} (${f.warning.status})`}`,
    `               positions ${p.sent} in ${p.batches} batches (${p.lateBatches} late, ${p.resent} sent twice): accepted ${p.accepted}, duplicates ${p.duplicates}, rejected ${p.rejected}; `
      + `check-ins ${f.checkIns.sent} (${f.checkIns.refused} refused)`,
    `  coverage     ${f.coverage.covered}/${f.coverage.hotSpots} hot spots covered, ${f.coverage.checkedAtLeastOnce} checked at least once`
      + `${f.coverage.coldWave ? ' · cold-wave night (targets +1)' : ''}${f.coverage.holiday ? ' · holiday night (targets +1)' : ''}`,
  ];
}
