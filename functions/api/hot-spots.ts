import { HotSpotInput, HotSpotListQuery, ImportHotSpotsRequest, HotSpotParams, HotSpotReplacement } from '#shared/contract/campaign';
import { apiHandler, apiRoutes } from '#shared/http/api-handler';
import { createHotSpot, deleteHotSpot, hotSpotsAsGeoJson, importHotSpots, listHotSpots, replaceHotSpot } from '#shared/use-cases/campaign';
import { tableDependencies } from '#shared/use-cases/dependencies';

const deps = tableDependencies();

export const handler = apiRoutes({
  CreateHotSpot: apiHandler('CreateHotSpot', { body: HotSpotInput }, async ({ body, idempotency }) => {
    const result = await createHotSpot(deps, { request: body, ...(idempotency ? { idempotency } : {}) });
    return {
      statusCode: result.statusCode, body: result.body,
      headers: { location: `/v1/hot-spots/${result.body.hotSpotId}`, ...(result.replayed ? { 'idempotency-replayed': 'true' } : {}) },
    };
  }),
  ListHotSpots: apiHandler('ListHotSpots', { query: HotSpotListQuery }, async ({ query }) => {
    const hotSpots = await listHotSpots(deps);
    return query.format === 'geojson'
      ? { statusCode: 200, body: hotSpotsAsGeoJson(hotSpots), headers: { 'content-type': 'application/geo+json' } }
      : { statusCode: 200, body: { items: hotSpots } };
  }),
  ImportHotSpots: apiHandler('ImportHotSpots', { body: ImportHotSpotsRequest }, async ({ body }) =>
    ({ statusCode: 200, body: await importHotSpots(deps, body) })),
  UpdateHotSpot: apiHandler('UpdateHotSpot', { params: HotSpotParams, body: HotSpotReplacement }, async ({ params, body }) =>
    ({ statusCode: 200, body: await replaceHotSpot(deps, params.hotSpotId, body) })),
  DeleteHotSpot: apiHandler('DeleteHotSpot', { params: HotSpotParams }, async ({ params }) => {
    await deleteHotSpot(deps, params.hotSpotId);
    return { statusCode: 204, body: undefined };
  }),
});
