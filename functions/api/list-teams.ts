import { apiHandler } from '#shared/http/api-handler';
import { tableDependencies } from '#shared/use-cases/dependencies';
import { listTeams } from '#shared/use-cases/list-teams';

const deps = tableDependencies();

export const handler = apiHandler('ListTeams', {}, async ({ actor }) => ({ statusCode: 200, body: await listTeams(deps, actor) }));
