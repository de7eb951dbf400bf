import { CreateWeatherRecordRequest } from '#shared/contract/schemas';
import { apiHandler } from '#shared/http/api-handler';
import { tableDependencies } from '#shared/use-cases/dependencies';
import { recordWeather } from '#shared/use-cases/weather';

const deps = tableDependencies();

export const handler = apiHandler('CreateWeatherRecord', { body: CreateWeatherRecordRequest }, async ({ body, actor, idempotency }) => {
  const result = await recordWeather(deps, { request: body, actor, ...(idempotency ? { idempotency } : {}) });
  return { statusCode: result.statusCode, body: result.body, ...(result.replayed ? { headers: { 'idempotency-replayed': 'true' } } : {}) };
});
