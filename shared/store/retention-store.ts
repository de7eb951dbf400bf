import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { personalFieldsOf } from '../domain/retention';
import {
  caseStatusPartition, casePartition, entityOfCaseItem, GSI_CASES_BY_STATUS, OPEN311_CONTACTS_PARTITION, open311HelpPointEntryKey, open311RequestKey,
} from './keys';

/** What erasing a case's partition leaves to do elsewhere: the photos' objects, and the help-point reports' records. */
export interface ErasedItems {
  objectKeys: string[];
  /** Open311 requests that became sightings of the case: their text and reporter go too. */
  open311RequestIds: string[];
}

/**
 * The writes of retention: which closed cases are past it, and the removal of what their items say about people.
 * Each removal is idempotent, so a sweep that stopped half-way is finished by the next.
 */
export class RetentionStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  /** Closed cases, closed before `cutoff` and not yet erased (a case closes after it opens: the index bounds the read). */
  async closedBefore(cutoff: string, limit: number): Promise<string[]> {
    const ids: string[] = [];
    for await (const page of paginateQuery({ client: this.db }, {
      TableName: this.tableName,
      IndexName: GSI_CASES_BY_STATUS,
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :cutoff',
      FilterExpression: 'closedAt < :cutoff AND attribute_not_exists(erasedAt)',
      ExpressionAttributeValues: { ':pk': caseStatusPartition('closed'), ':cutoff': new Date(cutoff).toISOString() },
      ProjectionExpression: 'caseId',
    })) {
      ids.push(...(page.Items ?? []).map((item) => String(item.caseId)));
      if (ids.length >= limit) return ids.slice(0, limit);
    }
    return ids;
  }

  /** Removes people and notes from the case's sightings and timeline, and its photo records; the case item is the caller's. */
  async eraseCaseItems(caseId: string): Promise<ErasedItems> {
    const erased: ErasedItems = { objectKeys: [], open311RequestIds: [] };
    for await (const page of paginateQuery({ client: this.db }, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': casePartition(caseId) },
    })) {
      for (const item of page.Items ?? []) {
        const key = { pk: item.pk, sk: item.sk };
        const kind = entityOfCaseItem(String(item.sk));
        if (kind === 'sighting') {
          if (item.helpPointId) erased.open311RequestIds.push(String(item.sightingId));
          // How many people were seen stays (the figures count reports, not people), who they were goes.
          const people = Array.isArray(item.people) ? item.people.length : undefined;
          await this.remove(key, ['people', 'note'].filter((field) => field in item), people !== undefined ? { peopleCount: people } : {});
        } else if (kind === 'timeline') {
          await this.remove(key, personalFieldsOf(item));
        } else if (kind === 'photo') {
          erased.objectKeys.push(...[item.key, item.viewKey].filter((k): k is string => typeof k === 'string'));
          await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
        }
      }
    }
    return erased;
  }

  /** Reporters' contact details whose time is up: the request ids, and the markers that named them. */
  async contactsDue(now: string, limit: number): Promise<{ requestId: string; marker: { pk: string; sk: string } }[]> {
    const due: { requestId: string; marker: { pk: string; sk: string } }[] = [];
    for await (const page of paginateQuery({ client: this.db }, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk < :now',
      ExpressionAttributeValues: { ':pk': OPEN311_CONTACTS_PARTITION, ':now': new Date(now).toISOString() },
    })) {
      due.push(...(page.Items ?? []).map((item) => ({ requestId: String(item.requestId), marker: { pk: String(item.pk), sk: String(item.sk) } })));
      if (due.length >= limit) return due.slice(0, limit);
    }
    return due;
  }

  /** A reporter's contact details, from both items of their report; then the marker. */
  async eraseReporter(requestId: string, marker: { pk: string; sk: string }): Promise<void> {
    await this.eraseOpen311Fields(requestId, ['reporter', 'reporterUntil']);
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: marker }));
  }

  /** An Open311 report's words and reporter, from both its items. */
  async eraseOpen311Report(requestId: string): Promise<void> {
    await this.eraseOpen311Fields(requestId, ['description', 'addressString', 'mediaUrl', 'reporter', 'reporterUntil']);
  }

  private async eraseOpen311Fields(requestId: string, fields: string[]): Promise<void> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: open311RequestKey(requestId) }));
    if (!Item) return;
    await this.remove(open311HelpPointEntryKey(String(Item.helpPointId), String(Item.requestedAt), requestId), fields);
    await this.remove(open311RequestKey(requestId), fields);
  }

  private async remove(key: Record<string, unknown>, fields: readonly string[], set: Record<string, unknown> = {}) {
    const sets = Object.keys(set);
    if (!fields.length && !sets.length) return;
    const names = Object.fromEntries([...fields, ...sets].map((field, index) => [`#f${index}`, field]));
    const removeExpr = fields.map((_, index) => `#f${index}`).join(', ');
    const setExpr = sets.map((field, index) => `#f${fields.length + index} = :v${index}`).join(', ');
    await this.db.send(new UpdateCommand({
      TableName: this.tableName,
      Key: key,
      UpdateExpression: `${setExpr ? `SET ${setExpr} ` : ''}${removeExpr ? `REMOVE ${removeExpr}` : ''}`,
      ExpressionAttributeNames: names,
      ...(sets.length ? { ExpressionAttributeValues: Object.fromEntries(sets.map((field, index) => [`:v${index}`, set[field]])) } : {}),
      // Only an item that is still there: an erasure never brings a deleted item back as a stub.
      ConditionExpression: 'attribute_exists(pk)',
    })).catch((error: unknown) => {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    });
  }
}
