import * as z from 'zod';
import { cognitoClient } from '#shared/adapters/aws-clients';
import { cityDistrictAreas } from '#shared/adapters/city-districts';
import { CognitoDeviceClients } from '#shared/adapters/device-clients';
import { CognitoMemberInvitations } from '#shared/adapters/member-pool';
import {
  DeviceInput, DeviceReplacement, DirectoryChangeQuery, DirectoryImportQuery, IMPORT_MEDIA_TYPES, MemberInput, DirectoryParams, HelpPointInput, HelpPointReplacement, StationInput, StationReplacement, TeamInput, TeamReplacement,
} from '#shared/contract/directory';
import { apiHandler, apiRoutes } from '#shared/http/api-handler';
import { settings } from '#shared/settings';
import { tableDependencies } from '#shared/use-cases/dependencies';
import { importDirectory } from '#shared/use-cases/directory-import';
import {
  createDevice, createHelpPoint, disableMember, inviteMember, listMembers, createStation, createTeam, getTeam, listDevices, listDirectoryChanges, listHelpPoints, listStations,
  replaceDevice, replaceHelpPoint, replaceStation, replaceTeam, revokeDevice, revokeHelpPointKey, rotateDeviceSecret, rotateHelpPointKey,
} from '#shared/use-cases/directory-admin';

/** The directory's stores, and the city's district boundaries for stations that name their districts. */
const deps = { ...tableDependencies(), districtAreas: cityDistrictAreas };
/** Devices' app clients, in the members' user pool (grants.deviceClients sets both variables). */
const deviceDeps = () => ({ ...deps, deviceClients: new CognitoDeviceClients(cognitoClient(), settings.userPoolId, settings.deviceTokenUrl) });
const memberDeps = () => ({ ...deps, invitations: new CognitoMemberInvitations(cognitoClient(), settings.userPoolId) });
/** A secret is in this answer only: no cache may keep it. */
const secret = { 'cache-control': 'no-store' };

const created = (result: { statusCode: number; body: unknown; replayed: boolean }, location: string) => ({
  statusCode: result.statusCode, body: result.body, headers: { location, ...(result.replayed ? { 'idempotency-replayed': 'true' } : {}) },
});

export const handler = apiRoutes({
  ListStations: apiHandler('ListStations', {}, async () => ({ statusCode: 200, body: await listStations(deps) })),
  CreateStation: apiHandler('CreateStation', { body: StationInput }, async ({ body, actor, idempotency }) => {
    const result = await createStation(deps, { request: body, actor, ...(idempotency ? { idempotency } : {}) });
    return created(result, `/v1/stations/${result.body.stationId}`);
  }),
  UpdateStation: apiHandler('UpdateStation', { params: DirectoryParams.station, body: StationReplacement }, async ({ params, body, actor }) =>
    ({ statusCode: 200, body: await replaceStation(deps, { stationId: params.stationId, request: body, actor }) })),
  CreateTeam: apiHandler('CreateTeam', { body: TeamInput }, async ({ body, actor, idempotency }) => {
    const result = await createTeam(deps, { request: body, actor, ...(idempotency ? { idempotency } : {}) });
    return created(result, `/v1/teams/${result.body.teamId}`);
  }),
  GetTeam: apiHandler('GetTeam', { params: DirectoryParams.team }, async ({ params }) => ({ statusCode: 200, body: await getTeam(deps, params.teamId) })),
  UpdateTeam: apiHandler('UpdateTeam', { params: DirectoryParams.team, body: TeamReplacement }, async ({ params, body, actor }) =>
    ({ statusCode: 200, body: await replaceTeam(deps, { teamId: params.teamId, request: body, actor }) })),
  ListHelpPoints: apiHandler('ListHelpPoints', {}, async () => ({ statusCode: 200, body: await listHelpPoints(deps) })),
  CreateHelpPoint: apiHandler('CreateHelpPoint', { body: HelpPointInput }, async ({ body, actor }) => {
    const helpPoint = await createHelpPoint(deps, { request: body, actor });
    // The key is in this answer only: no cache may keep it.
    return { statusCode: 201, body: helpPoint, headers: { location: `/v1/help-points/${helpPoint.helpPointId}`, 'cache-control': 'no-store' } };
  }),
  UpdateHelpPoint: apiHandler('UpdateHelpPoint', { params: DirectoryParams.helpPoint, body: HelpPointReplacement }, async ({ params, body, actor }) =>
    ({ statusCode: 200, body: await replaceHelpPoint(deps, { helpPointId: params.helpPointId, request: body, actor }) })),
  RotateHelpPointKey: apiHandler('RotateHelpPointKey', { params: DirectoryParams.helpPoint }, async ({ params, actor }) =>
    ({ statusCode: 200, body: await rotateHelpPointKey(deps, { helpPointId: params.helpPointId, actor }), headers: { 'cache-control': 'no-store' } })),
  RevokeHelpPointKey: apiHandler('RevokeHelpPointKey', { params: DirectoryParams.helpPoint }, async ({ params, actor }) =>
    ({ statusCode: 200, body: await revokeHelpPointKey(deps, { helpPointId: params.helpPointId, actor }) })),
  ListDevices: apiHandler('ListDevices', {}, async () => ({ statusCode: 200, body: await listDevices(deps) })),
  CreateDevice: apiHandler('CreateDevice', { body: DeviceInput }, async ({ body, actor }) => {
    const device = await createDevice(deviceDeps(), { request: body, actor });
    return { statusCode: 201, body: device, headers: { location: `/v1/devices/${device.deviceId}`, ...secret } };
  }),
  UpdateDevice: apiHandler('UpdateDevice', { params: DirectoryParams.device, body: DeviceReplacement }, async ({ params, body, actor }) =>
    ({ statusCode: 200, body: await replaceDevice(deviceDeps(), { deviceId: params.deviceId, request: body, actor }) })),
  RotateDeviceSecret: apiHandler('RotateDeviceSecret', { params: DirectoryParams.device }, async ({ params, actor }) =>
    ({ statusCode: 200, body: await rotateDeviceSecret(deviceDeps(), { deviceId: params.deviceId, actor }), headers: secret })),
  RevokeDevice: apiHandler('RevokeDevice', { params: DirectoryParams.device }, async ({ params, actor }) =>
    ({ statusCode: 200, body: await revokeDevice(deviceDeps(), { deviceId: params.deviceId, actor }) })),
  ListMembers: apiHandler('ListMembers', {}, async () => ({ statusCode: 200, body: await listMembers(deps) })),
  InviteMember: apiHandler('InviteMember', { body: MemberInput }, async ({ body, actor }) => {
    const member = await inviteMember(memberDeps(), { request: body, actor });
    return { statusCode: 201, body: member, headers: { location: `/v1/members/${member.username}` } };
  }),
  DisableMember: apiHandler('DisableMember', { params: DirectoryParams.member }, async ({ params, actor }) =>
    ({ statusCode: 200, body: await disableMember(memberDeps(), { username: params.username, actor }) })),
  ImportDirectory: apiHandler('ImportDirectory', { body: z.string(), text: { mediaTypes: IMPORT_MEDIA_TYPES }, query: DirectoryImportQuery },
    async ({ body, query, actor, event }) => {
      const mediaType = (event.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const outcome = await importDirectory(deps, { kind: query.kind, dryRun: query.dryRun, mediaType, text: body, actor });
      // New help points' keys are in this answer only.
      return { statusCode: 200, body: outcome, headers: secret };
    }),
  ListDirectoryChanges: apiHandler('ListDirectoryChanges', { query: DirectoryChangeQuery }, async ({ query }) =>
    ({ statusCode: 200, body: await listDirectoryChanges(deps, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) }) })),
});
