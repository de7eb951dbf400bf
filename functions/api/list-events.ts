import { dynamoDocumentClient } from '#shared/adapters/aws-clients';
import { ListEventsQuery } from '#shared/contract/event-feed';
import { apiHandler } from '#shared/http/api-handler';
import { settings } from '#shared/settings';
import { EventFeedStore } from '#shared/store/event-feed';
import { tableDependencies } from '#shared/use-cases/dependencies';
import { caseGate } from '#shared/use-cases/case-access';
import { listEvents } from '#shared/use-cases/event-feed';

const deps = { ...tableDependencies(), events: new EventFeedStore(dynamoDocumentClient(), settings.tableName) };

export const handler = apiHandler('ListEvents', { query: ListEventsQuery }, async ({ query, principal }) => ({
  statusCode: 200,
  body: await listEvents(deps, await caseGate(deps, principal), query),
}));
