import { readFileSync } from 'node:fs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { useTestTables } from '../../support/test-tables';
import { DEFAULT_CAMPAIGN_RULES } from '#shared/domain/campaign';
import { DEFAULT_COVERAGE_RULES } from '#shared/domain/coverage';
import type { Notification } from '#shared/domain/notification';
import { CampaignStore } from '#shared/store/campaign-store';
import { DirectoryStore } from '#shared/store/directory-store';
import { IdempotencyStore } from '#shared/store/idempotency-store';
import { NotificationStore } from '#shared/store/notification-store';
import { remindUncheckedHotSpots } from '#shared/use-cases/campaign';
import { postWarning } from '#shared/use-cases/warnings';

/**
 * The campaign's notices against DynamoDB Local: reminders of hot spots unchecked at the night's set hours (once per
 * night and hour, per station, only the high-priority ones not yet covered), and a cold-wave warning sent to the
 * stations and the teams on duty with the warning itself.
 */
const tables = useTestTables();
const CAP = readFileSync(new URL('../../fixtures/cap/cold-wave-yellow.xml', import.meta.url), 'utf8');

async function world(at: string) {
  const tableName = await tables.fresh();
  let clock = new Date(at);
  const dispatched: Notification[] = [];
  const directory = new DirectoryStore(tables.db, tableName);
  const deps = {
    directory, campaign: new CampaignStore(tables.db, tableName), idempotency: new IdempotencyStore(tables.db, tableName),
    notifications: new NotificationStore(tables.db, tableName),
    notifier: { dispatch: async (n: Notification[]) => { dispatched.push(...n); } },
    now: () => clock, campaignRules: DEFAULT_CAMPAIGN_RULES, coverageRules: DEFAULT_COVERAGE_RULES, reminderHours: [23, 2],
  };
  await directory.put('station', { stationId: 'west', name: '西站', location: { lat: 28.68, lon: 115.85 } });
  await directory.put('station', { stationId: 'east', name: '东站', location: { lat: 28.68, lon: 115.95 } });
  await directory.put('team', { teamId: 't1', name: '一队', stationId: 'west', location: { lat: 28.68, lon: 115.85 }, onDuty: true });
  await directory.put('team', { teamId: 't2', name: '二队', stationId: 'east', location: { lat: 28.68, lon: 115.95 }, onDuty: false });
  const spot = (hotSpotId: string, lon: number, priority: 'high' | 'normal') =>
    directory.put('hot_spot', { hotSpotId, name: hotSpotId, type: 'bridge', location: { lat: 28.681, lon }, radiusM: 50, priority });
  await spot('west-bridge', 115.851, 'high');
  await spot('west-park', 115.852, 'normal');
  await spot('east-bridge', 115.951, 'high');
  const outbox = async () => (await tables.db.send(new QueryCommand({
    TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'CASE#campaign' },
  }))).Items ?? [];
  return { deps, dispatched, outbox, setClock: (iso: string) => { clock = new Date(iso); } };
}

describe('reminders of hot spots unchecked', () => {
  it('tells each station its high-priority hot spots unchecked at 23:00, once, and not hours late', async () => {
    const { deps, dispatched, outbox, setClock } = await world('2026-12-02T22:59:00+08:00');
    expect(await remindUncheckedHotSpots(deps)).toEqual({ sent: 0 });
    setClock('2026-12-02T23:04:00+08:00');
    // East's bridge was checked by a team standing there 6 minutes at 22:30: only the west is told.
    for (let m = 0; m <= 6; m += 1) {
      await deps.campaign.putPositions('t2', [{ night: '2026-12-02', at: new Date(Date.parse('2026-12-02T22:30:00+08:00') + m * 60_000).toISOString(), lat: 28.681, lon: 115.951 }], 0);
    }
    await deps.campaign.putPositions('t2', [{ night: '2026-12-02', at: new Date(Date.parse('2026-12-02T23:00:00+08:00')).toISOString(), lat: 28.681, lon: 115.951 }], 0);
    const [first, second] = await Promise.all([remindUncheckedHotSpots(deps), remindUncheckedHotSpots(deps)]);
    expect(first.sent + second.sent).toBe(2);
    // East's bridge needs 2 checks (high priority) and has 1: both stations are told, each of its own.
    const texts = Object.fromEntries(dispatched.map((n) => [n.to.id, n.text]));
    expect(texts.west).toContain('west-bridge（0/2）');
    expect(texts.west).not.toContain('west-park');
    expect(texts.east).toContain('east-bridge（1/2）');
    expect((await outbox()).map((i) => i.kind)).toEqual(['coverage', 'coverage']);
    expect(await remindUncheckedHotSpots(deps)).toEqual({ sent: 0 });

    setClock('2026-12-03T03:30:00+08:00');
    expect(await remindUncheckedHotSpots(deps)).toEqual({ sent: 0 });
    setClock('2026-12-03T02:10:00+08:00');
    expect((await remindUncheckedHotSpots(deps)).sent).toBe(2);
  });
});

describe('a cold-wave warning', () => {
  it('is sent to the stations and the teams on duty with the warning, once, and other warnings to nobody', async () => {
    const { deps, dispatched, outbox } = await world('2026-12-02T17:00:00+08:00');
    const actor = { sub: 'nc-met', role: 'device' as const, deviceId: 'nc-met' };
    expect((await postWarning(deps, { text: CAP, actor })).statusCode).toBe(201);
    expect((await postWarning(deps, { text: CAP, actor })).statusCode).toBe(200);
    expect(dispatched.map((n) => `${n.to.kind}:${n.to.id}`).sort()).toEqual(['station:east', 'station:west', 'team:t1']);
    expect(dispatched[0]!.text).toContain('南昌市气象台发布寒潮黄色预警信号');
    expect(dispatched[0]!.risk).toBe('yellow');
    expect(await outbox()).toHaveLength(3);
    const wind = CAP.replace('NCMET-2026-12-02-001', 'NCMET-wind').replace('寒潮黄色预警', '大风黄色预警');
    expect((await postWarning(deps, { text: wind, actor })).statusCode).toBe(201);
    expect(await outbox()).toHaveLength(3);
  });
});
