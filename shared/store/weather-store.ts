import { type DynamoDBDocumentClient, paginateQuery, PutCommand } from '@aws-sdk/lib-dynamodb';
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
  /** Far from the other readings of the last hours and not yet confirmed: kept, but nothing is graded on it. */
  heldBack?: boolean;
  heldBackReason?: string;
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

  /** The latest record observed at or before `at` and no earlier than `notBefore` that is not held back. */
  async latest(at: Date, notBefore: Date): Promise<WeatherRecord | undefined> {
    return (await this.between(at, notBefore)).find((record) => !record.heldBack);
  }

  /** The records observed between two instants, newest first (a few an hour: one small query). */
  async between(at: Date, notBefore: Date): Promise<WeatherRecord[]> {
    const records: WeatherRecord[] = [];
    for await (const page of paginateQuery({ client: this.db }, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': WEATHER_PARTITION, ':from': notBefore.toISOString(), ':to': `${at.toISOString()}#\uffff` },
      ScanIndexForward: false,
    })) {
      for (const { pk: _pk, sk: _sk, entity: _entity, ...record } of page.Items ?? []) records.push(record as WeatherRecord);
    }
    return records;
  }

  /** A held-back record confirmed by a later one: it stands now. */
  async release(record: WeatherRecord): Promise<void> {
    const { heldBack: _held, heldBackReason: _reason, ...standing } = record;
    await this.put(standing);
  }
}
