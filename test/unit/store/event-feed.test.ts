import { describe, expect, it } from 'vitest';
import { DomainError } from '#shared/domain/errors';
import { decodeFeedCursor, encodeFeedCursor } from '#shared/store/event-feed';
import { feedHourOf, feedIndexKeys, feedNextHour, feedPositionAt, isFeedPosition } from '#shared/store/keys';
import { FEED_DEFAULT_LOOKBACK_MS, feedHorizon, feedStart } from '#shared/use-cases/event-feed';

const ENTRY = '2026-01-12T14:41:00.123Z#01KF0Z8Q3N6W2D4X7Y9B5C1M8T';
const NOW = new Date('2026-01-12T15:00:00.000Z');

const refusal = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a refusal');
};

describe('feed keys', () => {
  it('index an entry under the UTC hour it was written, sorted by write time', () => {
    expect(feedIndexKeys('2026-01-12T22:41:00.123+08:00', '01KF0Z8Q3N6W2D4X7Y9B5C1M8T')).toEqual({ gsi1pk: 'FEED#2026-01-12T14', gsi1sk: ENTRY });
  });

  it('walk hours across days, months and years', () => {
    expect(feedNextHour('2026-01-12T14')).toBe('2026-01-12T15');
    expect(feedNextHour('2026-02-28T23')).toBe('2026-03-01T00');
    expect(feedNextHour('2026-12-31T23')).toBe('2027-01-01T00');
    expect(feedHourOf(ENTRY)).toBe('2026-01-12T14');
  });

  it('sort an instant before every entry written in its millisecond, and after those written before', () => {
    const instant = feedPositionAt('2026-01-12T14:41:00.123Z');
    expect(instant < ENTRY).toBe(true);
    expect('2026-01-12T14:41:00.122Z#ZZZZZZZZZZZZZZZZZZZZZZZZZZ' < instant).toBe(true);
    expect(feedHorizon(NOW)).toBe('2026-01-12T14:59:58.000Z');
  });

  it('know a position: an entry key or a canonical UTC instant, nothing else', () => {
    expect(isFeedPosition(ENTRY)).toBe(true);
    expect(isFeedPosition('2026-01-12T14:41:00.123Z')).toBe(true);
    for (const bad of [
      '', 'CASES', '2026-01-12T14:41:00Z', '2026-01-12T22:41:00.123+08:00', '2026-13-12T14:41:00.123Z', '2026-02-30T14:41:00.123Z',
      `${ENTRY}x`, '2026-01-12T14:41:00.123Z#01kf0z8q3n6w2d4x7y9b5c1m8t', '2026-01-12T14:41:00.123Z#short',
    ]) expect(isFeedPosition(bad), bad).toBe(false);
  });
});

describe('feed cursors', () => {
  it('round-trip a position, opaquely', () => {
    const cursor = encodeFeedCursor(ENTRY);
    expect(cursor).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(cursor).not.toContain('2026');
    expect(decodeFeedCursor(cursor)).toBe(ENTRY);
    expect(decodeFeedCursor(encodeFeedCursor('2026-01-12T14:00:00.000Z'))).toBe('2026-01-12T14:00:00.000Z');
  });

  it('refuse what this feed did not hand out', () => {
    const caseListCursor = Buffer.from(JSON.stringify({ pk: 'CASE#x', sk: 'CASE', gsi1pk: 'CASES', gsi1sk: ENTRY })).toString('base64url');
    for (const bad of [
      '', 'not a cursor', ENTRY, caseListCursor, `${encodeFeedCursor(ENTRY)}=`, encodeFeedCursor('FEED#2026-01-12T14'),
      encodeFeedCursor('2026-02-30T14:41:00.123Z'), 'A'.repeat(300),
    ]) expect(decodeFeedCursor(bad), bad).toBeUndefined();
  });
});

describe('where a reader starts', () => {
  it('after the cursor, which wins over since', () => {
    expect(feedStart(NOW, { after: { cursor: encodeFeedCursor(ENTRY), at: 'query.after' }, since: '2026-01-01T00:00:00Z' })).toBe(ENTRY);
  });

  it('at since, in UTC, or 15 minutes ago', () => {
    expect(feedStart(NOW, { since: '2026-01-12T22:30:00+08:00' })).toBe('2026-01-12T14:30:00.000Z');
    expect(feedStart(NOW, {})).toBe(new Date(NOW.getTime() - FEED_DEFAULT_LOOKBACK_MS).toISOString());
  });

  it('refuses a since more than a week back: the feed is for what is going on, GET /v1/cases for history', () => {
    expect(refusal(() => feedStart(NOW, { since: '2026-01-05T14:59:59Z' })).details[0]!.path).toBe('query.since');
    expect(feedStart(NOW, { since: '2026-01-05T15:00:00Z' })).toBe('2026-01-05T15:00:00.000Z');
  });

  it('refuses a bad cursor as invalid input, at the place it came from', () => {
    const error = refusal(() => feedStart(NOW, { after: { cursor: 'garbage', at: 'header:Last-Event-ID' } }));
    expect(error.kind).toBe('invalid');
    expect(error.details).toEqual([{ path: 'header:Last-Event-ID', message: expect.any(String) }]);
  });

  it('refuses a cursor from the future, which would leave its reader waiting', () => {
    const tomorrow = encodeFeedCursor('2026-01-13T15:00:00.000Z');
    expect(refusal(() => feedStart(NOW, { after: { cursor: tomorrow, at: 'query.after' } })).details[0]!.path).toBe('query.after');
    expect(feedStart(NOW, { after: { cursor: encodeFeedCursor('2026-01-12T15:00:01.000Z'), at: 'query.after' } })).toBe('2026-01-12T15:00:01.000Z');
  });
});
