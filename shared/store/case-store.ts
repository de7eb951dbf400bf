import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient, GetCommand, paginateQuery, QueryCommand, type QueryCommandInput, TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import type { BoundingBox } from '../contract/schemas';
import { LEAD_SOURCES, type LeadSource } from '../contract/stats';
import type { CaseStatus, RiskLevel } from '../contract/vocabulary';
import { type Case, type Sighting, type TimelineEntry, type WorkflowWait } from '../domain/case';
import type { CasePlace } from '../domain/place-name';
import { type EstimateSums, estimateOf } from '../domain/position-estimate';
import type { NotificationRecord } from '../domain/notification';
import { conflict, DomainError, invalid } from '../domain/errors';
import { currentRelations } from '../domain/access-policy';
import type { PERSONAL_CASE_FIELDS } from '../domain/retention';
import { openCursor, sealCursor } from './cursor-seal';
import type { IdempotencyRecord } from './idempotency-store';
import type { Photo } from './upload-store';
import {
  ALL_CASES_PARTITION, caseChangeIndexKeys, caseDetectionsPartition, caseIndexKeys, caseKey, casePartition, caseStatusPartition, entityOfCaseItem, GSI_ALL_CASES, GSI_CASES_BY_STATUS,
  feedIndexKeys, idempotencyKey, openedSinceBound, placeCellKey, quotaKey, timelineKey, TTL_ATTRIBUTE, waitTokenKey,
} from './keys';

// Monotonic within a millisecond, so entries written together keep their order on the timeline.
const ulid = monotonicFactory();

export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export interface CaseDetail {
  case: Case;
  timeline: TimelineEntry[];
  sightings: Sighting[];
  detections: Record<string, unknown>[];
  photos: Photo[];
  /** The messages the case caused and what became of their delivery. */
  notifications: NotificationRecord[];
}

/** A cell of the place index: the recent cases whose location lies in it, and a version every writer checks. */
export interface PlaceCell {
  cell: string;
  version: number;
  cases: Record<string, { lat: number; lon: number; lastSeenAt: string }>;
}

/**
 * What a report adds to a case it joins: counters are added, not overwritten, and nothing checks the version, so
 * many reports can join one case at once. The join lands only on the status it was decided for (an alert written
 * meanwhile changes what the report must ask for: a new grading, not a new quick risk), and a higher risk only on
 * the risk it read.
 */
export interface CaseJoin {
  add: { sightingCount: number; detectionCount: number; reportsBySource: Partial<Record<LeadSource, number>> };
  set: {
    updatedAt: string; lastSeenAt: string; sourceDevices?: string[]; maxConfidence?: number; retriage?: true; location?: Case['location'];
    detectionLog?: Case['detectionLog'];
  } & Partial<CasePlace>;
  /**
   * The report's share of the position estimate, added to the case's sums; or, for a case stored before it kept
   * them, the sums written outright (only while the case still has none).
   */
  estimate?: { add: EstimateSums } | { init: EstimateSums };
  /** Colder readings than the case had: each written only if still colder than what the case has when it lands. */
  colder?: Pick<Case, 'coldestAmbientC' | 'coldestSurfaceC'>;
  /** Raised risk, written only if the risk is still what was read. */
  risk?: { from: string; to: string; reasons: string[] };
  /** Corroboration: status moves from what was read (unverified) to open, and the workflow's wait is dropped. */
  status?: { from: string; to: string };
}

/** Everything one report changes, written in one transaction or not at all. */
export interface EvidenceWrite {
  /**
   * The cells read to decide: those whose entries change are written back with their version bumped, the others only
   * checked to be at the version read. A decider that wrote a cell another read collides with it here; two that only
   * read the same cell do not.
   */
  cells: (PlaceCell & { unchanged?: boolean })[];
  case: { create: Case } | { update: Case; change: CaseChange } | { join: Case; adding: CaseJoin };
  /** Sightings, detections and timeline entries: new items under the case. */
  items: Record<string, unknown>[];
  /** Detections recorded by this write, each keyed by its device and id: one already there fails the whole write. */
  detections: Record<string, unknown>[];
  idempotency?: IdempotencyRecord;
  /** Teams the report relates to the case besides those on it (the reporting team of a report that joins or reopens it). */
  relate?: { teams: string[] };
  /** Other new items written with the evidence (the outbox of the alert a new case is opened with). */
  alongside?: TransactItem[];
  /** A new case counted against its source's hourly quota, in the same transaction: past the limit nothing is written. */
  quota?: { subject: string; hour: string; limit: number; expiresAt: number; retryAfterSeconds: number };
}

export interface CaseListFilter {
  status?: CaseStatus;
  risk?: RiskLevel;
  since?: string;
  bbox?: BoundingBox;
  limit: number;
  cursor?: string;
  /** Who the list is for (the caller's access), part of what its cursor is sealed for. */
  scope?: string;
  /** Keeps only the cases this returns true for (the access policy), page by page. */
  keep?: (c: Case) => boolean;
}

/** What a change to a case does: the fields it sets and the timeline entries it adds. Null: nothing to do. */
export interface CaseChange {
  set?: Partial<Omit<Case, 'caseId' | 'version' | 'openedAt'>>;
  remove?: ('alert' | 'wait' | 'due' | 'retriage' | 'pendingVisit' | 'outcome' | 'resolvedAt' | (typeof PERSONAL_CASE_FIELDS)[number])[];
  timeline?: TimelineEntry[];
  /** Other writes that must happen with the change or not at all; a failed condition on one is final. */
  alongside?: TransactItem[];
}

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'entity'] as const;
const MAX_OPTIMISTIC_ATTEMPTS = 25;
/** Full jitter between attempts spreads writers that collided, so contention resolves instead of repeating. */
export const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 5 * 2 ** attempt)));
/** The detections a case's detail holds: its latest; the rest are paged. */
export const DETAIL_DETECTIONS = 100;
/** Bounds the reads one list page may make when filters discard most of what the index returns. */
const MAX_QUERY_ROUNDS = 6;

const strip = <T>(item: Record<string, unknown>): T => {
  const copy = { ...item };
  for (const key of KEY_ATTRIBUTES) delete copy[key];
  return copy as T;
};

/**
 * The per-source report counters are top-level attributes (`reports_patrol`, `reports_drone_thermal`, …), not a map:
 * ADD creates a missing top-level number, but fails on a path under a map that does not exist yet (older cases).
 */
const reportsAttribute = (source: LeadSource) => `reports_${source}`;

/**
 * The position estimate's sums are top-level numbers too (`estW`, `estWLat`, `estWLon`), so that reports joining a
 * case at once each ADD their share.
 */
const ESTIMATE_ATTRIBUTES = { w: 'estW', wLat: 'estWLat', wLon: 'estWLon' } as const satisfies Record<keyof EstimateSums, string>;
const estimateAttributes = (sums: EstimateSums) =>
  Object.fromEntries(Object.entries(ESTIMATE_ATTRIBUTES).map(([key, attribute]) => [attribute, sums[key as keyof EstimateSums]]));

/** A case's fields as the attributes of its item (a wait without its token, which is kept apart: waitTokenItem). */
function caseAttributes(fields: Partial<Case>): Record<string, unknown> {
  const { reportsBySource, relatedTeams: _teams, relatedStations: _stations, estimateSums, wait, ...rest } = fields;
  return {
    ...rest,
    ...(wait ? { wait: { status: wait.status, since: wait.since } } : {}),
    ...Object.fromEntries(Object.entries(reportsBySource ?? {}).map(([source, count]) => [reportsAttribute(source as LeadSource), count])),
    ...(estimateSums ? estimateAttributes(estimateSums) : {}),
  };
}

/** A new case's item: its keys in the table and every index, its attributes, its relations (changed at `changedAt`). */
export function caseItem(c: Case, changedAt: string, teams?: readonly string[]): Record<string, unknown> {
  return {
    ...caseKey(c.caseId), ...caseIndexKeys(c.caseId, c.openedAt, c.status), ...caseChangeIndexKeys(c.openedAt, changedAt),
    entity: 'case', ...caseAttributes(c),
    ...Object.fromEntries(Object.entries(relationsOf(c, teams)).filter(([, set]) => set.size > 0)),
  };
}

/** A wait's task token, kept beside the case (not on it) for as long as a Standard execution may wait, and then some. */
const WAIT_TOKEN_DAYS = 400;
const waitTokenItem = (caseId: string, wait: WorkflowWait) => ({
  ...waitTokenKey(caseId, wait.since), entity: 'wait', token: wait.token,
  [TTL_ATTRIBUTE]: Math.floor(Date.parse(wait.since) / 1000) + WAIT_TOKEN_DAYS * 86_400,
});

/** A case read from its item (or from a projection of it): keys dropped, the report counters gathered. */
function caseOf(item: Record<string, unknown>): Case {
  const fields = strip<Record<string, unknown>>(item);
  const reports: Partial<Record<LeadSource, number>> = {};
  for (const source of LEAD_SOURCES) {
    const attribute = reportsAttribute(source);
    if (typeof fields[attribute] === 'number') reports[source] = fields[attribute];
    delete fields[attribute];
  }
  // Relations are string sets in the table (added to atomically by concurrent writers), arrays on the case.
  for (const field of RELATION_FIELDS) {
    if (fields[field] instanceof Set) fields[field] = [...(fields[field] as Set<string>)].sort();
  }
  // The location is the estimate the sums make: the stored one may lag it by the reports of a concurrent join.
  if (typeof fields.estW === 'number' && fields.estW > 0) {
    const sums = { w: fields.estW, wLat: Number(fields.estWLat), wLon: Number(fields.estWLon) };
    fields.estimateSums = sums;
    fields.location = estimateOf(sums);
  }
  for (const attribute of Object.values(ESTIMATE_ATTRIBUTES)) delete fields[attribute];
  return { ...fields, ...(Object.keys(reports).length ? { reportsBySource: reports } : {}) } as unknown as Case;
}

const RELATION_FIELDS = ['relatedTeams', 'relatedStations'] as const;

/**
 * The teams and stations a write relates to the case: those of the case as written, and any the write names (a
 * team whose report joined it). Added to the case's sets, never removed: a team once alerted keeps reading it.
 */
function relationsOf(c: Case, teams: readonly string[] = [], stations: readonly string[] = []) {
  const now = currentRelations(c);
  return { relatedTeams: new Set([...now.teams, ...teams]), relatedStations: new Set([...now.stations, ...stations]) };
}

/** `ADD` clauses for the non-empty relation sets (DynamoDB has no empty set), with their names and values. */
function relationAdds(relations: ReturnType<typeof relationsOf>, names: Record<string, string>, values: Record<string, unknown>): string[] {
  return RELATION_FIELDS.filter((field) => relations[field].size > 0).map((field) => {
    names[`#${field}`] = field;
    values[`:${field}`] = relations[field];
    return `#${field} :${field}`;
  });
}

/** What a query projects to read only some fields of cases, and how to read each projected item back. */
export function caseProjection<K extends keyof Case>(fields: readonly K[]) {
  const attributes = fields.flatMap((field) => (field === 'reportsBySource' ? LEAD_SOURCES.map(reportsAttribute)
    : field === 'location' ? ['location', ...Object.values(ESTIMATE_ATTRIBUTES)] : [field]));
  return {
    ProjectionExpression: attributes.map((_, index) => `#p${index}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(attributes.map((attribute, index) => [`#p${index}`, attribute])),
    read: (item: Record<string, unknown>) => caseOf(item) as Pick<Case, K>,
  };
}

export const timelineItem = (caseId: string, entry: TimelineEntry) => {
  // The live feed orders entries by when they were written; `at` is when they happened, and may be backdated.
  const written = Date.now();
  const entryId = ulid(written);
  const writtenAt = new Date(written).toISOString();
  return { ...timelineKey(caseId, entry.at, entryId), ...feedIndexKeys(writtenAt, entryId), entity: 'timeline', ...entry, caseId, writtenAt };
};

/** A timeline entry as read back: without its keys, and without the case and write time kept for the live feed. */
export const timelineEntryOf = (item: Record<string, unknown>): TimelineEntry => {
  const { caseId: _caseId, writtenAt: _writtenAt, ...entry } = strip<Record<string, unknown>>(item);
  return entry as TimelineEntry;
};

export class CaseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient, private readonly tableName: string,
    /**
     * When a write happens, as the change index notes it (shared/use-cases/roll-stats.ts): the machine's clock, not
     * the time a use case says a change was made (a replayed history's changes are made now, whatever they say).
     */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The place-index cells, read strongly consistent; a cell never written comes back empty at version 0. */
  async readPlaceCells(cells: string[]): Promise<PlaceCell[]> {
    const { Responses } = await this.db.send(new BatchGetCommand({
      RequestItems: { [this.tableName]: { Keys: cells.map(placeCellKey), ConsistentRead: true } },
    }));
    const found = new Map((Responses?.[this.tableName] ?? []).map((item) => [String(item.cell), item as unknown as PlaceCell]));
    return cells.map((cell) => found.get(cell) ?? { cell, version: 0, cases: {} });
  }

  async getCases(caseIds: string[]): Promise<Case[]> {
    const cases: Case[] = [];
    for (let i = 0; i < caseIds.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = caseIds.slice(i, i + 100).map(caseKey);
      while (keys?.length) {
        const { Responses, UnprocessedKeys }: BatchGetCommandOutput = await this.db.send(new BatchGetCommand({
          RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } },
        }));
        cases.push(...(Responses?.[this.tableName] ?? []).map((item) => caseOf(item)));
        keys = UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return cases;
  }

  /**
   * Writes a report's consequences in one transaction: the case created or changed, its new items, the detection
   * ids it claims, the idempotency record, and every place cell it read, conditional on the versions it read.
   */
  async writeEvidence(write: EvidenceWrite): Promise<void> {
    const items: TransactItem[] = write.cells.map((cell) => {
      const condition = {
        ConditionExpression: cell.version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
        ...(cell.version === 0 ? {} : { ExpressionAttributeValues: { ':v': cell.version } }),
      };
      return cell.unchanged
        ? { ConditionCheck: { TableName: this.tableName, Key: placeCellKey(cell.cell), ...condition } }
        : { Put: { TableName: this.tableName, Item: { ...placeCellKey(cell.cell), entity: 'place', cell: cell.cell, cases: cell.cases, version: cell.version + 1 }, ...condition } };
    });
    if ('create' in write.case) {
      const c = write.case.create;
      items.push({
        Put: {
          TableName: this.tableName,
          Item: caseItem(c, this.clock().toISOString(), write.relate?.teams),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
      if (c.wait?.token) items.push({ Put: { TableName: this.tableName, Item: waitTokenItem(c.caseId, c.wait) } });
    } else if ('update' in write.case) {
      const current = write.case.update;
      const after = { ...current, ...write.case.change.set, version: current.version + 1 } as Case;
      items.push(this.caseUpdate(current, after, write.case.change, write.relate?.teams));
    } else {
      items.push(this.caseJoin(write.case.join, write.case.adding, write.relate?.teams));
    }
    const firstDetectionId = items.length;
    for (const detection of write.detections) {
      items.push({ Put: { TableName: this.tableName, Item: detection, ConditionExpression: 'attribute_not_exists(pk)' } });
    }
    for (const item of write.items) items.push({ Put: { TableName: this.tableName, Item: item } });
    items.push(...(write.alongside ?? []));
    if (write.idempotency) items.push(this.idempotencyPut(write.idempotency));
    const quotaIndex = write.quota ? items.push(this.quotaCount(write.quota)) - 1 : -1;
    try {
      await this.transact(items);
    } catch (error) {
      if (!(error instanceof WriteConditionFailed)) throw error;
      if (error.index === quotaIndex) throw new QuotaExceeded(write.quota!.subject, write.quota!.limit, write.quota!.retryAfterSeconds);
      // A cell or the case changed since they were read: the caller reads again and decides again.
      if (error.index <= write.cells.length) throw new CaseChangedMeanwhile();
      const claimed = write.detections[error.index - firstDetectionId];
      if (claimed) throw new DuplicateDetection({ pk: String(claimed.pk), sk: String(claimed.sk) });
      throw error;
    }
  }

  /** The task token of the wait a case holds (kept beside the case; a case stored before that holds it itself). */
  async waitToken(caseId: string, wait: WorkflowWait): Promise<string | undefined> {
    if (wait.token) return wait.token;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: waitTokenKey(caseId, wait.since), ConsistentRead: true }));
    return typeof Item?.token === 'string' ? Item.token : undefined;
  }

  async getCase(caseId: string): Promise<Case | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: caseKey(caseId), ConsistentRead: true }));
    return Item ? caseOf(Item) : undefined;
  }

  /** The case and everything recorded under it, in one partition read. */
  async getCaseDetail(caseId: string, options: { withMerged?: boolean } = {}): Promise<CaseDetail | undefined> {
    const detail: Partial<CaseDetail> & Omit<CaseDetail, 'case'> = { timeline: [], sightings: [], detections: [], photos: [], notifications: [] };
    for await (const page of paginateQuery({ client: this.db }, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': casePartition(caseId) },
      ConsistentRead: true,
    })) {
      for (const item of page.Items ?? []) {
        const kind = entityOfCaseItem(String(item.sk));
        if (kind === 'case') detail.case = caseOf(item);
        else if (kind === 'timeline') detail.timeline.push(timelineEntryOf(item));
        else if (kind === 'sighting') detail.sightings.push(strip<Sighting>(item));
        else if (kind === 'photo') detail.photos.push(strip<Photo>(item));
        else if (kind === 'notification') detail.notifications.push(strip<NotificationRecord>(item));
      }
    }
    if (!detail.case) return undefined;
    if (detail.case.detectionCount > 0) detail.detections = (await this.listDetections(caseId, DETAIL_DETECTIONS)).items.reverse();
    // The evidence of cases merged into this one stays under them, and is read with it (mergedFrom lists every one,
    // those merged into a case that was merged here included).
    if (options.withMerged === false) return detail as CaseDetail;
    for (const merged of await Promise.all((detail.case.mergedFrom ?? []).map((id) => this.getCaseDetail(id, { withMerged: false })))) {
      if (!merged) continue;
      detail.sightings.push(...merged.sightings);
      detail.detections.push(...merged.detections);
      detail.photos.push(...merged.photos);
    }
    return detail as CaseDetail;
  }

  /**
   * A case's detections, newest first, a page at a time (a camera that watched one person all night left a thousand):
   * the detail shows the latest, the rest are paged through GET /v1/cases/{caseId}/detections.
   */
  async listDetections(caseId: string, limit: number, cursor?: string): Promise<{ items: Record<string, unknown>[]; nextCursor?: string }> {
    const scope = `detections\n${caseId}`;
    let startKey: Record<string, unknown> | undefined;
    if (cursor !== undefined) {
      const payload = openCursor(scope, cursor);
      if (payload === undefined) throw invalidCursor();
      startKey = JSON.parse(payload) as Record<string, unknown>;
    }
    const page = await this.db.send(new QueryCommand({
      TableName: this.tableName,
      IndexName: GSI_ALL_CASES,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': caseDetectionsPartition(caseId) },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: startKey,
    }));
    const last = page.LastEvaluatedKey;
    return {
      items: (page.Items ?? []).map((item) => strip<Record<string, unknown>>(item)),
      ...(last ? { nextCursor: sealCursor(scope, JSON.stringify({ pk: last.pk, sk: last.sk, gsi1pk: last.gsi1pk, gsi1sk: last.gsi1sk })) } : {}),
    };
  }

  /** Newest first. Filters on risk and area are applied to the index pages; the cursor is the last key returned. */
  async listCases(filter: CaseListFilter): Promise<{ items: Case[]; nextCursor?: string }> {
    const byStatus = filter.status !== undefined;
    const [pkName, skName] = byStatus ? ['gsi2pk', 'gsi2sk'] : ['gsi1pk', 'gsi1sk'];
    const names: Record<string, string> = { '#pk': pkName };
    const values: Record<string, unknown> = { ':pk': byStatus ? caseStatusPartition(filter.status!) : ALL_CASES_PARTITION };
    let keyCondition = '#pk = :pk';
    if (filter.since) {
      keyCondition += ' AND #sk >= :since';
      names['#sk'] = skName;
      values[':since'] = openedSinceBound(filter.since);
    }
    const filters: string[] = [];
    if (filter.risk) {
      filters.push('#risk = :risk');
      names['#risk'] = 'risk';
      values[':risk'] = filter.risk;
    }
    if (filter.bbox) {
      filters.push('#loc.#lat BETWEEN :minLat AND :maxLat AND #loc.#lon BETWEEN :minLon AND :maxLon');
      Object.assign(names, { '#loc': 'location', '#lat': 'lat', '#lon': 'lon' });
      Object.assign(values, {
        ':minLat': filter.bbox.minLat, ':maxLat': filter.bbox.maxLat, ':minLon': filter.bbox.minLon, ':maxLon': filter.bbox.maxLon,
      });
    }
    const base: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: byStatus ? GSI_CASES_BY_STATUS : GSI_ALL_CASES,
      KeyConditionExpression: keyCondition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
    };

    // Each item with its case, read once: the filter and the answer share it, the cursor needs the item's keys.
    const items: { item: Record<string, unknown>; case: Case }[] = [];
    let startKey = filter.cursor ? decodeCursor(filter.cursor, filter, pkName, skName) : undefined;
    // A cursor from another list (another status, an earlier `since`) would make DynamoDB refuse the query.
    if (startKey && (startKey[pkName] !== values[':pk'] || (filter.since && String(startKey[skName]) < String(values[':since'])))) {
      throw invalidCursor();
    }
    for (let round = 0; round < MAX_QUERY_ROUNDS && items.length < filter.limit; round += 1) {
      const page = await this.db.send(new QueryCommand({ ...base, Limit: filter.limit - items.length, ExclusiveStartKey: startKey }));
      // A page holds no more than the list still needs, so a full list ends on a kept item: the cursor is right.
      items.push(...(page.Items ?? []).map((item) => ({ item, case: caseOf(item) })).filter((read) => !filter.keep || filter.keep(read.case)));
      startKey = page.LastEvaluatedKey;
      if (!startKey) break;
    }
    const last = items.at(-1)?.item;
    const more = startKey !== undefined;
    const nextKey = items.length >= filter.limit && last
      ? { pk: last.pk, sk: last.sk, [pkName]: last[pkName], [skName]: last[skName] }
      : startKey;
    return {
      items: items.map((read) => read.case),
      ...(more && nextKey ? { nextCursor: encodeCursor(nextKey, filter) } : {}),
    };
  }

  /**
   * Reads the case, asks `decide` what to change, and writes the change only if nobody changed the case meanwhile;
   * on a race it reads again and asks again. `decide` may throw a domain error to refuse.
   */
  async mutateCase(caseId: string, decide: (current: Case) => CaseChange | null): Promise<{ before: Case; after: Case } | null> {
    let unchanged: { before: Case; after: Case } | null = null;
    const written = await this.mutateCases([caseId], ([current]) => {
      unchanged = null;
      if (!current) return [];
      const change = decide(current);
      if (!change) {
        unchanged = { before: current, after: current };
        return [];
      }
      return [{ caseId, change }];
    });
    return written.after.length ? { before: written.before[0]!, after: written.after[0]! } : unchanged;
  }

  /**
   * mutateCase for several cases changed together (a merge): reads them all, asks `decide` for each one's change, and
   * writes every change in one transaction, conditional on the versions read; on a race it reads all again.
   * `decide` gets the cases in the order asked (undefined for a missing one) and may throw a domain error to refuse;
   * deciding no change writes nothing.
   */
  async mutateCases(
    caseIds: string[],
    decide: (current: (Case | undefined)[]) => { caseId: string; change: CaseChange; relate?: { teams: string[]; stations: string[] } }[],
  ): Promise<{ before: Case[]; after: Case[] }> {
    for (let attempt = 0; attempt < MAX_OPTIMISTIC_ATTEMPTS; attempt += 1) {
      const found = await this.getCases(caseIds);
      const current = caseIds.map((id) => found.find((c) => c.caseId === id));
      const changes = decide(current);
      if (!changes.length) return { before: [], after: [] };
      const before: Case[] = [];
      const after: Case[] = [];
      const items: TransactItem[] = [];
      for (const { caseId, change, relate } of changes) {
        const read = current.find((c) => c?.caseId === caseId)!;
        const next: Case = { ...read, ...change.set, version: read.version + 1 } as Case;
        for (const field of change.remove ?? []) delete next[field];
        before.push(read);
        after.push(next);
        items.push(this.caseUpdate(read, next, change, relate?.teams, relate?.stations));
      }
      const updates = items.length;
      for (const { caseId, change } of changes) {
        if (change.set?.wait?.token) items.push({ Put: { TableName: this.tableName, Item: waitTokenItem(caseId, change.set.wait) } });
        items.push(...(change.timeline ?? []).map((entry) => ({ Put: { TableName: this.tableName, Item: timelineItem(caseId, entry) } })), ...(change.alongside ?? []));
      }
      try {
        await this.transact(items);
        return { before, after };
      } catch (error) {
        // The case updates are the first writes: a condition failing there means someone changed a case meanwhile.
        const raced = error instanceof CaseChangedMeanwhile || (error instanceof WriteConditionFailed && error.index < updates);
        if (!raced) throw error;
        await backoff(attempt);
      }
    }
    throw conflict(`${caseIds.length === 1 ? 'the case is' : 'the cases are'} being changed by many people at once; try again`);
  }

  private caseJoin(current: Case, join: CaseJoin, teams: readonly string[] = []): TransactItem {
    const names: Record<string, string> = { '#status': 'status', '#version': 'version' };
    const values: Record<string, unknown> = {
      ':sightings': join.add.sightingCount, ':detections': join.add.detectionCount, ':one': 1, ':statusRead': current.status,
    };
    const adds = ['sightingCount :sightings', 'detectionCount :detections', '#version :one'];
    for (const [index, [attribute, count]] of Object.entries(caseAttributes({ reportsBySource: join.add.reportsBySource })).entries()) {
      names[`#a${index}`] = attribute;
      values[`:a${index}`] = count;
      adds.push(`#a${index} :a${index}`);
    }
    if (teams.length) adds.push(...relationAdds({ relatedTeams: new Set(teams), relatedStations: new Set() }, names, values));
    const sets: string[] = [];
    // Still in the status the join was decided for: not resolved meanwhile (a reopen instead), nor alerted meanwhile.
    const conditions = ['#status = :statusRead'];
    if (join.estimate) {
      const sums = 'add' in join.estimate ? join.estimate.add : join.estimate.init;
      for (const [key, attribute] of Object.entries(ESTIMATE_ATTRIBUTES)) {
        names[`#${attribute}`] = attribute;
        values[`:${attribute}`] = sums[key as keyof EstimateSums];
        ('add' in join.estimate ? adds : sets).push('add' in join.estimate ? `#${attribute} :${attribute}` : `#${attribute} = :${attribute}`);
      }
      if ('init' in join.estimate) conditions.push('attribute_not_exists(#estW)');
    }
    for (const [field, value] of Object.entries(join.colder ?? {})) {
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
      // A concurrent join wrote a colder one meanwhile: this report is decided again (and lowers nothing).
      conditions.push(`(attribute_not_exists(#${field}) OR #${field} > :${field})`);
    }
    for (const [index, [field, value]] of Object.entries({ ...join.set, ...caseChangeIndexKeys(current.openedAt, this.clock().toISOString()) }).entries()) {
      if (value === undefined) continue;
      names[`#s${index}`] = field;
      values[`:s${index}`] = value;
      sets.push(`#s${index} = :s${index}`);
    }
    if (join.risk) {
      Object.assign(names, { '#risk': 'risk', '#riskReasons': 'riskReasons' });
      Object.assign(values, { ':riskFrom': join.risk.from, ':riskTo': join.risk.to, ':riskReasons': join.risk.reasons });
      sets.push('#risk = :riskTo', '#riskReasons = :riskReasons');
      conditions.push('#risk = :riskFrom');
    }
    let remove = '';
    if (join.status) {
      Object.assign(values, { ':statusTo': join.status.to, ':gsi2pk': caseStatusPartition(join.status.to) });
      names['#gsi2pk'] = 'gsi2pk';
      sets.push('#status = :statusTo', '#gsi2pk = :gsi2pk');
      remove = ' REMOVE #wait';
      names['#wait'] = 'wait';
    }
    return {
      Update: {
        TableName: this.tableName,
        Key: caseKey(current.caseId),
        UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}${remove}`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  private caseUpdate(current: Case, after: Case, change: CaseChange, teams: readonly string[] = [], stations: readonly string[] = []): TransactItem {
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':expected': current.version, ':next': after.version };
    const sets = ['#version = :next'];
    // Every change is noted in the change index, for the kept figures.
    const fields = { ...caseAttributes(change.set ?? {}), ...caseChangeIndexKeys(current.openedAt, this.clock().toISOString()) };
    if (after.status !== current.status) {
      Object.assign(fields, { gsi2pk: caseStatusPartition(after.status) });
    }
    for (const [index, [field, value]] of Object.entries(fields).entries()) {
      if (value === undefined) continue;
      names[`#f${index}`] = field;
      values[`:v${index}`] = value;
      sets.push(`#f${index} = :v${index}`);
    }
    const removes = (change.remove ?? []).map((field, index) => {
      names[`#r${index}`] = field;
      return `#r${index}`;
    });
    const adds = relationAdds(relationsOf(after, teams, stations), names, values);
    return {
      Update: {
        TableName: this.tableName,
        Key: caseKey(current.caseId),
        UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  /**
   * Appends timeline entries that change nothing else on the case (e.g. a notification given up), with any writes
   * that must happen with them; a failed condition on one of those is a WriteConditionFailed.
   */
  async appendTimeline(caseId: string, entries: TimelineEntry[], alongside: TransactItem[] = []) {
    await this.transact([
      ...entries.map((entry) => ({ Put: { TableName: this.tableName, Item: timelineItem(caseId, entry) } })),
      ...alongside,
    ]);
  }

  /** One more case in the subject's hour, only while the count is below the limit. */
  private quotaCount(quota: NonNullable<EvidenceWrite['quota']>): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: quotaKey(quota.subject, quota.hour),
        UpdateExpression: 'ADD #opened :one SET #entity = :entity, #expiresAt = :expiresAt',
        ConditionExpression: 'attribute_not_exists(#opened) OR #opened < :limit',
        ExpressionAttributeNames: { '#opened': 'opened', '#entity': 'entity', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':one': 1, ':limit': quota.limit, ':entity': 'quota', ':expiresAt': quota.expiresAt },
      },
    };
  }

  idempotencyPut(record: IdempotencyRecord): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...idempotencyKey(record.scope), entity: 'idempotency', ...record },
        // An expired record may linger until the TTL sweep removes it; it no longer holds the key.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': Math.floor(Date.now() / 1000) },
      },
    };
  }

  private async transact(items: TransactItem[]) {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        // Another transaction was writing the same item at that instant: nothing is wrong, try again.
        if (reasons.some((reason) => reason.Code === 'TransactionConflict')) throw new CaseChangedMeanwhile();
        const failedIndex = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
        const failed = items[failedIndex];
        if (failed?.Put?.Item?.entity === 'idempotency') throw new IdempotencyRace();
        if (failed) throw new WriteConditionFailed(failedIndex);
      }
      if (error instanceof ConditionalCheckFailedException) throw new CaseChangedMeanwhile();
      throw error;
    }
  }
}

/** The case changed between read and write: read again and decide again. */
export class CaseChangedMeanwhile extends Error {
  override name = 'CaseChangedMeanwhile';
}

/**
 * The source of a new case has opened as many as its hourly quota allows; nothing was written. A domain refusal
 * (429 with Retry-After) wherever it reaches the HTTP layer; a detections batch catches it per group.
 */
export class QuotaExceeded extends DomainError {
  override name = 'QuotaExceeded';
  constructor(readonly subject: string, readonly limit: number, retryAfterSeconds: number) {
    super('too_many_requests', `${subject} has opened ${limit} new cases this hour, its quota; try again in ${retryAfterSeconds} s`, [], retryAfterSeconds);
  }
}

/** A detection id was claimed by an earlier request (a retry, or a duplicate in flight). */
export class DuplicateDetection extends Error {
  override name = 'DuplicateDetection';
  constructor(readonly key: Record<string, string>) {
    super(`detection ${key.pk}/${key.sk} was already recorded`);
  }
}

/** A write made alongside a case change found its condition false; retrying would not help. */
export class WriteConditionFailed extends Error {
  override name = 'WriteConditionFailed';
  constructor(readonly index: number) {
    super(`the condition of write ${index} of the transaction failed`);
  }
}

/** Another request with the same idempotency key committed first. */
export class IdempotencyRace extends Error {
  override name = 'IdempotencyRace';
}

/** What a list's cursor is sealed for: the list and its filters, so that it reads on only the list it came from. */
const caseListScope = (filter: CaseListFilter) =>
  JSON.stringify(['cases', filter.status ?? '', filter.risk ?? '', filter.since ?? '', filter.bbox ?? '', filter.scope ?? '']);

function encodeCursor(key: Record<string, unknown>, filter: CaseListFilter): string {
  return sealCursor(caseListScope(filter), JSON.stringify(key));
}

function decodeCursor(cursor: string, filter: CaseListFilter, pkName: string, skName: string): Record<string, unknown> {
  try {
    const payload = openCursor(caseListScope(filter), cursor);
    if (payload === undefined) throw invalidCursor();
    const key = JSON.parse(payload) as Record<string, unknown>;
    const expected = ['pk', 'sk', pkName, skName];
    if (key && typeof key === 'object' && Object.keys(key).length === 4 && expected.every((k) => typeof key[k] === 'string')) {
      return key;
    }
  } catch {
    // fall through to the 400 below
  }
  throw invalidCursor();
}

const invalidCursor = () =>
  invalid('cursor is not one this list returned; start again without it', [{ path: 'query.cursor', message: 'invalid cursor' }]);
