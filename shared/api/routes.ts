import type { DeviceScope, Role } from '../contract/vocabulary';

/**
 * Every API route, declared once. The CDK app makes a function and an authorized route from each entry; the local
 * runtime serves the routes it finds in the synthesized template; each handler checks its caller's role here.
 */
export interface RouteSpec {
  id: string;
  method: HttpMethod;
  path: string;
  /**
   * The handler module, relative to the repository root; it exports `handler`. Routes naming the same module are
   * served by one function (`apiRoutes` in shared/http/api-handler.ts picks the route by its key).
   */
  entry: string;
  /** Roles allowed to call the route (admins always are), or 'public' for routes without a JWT. */
  access: readonly Role[] | 'public';
  description: string;
  /** Its POST creates something and honours Idempotency-Key (the handler and the OpenAPI document both read this). */
  idempotent?: boolean;
  /**
   * For a route a device may call: the scope its token needs. Such routes are authorized by the Callers function
   * (functions/identity/authorize.ts), which takes members' ID tokens and registered devices' access tokens.
   */
  deviceScope?: DeviceScope;
  /** More method/path pairs served by the same function (e.g. a standard's .json and .xml forms). */
  alsoServes?: readonly { method: HttpMethod; path: string }[];
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Every method/path pair a route spec serves. */
export const pathsOf = (spec: RouteSpec) => [{ method: spec.method, path: spec.path }, ...(spec.alsoServes ?? [])];

const SIGNED_IN_PEOPLE: readonly Role[] = ['patrol', 'station', 'coordinator'];

export const ROUTES = [
  {
    id: 'CreateSighting', method: 'POST', path: '/v1/sightings', entry: 'functions/api/create-sighting.ts',
    access: ['patrol', 'coordinator'], idempotent: true, description: 'Report people seen at a place; opens or joins a case.',
  },
  {
    id: 'ListCases', method: 'GET', path: '/v1/cases', entry: 'functions/api/list-cases.ts',
    access: SIGNED_IN_PEOPLE, description: 'Cases, newest first, filtered by status, risk, time and area.',
  },
  {
    id: 'GetCase', method: 'GET', path: '/v1/cases/{caseId}', entry: 'functions/api/get-case.ts',
    access: SIGNED_IN_PEOPLE, description: 'A case with its timeline, sightings, detections and photos.',
  },
  {
    id: 'TakeCaseAction', method: 'POST', path: '/v1/cases/{caseId}/actions', entry: 'functions/api/take-case-action.ts',
    access: SIGNED_IN_PEOPLE, description: 'Acknowledge, arrive, resolve, intake, discharge or add a note.',
  },
  {
    id: 'CreateUpload', method: 'POST', path: '/v1/uploads', entry: 'functions/api/create-upload.ts',
    deviceScope: 'uploads:write', access: ['patrol', 'station', 'coordinator', 'device'], idempotent: true, description: 'A short-lived URL to send a photo or thermal frame straight to storage.',
  },
  {
    id: 'GetUpload', method: 'GET', path: '/v1/uploads/{uploadId}', entry: 'functions/api/get-upload.ts',
    deviceScope: 'uploads:write', access: ['patrol', 'station', 'coordinator', 'device'], description: 'Whether an upload was stored or rejected, and why.',
  },
  {
    id: 'OpenApi', method: 'GET', path: '/openapi.json', entry: 'functions/api/openapi.ts',
    access: 'public', description: 'The OpenAPI 3.1 document of the whole API.',
  },
  {
    id: 'CreateDetections', method: 'POST', path: '/v1/detections', entry: 'functions/api/create-detections.ts',
    deviceScope: 'detections:write', access: ['device', 'coordinator'], idempotent: true, description: 'A batch of 1–500 machine detections; one result per detection, in order.',
  },
  {
    // Open311 GeoReport v2 for the help points: the api_key in the request is the credential, so no JWT.
    id: 'Open311', method: 'GET', path: '/open311/v2/services.json', entry: 'functions/open311/georeport.ts',
    access: 'public', description: 'Open311 GeoReport v2: help points report people in need and follow their reports.',
    alsoServes: [
      { method: 'GET', path: '/open311/v2/services.xml' },
      { method: 'POST', path: '/open311/v2/requests.json' },
      { method: 'POST', path: '/open311/v2/requests.xml' },
      { method: 'GET', path: '/open311/v2/requests.json' },
      { method: 'GET', path: '/open311/v2/requests.xml' },
      // {requestFile} is "<service_request_id>.json" or ".xml": a path parameter must be a whole segment.
      { method: 'GET', path: '/open311/v2/requests/{requestFile}' },
    ],
  },
  {
    id: 'ListEvents', method: 'GET', path: '/v1/events', entry: 'functions/api/list-events.ts',
    access: SIGNED_IN_PEOPLE, description: 'What happened to cases, oldest first, after a cursor: the live feed of the pages.',
  },
  {
    id: 'CreateWeatherRecord', method: 'POST', path: '/v1/weather', entry: 'functions/api/create-weather-record.ts',
    deviceScope: 'weather:write', access: ['station', 'coordinator', 'device'], idempotent: true,
    description: "An air temperature reading; triage and revisits weigh the latest one of the last 6 hours.",
  },
  {
    id: 'GetStats', method: 'GET', path: '/v1/stats', entry: 'functions/api/get-stats.ts',
    access: ['coordinator', 'station'], description: 'Key figures of the cases opened in a window: reports by source, statuses, outcomes, response times.',
  },
  {
    id: 'ListTeams', method: 'GET', path: '/v1/teams', entry: 'functions/api/list-teams.ts',
    access: SIGNED_IN_PEOPLE, description: 'The patrol teams, on duty first: whom a station can dispatch.',
  },
  // The directory, written by admins (an empty list: admins only) and read by coordinators.
  {
    id: 'ListStations', method: 'GET', path: '/v1/stations', entry: 'functions/api/directory.ts',
    access: ['coordinator'], description: 'The rescue stations of the deployment.',
  },
  {
    id: 'CreateStation', method: 'POST', path: '/v1/stations', entry: 'functions/api/directory.ts',
    access: [], idempotent: true, description: 'Adds a rescue station to the directory.',
  },
  {
    id: 'UpdateStation', method: 'PUT', path: '/v1/stations/{stationId}', entry: 'functions/api/directory.ts',
    access: [], description: 'Replaces a station.',
  },
  {
    id: 'CreateTeam', method: 'POST', path: '/v1/teams', entry: 'functions/api/directory.ts',
    access: [], idempotent: true, description: 'Adds a patrol team to a station.',
  },
  {
    id: 'GetTeam', method: 'GET', path: '/v1/teams/{teamId}', entry: 'functions/api/directory.ts',
    access: ['coordinator'], description: 'One team as the directory has it: its members and its channel kind, for an admin to edit.',
  },
  {
    id: 'UpdateTeam', method: 'PUT', path: '/v1/teams/{teamId}', entry: 'functions/api/directory.ts',
    access: [], description: 'Replaces a team (its members, duty, channel).',
  },
  {
    id: 'ListHelpPoints', method: 'GET', path: '/v1/help-points', entry: 'functions/api/directory.ts',
    access: ['coordinator'], description: 'The help points (Open311 kiosks), without their keys.',
  },
  {
    id: 'CreateHelpPoint', method: 'POST', path: '/v1/help-points', entry: 'functions/api/directory.ts',
    access: [], description: 'Adds a help point and answers its api_key, once.',
  },
  {
    id: 'UpdateHelpPoint', method: 'PUT', path: '/v1/help-points/{helpPointId}', entry: 'functions/api/directory.ts',
    access: [], description: 'Replaces a help point (its key stays).',
  },
  {
    id: 'RotateHelpPointKey', method: 'POST', path: '/v1/help-points/{helpPointId}/rotate-key', entry: 'functions/api/directory.ts',
    access: [], description: 'Issues a help point a new api_key; the old one stops working at once.',
  },
  {
    id: 'RevokeHelpPointKey', method: 'POST', path: '/v1/help-points/{helpPointId}/revoke-key', entry: 'functions/api/directory.ts',
    access: [], description: "Revokes a help point's api_key: none works until a new one is issued.",
  },
  {
    id: 'ListDevices', method: 'GET', path: '/v1/devices', entry: 'functions/api/directory.ts',
    access: ['coordinator'], description: 'The registered devices (drones, cameras, gateways, feeds), without their secrets.',
  },
  {
    id: 'CreateDevice', method: 'POST', path: '/v1/devices', entry: 'functions/api/directory.ts',
    access: [], description: 'Registers a device and answers its client credentials, once.',
  },
  {
    id: 'UpdateDevice', method: 'PUT', path: '/v1/devices/{deviceId}', entry: 'functions/api/directory.ts',
    access: [], description: "Replaces a device's name, station and owner.",
  },
  {
    id: 'RotateDeviceSecret', method: 'POST', path: '/v1/devices/{deviceId}/rotate-secret', entry: 'functions/api/directory.ts',
    access: [], description: 'Issues a device new client credentials; the old ones stop working at once.',
  },
  {
    id: 'RevokeDevice', method: 'POST', path: '/v1/devices/{deviceId}/revoke', entry: 'functions/api/directory.ts',
    access: [], description: 'Takes a device out of service: its tokens are refused from its next call.',
  },
  {
    id: 'ListMembers', method: 'GET', path: '/v1/members', entry: 'functions/api/directory.ts',
    access: ['coordinator'], description: 'The members invited through the API, with their group and team or station.',
  },
  {
    id: 'InviteMember', method: 'POST', path: '/v1/members', entry: 'functions/api/directory.ts',
    access: [], description: 'Invites a member into the user pool, their group and team or station set by the server.',
  },
  {
    id: 'DisableMember', method: 'POST', path: '/v1/members/{username}/disable', entry: 'functions/api/directory.ts',
    access: [], description: 'Disables a member and signs their sessions out.',
  },
  {
    id: 'ImportDirectory', method: 'POST', path: '/v1/directory/import', entry: 'functions/api/directory.ts',
    access: [], description: 'Imports stations, teams, help points or hot spots from CSV or GeoJSON, all checked before any is stored.',
  },
  {
    id: 'ListDirectoryChanges', method: 'GET', path: '/v1/directory/changes', entry: 'functions/api/directory.ts',
    access: ['coordinator'], description: "The directory's audit trail: who changed which station, team or help point, and when.",
  },
  {
    id: 'GetCaseAccessLog', method: 'GET', path: '/v1/cases/{caseId}/access-log', entry: 'functions/api/get-case-access-log.ts',
    access: ['coordinator'], description: "Who read a case's detail, was issued its photo URLs or exported it, and when: newest first, append-only.",
  },
  {
    id: 'ListCaseDetections', method: 'GET', path: '/v1/cases/{caseId}/detections', entry: 'functions/api/list-case-detections.ts',
    access: ['patrol', 'station', 'coordinator'], description: "A case's detections, newest first, paged: its detail holds only the latest.",
  },
  {
    id: 'RecordExport', method: 'POST', path: '/v1/exports', entry: 'functions/api/record-export.ts',
    access: ['coordinator'], idempotent: true,
    description: 'An export of cases (the wall\'s CSV or GeoJSON), recorded in the access log of every case it holds before it is made.',
  },
  {
    // Admins only (an empty list: admins may call every route).
    id: 'EraseCase', method: 'POST', path: '/v1/cases/{caseId}/erasure', entry: 'functions/api/erase-case.ts',
    access: [], description: "Erases a case's personal data on request (people, notes, photos, reporters), keeping its figures.",
  },
  {
    id: 'CreateHotSpot', method: 'POST', path: '/v1/hot-spots', entry: 'functions/api/hot-spots.ts',
    access: ['coordinator'], idempotent: true, description: 'Registers a hot spot: a known place the patrols must check.',
  },
  {
    id: 'ListHotSpots', method: 'GET', path: '/v1/hot-spots', entry: 'functions/api/hot-spots.ts',
    access: SIGNED_IN_PEOPLE, description: 'Every hot spot, as JSON or GeoJSON.',
  },
  {
    id: 'ImportHotSpots', method: 'POST', path: '/v1/hot-spots/import', entry: 'functions/api/hot-spots.ts',
    access: ['coordinator'], description: 'Creates or replaces hot spots from a GeoJSON FeatureCollection.',
  },
  {
    id: 'UpdateHotSpot', method: 'PUT', path: '/v1/hot-spots/{hotSpotId}', entry: 'functions/api/hot-spots.ts',
    access: ['coordinator'], description: 'Replaces a hot spot.',
  },
  {
    id: 'DeleteHotSpot', method: 'DELETE', path: '/v1/hot-spots/{hotSpotId}', entry: 'functions/api/hot-spots.ts',
    access: ['coordinator'], description: 'Removes a hot spot.',
  },
  {
    id: 'CreateHotSpotCheck', method: 'POST', path: '/v1/hot-spots/{hotSpotId}/checks', entry: 'functions/api/hot-spot-checks.ts',
    access: ['patrol'], idempotent: true, description: 'A team checks in at a hot spot (拍照打卡), reporting people found there.',
  },
  {
    id: 'ListHotSpotChecks', method: 'GET', path: '/v1/hot-spots/{hotSpotId}/checks', entry: 'functions/api/hot-spot-checks.ts',
    access: ['station', 'coordinator'], description: "A hot spot's check-ins of a night, with their photos.",
  },
  {
    id: 'CreatePositions', method: 'POST', path: '/v1/positions', entry: 'functions/api/create-positions.ts',
    access: ['patrol'], idempotent: true, description: "A batch of the caller's team's positions while on shift.",
  },
  {
    id: 'GetCoverage', method: 'GET', path: '/v1/coverage', entry: 'functions/api/get-coverage.ts',
    access: ['station', 'coordinator'], description: "A night's hot spots checked against their targets.",
  },
  {
    id: 'CreateWarning', method: 'POST', path: '/v1/warnings', entry: 'functions/api/warnings.ts',
    deviceScope: 'warnings:write', access: ['coordinator', 'device'], idempotent: true, description: 'A weather warning, as CAP 1.2 XML.',
  },
  {
    id: 'ListWarnings', method: 'GET', path: '/v1/warnings', entry: 'functions/api/warnings.ts',
    access: SIGNED_IN_PEOPLE, description: 'The weather warnings, or those in force now.',
  },
  {
    id: 'GetDailyReport', method: 'GET', path: '/v1/reports/daily', entry: 'functions/api/get-daily-report.ts',
    access: ['station', 'coordinator'], description: "The night's report (日报): as PDF, CSV or JSON by the Accept header.",
  },
  {
    id: 'ListSupplies', method: 'GET', path: '/v1/supplies', entry: 'functions/api/supplies.ts',
    access: ['station', 'coordinator'], description: "The stations' supplies against what they should hold tonight.",
  },
  {
    id: 'CountSupplies', method: 'PUT', path: '/v1/supplies/{stationId}', entry: 'functions/api/supplies.ts',
    access: ['station', 'coordinator'], description: 'A station counts its stock of supplies.',
  },  {
    id: 'CreatePerson', method: 'POST', path: '/v1/people', entry: 'functions/api/people.ts',
    access: ['patrol', 'station'], idempotent: true, description: "Opens a person's file (一人一档).",
  },
  {
    id: 'ListPeople', method: 'GET', path: '/v1/people', entry: 'functions/api/people.ts',
    access: ['station', 'coordinator'], description: 'The people of a station (in it now, with inStation=true).',
  },
  {
    id: 'GetPerson', method: 'GET', path: '/v1/people/{personId}', entry: 'functions/api/people.ts',
    access: ['station', 'coordinator'], description: "A person's file: details, encounters, care, family search.",
  },
  {
    id: 'TakePersonAction', method: 'POST', path: '/v1/people/{personId}/actions', entry: 'functions/api/people.ts',
    access: ['station', 'coordinator'], description: 'Grade, care, checks, referrals, DNA, discharge, follow-ups, links, merges, erasure.',
  },
  {
    id: 'PublishFamilySearchNotice', method: 'POST', path: '/v1/people/{personId}/family-search-notice', entry: 'functions/api/people.ts',
    access: ['station'], description: 'Publishes the family-search notice (寻亲公告).',
  },
  {
    id: 'GetFamilySearchNotice', method: 'GET', path: '/v1/people/{personId}/family-search-notice', entry: 'functions/api/people.ts',
    access: ['station', 'coordinator'], description: 'The family-search notice, as JSON or a printable PDF.',
  },
  {
    id: 'GetPersonAccessLog', method: 'GET', path: '/v1/people/{personId}/access-log', entry: 'functions/api/people.ts',
    access: ['coordinator'], description: "Who read a person's file.",
  },

  // New routes go above this line (and their grants in infra/stateless-stack.ts, routeGrants).
] as const satisfies readonly RouteSpec[];

export type RouteId = (typeof ROUTES)[number]['id'];

export function route(id: RouteId): RouteSpec {
  return ROUTES.find((r) => r.id === id)!;
}
