import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { detectionKey } from './keys';

/** Which detection ids a device already sent, and the case each went to. */
export interface DetectionIdLookup {
  find(deviceId: string, detectionIds: string[]): Promise<Map<string, string>>;
}

export class DynamoDetectionIdLookup implements DetectionIdLookup {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async find(deviceId: string, detectionIds: string[]) {
    const found = new Map<string, string>();
    const unique = [...new Set(detectionIds)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map((id) => detectionKey(deviceId, id));
      while (keys?.length) {
        const page = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }));
        for (const item of page.Responses?.[this.tableName] ?? []) found.set(String(item.sk), String(item.caseId));
        keys = page.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return found;
  }
}
