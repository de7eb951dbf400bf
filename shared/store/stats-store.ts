import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { CaseStatus, RiskLevel } from '../contract/vocabulary';
import { CASE_FIGURE_FIELDS, type CaseFigures } from '../domain/stats';
import { CASE_RELATION_FIELDS, type CaseRelationsView } from '../domain/access-policy';
import { caseProjection } from './case-store';
import { ALL_CASES_PARTITION, caseStatusPartition, GSI_ALL_CASES, GSI_CASES_BY_STATUS, openedInWindowBounds } from './keys';

/** What the key figures read: the cases of a window from the all-cases index, and counts from the by-status index. */
export class StatsStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  /**
   * The cases opened in [from, to), oldest first, with only the fields the figures use, and those the access policy
   * reads; `keep` leaves out the cases the reader may not count.
   */
  async casesOpenedIn(from: string, to: string, keep?: (c: CaseRelationsView) => boolean): Promise<CaseFigures[]> {
    const bounds = openedInWindowBounds(from, to);
    const projection = caseProjection([...new Set([...CASE_FIGURE_FIELDS, ...(keep ? CASE_RELATION_FIELDS : [])])]);
    const cases: CaseFigures[] = [];
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
