import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TimelineEntry } from '../domain/case';
import { openCursor, sealCursor } from './cursor-seal';
import { timelineEntryOf } from './case-store';
import { feedHourOf, feedHourStart, feedNextHour, feedPartition, GSI_ALL_CASES, isFeedPosition } from './keys';

/** A timeline entry as the live feed holds it: where it stands in the feed, and the case it belongs to. */
export interface FeedEntry {
  position: string;
  writtenAt: string;
  caseId: string;
  entry: TimelineEntry;
}

export interface FeedRead {
  entries: FeedEntry[];
  /** Everything up to this position has been read: the next read starts after it. */
  through: string;
  /** More may be readable now (the page was full, or the hour limit stopped the walk). */
  more: boolean;
}

/** Hour partitions one read walks at most, so that a reader far behind costs a bounded number of queries per page. */
export const MAX_FEED_HOURS_PER_READ = 24;

const FEED_SCOPE = 'events';

/** A position as clients see it: opaque and sealed, so that its form can change and a made-up one is refused. */
export const encodeFeedCursor = (position: string) => sealCursor(FEED_SCOPE, position);

/** The position a cursor stands for, or undefined when it is not one this feed handed out. */
export function decodeFeedCursor(cursor: string): string | undefined {
  if (cursor.length > 200) return undefined;
  const position = openCursor(FEED_SCOPE, cursor);
  return position !== undefined && isFeedPosition(position) ? position : undefined;
}

/**
 * Reads the live feed: every case's timeline entries in the order they were written, hour partition by hour
 * partition of the index, without a Scan.
 */
export class EventFeedStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  /** Up to `limit` entries written after position `after` and before the instant `before`, oldest first. */
  async read(after: string, before: string, limit: number): Promise<FeedRead> {
    const entries: FeedEntry[] = [];
    if (after >= before) return { entries, through: after, more: false };
    const lastHour = feedHourOf(before);
    let hour = feedHourOf(after);
    for (let walked = 0; hour <= lastHour; walked += 1, hour = feedNextHour(hour)) {
      if (walked === MAX_FEED_HOURS_PER_READ) return { entries, through: feedHourStart(hour), more: true };
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.db.send(new QueryCommand({
          TableName: this.tableName,
          IndexName: GSI_ALL_CASES,
          // BETWEEN includes its bounds: `after` itself, when it is an entry, is dropped below; `before` is an
          // instant, which sorts before every entry written in its millisecond.
          KeyConditionExpression: 'gsi1pk = :hour AND gsi1sk BETWEEN :after AND :before',
          ExpressionAttributeValues: { ':hour': feedPartition(hour), ':after': after, ':before': before },
          Limit: limit - entries.length + 1,
          ExclusiveStartKey: startKey,
        }));
        for (const item of page.Items ?? []) {
          if (item.gsi1sk === after) continue;
          entries.push({
            position: String(item.gsi1sk), writtenAt: String(item.writtenAt), caseId: String(item.caseId), entry: timelineEntryOf(item),
          });
          if (entries.length === limit) return { entries, through: entries.at(-1)!.position, more: true };
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return { entries, through: before, more: false };
  }
}
