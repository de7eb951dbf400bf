import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Location } from '../contract/schemas';
import type { Actor } from '../domain/case';
import { WEATHER_PARTITION, weatherKey } from './keys';

/** An air temperature reading for the city: from a weather service, a station's thermometer, a device. */
export interface WeatherRecord {
  recordId: string;
  observedAt: string;
  airTempC: number;
  windSpeedMs?: number;
  location?: Location;
  source?: string;
  recordedBy: Actor;
  receivedAt: string;
}

/** Weather records in one small partition, sorted by when they were observed. */
export class WeatherStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  /** Writing the same record again (a retry with the same id) leaves one record. */
  async put(record: WeatherRecord): Promise<void> {
    await this.db.send(new PutCommand({
      TableName: this.tableName,
      Item: { ...weatherKey(record.observedAt, record.recordId), entity: 'weather', ...record },
    }));
  }

  /** The latest record observed at or before `at` and no earlier than `notBefore`. */
  async latest(at: Date, notBefore: Date): Promise<WeatherRecord | undefined> {
    const { Items } = await this.db.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': WEATHER_PARTITION, ':from': notBefore.toISOString(), ':to': `${at.toISOString()}#\uffff` },
      ScanIndexForward: false,
      Limit: 1,
    }));
    const item = Items?.[0];
    if (!item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...record } = item;
    return record as WeatherRecord;
  }
}
