import { BatchWriteCommand, type DynamoDBDocumentClient, GetCommand, paginateQuery, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseStatus, RiskLevel } from '../contract/vocabulary';
import type { Case } from '../domain/case';
import { CASE_FIGURE_FIELDS, type CaseFigures, type Figures } from '../domain/stats';
import { CASE_RELATION_FIELDS, type CaseRelationsView } from '../domain/access-policy';
import { caseProjection } from './case-store';
import {
  ALL_CASES_PARTITION, caseStatusPartition, changeOfSortKey, changePartition, figuresKey, figuresPartition, type FiguresScope, GSI_ALL_CASES,
  GSI_CASE_CHANGES, GSI_CASES_BY_STATUS, markerKey, openedInWindowBounds,
} from './keys';

/**
 * Where the kept figures stand (one item, written by the roller alone, under a lease):
 * - `rolledTo`: every change noted before it, less the overlap the roller allows for, is counted in the kept figures;
 * - `allFrom`, `stationsFrom`: the hours from which on the whole city's, and the stations', figures are kept (earlier
 *   hours are read from the cases, until the walk back through history has kept them too);
 * - `stationsStamp`: the stations (and where they are) the stations' figures were kept for;
 * - `walkBefore`: where the walk back through history goes on from (absent once it has reached the first case).
 */
export interface RollMarker {
  rolledTo?: string;
  allFrom?: string;
  stationsFrom?: string;
  stationsStamp?: string;
  walkBefore?: string;
  leaseUntil?: number;
}
const ROLL_MARKER = markerKey('stats-roll');

/** A change noted in the change index: the minute of its hour, and the hour the case was opened in. */
export interface NotedChange {
  minute: string;
  openedHour: string;
}

/**
 * What the key figures read and keep: the cases of a window from the all-cases index, counts from the by-status
 * index, changes from the change index, and the figures kept per hour and per day.
 */
export class StatsStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async rollMarker(): Promise<RollMarker | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: ROLL_MARKER, ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...marker } = Item;
    return marker as RollMarker;
  }

  /** Takes the roller's lease until `until` (epoch ms) if no one holds it; the marker as it was, or undefined if held. */
  async takeRollLease(now: number, until: number): Promise<RollMarker | undefined> {
    try {
      const { Attributes } = await this.db.send(new UpdateCommand({
        TableName: this.tableName,
        Key: ROLL_MARKER,
        UpdateExpression: 'SET #lease = :until, #entity = :entity',
        ConditionExpression: 'attribute_not_exists(#lease) OR #lease < :now',
        ExpressionAttributeNames: { '#lease': 'leaseUntil', '#entity': 'entity' },
        ExpressionAttributeValues: { ':until': until, ':now': now, ':entity': 'marker' },
        ReturnValues: 'ALL_OLD',
      }));
      const { pk: _pk, sk: _sk, entity: _entity, leaseUntil: _lease, ...marker } = Attributes ?? {};
      return marker as RollMarker;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }

  /** Writes where the roll stands and gives the lease back (only while holding it). */
  async releaseRollLease(marker: RollMarker, heldUntil: number): Promise<void> {
    const { leaseUntil: _lease, ...rest } = marker;
    await this.db.send(new PutCommand({
      TableName: this.tableName,
      Item: { ...ROLL_MARKER, entity: 'marker', ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) },
      ConditionExpression: '#lease = :held',
      ExpressionAttributeNames: { '#lease': 'leaseUntil' },
      ExpressionAttributeValues: { ':held': heldUntil },
    }));
  }

  /** The changes noted from `from` on (ISO instants, to the minute), oldest first. */
  async changesSince(from: string, to: string): Promise<NotedChange[]> {
    const changes: NotedChange[] = [];
    const first = Date.parse(`${from.slice(0, 13)}:00:00.000Z`);
    for (let hour = first; hour <= Date.parse(to); hour += 3_600_000) {
      // In the first hour, from the minute asked for; in the next ones, all of it.
      for await (const page of paginateQuery({ client: this.db }, {
        TableName: this.tableName,
        IndexName: GSI_CASE_CHANGES,
        KeyConditionExpression: '#pk = :pk AND #sk >= :from',
        ExpressionAttributeNames: { '#pk': 'gsi3pk', '#sk': 'gsi3sk' },
        ExpressionAttributeValues: { ':pk': changePartition(new Date(hour).toISOString().slice(0, 13)), ':from': hour === first ? from.slice(14, 16) : '00' },
      })) {
        for (const item of page.Items ?? []) changes.push(changeOfSortKey(String(item.gsi3sk)));
      }
    }
    return changes;
  }

  /** The opening instant of the latest case opened before `before`, if any (to walk back through history). */
  async latestOpenedBefore(before: string): Promise<string | undefined> {
    const { Items } = await this.db.send(new QueryCommand({
      TableName: this.tableName,
      IndexName: GSI_ALL_CASES,
      KeyConditionExpression: '#pk = :pk AND #sk < :before',
      ExpressionAttributeNames: { '#pk': 'gsi1pk', '#sk': 'gsi1sk' },
      ExpressionAttributeValues: { ':pk': ALL_CASES_PARTITION, ':before': before },
      ProjectionExpression: 'openedAt',
      ScanIndexForward: false,
      Limit: 1,
    }));
    return Items?.[0] ? String(Items[0].openedAt) : undefined;
  }

  /** Kept figures of a scope, hours or days starting in [from, to), by their start (ISO). */
  async keptFigures(scope: FiguresScope, span: 'HOUR' | 'DAY', from: string, to: string): Promise<Map<string, KeptFigures>> {
    const kept = new Map<string, KeptFigures>();
    const end = figuresKey(scope, span, to).sk;
    for await (const page of paginateQuery({ client: this.db }, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': figuresPartition(scope), ':from': figuresKey(scope, span, from).sk, ':to': end },
    })) {
      for (const item of page.Items ?? []) {
        // BETWEEN includes `to`; the span starting there is not in [from, to).
        if (item.sk === end) continue;
        kept.set(String(item.start), { figures: item.figures as Figures, ...(item.stations ? { stations: [...(item.stations as Set<string>)] } : {}) });
      }
    }
    return kept;
  }

  /**
   * Keeps the figures of hours or days, 25 to a request; those with none (or no case) are removed. `stations`: the
   * stations with figures of their own there (kept with the whole city's).
   */
  async keepFigures(entries: { scope: FiguresScope; span: 'HOUR' | 'DAY'; start: string; kept?: KeptFigures }[], rolledAt: string): Promise<void> {
    const requests = entries.map(({ scope, span, start, kept }) => {
      const key = figuresKey(scope, span, start);
      if (!kept || kept.figures.opened === 0) return { DeleteRequest: { Key: key } };
      return {
        PutRequest: {
          Item: {
            ...key, entity: 'figures', scope, span, start, figures: kept.figures, rolledAt,
            ...(kept.stations?.length ? { stations: new Set(kept.stations) } : {}),
          },
        },
      };
    });
    for (let i = 0; i < requests.length; i += 25) {
      let pending: typeof requests = requests.slice(i, i + 25);
      for (let attempt = 0; pending.length; attempt += 1) {
        if (attempt) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 20 * 2 ** attempt)));
        const { UnprocessedItems } = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = (UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
  }

  /**
   * The cases opened in [from, to), oldest first, with only the fields the figures use, and those the access policy
   * reads; `keep` leaves out the cases the reader may not count.
   */
  async casesOpenedIn(
    from: string, to: string, keep?: (c: CaseRelationsView) => boolean, withRelations = false,
    /** More of each case to read (the night's report reads where each was). */
    also: readonly (keyof Case)[] = [],
  ): Promise<(CaseFigures & Partial<CaseRelationsView> & Partial<Case>)[]> {
    const bounds = openedInWindowBounds(from, to);
    const projection = caseProjection([...new Set([...CASE_FIGURE_FIELDS, ...(keep || withRelations ? CASE_RELATION_FIELDS : []), ...also])]);
    const cases: (CaseFigures & Partial<CaseRelationsView>)[] = [];
    for await (const page of paginateQuery({ client: this.db }, {
      TableName: this.tableName,
      IndexName: GSI_ALL_CASES,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ProjectionExpression: projection.ProjectionExpression,
      ExpressionAttributeNames: { ...projection.ExpressionAttributeNames, '#pk': 'gsi1pk', '#sk': 'gsi1sk' },
      ExpressionAttributeValues: { ':pk': ALL_CASES_PARTITION, ':from': bounds.from, ':to': bounds.to },
    })) {
      const read = (page.Items ?? []).map(projection.read) as (CaseFigures & CaseRelationsView)[];
      cases.push(...(keep ? read.filter(keep) : read));
    }
    return cases;
  }

  /** The cases in a status now (through the by-status index, which holds what is open, not history), with these fields. */
  async inStatus<K extends keyof Case>(status: CaseStatus, fields: readonly K[]): Promise<Pick<Case, K | 'caseId'>[]> {
    const projection = caseProjection([...new Set<keyof Case>(['caseId', ...fields])]);
    const cases: Pick<Case, K | 'caseId'>[] = [];
    for await (const page of paginateQuery({ client: this.db }, {
      TableName: this.tableName,
      IndexName: GSI_CASES_BY_STATUS,
      KeyConditionExpression: '#pk = :pk',
      ProjectionExpression: projection.ProjectionExpression,
      ExpressionAttributeNames: { ...projection.ExpressionAttributeNames, '#pk': 'gsi2pk' },
      ExpressionAttributeValues: { ':pk': caseStatusPartition(status) },
    })) {
      cases.push(...((page.Items ?? []).map(projection.read) as Pick<Case, K | 'caseId'>[]));
    }
    return cases;
  }

  /**
   * How many cases at this risk are in these statuses now: one counting query per status partition; with `keep`,
   * the policy's fields are read and only the cases it keeps are counted.
   */
  async countInStatuses(statuses: readonly CaseStatus[], risk: RiskLevel, keep?: (c: CaseRelationsView) => boolean): Promise<number> {
    const projection = caseProjection(CASE_RELATION_FIELDS);
    const counts = await Promise.all(statuses.map(async (status) => {
      let count = 0;
      for await (const page of paginateQuery({ client: this.db }, {
        TableName: this.tableName,
        IndexName: GSI_CASES_BY_STATUS,
        KeyConditionExpression: '#pk = :pk',
        FilterExpression: '#risk = :risk',
        ExpressionAttributeValues: { ':pk': caseStatusPartition(status), ':risk': risk },
        ...(keep
          ? { ProjectionExpression: projection.ProjectionExpression, ExpressionAttributeNames: { ...projection.ExpressionAttributeNames, '#pk': 'gsi2pk', '#risk': 'risk' } }
          : { Select: 'COUNT' as const, ExpressionAttributeNames: { '#pk': 'gsi2pk', '#risk': 'risk' } }),
      })) {
        count += keep ? (page.Items ?? []).map(projection.read).filter(keep).length : page.Count ?? 0;
      }
      return count;
    }));
    return counts.reduce((sum, count) => sum + count, 0);
  }
}

/** The kept figures of an hour or a day; the whole city's name the stations that have figures of their own there. */
export interface KeptFigures {
  figures: Figures;
  stations?: string[];
}
