import { readFileSync } from 'node:fs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { CreateSightingRequest } from '#shared/contract/schemas';
import type { Actor } from '#shared/domain/case';
import { DomainError } from '#shared/domain/errors';
import { markerKey } from '#shared/store/keys';
import { apiKeyHash, type HelpPoint, type HotSpot, type Station, type Team } from '#shared/store/directory-store';
import type { DeviceKind, PlaceType } from '#shared/contract/vocabulary';
import { cognitoClient } from '#shared/adapters/aws-clients';
import { CognitoDeviceClients } from '#shared/adapters/device-clients';
import { settings } from '#shared/settings';
import { createDevice } from '#shared/use-cases/directory-admin';
import { idempotencyScope, requestHash } from '#shared/store/idempotency-store';
import type { Dependencies } from '#shared/use-cases/dependencies';
import { reportSighting } from '#shared/use-cases/report-sighting';
import { hotSpotsAsGeoJson, importHotSpots } from '#shared/use-cases/campaign';
import { countSupplies } from '#shared/use-cases/supplies';
import { cellOf } from '#shared/domain/correlation';
import { followUpAfter, type PersonFile, regrade, unidentifiedNumber } from '#shared/domain/person-file';
import { createPerson } from '#shared/use-cases/people';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chatRobotPath } from './chat-robot';
import { HISTORY_NIGHTS, loadDemoHistory } from './demo-history';

/**
 * The demo's machines, registered as a city registers them (an app client each in the local mirror of the pool): the
 * drones over the river and the station square, the fixed cameras under the bridges and in the culverts, the city's
 * camera network (天网) and the observatory's feed. Their history and the simulator send as these ids.
 */
export const DEMO_DEVICES: { deviceId: string; name: string; kind: DeviceKind; owner?: string }[] = [
  { deviceId: 'drone-01', name: '赣江沿岸热成像无人机', kind: 'drone', owner: '南昌市救助管理站 无人机组' },
  { deviceId: 'drone-02', name: '南昌站片区热成像无人机', kind: 'drone', owner: '南昌市救助管理站 无人机组' },
  { deviceId: 'drone-03', name: '青云谱片区热成像无人机', kind: 'drone', owner: '南昌市救助管理站 无人机组' },
  ...[1, 2, 3, 4, 5].map((n) => ({ deviceId: `fixed-0${n}`, name: `固定热成像摄像头 ${n} 号`, kind: 'fixed_camera' as const, owner: '市城管局' })),
  { deviceId: 'tianwang-nc', name: '天网视频智能分析网关', kind: 'camera_gateway', owner: '市公安局' },
  { deviceId: 'weather-nc', name: '南昌市气象台数据接口', kind: 'weather_feed', owner: '南昌市气象台' },
];

/**
 * Registers the demo's devices the directory does not have (every start: a data directory from before devices were
 * registered gets them). Their secrets are not kept: the demo's history was written as them, and an admin reissues
 * credentials on the admin page for a real device to use.
 */
async function registerDemoDevices(deps: Dependencies): Promise<void> {
  const known = new Set((await deps.directory.list('device')).map((d) => d.deviceId));
  const admin: Actor = { sub: 'demo-setup', role: 'admin' };
  const clients = new CognitoDeviceClients(cognitoClient(), settings.userPoolId, settings.deviceTokenUrl);
  for (const device of DEMO_DEVICES.filter((d) => !known.has(d.deviceId))) {
    await createDevice({ ...deps, deviceClients: clients }, { request: { ...device, stationId: DEMO_STATIONS[0]!.stationId }, actor: admin });
  }
}

/** The demo's Open311 key, as the contract promises for local mode. */
export const DEMO_HELP_POINT_KEY = 'local-help-point';

/** A winter night in Nanchang (WGS-84), the city of the seed campaign 「冬春救助 情暖赣鄱」. */
export const DEMO_STATIONS: Station[] = [
  {
    stationId: 'station-nc', name: '南昌市救助管理站', location: { lat: 28.7012, lon: 115.9268 }, dutyOfficer: 'duty-nc', beds: 120,
    phone: '0791-8800 0000（演示号码）', address: '南昌市青山湖区（演示地址）', chief: 'chief-nc',
  },
];

export const DEMO_TEAMS: Team[] = [
  { teamId: 'team-01', name: '东湖区联合巡查一队', stationId: 'station-nc', location: { lat: 28.6851, lon: 115.9046 }, onDuty: true },
  { teamId: 'team-02', name: '西湖区联合巡查二队', stationId: 'station-nc', location: { lat: 28.6603, lon: 115.8798 }, onDuty: true },
  { teamId: 'team-03', name: '青山湖区联合巡查三队', stationId: 'station-nc', location: { lat: 28.6897, lon: 115.9495 }, onDuty: true },
  { teamId: 'team-04', name: '红谷滩联合巡查四队', stationId: 'station-nc', location: { lat: 28.6949, lon: 115.8452 }, onDuty: false },
];

export const DEMO_HELP_POINTS: HelpPoint[] = [{
  helpPointId: 'hp-bayi-square', name: '八一广场福彩便民点', location: { lat: 28.6747, lon: 115.9069 },
  apiKeyHash: apiKeyHash(DEMO_HELP_POINT_KEY), stationId: 'station-nc',
}];

/**
 * The demo city's known hot spots (nanchang-hot-spots.geojson), imported as a coordinator's GeoJSON would be
 * (`POST /v1/hot-spots/import`); the pages read them from the API. Bridges, culverts and underpasses are high
 * priority: checked twice a night.
 */
export const DEMO_HOT_SPOTS: HotSpot[] = (JSON.parse(readFileSync(new URL('./nanchang-hot-spots.geojson', import.meta.url), 'utf8')) as {
  features: { id: string; properties: { name: string; type: PlaceType; district?: string }; geometry: { coordinates: [number, number] } }[];
}).features.map((feature) => ({
  hotSpotId: feature.id, name: feature.properties.name, type: feature.properties.type,
  location: { lat: feature.geometry.coordinates[1], lon: feature.geometry.coordinates[0] }, radiusM: 50,
  priority: ['bridge', 'culvert', 'underpass'].includes(feature.properties.type) ? 'high' : 'normal',
  ...(feature.properties.district ? { district: feature.properties.district } : {}),
}));

const minutesAgo = (now: Date, minutes: number) =>
  new Date(now.getTime() - minutes * 60_000).toISOString().replace('Z', '+00:00');

function demoSightings(now: Date): { actor: Actor; body: unknown }[] {
  const patrol = (teamId: string): Actor => ({ sub: `demo-${teamId}-leader`, role: 'patrol', teamId });
  return [
    {
      actor: patrol('team-02'),
      body: {
        observedAt: minutesAgo(now, 42), location: { lat: 28.6829, lon: 115.8579, accuracyM: 12 },
        place: { type: 'bridge', name: '八一大桥北引桥下' },
        people: [{ ageGroup: 'elderly', sex: 'male', conditions: ['inadequate_clothing', 'ill'] }],
        note: '桥下睡觉，能应答，衣着单薄', teamId: 'team-02',
      },
    },
    {
      actor: patrol('team-03'),
      body: {
        observedAt: minutesAgo(now, 25), location: { lat: 28.6905, lon: 115.9461, accuracyM: 20 },
        place: { type: 'culvert', name: '青山湖排水涵洞' },
        people: [{ ageGroup: 'adult', sex: 'male', conditions: ['intoxicated'] }],
        note: '醉酒，拒绝交谈', teamId: 'team-03',
      },
    },
    {
      actor: patrol('team-01'),
      body: {
        observedAt: minutesAgo(now, 12), location: { lat: 28.6632, lon: 115.9187, accuracyM: 8 },
        place: { type: 'station_square', name: '南昌站东广场' },
        people: [{ ageGroup: 'adult', sex: 'female' }, { ageGroup: 'child', sex: 'male' }],
        note: '母子二人，候车室关门后滞留', teamId: 'team-01',
      },
    },
    {
      actor: { sub: 'demo-coordinator', role: 'coordinator' },
      body: {
        observedAt: minutesAgo(now, 5), location: { lat: 28.6981, lon: 115.8507, accuracyM: 30 },
        place: { type: 'construction_site', name: '红谷滩停工工地' },
        people: [{ ageGroup: 'unknown', sex: 'unknown' }],
        note: '市民电话反映工地内有人过夜',
      },
    },
  ];
}

/**
 * People with files (一人一档), beyond those the past nights' intakes opened (and their discharges: a reunion among
 * them): an old man who declined help under 八一大桥 on two earlier nights, whose file tonight's report there offers as
 * "possibly known"; and a man who walked into the station this evening, not identified, his family-search notice due.
 */
async function demoPeople(deps: Dependencies) {
  const now = deps.now();
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
  const station = DEMO_STATIONS[0]!;
  const duty: Actor = { sub: 'duty-nc', role: 'station', stationId: station.stationId };
  const bridge = { lat: 28.6831, lon: 115.8581 };
  const zhouId = 'per-DEMOZHOUDEHOU00000000ZD7H3';
  if (!(await deps.people.get(zhouId))) {
    const encounters = [6, 3].map((days) => ({ at: daysAgo(days), kind: 'declined_help' as const, location: bridge, teamId: 'team-02' }));
    const base: PersonFile = {
      personId: zhouId, number: unidentifiedNumber(zhouId, daysAgo(6)), identified: true, name: '周德厚', ageGroup: 'elderly', estimatedAge: 74, sex: 'male',
      dialect: '南昌话', features: '身高约165厘米，偏瘦，左眉有疤', clothing: '深蓝色旧棉袄，黑色毛线帽', conditions: ['ill'],
      createdAt: daysAgo(6), createdBy: duty, updatedAt: daysAgo(3), stations: [station.stationId], encounters,
      grade: { level: 'green', reasons: [], set: 'rules', at: daysAgo(6) }, stays: 0, familySearch: { status: 'not_needed' },
      followUps: [{ at: daysAgo(2), by: 'demo-team-02-leader', outcome: 'seen_needs_help', note: '仍在桥下，有糖尿病，只说南昌话；已送棉被' }],
      photos: [], workflowGeneration: 1, version: 1,
    };
    const grade = regrade(base, now);
    const zhou: PersonFile = { ...base, grade, followUp: followUpAfter(grade.level, 'declined_help', daysAgo(2), 2, deps.personRules, deps.timeScale) };
    await deps.people.create(zhou, [deps.people.nearWrite(cellOf(bridge), zhouId, daysAgo(3))]);
    await deps.personWorkflow.start(zhouId, zhou.workflowGeneration);
  }
  await createPerson(deps, {
    personId: 'per-DEMOWALKIN00000000000QH7K2', actor: duty,
    principal: { sub: duty.sub, roles: ['station'], stationId: station.stationId },
    request: {
      identified: false, ageGroup: 'adult', estimatedAge: 45, sex: 'male', dialect: '赣南口音', features: '身高约172厘米，寸头，右手背有烫伤疤痕',
      clothing: '黑色羽绒服，灰色运动裤', conditions: ['inadequate_clothing'],
    },
  });
}

/**
 * The demo team whose chat group has a robot, served by the local runtime (GET it to read the alerts that arrived);
 * the other teams are told through the SNS topic, which locally means the outbox (the case's notifications).
 */
export const DEMO_CHAT_ROBOT_TEAM = 'team-02';

/** Points the demo team's robot at this start's API: the port may differ from the start that loaded the demo. */
async function connectDemoChatRobot(deps: Dependencies, localUrl: string) {
  const team = await deps.directory.get('team', DEMO_CHAT_ROBOT_TEAM);
  if (team) await deps.directory.put('team', { ...team, notify: { channel: 'webhook', url: `${localUrl}${chatRobotPath(DEMO_CHAT_ROBOT_TEAM)}` } });
}

/** What a first start loaded, in words for its log line. */
export interface DemoLoaded {
  summary: string;
}

/**
 * Loads the demo once per data directory: the station, its teams, a help point, the campaign's past nights (closed
 * cases, see demo-history.ts) and a few cases tonight reported through the same use case the API calls (so their
 * workflows run). Idempotency keys make a crash halfway harmless. The past goes in first, so tonight's reports are the
 * latest entries of the live feed.
 */
export async function loadDemoOnce(db: DynamoDBDocumentClient, tableName: string, deps: Dependencies, localUrl: string): Promise<DemoLoaded | false> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: markerKey('demo') }));
  // Written on every start: a data directory from before the directory kept hot spots gets them.
  await importHotSpots(deps, hotSpotsAsGeoJson(DEMO_HOT_SPOTS));
  if (Item) {
    await registerDemoDevices(deps);
    // Help points stored before they had api_key items get theirs, with whatever key they have now.
    for (const helpPoint of await deps.directory.list('help_point')) await deps.directory.putHelpPoint(helpPoint);
    await connectDemoChatRobot(deps, localUrl);
    return false;
  }
  for (const station of DEMO_STATIONS) await deps.directory.put('station', station);
  for (const team of DEMO_TEAMS) await deps.directory.put('team', team);
  await registerDemoDevices(deps);
  await connectDemoChatRobot(deps, localUrl);
  for (const helpPoint of DEMO_HELP_POINTS) await deps.directory.putHelpPoint(helpPoint);
  // The station's store room, counted this evening: enough for a mild night, short in a cold wave.
  await countSupplies(deps, {
    stationId: DEMO_STATIONS[0]!.stationId, stock: { quilts: 34, cotton_coats: 26, hot_meals: 48, medicine_kits: 14 },
    actor: { sub: 'demo-station-duty', role: 'station', stationId: DEMO_STATIONS[0]!.stationId }, roles: ['station'],
  });
  const tonight = demoSightings(deps.now());
  const history = await loadDemoHistory(db, tableName, deps, {
    helpPoint: DEMO_HELP_POINTS[0]!,
    stationId: DEMO_STATIONS[0]!.stationId,
    keepAwayFrom: [...tonight.map(({ body }) => CreateSightingRequest.parse(body).location), ...DEMO_HELP_POINTS.map((h) => h.location)],
  });
  for (const [index, { actor, body }] of tonight.entries()) {
    const request = CreateSightingRequest.parse(body);
    try {
      await reportSighting(deps, {
        request, actor,
        idempotency: { scope: idempotencyScope('CreateSighting', actor.sub, `demo-${index}`), hash: requestHash(body) },
      });
    } catch (error) {
      // A start that crashed after this report: its times were "minutes ago" then, so the key's body differs now.
      if (!(error instanceof DomainError && error.kind === 'conflict')) throw error;
    }
  }
  await demoPeople(deps);
  try {
    await db.send(new PutCommand({
      TableName: tableName, Item: { ...markerKey('demo'), loadedAt: deps.now().toISOString() }, ConditionExpression: 'attribute_not_exists(pk)',
    }));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  return {
    summary: `${DEMO_STATIONS.length} station, ${DEMO_TEAMS.length} teams, ${DEMO_HELP_POINTS.length} help point, ${DEMO_HOT_SPOTS.length} hot spots, `
      + `${tonight.length} cases tonight and ${history.cases} cases from the last ${HISTORY_NIGHTS} nights, `
      + 'people with files (one who declined help near 八一大桥 on earlier nights, one unidentified walk-in with a notice due)',
  };
}
