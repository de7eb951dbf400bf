import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { useTestTables } from '../../support/test-tables';
import { CaseStore, timelineItem } from '#shared/store/case-store';
import { EventFeedStore, MAX_FEED_HOURS_PER_READ } from '#shared/store/event-feed';
import { feedIndexKeys, feedPositionAt, timelineKey } from '#shared/store/keys';

const tables = useTestTables();

async function freshTable() {
  const tableName = await tables.fresh();
  return { tableName, feed: new EventFeedStore(tables.db, tableName), cases: new CaseStore(tables.db, tableName) };
}

let sequence = 0;
/** A timeline item as timelineItem writes it, but written at a chosen time (the feed's order). */
function entryWrittenAt(writtenAt: string, caseId = 'case-A') {
  sequence += 1;
  const entryId = `01KF0Z8Q3N6W2D4X7Y9B5C${String(sequence).padStart(4, '0')}`;
  return {
    ...timelineKey(caseId, writtenAt, entryId), ...feedIndexKeys(writtenAt, entryId),
    entity: 'timeline', at: writtenAt, type: 'note', text: `written ${writtenAt}`, caseId, writtenAt,
  };
}

async function put(tableName: string, items: Record<string, unknown>[]) {
  for (let i = 0; i < items.length; i += 25) {
    await tables.db.send(new BatchWriteCommand({ RequestItems: { [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
}

describe('the live feed on DynamoDB Local', () => {
  it('reads every entry once, in write order, across hours, page by page after each position', async () => {
    const { tableName, feed } = await freshTable();
    const times = ['2026-01-12T13:59:59.999Z', '2026-01-12T14:00:00.000Z', '2026-01-12T14:00:00.000Z', '2026-01-12T14:30:00.000Z', '2026-01-12T16:05:00.000Z'];
    const items = times.map((t) => entryWrittenAt(t));
    await put(tableName, [...items].reverse());

    const seen: string[] = [];
    let after = feedPositionAt('2026-01-12T13:00:00Z');
    for (let round = 0; round < 10; round += 1) {
      const read = await feed.read(after, '2026-01-12T17:00:00.000Z', 2);
      seen.push(...read.entries.map((e) => e.position));
      expect(read.through >= after).toBe(true);
      after = read.through;
      if (!read.more) break;
    }
    expect(seen).toEqual(items.map((i) => i.gsi1sk));
    expect(after).toBe('2026-01-12T17:00:00.000Z');
  });

  it('hands out entries with their case and write time, and the entry as the timeline shows it', async () => {
    const { tableName, feed } = await freshTable();
    const item = entryWrittenAt('2026-01-12T14:41:00.123Z', 'case-B');
    await put(tableName, [item]);
    const read = await feed.read('2026-01-12T14:00:00.000Z', '2026-01-12T15:00:00.000Z', 10);
    expect(read.entries).toEqual([{
      position: item.gsi1sk, writtenAt: item.writtenAt, caseId: 'case-B',
      entry: { at: item.at, type: 'note', text: item.text },
    }]);
  });

  it('holds back what was written at or after the horizon, and reads it on the next call', async () => {
    const { tableName, feed } = await freshTable();
    const early = entryWrittenAt('2026-01-12T14:00:00.999Z');
    const atHorizon = entryWrittenAt('2026-01-12T14:00:01.000Z');
    await put(tableName, [early, atHorizon]);
    const first = await feed.read('2026-01-12T14:00:00.000Z', '2026-01-12T14:00:01.000Z', 10);
    expect(first.entries.map((e) => e.position)).toEqual([early.gsi1sk]);
    expect(first).toMatchObject({ through: '2026-01-12T14:00:01.000Z', more: false });
    const next = await feed.read(first.through, '2026-01-12T14:00:05.000Z', 10);
    expect(next.entries.map((e) => e.position)).toEqual([atHorizon.gsi1sk]);
  });

  it('walks a bounded number of hours per read, and goes on from where it stopped', async () => {
    const { tableName, feed } = await freshTable();
    const late = entryWrittenAt('2026-01-13T20:15:00.000Z');
    await put(tableName, [late]);
    const first = await feed.read('2026-01-12T14:10:00.000Z', '2026-01-13T21:00:00.000Z', 10);
    expect(first.entries).toEqual([]);
    expect(first).toEqual({ entries: [], through: '2026-01-13T14:00:00.000Z', more: true });
    expect(MAX_FEED_HOURS_PER_READ).toBe(24);
    const second = await feed.read(first.through, '2026-01-13T21:00:00.000Z', 10);
    expect(second.entries.map((e) => e.position)).toEqual([late.gsi1sk]);
    expect(second.more).toBe(false);
  });

  it('reads nothing when the position is already at the horizon', async () => {
    const { feed } = await freshTable();
    expect(await feed.read('2026-01-12T14:00:00.000Z', '2026-01-12T14:00:00.000Z', 10)).toEqual({ entries: [], through: '2026-01-12T14:00:00.000Z', more: false });
  });

  it('orders by when an entry was written, not by its (backdated) at, and keeps the timeline as it was', async () => {
    const { tableName, feed, cases } = await freshTable();
    const start = new Date(Date.now() - 1).toISOString();
    const backdated = { at: '2026-01-01T00:00:00.000Z', type: 'sighting', observedAt: '2026-01-01T00:00:00.000Z' };
    const first = timelineItem('case-C', { at: new Date().toISOString(), type: 'note', text: 'first' });
    const second = timelineItem('case-C', backdated);
    await put(tableName, [second, first]);
    const read = await feed.read(start, feedPositionAt(new Date(Date.now() + 1_000)), 10);
    expect(read.entries.map((e) => e.entry.type)).toEqual(['note', 'sighting']);
    expect(read.entries[1]!.entry).toEqual(backdated);
    expect(second.caseId).toBe('case-C');
    // GET /v1/cases/{id} shows the entry as it always did: the feed's bookkeeping is not part of it.
    await put(tableName, [{ pk: 'CASE#case-C', sk: 'CASE', entity: 'case', caseId: 'case-C', detectionCount: 0 }]);
    const detail = await cases.getCaseDetail('case-C');
    expect(detail!.timeline.find((e) => e.type === 'sighting')).toEqual(backdated);
  });
});
