import type { Role } from '../contract/vocabulary';
import { seesEverything } from '../domain/access-policy';
import type { Actor } from '../domain/case';
import { conflict, forbidden, notFound } from '../domain/errors';
import { campaignNotice, type Notification } from '../domain/notification';
import { DEFAULT_RESERVE_RULES, peopleTakenIn, reserveTargets, shortfalls, SUPPLY_WORDS, type SupplyCounts, type SupplyKind } from '../domain/supplies';
import { activeWarnings, isSevereColdWave } from '../domain/warning-span';
import type { StoredSupplies } from '../store/campaign-store';
import type { Station } from '../store/directory-store';
import type { Dependencies } from './dependencies';

type Deps = Pick<Dependencies, 'directory' | 'campaign' | 'stats' | 'notifications' | 'now'> & Partial<Pick<Dependencies, 'reserveRules'>>;

export interface StationSupplies {
  stationId: string;
  stationName: string;
  /** Null until the station first counts its stock. */
  stock: SupplyCounts | null;
  countedAt?: string;
  targets: SupplyCounts;
  shortfalls: { kind: SupplyKind; stock: number; target: number; short: number }[];
  peopleInCare: number;
  coldWave: 'none' | 'cold_wave' | 'red';
}

/** What every station should hold now: the people in its care, and the cold wave in force. */
async function tonight(deps: Deps) {
  const [stations, stored, inStation, warnings] = await Promise.all([
    deps.directory.list('station'), deps.campaign.supplies(), deps.stats.inStatus('in_station', ['stationId', 'intakePeople']),
    deps.campaign.warnings(),
  ]);
  const people = new Map<string, number>();
  for (const c of inStation) {
    if (c.stationId) people.set(c.stationId, (people.get(c.stationId) ?? 0) + peopleTakenIn(c));
  }
  const severe = activeWarnings(warnings, deps.now().getTime()).filter(isSevereColdWave);
  const coldWave: StationSupplies['coldWave'] = severe.some((w) => w.level === 'red') ? 'red' : severe.length ? 'cold_wave' : 'none';
  const view = (station: Station): StationSupplies => {
    const supplies = stored.get(station.stationId);
    const peopleInCare = people.get(station.stationId) ?? 0;
    const targets = reserveTargets(peopleInCare, coldWave, deps.reserveRules ?? DEFAULT_RESERVE_RULES);
    return {
      stationId: station.stationId, stationName: station.name, stock: supplies?.stock ?? null,
      ...(supplies ? { countedAt: supplies.countedAt } : {}),
      targets, shortfalls: supplies ? shortfalls(supplies.stock, targets) : [], peopleInCare, coldWave,
    };
  };
  return { stations, stored, view };
}

/** The supplies of the stations a caller may see: a station its own, a coordinator every one. */
export async function listSupplies(deps: Deps, caller: { roles: readonly Role[]; stationId?: string }): Promise<{ items: StationSupplies[] }> {
  const { stations, view } = await tonight(deps);
  const all = seesEverything(caller);
  return { items: stations.filter((s) => all || s.stationId === caller.stationId).map(view) };
}

const noticeOf = (station: Station, row: StationSupplies, kinds: readonly SupplyKind[], at: string): Notification => campaignNotice({
  kind: 'supplies', to: { kind: 'station', id: station.stationId, name: station.name }, at, risk: row.coldWave === 'red' ? 'red' : 'orange',
  text: `【物资预警】${station.name}：${row.shortfalls.filter((s) => kinds.includes(s.kind))
    .map((s) => `${SUPPLY_WORDS[s.kind]}缺 ${s.short}（现有 ${s.stock}，需储备 ${s.target}）`).join('；')}`
    + `${row.coldWave !== 'none' ? '。寒潮预警生效中，储备目标已上调' : ''}。请及时补充`,
});

/**
 * Writes a station's supplies with what it was last told of, telling it of the kinds newly short (through the outbox,
 * in the same transaction); a kind back above its target is forgotten, so that it tells again if it runs short again.
 */
async function settle(deps: Deps, station: Station, row: StationSupplies, stored: StoredSupplies, readVersion: number | undefined) {
  const short = row.shortfalls.map((s) => s.kind);
  const fresh = short.filter((kind) => !stored.toldShort.includes(kind));
  const notices = fresh.length ? [noticeOf(station, row, fresh, deps.now().toISOString())] : [];
  const written = await deps.campaign.putSupplies({ ...stored, toldShort: short, version: (readVersion ?? 0) + 1 }, readVersion, notices.map((n) => deps.notifications.put(n)));
  return { written, notices };
}

/** A station counts its stock (the desk's form): stored, and the station told of any shortfall that opens. */
export async function countSupplies(
  deps: Deps & Pick<Dependencies, 'notifier'>,
  input: { stationId: string; stock: SupplyCounts; actor: Actor; roles: readonly Role[] },
): Promise<StationSupplies> {
  if (!seesEverything(input) && input.actor.stationId !== input.stationId) throw forbidden(`a station counts its own supplies, not ${input.stationId}'s`);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const { stations, stored, view } = await tonight(deps);
    const station = stations.find((s) => s.stationId === input.stationId);
    if (!station) throw notFound(`no station ${input.stationId}`);
    const before = stored.get(station.stationId);
    const next: StoredSupplies = {
      stationId: station.stationId, stock: input.stock, countedAt: deps.now().toISOString(), countedBy: input.actor.sub,
      toldShort: before?.toldShort ?? [], version: before?.version ?? 0,
    };
    stored.set(station.stationId, next);
    const row = view(station);
    const { written, notices } = await settle(deps, station, row, next, before?.version);
    if (written) {
      if (notices.length) await deps.notifier.dispatch(notices).catch(() => undefined);
      return row;
    }
  }
  throw conflict('the supplies were counted by someone else at the same moment: read them again');
}

/**
 * The watch (every 5 minutes, with the coverage reminders): a shortfall may open without anyone counting, when a
 * cold wave raises the targets or people come in. Stations that never counted are not told anything.
 */
export async function watchSupplies(deps: Deps & Pick<Dependencies, 'notifier'>): Promise<{ told: number }> {
  const { stations, stored, view } = await tonight(deps);
  let told = 0;
  for (const station of stations) {
    const supplies = stored.get(station.stationId);
    if (!supplies) continue;
    const row = view(station);
    const short = row.shortfalls.map((s) => s.kind);
    if (short.length === supplies.toldShort.length && short.every((k) => supplies.toldShort.includes(k))) continue;
    // Lost to a concurrent count: that count told the station already.
    const { written, notices } = await settle(deps, station, row, supplies, supplies.version);
    if (written && notices.length) {
      told += notices.length;
      await deps.notifier.dispatch(notices).catch(() => undefined);
    }
  }
  return { told };
}
