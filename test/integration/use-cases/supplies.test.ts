import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTestTables } from '../../support/test-tables';
import type { Notification } from '#shared/domain/notification';
import { CampaignStore } from '#shared/store/campaign-store';
import { CaseStore } from '#shared/store/case-store';
import { DirectoryStore } from '#shared/store/directory-store';
import { IdempotencyStore } from '#shared/store/idempotency-store';
import { NotificationStore } from '#shared/store/notification-store';
import { StatsStore } from '#shared/store/stats-store';
import { postWarning } from '#shared/use-cases/warnings';
import { countSupplies, listSupplies, watchSupplies } from '#shared/use-cases/supplies';

/**
 * Supplies against DynamoDB Local: a count below tonight's targets tells the station once; a cold wave raising the
 * targets opens a shortfall the watch finds and tells; made good, a kind is forgotten and would tell again.
 */
const tables = useTestTables();
const CAP = readFileSync(new URL('../../fixtures/cap/cold-wave-yellow.xml', import.meta.url), 'utf8');
const station = { sub: 'duty', role: 'station' as const, stationId: 'west' };

async function world() {
  const tableName = await tables.fresh();
  const clock = new Date('2026-12-02T20:00:00+08:00');
  const dispatched: Notification[] = [];
  const directory = new DirectoryStore(tables.db, tableName);
  await directory.put('station', { stationId: 'west', name: '西站', location: { lat: 28.68, lon: 115.85 } });
  const deps = {
    directory, campaign: new CampaignStore(tables.db, tableName), stats: new StatsStore(tables.db, tableName),
    cases: new CaseStore(tables.db, tableName), idempotency: new IdempotencyStore(tables.db, tableName),
    notifications: new NotificationStore(tables.db, tableName),
    notifier: { dispatch: async (n: Notification[]) => { dispatched.push(...n); } }, now: () => clock,
  };
  return { deps, dispatched };
}

describe('supplies', () => {
  it('tells the station of a shortfall once, and again only after it was made good and opened anew', async () => {
    const { deps, dispatched } = await world();
    const count = (stock: Record<string, number>) => countSupplies(deps, { stationId: 'west', stock: stock as never, actor: station, roles: ['station'] });
    const full = { quilts: 30, cotton_coats: 30, hot_meals: 40, medicine_kits: 12 };
    expect((await count(full)).shortfalls).toEqual([]);
    expect(dispatched).toHaveLength(0);

    const row = await count({ ...full, quilts: 15 });
    expect(row.shortfalls).toEqual([{ kind: 'quilts', stock: 15, target: 20, short: 5 }]);
    expect(dispatched.map((n) => [n.kind, n.to.id])).toEqual([['supplies', 'west']]);
    expect(dispatched[0]!.text).toContain('棉被缺 5');
    await count({ ...full, quilts: 14 });
    expect(dispatched).toHaveLength(1);

    // A cold wave: every target ×1.5, so the meals and medicine kits fall short too; the watch tells of those only.
    await postWarning(deps, { text: CAP, actor: { sub: 'met', role: 'device', deviceId: 'met' } });
    const told = dispatched.length;
    expect(await watchSupplies(deps)).toEqual({ told: 1 });
    const latest = dispatched.at(-1)!;
    expect(latest.text).toContain('热食（份）缺 5');
    expect(latest.text).toContain('常用药包缺 3');
    expect(latest.text).toContain('寒潮');
    expect(latest.text).not.toContain('棉被');
    expect(dispatched.length).toBe(told + 1);
    expect(await watchSupplies(deps)).toEqual({ told: 0 });

    // Made good, then short again: told again.
    await count({ quilts: 40, cotton_coats: 40, hot_meals: 60, medicine_kits: 20 });
    const before = dispatched.length;
    await count({ quilts: 10, cotton_coats: 40, hot_meals: 60, medicine_kits: 20 });
    expect(dispatched.length).toBe(before + 1);
  });

  it('lets a station count only its own, and shows a coordinator every station', async () => {
    const { deps } = await world();
    await deps.directory.put('station', { stationId: 'east', name: '东站', location: { lat: 28.68, lon: 115.95 } });
    await expect(countSupplies(deps, { stationId: 'east', stock: { quilts: 1, cotton_coats: 1, hot_meals: 1, medicine_kits: 1 }, actor: station, roles: ['station'] }))
      .rejects.toMatchObject({ kind: 'forbidden' });
    expect((await listSupplies(deps, { roles: ['station'], stationId: 'west' })).items.map((i) => i.stationId)).toEqual(['west']);
    expect((await listSupplies(deps, { roles: ['coordinator'] })).items.map((i) => i.stationId).sort()).toEqual(['east', 'west']);
    expect((await listSupplies(deps, { roles: ['coordinator'] })).items.find((i) => i.stationId === 'east')?.stock).toBeNull();
  });
});
