import { describe, expect, it } from 'vitest';
import { useTestTables } from '../../support/test-tables';
import { seededRandom } from '#local/runtime/demo-city';
import type { StatsQuery } from '#shared/contract/stats';
import { CASE_STATUSES, OUTCOMES, RISK_LEVELS } from '#shared/contract/vocabulary';
import { type AccessDirectory, caseAccess, callerOf } from '#shared/domain/access-policy';
import type { Case } from '#shared/domain/case';
import { CaseStore } from '#shared/store/case-store';
import { DirectoryStore } from '#shared/store/directory-store';
import { StatsStore } from '#shared/store/stats-store';
import type { CaseGate } from '#shared/use-cases/case-access';
import { ROLL_LAG_MS, ROLL_OVERLAP_MS, rollStats } from '#shared/use-cases/roll-stats';
import { campaignStats } from '#shared/use-cases/stats';

/**
 * The kept figures against DynamoDB Local: a few days of cases in every state, counted by the roller, must answer
 * exactly what reading every case answers, for windows of any shape, for the city and for a station, straight after
 * cases change (before the roller's next pass), and after the stations change.
 */

const tables = useTestTables();


const STATIONS = [
  { stationId: 'station-west', name: 'West', location: { lat: 28.68, lon: 115.85 } },
  { stationId: 'station-east', name: 'East', location: { lat: 28.68, lon: 115.95 } },
];

const START = Date.parse('2026-01-10T00:00:00Z');
const HOUR = 3_600_000;

async function world(seed: number) {
  const tableName = await tables.fresh();
  let clock = new Date(START + 4 * 24 * HOUR);
  // The store notes changes on the test's clock, as it notes them on the machine's in production.
  const cases = new CaseStore(tables.db, tableName, () => clock);
  const directory = new DirectoryStore(tables.db, tableName);
  const store = new StatsStore(tables.db, tableName);
  // Counts the cases read to answer: what the kept figures save.
  let casesRead = 0;
  const stats = Object.assign(Object.create(store) as StatsStore, {
    casesOpenedIn: async (...args: Parameters<StatsStore['casesOpenedIn']>) => {
      const read = await store.casesOpenedIn(...args);
      casesRead += read.length;
      return read;
    },
  });
  const deps = { stats, directory, now: () => clock };
  for (const station of STATIONS) await directory.put('station', station);

  const rnd = seededRandom(seed);
  const made: Case[] = [];
  // 120 cases over four days, at random minutes, between the two stations, in every state.
  for (let i = 0; i < 120; i += 1) {
    const openedAt = new Date(START + Math.floor(rnd.next() * 4 * 24 * 60) * 60_000 + Math.floor(rnd.next() * 60_000)).toISOString();
    const status = rnd.pick(CASE_STATUSES);
    const acknowledged = ['acknowledged', 'on_scene', 'resolved', 'in_station'].includes(status) || (status === 'closed' && rnd.next() < 0.5);
    const resolved = ['resolved', 'in_station', 'closed'].includes(status);
    const after = (minutes: number) => new Date(Date.parse(openedAt) + minutes * 60_000).toISOString();
    const c: Case = {
      caseId: `case-${String(i).padStart(4, '0')}`, status, risk: rnd.pick(RISK_LEVELS), riskReasons: [],
      location: { lat: 28.68, lon: 115.85 + rnd.next() * 0.1 }, placeType: 'bridge', openedAt, updatedAt: openedAt, lastSeenAt: openedAt,
      sightingCount: Math.floor(rnd.next() * 3), detectionCount: Math.floor(rnd.next() * 5), photoCount: 0, workflowGeneration: 0, version: 1,
      reportsBySource: { patrol: 1, drone_thermal: 2 }, leadSource: rnd.pick(['patrol', 'drone_thermal', 'public'] as const),
      ...(acknowledged ? { acknowledgedAt: after(rnd.next() * 90) } : {}),
      ...(resolved ? { resolvedAt: after(90 + rnd.next() * 2_000), outcome: rnd.pick(OUTCOMES) } : {}),
      ...(rnd.next() < 0.3 ? { stationId: rnd.pick(STATIONS).stationId } : {}),
    };
    await cases.writeEvidence({ cells: [], case: { create: c }, items: [], detections: [] });
    made.push(c);
  }

  const gateFor = async (principal: { sub: string; roles: ('coordinator' | 'station')[]; stationId?: string }): Promise<CaseGate> => {
    const dir: AccessDirectory = { teams: [], stations: await directory.list('station') };
    const caller = callerOf(principal, dir);
    return { caller, directory: dir, access: (c) => caseAccess(caller, c, dir) };
  };
  /** The figures as kept, and as read from every case (no marker: nothing kept). */
  const both = async (query: StatsQuery, gate: CaseGate) => {
    casesRead = 0;
    const kept = await campaignStats(deps, query, gate);
    const keptRead = casesRead;
    const marker = await store.rollMarker();
    const direct = await campaignStats({ ...deps, stats: Object.assign(Object.create(store) as StatsStore, { rollMarker: async () => undefined }) }, query, gate);
    expect(marker).toBeDefined();
    return { kept, direct, keptRead };
  };
  const roll = () => rollStats(deps, Date.now() + 20_000);
  return {
    cases, directory, store, deps, made, both, roll, gateFor, rnd,
    at: (instant: number) => { clock = new Date(instant); },
    get clock() { return clock.getTime(); },
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('kept figures', () => {
  it('answer exactly what reading every case answers, for windows of any shape, reading only the partial hours', async () => {
    const w = await world(7);
    const coordinator = await w.gateFor({ sub: 'c', roles: ['coordinator'] });
    // A pass with no time left walks no history: the figures are read from the cases meanwhile, and are right.
    const cutShort = await rollStats(w.deps, Date.now() - 1);
    expect(cutShort.walked).toBe(0);
    const meanwhile = await w.both({ from: iso(START), to: iso(START + 4 * 24 * HOUR), bucket: 'day' }, coordinator);
    expect(meanwhile.kept).toEqual(meanwhile.direct);
    expect(meanwhile.keptRead).toBe(120);
    // The next walks the four days (and today's hours), a day at a time.
    const first = await w.roll();
    expect(first.walked).toBe(5);
    // Time passes beyond the overlap: nothing is dirty any more.
    w.at(w.clock + ROLL_LAG_MS + ROLL_OVERLAP_MS + 60_000);
    await w.roll();

    const windows: StatsQuery[] = [
      { from: iso(START - 12 * HOUR), to: iso(START + 5 * 24 * HOUR), bucket: 'day' },
      { from: iso(START + 13 * 60_000), to: iso(START + 3 * 24 * HOUR + 7 * 60_000), bucket: 'day' },
      { from: iso(START + 26 * HOUR + 30 * 60_000), to: iso(START + 50 * HOUR), bucket: 'hour' },
      { from: '2026-01-11T00:00:00+08:00', to: '2026-01-13T00:00:00+08:00' },
    ];
    for (const query of windows) {
      const { kept, direct, keptRead } = await w.both(query, coordinator);
      expect(kept, JSON.stringify(query)).toEqual(direct);
      // Only the partial first and last hours were read from the cases.
      const partial = w.made.filter((c) => {
        const t = Date.parse(c.openedAt);
        const from = Date.parse(query.from!);
        const to = Date.parse(query.to!);
        return (t >= from && t < Math.ceil(from / HOUR) * HOUR) || (t >= Math.floor(to / HOUR) * HOUR && t < to);
      });
      expect(keptRead, JSON.stringify(query)).toBe(partial.length);
    }
    const all = await w.both({ from: iso(START - 12 * HOUR), to: iso(START + 5 * 24 * HOUR), bucket: 'day' }, coordinator);
    expect(all.kept.cases.opened).toBe(120);
  });

  it('follow a change at once, before the next pass, and keep it at the next', async () => {
    const w = await world(11);
    const coordinator = await w.gateFor({ sub: 'c', roles: ['coordinator'] });
    await w.roll();
    w.at(w.clock + 10 * 60_000);
    await w.roll();
    const query = { from: iso(START), to: iso(START + 4 * 24 * HOUR), bucket: 'day' } as const;
    const before = (await w.both(query, coordinator)).kept;

    // Someone resolves an open case and more reports join another.
    const open = w.made.find((c) => c.status === 'open')!;
    const at = iso(w.clock);
    await w.cases.mutateCase(open.caseId, () => ({ set: { status: 'resolved', outcome: 'escorted_to_station', resolvedAt: at, updatedAt: at } }));
    const { kept, direct, keptRead } = await w.both(query, coordinator);
    expect(kept).toEqual(direct);
    expect(kept.cases.byStatus.resolved).toBe(before.cases.byStatus.resolved + 1);
    expect(kept.outcomes.escorted_to_station).toBe(before.outcomes.escorted_to_station + 1);
    // The changed case's hour was read from its cases; the rest was kept.
    const sameHour = w.made.filter((c) => Math.floor(Date.parse(c.openedAt) / HOUR) === Math.floor(Date.parse(open.openedAt) / HOUR));
    expect(keptRead).toBe(sameHour.length);

    w.at(w.clock + ROLL_LAG_MS + ROLL_OVERLAP_MS + 60_000);
    const pass = await w.roll();
    expect(pass.hours).toBe(1);
    const after = await w.both(query, coordinator);
    expect(after.kept).toEqual(after.direct);
    expect(after.keptRead).toBe(0);
  });

  it('give a station the figures of the cases it is responsible for, and follow the stations as they change', async () => {
    const w = await world(23);
    await w.roll();
    w.at(w.clock + 10 * 60_000);
    await w.roll();
    const query = { from: iso(START), to: iso(START + 4 * 24 * HOUR), bucket: 'day' } as const;
    const east = await w.gateFor({ sub: 'e', roles: ['station'], stationId: 'station-east' });
    const kept = await w.both(query, east);
    expect(kept.kept).toEqual(kept.direct);
    expect(kept.keptRead).toBe(0);
    expect(kept.kept.cases.opened).toBeGreaterThan(20);
    expect(kept.kept.cases.opened).toBeLessThan(120);

    // A third station opens between the two: some cases now have it as their nearest station.
    await w.directory.put('station', { stationId: 'station-mid', name: 'Mid', location: { lat: 28.68, lon: 115.9 } });
    const mid = await w.gateFor({ sub: 'm', roles: ['station'], stationId: 'station-mid' });
    const eastNow = await w.gateFor({ sub: 'e', roles: ['station'], stationId: 'station-east' });
    // Until the roller has walked history again, a station's figures are read from the cases: right, if slower.
    const meanwhile = await w.both(query, mid);
    expect(meanwhile.kept).toEqual(meanwhile.direct);
    expect(meanwhile.kept.cases.opened).toBeGreaterThan(0);
    expect(meanwhile.keptRead).toBe(meanwhile.kept.cases.opened);

    w.at(w.clock + 60_000);
    await w.roll();
    for (const gate of [mid, eastNow, await w.gateFor({ sub: 'c', roles: ['coordinator'] })]) {
      const after = await w.both(query, gate);
      expect(after.kept).toEqual(after.direct);
      expect(after.keptRead).toBe(0);
    }
  });

  it('are counted by one pass at a time', async () => {
    const w = await world(5);
    const passes = await Promise.all([w.roll(), w.roll(), w.roll()]);
    expect(passes.filter((p) => p.skipped)).toHaveLength(2);
    // The lease is given back: the next pass runs.
    expect((await w.roll()).skipped).toBeUndefined();
  });
});
