import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { CaseStatus, RiskLevel } from '../contract/vocabulary';
import { CASE_FIGURE_FIELDS, type CaseFigures } from '../domain/stats';
import { caseProjection } from './case-store';
import { ALL_CASES_PARTITION, caseStatusPartition, GSI_ALL_CASES, GSI_CASES_BY_STATUS, openedInWindowBounds } from './keys';

/** What the key figures read: the cases of a window from the all-cases index, and counts from the by-status index. */
export class StatsStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  /** The cases opened in [from, to), oldest first, with only the fields the figures use. */
  async casesOpenedIn(from: string, to: string): Promise<CaseFigures[]> {
    const bounds = openedInWindowBounds(from, to);
    const projection = caseProjection(CASE_FIGURE_FIELDS);
    const cases: CaseFigures[] = [];
    for await (const page of paginateQuery({ client: this.db }, {
      TableName: this.tableName,
      IndexName: GSI_ALL_CASES,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ProjectionExpression: projection.ProjectionExpression,
      ExpressionAttributeNames: { ...projection.ExpressionAttributeNames, '#pk': 'gsi1pk', '#sk': 'gsi1sk' },
      ExpressionAttributeValues: { ':pk': ALL_CASES_PARTITION, ':from': bounds.from, ':to': bounds.to },
    })) {
      cases.push(...(page.Items ?? []).map(projection.read));
    }
    return cases;
  }

  /** How many cases at this risk are in these statuses now: one counting query per status partition. */
  async countInStatuses(statuses: readonly CaseStatus[], risk: RiskLevel): Promise<number> {
    const counts = await Promise.all(statuses.map(async (status) => {
      let count = 0;
      for await (const page of paginateQuery({ client: this.db }, {
        TableName: this.tableName,
        IndexName: GSI_CASES_BY_STATUS,
        KeyConditionExpression: '#pk = :pk',
        FilterExpression: '#risk = :risk',
        ExpressionAttributeNames: { '#pk': 'gsi2pk', '#risk': 'risk' },
        ExpressionAttributeValues: { ':pk': caseStatusPartition(status), ':risk': risk },
        Select: 'COUNT',
      })) {
        count += page.Count ?? 0;
      }
      return count;
    }));
    return counts.reduce((sum, count) => sum + count, 0);
  }
}
