import * as z from 'zod';
import type { RouteDoc } from './openapi';
import { Location } from './schemas';

/**
 * GET /v1/teams: the patrol teams, for a station desk to dispatch one and for the pages to name them. What the
 * directory keeps about a team's channels (webhook URLs are secrets) and members stays out of it.
 */
export const TeamSummary = z.object({
  teamId: z.string(),
  name: z.string(),
  stationId: z.string().describe('The station the team patrols for.'),
  stationName: z.string().optional().describe('That station\'s name, for the pages to show instead of its id.'),
  onDuty: z.boolean().describe('On patrol now: only teams on duty are alerted.'),
  location: Location.describe('Where the team is based, or was last known to be.'),
  lastPosition: z.object({ at: z.string(), lat: z.number(), lon: z.number(), accuracyM: z.number().optional() }).optional()
    .describe('For station and coordinator callers: the latest position the team\'s patrol phone sent (`POST /v1/positions`), if any. Older than 5 minutes, it is stale.'),
});

export const TeamList = z.object({ items: z.array(TeamSummary).describe('Every team, on duty first, then by id.') });

export const LIST_TEAMS_DOC: RouteDoc<'ListTeams'> = {
  tag: 'Directory',
  description: 'The patrol teams of the deployment (a city has tens, so there is no paging). A station dispatches one '
    + 'with the `acknowledge` action\'s `teamId`. Teams, stations and help points are written by the deployment\'s '
    + 'operators (see the README); the pages only read them.',
  responses: { 200: { description: 'The teams.', schema: TeamList } },
};

export const DIRECTORY_COMPONENTS = { TeamSummary, TeamList };
