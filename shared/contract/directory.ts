import * as z from 'zod';
import type { RouteDoc } from './openapi';
import { Location } from './schemas';
import { DEVICE_KINDS, DEVICE_SCOPES } from './vocabulary';

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

// ─── Writing the directory (admins; coordinators read) ─────────────────────────────────────────────────────────

const DirectoryId = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'may use letters, digits and . _ : - only');
const Name = z.string().trim().min(1).max(200);
const Point = z.strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) });

/** How a station or team is told of a case: its chat group's robot (HTTPS webhook), or the SNS topic. */
export const NotifyChannelInput = z.discriminatedUnion('channel', [
  z.strictObject({ channel: z.literal('webhook'), url: z.url({ protocol: /^https$/, error: 'must be an https:// URL (a WeCom or DingTalk robot)' }).max(500) }),
  z.strictObject({ channel: z.literal('sns') }),
]);
/** What is shown of a channel: a webhook's URL is its secret (whoever holds it can post to the group). */
const NotifyChannelShown = z.object({ channel: z.enum(['webhook', 'sns']) });

/** GeoJSON positions are [lon, lat]; a ring is closed (its last position repeats its first) and has 4 or more. */
const Position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const Ring = z.array(Position).min(4).max(5_000)
  .refine((ring) => ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1], 'a ring ends where it starts');
export const StationAreaInput = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1).max(50) }),
  z.strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring).min(1).max(50)).min(1).max(50) }),
]).describe('The area the station answers for: a GeoJSON Polygon or MultiPolygon, WGS-84, positions [lon, lat]. A case inside it is this station\'s (its desk sees it, its duty officer is alerted); outside every area, the nearest station\'s.');

export const StationInput = z.strictObject({
  stationId: DirectoryId.optional().describe('Chosen by the caller (an import keeps its ids); generated when absent.'),
  name: Name,
  location: Point.describe('Where the station is: the nearest station to a case is found from it.'),
  area: StationAreaInput.optional(),
  districts: z.array(Name).max(50).optional().describe('The districts the station covers (names as the hot spots and reports use them).'),
  phone: z.string().trim().min(3).max(40).optional().describe('For a family-search notice.'),
  address: Name.optional(),
  chief: z.string().trim().min(1).max(128).optional().describe("The station chief's member id (sub): approves a minor's family-search notice."),
  dutyOfficer: z.string().trim().min(1).max(128).optional(),
  beds: z.int().min(0).max(10_000).optional(),
  notify: NotifyChannelInput.optional(),
});
/** PUT replaces an entry whole; its id is the path's (the body may repeat it, as a client sends back what it read). */
export const StationReplacement = StationInput;
export const StationShown = z.object({
  stationId: z.string(), name: z.string(), location: z.object({ lat: z.number(), lon: z.number() }),
  area: z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.any()) }).optional(), districts: z.array(z.string()).optional(), phone: z.string().optional(), address: z.string().optional(), chief: z.string().optional(),
  dutyOfficer: z.string().optional(), beds: z.int().optional(), notify: NotifyChannelShown.optional(),
});

export const TeamInput = z.strictObject({
  teamId: DirectoryId.optional().describe('Chosen by the caller; generated when absent.'),
  name: Name,
  stationId: DirectoryId.describe('The station the team patrols for: it must exist.'),
  location: Point.describe('Its home base.'),
  onDuty: z.boolean().default(false).describe('On patrol now: only teams on duty are alerted.'),
  members: z.array(z.string().trim().min(1).max(128)).max(50).optional().describe("The members' ids (sub) who read the team's cases."),
  notify: NotifyChannelInput.optional(),
});
export const TeamReplacement = TeamInput;
export const TeamShown = z.object({
  teamId: z.string(), name: z.string(), stationId: z.string(), location: z.object({ lat: z.number(), lon: z.number() }),
  onDuty: z.boolean(), members: z.array(z.string()).optional(), notify: NotifyChannelShown.optional(),
});

export const HelpPointInput = z.strictObject({
  helpPointId: DirectoryId.optional().describe('Chosen by the caller; generated when absent.'),
  name: Name,
  location: Point.describe('Where the help point stands: a tip without a position is placed here.'),
  stationId: DirectoryId.describe('The station its reports go to: it must exist.'),
});
export const HelpPointReplacement = HelpPointInput;
export const HelpPointShown = z.object({
  helpPointId: z.string(), name: z.string(), location: z.object({ lat: z.number(), lon: z.number() }), stationId: z.string(),
  keyActive: z.boolean().describe('Whether it has a working api_key (false once revoked, until a new one is issued).'),
});
export const HelpPointWithKey = HelpPointShown.extend({
  apiKey: z.string().describe("The help point's Open311 `api_key`: shown this once, stored only as a hash. Rotating issues a new one; the old one stops working at once."),
});

export const DeviceInput = z.strictObject({
  deviceId: DirectoryId.optional().describe('Chosen by the caller (the serial painted on the drone); generated when absent. Detections and frames carry it.'),
  name: Name,
  kind: z.enum(DEVICE_KINDS),
  stationId: DirectoryId.describe('The station the device works for: it must exist.'),
  owner: z.string().trim().min(1).max(128).optional().describe("Who answers for it: its pilot's or keeper's member id (sub), or a unit's name."),
  scopes: z.array(z.enum(DEVICE_SCOPES)).min(1).max(DEVICE_SCOPES.length).refine((s) => new Set(s).size === s.length, 'names a scope twice').optional()
    .describe('What it may send; by default what its kind sends (a drone or camera: detections and uploads; a weather feed: warnings and weather).'),
});
export const DeviceReplacement = z.strictObject({
  deviceId: DirectoryId.optional(), name: Name, stationId: DirectoryId, owner: z.string().trim().min(1).max(128).optional(),
});
export const DeviceShown = z.object({
  deviceId: z.string(), name: z.string(), kind: z.enum(DEVICE_KINDS), stationId: z.string(), owner: z.string().optional(),
  scopes: z.array(z.enum(DEVICE_SCOPES)), status: z.enum(['active', 'revoked']),
  clientId: z.string().optional().describe("Its OAuth app client (the tokens' `client_id`); none once revoked."), createdAt: z.string(),
});
export const DeviceWithCredentials = DeviceShown.extend({
  credentials: z.object({
    clientId: z.string(),
    clientSecret: z.string().describe('Shown this once; the user pool keeps it. Rotating issues new credentials and the old ones stop working at once.'),
    tokenUrl: z.string().describe('Where the device trades them for an access token: `POST` form `grant_type=client_credentials`, HTTP Basic with the id and secret.'),
    grantType: z.literal('client_credentials'),
    scope: z.string().describe('The scopes to ask for, space-separated.'),
  }),
});

const Username = z.string().trim().min(3).max(128).regex(/^[A-Za-z0-9._@+-]+$/, 'may use letters, digits and . _ @ + - only');
const PEOPLE_ROLES = ['patrol', 'station', 'coordinator', 'admin'] as const;
export const MemberInput = z.strictObject({
  username: Username.describe('What the member signs in with (a staff number, or a phone number in E.164).'),
  name: Name.describe('Their name, as the timelines show it.'),
  role: z.enum(PEOPLE_ROLES).describe('Their group. Devices are not members: register them with POST /v1/devices.'),
  teamId: DirectoryId.optional().describe('A patrol member\'s team: required for patrol, and it must exist.'),
  stationId: DirectoryId.optional().describe('A station member\'s station: required for station, and it must exist.'),
  phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be E.164, e.g. +8613800000000').optional().describe('Where the invitation (a temporary password) is sent by SMS; not kept by the directory.'),
  email: z.email().max(254).optional().describe('Where the invitation is sent by e-mail; not kept by the directory.'),
}).superRefine((member, ctx) => {
  if (member.role === 'patrol' && !member.teamId) ctx.addIssue({ code: 'custom', path: ['teamId'], message: 'a patrol member belongs to a team' });
  if (member.role === 'station' && !member.stationId) ctx.addIssue({ code: 'custom', path: ['stationId'], message: 'a station member belongs to a station' });
  if (member.role !== 'patrol' && member.teamId) ctx.addIssue({ code: 'custom', path: ['teamId'], message: 'only a patrol member has a team' });
  if (member.role !== 'station' && member.stationId) ctx.addIssue({ code: 'custom', path: ['stationId'], message: 'only a station member has a station' });
  if (!member.phone && !member.email) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'give a phone or an e-mail for the invitation' });
});
export const MemberShown = z.object({
  username: z.string(), sub: z.string().describe('Their id in the timelines and access logs.'), name: z.string(),
  role: z.enum(PEOPLE_ROLES), teamId: z.string().optional(), stationId: z.string().optional(),
  status: z.enum(['invited', 'disabled']), invitedAt: z.string(), invitedBy: z.string(),
});

export const DirectoryParams = {
  station: z.strictObject({ stationId: DirectoryId }),
  team: z.strictObject({ teamId: DirectoryId }),
  helpPoint: z.strictObject({ helpPointId: DirectoryId }),
  device: z.strictObject({ deviceId: DirectoryId }),
  member: z.strictObject({ username: Username }),
};

export const DIRECTORY_KINDS_AUDITED = ['station', 'team', 'help_point', 'device', 'member', 'hot_spot'] as const;

export const IMPORT_KINDS = ['station', 'team', 'help_point', 'hot_spot'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_MEDIA_TYPES = ['text/csv', 'application/geo+json', 'application/json'] as const;
export const DirectoryImportQuery = z.strictObject({
  kind: z.enum(IMPORT_KINDS).describe('What the file holds.'),
  dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true').describe('`true`: check the file and say what would change, storing nothing.'),
});
export const DirectoryImportResult = z.object({
  kind: z.enum(IMPORT_KINDS), dryRun: z.boolean(),
  created: z.int(), replaced: z.int(), unchanged: z.int(),
  items: z.array(z.object({ id: z.string(), what: z.enum(['created', 'replaced', 'unchanged']) })).describe('Each entry of the file, in its order.'),
  apiKeys: z.array(z.object({ helpPointId: z.string(), apiKey: z.string() })).optional().describe('Help points new to the directory: their api_key, shown this once.'),
});
export const DirectoryChange = z.object({
  at: z.string(),
  sub: z.string().describe('Who made the change.'),
  kind: z.enum(DIRECTORY_KINDS_AUDITED),
  id: z.string(),
  what: z.enum(['created', 'updated', 'key_issued', 'key_revoked', 'imported']).describe('`key_issued` and `key_revoked` are a help point\'s key or a device\'s credentials.'),
  fields: z.array(z.string()).optional().describe('An update: the fields that changed (their values are not kept here: a webhook URL is a secret).'),
});
export const DirectoryChangePage = z.object({ items: z.array(DirectoryChange).describe('Newest first.'), nextCursor: z.string().optional() });
export const DirectoryChangeQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2000).optional(),
});

const WRITES = 'Admins only; every change lands in the audit trail (`GET /v1/directory/changes`) with who made it and when.';
const STATION_EXAMPLE = {
  stationId: 'station-nc', name: '南昌市救助管理站', location: { lat: 28.6625, lon: 115.9170 }, districts: ['东湖区', '西湖区'],
  phone: '0791-86210110', address: '南昌市青山湖区民强路', notify: { channel: 'webhook', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=ROBOT-KEY' },
};
export const LIST_STATIONS_DOC: RouteDoc<'ListStations'> = {
  tag: 'Directory', description: 'Every station (a city has a few: no paging). A webhook channel shows as its kind only: its URL is a secret.',
  responses: { 200: { description: 'The stations.', schema: z.object({ items: z.array(StationShown) }) } },
};
export const CREATE_STATION_DOC: RouteDoc<'CreateStation'> = {
  tag: 'Directory', description: `Adds a rescue station. ${WRITES}`,
  body: { schema: StationInput, example: STATION_EXAMPLE },
  responses: { 201: { description: 'The station.', schema: StationShown } },
  problems: { 409: 'A station with that `stationId` exists already.' },
};
export const UPDATE_STATION_DOC: RouteDoc<'UpdateStation'> = {
  tag: 'Directory', description: `Replaces a station whole. ${WRITES}`, path: DirectoryParams.station,
  body: { schema: StationReplacement }, responses: { 200: { description: 'The station.', schema: StationShown } },
  problems: { 404: 'No station with that id.' },
};
export const CREATE_TEAM_DOC: RouteDoc<'CreateTeam'> = {
  tag: 'Directory', description: `Adds a patrol team to a station that exists. ${WRITES}`,
  body: { schema: TeamInput, example: { teamId: 'team-07', name: '东湖区联合巡查三队', stationId: 'station-nc', location: { lat: 28.68, lon: 115.9 }, onDuty: true, members: ['chen.jie'] } },
  responses: { 201: { description: 'The team.', schema: TeamShown } },
  problems: { 400: 'The station does not exist.', 409: 'A team with that `teamId` exists already.' },
};
export const GET_TEAM_DOC: RouteDoc<'GetTeam'> = {
  tag: 'Directory', description: 'One team whole (its members and its channel\'s kind, never a webhook URL), to edit it with a PUT.', path: DirectoryParams.team,
  responses: { 200: { description: 'The team.', schema: TeamShown } },
  problems: { 404: 'No team with that id.' },
};
export const UPDATE_TEAM_DOC: RouteDoc<'UpdateTeam'> = {
  tag: 'Directory', description: `Replaces a team whole (its station, members, duty and channel). ${WRITES}`, path: DirectoryParams.team,
  body: { schema: TeamReplacement }, responses: { 200: { description: 'The team.', schema: TeamShown } },
  problems: { 400: 'The station does not exist.', 404: 'No team with that id.' },
};
export const LIST_HELP_POINTS_DOC: RouteDoc<'ListHelpPoints'> = {
  tag: 'Directory', description: 'Every help point, with whether its key works; never a key.',
  responses: { 200: { description: 'The help points.', schema: z.object({ items: z.array(HelpPointShown) }) } },
};
export const CREATE_HELP_POINT_DOC: RouteDoc<'CreateHelpPoint'> = {
  tag: 'Directory',
  description: `Adds a help point (an Open311 kiosk) for a station that exists, and answers its \`apiKey\` this once (only a hash is stored). Not replayed by Idempotency-Key, which would keep the key: give a \`helpPointId\` so that a retry is a 409, and rotate the key if the answer was lost. ${WRITES}`,
  body: { schema: HelpPointInput, example: { helpPointId: 'hp-bayi-square', name: '八一广场求助点', location: { lat: 28.6776, lon: 115.9066 }, stationId: 'station-nc' } },
  responses: { 201: { description: 'The help point and its key.', schema: HelpPointWithKey } },
  problems: { 400: 'The station does not exist.', 409: 'A help point with that `helpPointId` exists already.' },
};
export const UPDATE_HELP_POINT_DOC: RouteDoc<'UpdateHelpPoint'> = {
  tag: 'Directory', description: `Replaces a help point's name, place and station; its key stays. ${WRITES}`, path: DirectoryParams.helpPoint,
  body: { schema: HelpPointReplacement }, responses: { 200: { description: 'The help point.', schema: HelpPointShown } },
  problems: { 400: 'The station does not exist.', 404: 'No help point with that id.' },
};
export const ROTATE_HELP_POINT_KEY_DOC: RouteDoc<'RotateHelpPointKey'> = {
  tag: 'Directory', description: `Issues a new \`apiKey\`, answered this once; the old key stops working in the same write. ${WRITES}`, path: DirectoryParams.helpPoint,
  responses: { 200: { description: 'The help point and its new key.', schema: HelpPointWithKey } },
  problems: { 404: 'No help point with that id.' },
};
export const REVOKE_HELP_POINT_KEY_DOC: RouteDoc<'RevokeHelpPointKey'> = {
  tag: 'Directory', description: `Revokes the help point's key: no key works for it until one is issued again (rotate). ${WRITES}`, path: DirectoryParams.helpPoint,
  responses: { 200: { description: 'The help point, without a working key.', schema: HelpPointShown } },
  problems: { 404: 'No help point with that id.' },
};
export const LIST_DIRECTORY_CHANGES_DOC: RouteDoc<'ListDirectoryChanges'> = {
  tag: 'Directory', description: 'The audit trail of the directory: every station, team, help point, device and member created or changed, and every key or credential issued or revoked, with who and when. Newest first; kept for good.',
  query: DirectoryChangeQuery,
  responses: { 200: { description: 'A page of changes.', schema: DirectoryChangePage } },
};

const DEVICE_AUTH = 'A device authenticates as a machine: OAuth 2.0 client credentials at `tokenUrl`, one app client per device; its access token is checked against the directory on every call, so a revoked device is refused on its next one.';
export const LIST_DEVICES_DOC: RouteDoc<'ListDevices'> = {
  tag: 'Directory', description: 'Every registered device: what it is, whose, what it may send, whether it is in service; never a secret.',
  responses: { 200: { description: 'The devices.', schema: z.object({ items: z.array(DeviceShown) }) } },
};
export const CREATE_DEVICE_DOC: RouteDoc<'CreateDevice'> = {
  tag: 'Directory',
  description: `Registers a drone, a fixed camera, a camera network's gateway or a weather feed for a station that exists, and answers its client credentials this once. ${DEVICE_AUTH} Not replayed by Idempotency-Key (which would keep the secret): give a \`deviceId\` so that a retry is a 409, and rotate if the answer was lost. ${WRITES}`,
  body: { schema: DeviceInput, example: { deviceId: 'uav-dh-01', name: '东湖区热成像无人机1号', kind: 'drone', stationId: 'station-nc', owner: 'li.pilot' } },
  responses: { 201: { description: 'The device and its credentials.', schema: DeviceWithCredentials } },
  problems: { 400: 'The station does not exist.', 409: 'A device with that `deviceId` exists already.' },
};
export const UPDATE_DEVICE_DOC: RouteDoc<'UpdateDevice'> = {
  tag: 'Directory', description: `Replaces a device's name, station and owner; its kind, scopes and credentials stay. ${WRITES}`, path: DirectoryParams.device,
  body: { schema: DeviceReplacement }, responses: { 200: { description: 'The device.', schema: DeviceShown } },
  problems: { 400: 'The station does not exist.', 404: 'No device with that id.' },
};
export const ROTATE_DEVICE_SECRET_DOC: RouteDoc<'RotateDeviceSecret'> = {
  tag: 'Directory', description: `Issues the device new client credentials, answered this once (and puts a revoked device back in service); tokens of the old ones are refused from now on. ${WRITES}`, path: DirectoryParams.device,
  responses: { 200: { description: 'The device and its new credentials.', schema: DeviceWithCredentials } },
  problems: { 404: 'No device with that id.' },
};
export const REVOKE_DEVICE_DOC: RouteDoc<'RevokeDevice'> = {
  tag: 'Directory', description: `Takes a device out of service: its credentials are deleted and any token it still holds is refused (403) on its next call. ${WRITES}`, path: DirectoryParams.device,
  responses: { 200: { description: 'The device, revoked.', schema: DeviceShown } },
  problems: { 404: 'No device with that id.' },
};

export const LIST_MEMBERS_DOC: RouteDoc<'ListMembers'> = {
  tag: 'Directory', description: 'The members invited through the API: who, in which group, for which team or station, and whether disabled. No phone or e-mail is kept here.',
  responses: { 200: { description: 'The members.', schema: z.object({ items: z.array(MemberShown) }) } },
};
export const INVITE_MEMBER_DOC: RouteDoc<'InviteMember'> = {
  tag: 'Directory',
  description: `Invites a member into the user pool: the server sets their group and their team or station (attributes no member can change), and the pool sends them a temporary password by SMS or e-mail. Station, coordinator and admin members enrol an authenticator app at first sign-in. A member moving to another team is invited anew and the old account disabled. ${WRITES}`,
  body: { schema: MemberInput, example: { username: 'zhao.lei', name: '赵磊', role: 'patrol', teamId: 'team-01', phone: '+8613800000000' } },
  responses: { 201: { description: 'The member, invited.', schema: MemberShown } },
  problems: { 400: 'The team or station does not exist, or the role needs one.', 409: 'That username is taken.' },
};
export const DISABLE_MEMBER_DOC: RouteDoc<'DisableMember'> = {
  tag: 'Directory', description: `Disables a member (left, moved, lost their phone): they cannot sign in, and their sessions are signed out. ${WRITES}`, path: DirectoryParams.member,
  responses: { 200: { description: 'The member, disabled.', schema: MemberShown } },
  problems: { 404: 'No member with that username.' },
};

export const IMPORT_DIRECTORY_DOC: RouteDoc<'ImportDirectory'> = {
  tag: 'Directory',
  description: 'Imports stations, teams, help points or hot spots from a CSV file (a header row; columns: the POST body\'s fields, '
    + 'with `lat` and `lon` for the location; `districts` and `members` separated by `;`; a station\'s `area` as GeoJSON text) '
    + 'or a GeoJSON FeatureCollection (a Point per entry, its properties the POST body\'s fields; a station may be its area\'s Polygon '
    + 'with `lat` and `lon` in its properties). Every entry names its id. The whole file is checked first with the rules of the '
    + 'kind\'s POST, each team\'s and help point\'s station against the directory (import the stations first), and no id twice: '
    + 'one fault and nothing is stored, and the 400 lists each (`errors[].path` like `row 3.location.lat`). Then each entry is '
    + 'created, or replaced with the file\'s fields (a channel or key the directory holds is kept); an entry already as the file says '
    + 'is left alone, so importing the same file twice changes nothing. A new help point\'s api_key is answered this once. '
    + `At most 2,000 entries. ${WRITES}`,
  query: DirectoryImportQuery,
  body: { schema: z.string().describe('The CSV text, or the GeoJSON FeatureCollection.'), mediaTypes: [...IMPORT_MEDIA_TYPES] },
  responses: { 200: { description: 'What the file created, replaced and left unchanged.', schema: DirectoryImportResult } },
  problems: { 400: 'A fault in the file (every one is listed), or more than 2,000 entries; nothing is stored.', 415: 'Not CSV or GeoJSON.' },
};

export const DIRECTORY_DOCS = {
  ImportDirectory: IMPORT_DIRECTORY_DOC,
  ListMembers: LIST_MEMBERS_DOC, InviteMember: INVITE_MEMBER_DOC, DisableMember: DISABLE_MEMBER_DOC,
  ListDevices: LIST_DEVICES_DOC, CreateDevice: CREATE_DEVICE_DOC, UpdateDevice: UPDATE_DEVICE_DOC,
  RotateDeviceSecret: ROTATE_DEVICE_SECRET_DOC, RevokeDevice: REVOKE_DEVICE_DOC,
  ListStations: LIST_STATIONS_DOC, CreateStation: CREATE_STATION_DOC, UpdateStation: UPDATE_STATION_DOC,
  CreateTeam: CREATE_TEAM_DOC, GetTeam: GET_TEAM_DOC, UpdateTeam: UPDATE_TEAM_DOC,
  ListHelpPoints: LIST_HELP_POINTS_DOC, CreateHelpPoint: CREATE_HELP_POINT_DOC, UpdateHelpPoint: UPDATE_HELP_POINT_DOC,
  RotateHelpPointKey: ROTATE_HELP_POINT_KEY_DOC, RevokeHelpPointKey: REVOKE_HELP_POINT_KEY_DOC, ListDirectoryChanges: LIST_DIRECTORY_CHANGES_DOC,
};
