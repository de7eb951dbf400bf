import type { CreateWeatherRecordRequest } from '../contract/schemas';
import type { Actor } from '../domain/case';
import type { WeatherRecord } from '../store/weather-store';
import { COMPARE_HOURS, judgeReading, OUTLIER_C } from '../domain/weather-reading';
import { activeWarnings, isSevereColdWave } from '../domain/warning-span';
import type { Dependencies } from './dependencies';
import { type IdempotentRequest, idempotentCreate, idFromKey } from './idempotent';

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
  return idempotentCreate(deps, input.idempotency, async () => {
    const recordId = idFromKey('wx', input.idempotency);
    const observed = new Date(input.request.observedAt);
    const recent = (await deps.weather.between(observed, new Date(observed.getTime() - COMPARE_HOURS * 3_600_000)))
      .filter((r) => r.recordId !== recordId);
    const sender = (r: Pick<WeatherRecord, 'recordedBy'>) => r.recordedBy.deviceId ?? r.recordedBy.sub;
    const verdict = judgeReading({ airTempC: input.request.airTempC, sender: sender({ recordedBy: input.actor }) },
      recent.map((r) => ({ airTempC: r.airTempC, sender: sender(r), ...(r.heldBack ? { heldBack: true } : {}) })));
    const record: WeatherRecord = {
      recordId, ...input.request, recordedBy: input.actor, receivedAt: deps.now().toISOString(),
      ...(verdict.heldBack ? { heldBack: true, heldBackReason: verdict.reason } : {}),
    };
    await deps.weather.put(record);
    // A standing reading confirms the held-back ones close to it from other senders: a real change, reported twice.
    if (!verdict.heldBack) {
      for (const held of recent.filter((r) => r.heldBack && sender(r) !== sender(record) && Math.abs(r.airTempC - record.airTempC) <= OUTLIER_C / 2)) {
        await deps.weather.release(held);
      }
    }
    return { statusCode: 201, body: record };
  });
}

/** The weather a decision is taken in: the air temperature on record, and whether a cold wave is in force. */
export interface WeatherNow {
  airTempC?: number;
  /** A cold-wave warning of level yellow or above is in force. */
  coldWave: boolean;
}

export async function weatherNow(deps: Pick<Dependencies, 'weather' | 'campaign'>, at: Date): Promise<WeatherNow> {
  const [airTempC, warnings] = await Promise.all([recentAirTemperature(deps, at), deps.campaign.warnings()]);
  return { ...(airTempC !== undefined ? { airTempC } : {}), coldWave: activeWarnings(warnings, at.getTime()).some(isSevereColdWave) };
}

/** Minutes to acknowledge, by risk, in this weather: shorter while a cold wave is in force. */
export const ackMinutesIn = (deps: Pick<Dependencies, 'ackMinutes' | 'coldWave'>, weather: Pick<WeatherNow, 'coldWave'>) =>
  (weather.coldWave ? deps.coldWave.ackMinutes : deps.ackMinutes);

/** The air temperature tonight's grading may use: the latest record of the last few hours, if any. */
export async function recentAirTemperature(deps: Pick<Dependencies, 'weather'>, at: Date): Promise<number | undefined> {
  const record = await deps.weather.latest(at, new Date(at.getTime() - WEATHER_RECORD_HOURS * 3_600_000));
  return record?.airTempC;
}
