import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import type { CreateWeatherRecordRequest } from '../contract/schemas';
import type { Actor } from '../domain/case';
import { IdempotencyRace } from '../store/case-store';
import type { WeatherRecord } from '../store/weather-store';
import type { Dependencies } from './dependencies';
import { type IdempotentRequest, idempotent } from './idempotent';

/** How old a weather record may be and still stand for tonight's air temperature. */
export const WEATHER_RECORD_HOURS = 6;

/**
 * Records an air temperature reading; triage and revisit scheduling weigh the latest one. With an Idempotency-Key
 * the record's id comes from the key, so a retry after a crash writes the same record again, never a second one.
 */
export async function recordWeather(
  deps: Pick<Dependencies, 'weather' | 'idempotency' | 'now'>,
  input: { request: CreateWeatherRecordRequest; actor: Actor; idempotency?: IdempotentRequest },
) {
  return idempotent(deps.idempotency, input.idempotency, deps.now(), async (recordFor) => {
    const recordId = input.idempotency
      ? `wx-${createHash('sha256').update(input.idempotency.scope).digest('hex').slice(0, 26)}`
      : `wx-${ulid()}`;
    const record: WeatherRecord = { recordId, ...input.request, recordedBy: input.actor, receivedAt: deps.now().toISOString() };
    await deps.weather.put(record);
    const response = { statusCode: 201, body: record };
    const saved = recordFor(response);
    if (saved && !(await deps.idempotency.save(saved))) throw new IdempotencyRace();
    return response;
  });
}

/** The air temperature tonight's grading may use: the latest record of the last few hours, if any. */
export async function recentAirTemperature(deps: Pick<Dependencies, 'weather'>, at: Date): Promise<number | undefined> {
  const record = await deps.weather.latest(at, new Date(at.getTime() - WEATHER_RECORD_HOURS * 3_600_000));
  return record?.airTempC;
}
