import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseWorkflow } from '#shared/adapters/case-workflow';
import type { Notifier } from '#shared/adapters/notifier';
import { CreateServiceRequestInput } from '#shared/contract/open311';
import { CaseAction, CreateSightingRequest } from '#shared/contract/schemas';
import type { DetectionSource, Outcome, PlaceType, Role } from '#shared/contract/vocabulary';
import type { Actor, Case } from '#shared/domain/case';
import { phaseOf } from '#shared/domain/disposal';
import { distanceM } from '#shared/domain/geo';
import { nightStart as startOfNight, shanghaiIso } from '#shared/domain/shanghai-clock';
import { type CaseChange, CaseStore } from '#shared/store/case-store';
import { DirectoryStore, type HelpPoint } from '#shared/store/directory-store';
import { IdempotencyStore, type IdempotencyRecord, idempotencyScope, requestHash } from '#shared/store/idempotency-store';
import { idempotencyKey } from '#shared/store/keys';
import { Open311RequestStore } from '#shared/store/open311-request-store';
import { takeCaseAction } from '#shared/use-cases/case-actions';
import {
  alertCase, chaseOverdue, disposeCase, escalateCase, revisitCase, triageCase,
} from '#shared/use-cases/case-workflow-steps';
import type { Dependencies } from '#shared/use-cases/dependencies';
import { deliverNotification } from '#shared/use-cases/deliver-notification';
import { ingestDetections } from '#shared/use-cases/ingest-detections';
import { submitServiceRequest } from '#shared/use-cases/open311';
import { reportSighting } from '#shared/use-cases/report-sighting';
import { FALSE_POSITIVES, HOT_SPOTS, seededRandom } from './demo-city';

/**
 * The demo's past: the seven nights (18:00–06:00 Asia/Shanghai) before the current one, 6–14 cases a night, all
 * closed by now. Every report, action and workflow step goes through the product's own use cases on a clock set to
 * the moment it happened, so the cases, timelines, counters and notifications are what the product writes. The case
 * workflow does not run for them: this module takes the steps the state machine would have taken, at the times it
 * would have taken them, and messages are recorded as delivered without being sent.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const HISTORY_NIGHTS = 7;
/** Cases of the history driven at once: different places, so they seldom touch the same place cells. */
const CASES_IN_FLIGHT = 12;

interface Point { lat: number; lon: number }
type Random = ReturnType<typeof seededRandom>;
interface TableRef { db: DynamoDBDocumentClient; name: string }

export interface HistoryNight {
  /** The night's date in Shanghai (the evening it began), e.g. 2026-01-11. */
  date: string;
  /** 18:00 Shanghai, as epoch milliseconds. */
  start: number;
}

/**
 * The seven nights before the current one. The current night is the one that began at the latest 18:00 (Shanghai)
 * at or before now, so the newest history night ended at least 12 hours ago, and whatever followed it (a discharge
 * the next morning, before noon) lies at least 6 hours in the past.
 */
export function historyNights(now: Date): HistoryNight[] {
  const tonight = startOfNight(now.getTime());
  return Array.from({ length: HISTORY_NIGHTS }, (_, i) => {
    const start = tonight - (HISTORY_NIGHTS - i) * DAY;
    return { date: shanghaiIso(start).slice(0, 10), start };
  });
}

// ─── Places ─────────────────────────────────────────────────────────────────────────────────────────────────────

interface HistoryPlace extends Point {
  name: string;
  type: PlaceType;
  /** The patrol team of the spot (team-04 is off duty in the demo: its spots go to team-02). */
  team: string;
  /** Who watches the spot: its drone, fixed thermal camera, or the camera network's AI. */
  watchers: { deviceId: string; source: DetectionSource }[];
}

const offset = (p: Point, northM: number, eastM: number): Point => ({
  lat: +(p.lat + northM / 111_320).toFixed(7),
  lon: +(p.lon + eastM / (111_320 * Math.cos((p.lat * Math.PI) / 180))).toFixed(7),
});

/**
 * Places around the simulation's hot spots, a little way off (3.5 correlation radii), each well clear of every place
 * tonight's reports come from (the hot spots, the warm false positives, the demo's own cases and its help point) and
 * of each other. A report resolved within `relinkHours` (72) reopens the case of its place, so a past case exactly on
 * a hot spot would be reopened by tonight's first report there; out here nothing tonight comes near them.
 */
function historyPlaces(radiusM: number, keepAwayFrom: readonly Point[]): HistoryPlace[] {
  const live: Point[] = [...HOT_SPOTS, ...FALSE_POSITIVES, ...keepAwayFrom];
  const places: HistoryPlace[] = [];
  for (const spot of HOT_SPOTS) {
    for (let bearing = 0; bearing < 8; bearing += 1) {
      const angle = (bearing * Math.PI) / 4;
      const at = offset(spot, 3.5 * radiusM * Math.cos(angle), 3.5 * radiusM * Math.sin(angle));
      if (live.some((p) => distanceM(p, at) < 3 * radiusM) || places.some((p) => distanceM(p, at) < 2 * radiusM)) continue;
      places.push({
        ...at, name: spot.name, type: spot.type, team: spot.team === 'team-04' ? 'team-02' : spot.team,
        watchers: [
          { deviceId: spot.drone, source: 'drone_thermal' },
          ...(spot.fixedCam ? [{ deviceId: spot.fixedCam, source: 'fixed_thermal' as const }] : []),
          ...(spot.cameraAi ? [{ deviceId: 'tianwang-nc', source: 'camera_ai' as const }] : []),
        ],
      });
    }
  }
  return places;
}

/**
 * Nights less than this many days apart never share a place, so a past case is never reopened by a later night's
 * report (72 h relink window, plus the night itself).
 */
const PLACE_GROUPS = 5;

// ─── The plan: who was where, who reported it, what the teams did ──────────────────────────────────────────────

type Lead = 'patrol' | 'public' | 'coordinator' | 'machine' | 'weak_machine';

interface PersonSeen { ageGroup: string; sex: string; conditions: string[] }

/** One visit to the place: the first, a revisit of someone who declined help, or a second search. */
interface Visit {
  outcome: Outcome;
  /** Escalations before someone acknowledges (0 or 1; none for a yellow or blue alert). */
  escalations: number;
  /** Share of the acknowledgement window (at most 20 minutes of it) that passes before the acknowledgement. */
  ackShare: number;
  arriveMinutes: number;
  resolveMinutes: number;
}

interface HistoryCase {
  /** Stable across loads of the same night: the idempotency keys and detection ids are built from it. */
  key: string;
  openAt: number;
  place: HistoryPlace;
  lead: Lead;
  /** The device of a machine lead, or of the frames that join a person's report. */
  device: { deviceId: string; source: DetectionSource };
  people: PersonSeen[];
  /** Frames of a drone or camera that join the case after the alert. */
  joiningFrames: number;
  /** The team on the scene reports who it found (machine, public and coordinator leads). */
  arrivalSighting: boolean;
  visits: Visit[];
  /** Minutes after opening that the duty officer dismisses a weak machine lead. */
  dismissMinutes: number;
  intakeMinutes: number;
  /** When someone taken in is discharged: the next morning. */
  dischargeAt: number;
  nightStart: number;
}

/** FNV-1a: a night's date becomes its seed, so the same night is planned the same way whenever it is loaded. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash;
}

const weighted = <T extends string>(random: Random, weights: Record<T, number>): T => {
  const entries = Object.entries(weights) as [T, number][];
  let roll = random.next() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, w] of entries) {
    roll -= w;
    if (roll < 0) return value;
  }
  return entries.at(-1)![0];
};

function person(random: Random, inGroup: boolean): PersonSeen {
  const ageGroup = inGroup && random.chance(0.3) ? 'child' : random.pick(['adult', 'adult', 'elderly', 'elderly', 'unknown']);
  const conditions = ['inadequate_clothing', 'ill', 'intoxicated', 'mental_distress', 'injured', 'disabled']
    .filter((c) => random.chance(c === 'inadequate_clothing' ? 0.45 : 0.15));
  return { ageGroup, sex: random.pick(['male', 'male', 'male', 'female', 'unknown']), conditions };
}

const visit = (random: Random, outcome: Outcome): Visit => ({
  outcome,
  escalations: random.chance(0.15) ? 1 : 0,
  ackShare: random.uniform(0.2, 0.9),
  // Most teams are there within 20 minutes; a few take up to 40.
  arriveMinutes: Math.round(10 + 30 * random.next() ** 2),
  resolveMinutes: Math.round(random.uniform(5, 30)),
});

function planCase(random: Random, key: string, openAt: number, place: HistoryPlace, nightStart: number): HistoryCase {
  const lead = weighted<Lead>(random, { patrol: 45, machine: 30, public: 10, coordinator: 10, weak_machine: 5 });
  const device = random.pick(place.watchers);
  const group = random.chance(0.15);
  const people = [person(random, false), ...(group ? [person(random, true)] : [])];
  // Revisits are two hours apart when the air temperature is unknown (frames carry it; above 0 °C it is four hours):
  // only a person's report of the evening leaves time for three before morning.
  const revisitable = openAt - nightStart < 5 * HOUR && (lead === 'patrol' || lead === 'public' || lead === 'coordinator');
  const outcome = weighted<Outcome>(random, {
    escorted_to_station: 30, declined_help: revisitable ? 16 : 0, reunited_with_family: 10, medical_handover: 12,
    referred_to_police: 8, not_found: 10, false_alarm: lead === 'machine' ? 30 : 0,
  });
  let outcomes: Outcome[] = [outcome];
  if (outcome === 'declined_help') {
    // Visited again up to the limit (3): some accept on a later visit.
    outcomes = random.chance(0.5) ? ['declined_help', 'declined_help', 'declined_help', 'declined_help'] : ['declined_help', 'declined_help', 'escorted_to_station'];
  } else if (outcome === 'not_found') {
    outcomes = random.chance(0.7) ? ['not_found', 'not_found'] : ['not_found', 'escorted_to_station'];
  }
  const nextMorning = nightStart + DAY - 18 * HOUR;
  return {
    key, openAt, place, lead, device, people,
    // Frames joining a person's report carry the air temperature, which sets when a revisit is due: not for those.
    joiningFrames: lead !== 'machine' && lead !== 'weak_machine' && outcome !== 'declined_help' && random.chance(0.4) ? random.int(2, 5) : 0,
    arrivalSighting: (lead === 'machine' || lead === 'public' || lead === 'coordinator') && outcome !== 'false_alarm',
    visits: outcomes.map((o) => visit(random, o)),
    dismissMinutes: random.uniform(6, 25),
    intakeMinutes: random.uniform(20, 60),
    dischargeAt: nextMorning + random.uniform(8.5, 11.5) * HOUR,
    nightStart,
  };
}

/**
 * A night's cases: 6–14, at least six of them before midnight so that each calendar day of the campaign chart has
 * six or more (the small hours count on the next day).
 */
function planNight(night: HistoryNight, places: HistoryPlace[]): HistoryCase[] {
  const random = seededRandom(seedOf(`demo-history:${night.date}`));
  const total = random.int(6, 14);
  const afterMidnight = Math.min(total - 6, random.int(0, 4));
  const offsets = [
    ...Array.from({ length: total - afterMidnight }, () => random.uniform(0.4, 5.8)),
    ...Array.from({ length: afterMidnight }, () => random.uniform(6.2, 10.5)),
  ].sort((a, b) => a - b);
  const dayNumber = Math.round(night.start / DAY);
  const group = places.filter((_, i) => i % PLACE_GROUPS === dayNumber % PLACE_GROUPS);
  if (group.length < total) throw new Error(`demo history: ${group.length} places for ${total} cases on ${night.date}`);
  const chosen = random.shuffle([...group]).slice(0, total);
  return offsets.map((hours, i) => planCase(
    random, `${night.date}-${String(i + 1).padStart(2, '0')}`, night.start + Math.round(hours * HOUR / 1000) * 1000, chosen[i]!, night.start,
  ));
}

// ─── The past's own wiring ──────────────────────────────────────────────────────────────────────────────────────

/** The workflow of a past case is this module: nothing is started, and no wait is ever held. */
const PAST_WORKFLOW: CaseWorkflow = {
  async start() {},
  async describe() { return { state: 'missing' }; },
  async completeWait() { return 'gone'; },
};

/**
 * Idempotency records are written with the past clock, so they look expired the moment they are written and the
 * ordinary store would not find them. A history load interrupted and run again must find them: this store does.
 */
class LastingIdempotencyStore extends IdempotencyStore {
  constructor(private readonly docs: DynamoDBDocumentClient, private readonly table: string) {
    super(docs, table);
  }

  override async find(scope: string): Promise<IdempotencyRecord | undefined> {
    const { Item } = await this.docs.send(new GetCommand({ TableName: this.table, Key: idempotencyKey(scope), ConsistentRead: true }));
    return Item as IdempotencyRecord | undefined;
  }
}

/** The directory does not change while the past is loaded: read each list once, not at every step of every case. */
class DirectoryReadOnce extends DirectoryStore {
  private readonly read = new Map<string, Promise<unknown>>();

  override list<K extends Parameters<DirectoryStore['list']>[0]>(kind: K) {
    return this.once(`list:${kind}`, () => super.list(kind));
  }

  override get<K extends Parameters<DirectoryStore['get']>[0]>(kind: K, id: string) {
    return this.once(`get:${kind}:${id}`, () => super.get(kind, id));
  }

  private once<T>(key: string, read: () => Promise<T>): Promise<T> {
    if (!this.read.has(key)) this.read.set(key, read());
    return this.read.get(key) as Promise<T>;
  }
}

/**
 * Remembers each case as this load last changed it through `mutateCase` (every workflow step and action), so the
 * driver need not read it back after each of them. A report (`writeEvidence`) changes the case past it: the driver
 * forgets the case after reporting and reads it again.
 */
class RememberingCaseStore extends CaseStore {
  private readonly changed = new Map<string, Case>();

  override async mutateCase(caseId: string, decide: (current: Case) => CaseChange | null) {
    const result = await super.mutateCase(caseId, decide);
    if (result) this.changed.set(caseId, result.after);
    return result;
  }

  async current(caseId: string): Promise<Case | undefined> {
    return this.changed.get(caseId) ?? this.getCase(caseId);
  }

  forget(caseId: string) {
    this.changed.delete(caseId);
  }
}

type PastDependencies = Dependencies & { open311: Open311RequestStore; cases: RememberingCaseStore };

/**
 * One past case's dependencies: its own clock, no workflow executions, and a notifier that records each message as
 * delivered at that moment through the delivery use case, with channels that send nothing. (Left pending, last week's
 * messages would be dispatched again by the reconciler, for real.)
 */
function pastDependencies(live: Dependencies, shared: Pick<PastDependencies, 'idempotency' | 'open311' | 'directory'>, table: TableRef) {
  let clock = 0;
  const silent = { chatRobot: { async post() {} } };
  const deps: PastDependencies = {
    ...live,
    ...shared,
    cases: new RememberingCaseStore(table.db, table.name),
    workflow: PAST_WORKFLOW,
    channels: silent,
    // The past ran in real time, whatever time scale this run uses for its live workflows.
    timeScale: 1,
    now: () => new Date(clock),
    notifier: undefined as unknown as Notifier,
  };
  deps.notifier = {
    async dispatch(notifications) {
      for (const n of notifications) await deliverNotification(deps, { caseId: n.caseId, notificationId: n.notificationId });
    },
  };
  return { deps, setClock: (ms: number) => { clock = ms; } };
}

// ─── Driving one case as the workflow and the people would have ────────────────────────────────────────────────

type StaffActor = Actor & { role: Role };
const patrolOf = (teamId: string): StaffActor => ({ sub: `demo-${teamId}-leader`, role: 'patrol', teamId });
const dutyOfficer = (stationId: string): StaffActor => ({ sub: 'duty-nc', role: 'station', stationId });
const COORDINATOR: StaffActor = { sub: 'demo-coordinator', role: 'coordinator' };
const iso = (ms: number) => new Date(ms).toISOString();

/** Seconds between a change and the workflow step that follows it (a Lambda invocation away). */
const STEP_MS = 8_000;

const NOTES: Partial<Record<Outcome, string[]>> = {
  escorted_to_station: ['劝导后同意入站', '护送至救助站'],
  declined_help: ['拒绝入站，已发放棉被和热食', '不愿离开，留下救助站电话'],
  reunited_with_family: ['联系上家属，家属到场接回'],
  medical_handover: ['意识模糊，呼叫120'],
  referred_to_police: ['身份不明且情绪激动，移交派出所'],
  not_found: ['到场未发现人员'],
  false_alarm: ['现场为发热设备，无人员'],
};

interface CaseRun {
  deps: PastDependencies;
  setClock(ms: number): void;
  story: HistoryCase;
  helpPoint: HelpPoint;
  stationId: string;
}

/** The report that opened the case, in the story's words; answers the case it landed in. */
async function openCase(run: CaseRun): Promise<string> {
  const { deps, story } = run;
  run.setClock(story.openAt);
  const where = jittered(story, 'lead');
  switch (story.lead) {
    case 'patrol':
    case 'coordinator': {
      const patrol = story.lead === 'patrol';
      const actor = patrol ? patrolOf(story.place.team) : COORDINATOR;
      return sighting(run, actor, 'lead', {
        observedAt: iso(story.openAt - 2 * MINUTE), location: { ...where, accuracyM: 10 },
        place: { type: story.place.type, name: story.place.name },
        people: patrol ? story.people : [{ ageGroup: 'unknown' }],
        note: patrol ? '巡查发现，已上前询问' : '市民来电反映有人在此露宿',
        ...(patrol ? { teamId: story.place.team } : {}),
      });
    }
    case 'public': {
      const request = CreateServiceRequestInput.parse({
        service_code: 'person_in_need', lat: where.lat, long: where.lon, address_string: story.place.name,
        description: `${story.place.name}有人躺着，穿得很少，天太冷了`,
      });
      const { created } = await submitServiceRequest(deps, { helpPoint: run.helpPoint, request, idempotencyKey: `demo-history-${story.key}` });
      const record = await deps.open311.get(created.service_request_id);
      if (!record) throw new Error(`demo history ${story.key}: the Open311 request ${created.service_request_id} is not recorded`);
      return record.caseId;
    }
    case 'machine':
    case 'weak_machine':
      return frames(run, 'lead', 3 + (seedOf(story.key) % 4), story.lead === 'weak_machine');
  }
}

/** A few metres off the place, differently for each report of it. */
function jittered(story: HistoryCase, purpose: string): Point {
  const random = seededRandom(seedOf(`${story.key}:${purpose}`));
  return offset(story.place, random.gauss(3), random.gauss(3));
}

async function sighting(run: CaseRun, actor: Actor, purpose: string, body: Record<string, unknown>): Promise<string> {
  const { body: created } = await reportSighting(run.deps, {
    request: CreateSightingRequest.parse(body), actor,
    idempotency: { scope: idempotencyScope('CreateSighting', actor.sub, `demo-history-${run.story.key}-${purpose}`), hash: requestHash(body) },
  });
  return created.caseId;
}

/** A device's frames of the place, seconds apart; detection ids make a second load of them a duplicate. */
async function frames(run: CaseRun, purpose: string, count: number, weak: boolean): Promise<string> {
  const { deps, story } = run;
  const { deviceId, source } = story.device;
  const now = deps.now().getTime();
  const thermal = source !== 'camera_ai';
  const hours = (now - story.nightStart) / HOUR;
  const detections = Array.from({ length: count }, (_, i) => {
    const random = seededRandom(seedOf(`${story.key}:${purpose}:${i}`));
    return {
      detectionId: `hist-${story.key}-${purpose}-${i}`,
      observedAt: iso(now - (count - i) * 4_000 - MINUTE),
      location: { ...offset(story.place, random.gauss(3), random.gauss(3)), accuracyM: thermal ? 8 : 15 },
      confidence: Math.round((weak ? random.uniform(0.25, 0.45) : random.uniform(0.6, 0.94)) * 100) / 100,
      // The air cools through the night, from about 4 °C at dusk to -2 °C before dawn.
      ...(thermal ? { ambientTempC: Math.round((4 - hours / 2 + random.gauss(0.4)) * 10) / 10 } : {}),
      ...(thermal ? { surfaceTempC: Math.round((story.visits[0]!.outcome === 'false_alarm' || weak ? random.uniform(36, 44) : random.uniform(27, 32)) * 10) / 10 } : {}),
      ...(thermal ? {} : { label: '疑似露宿人员' }),
    };
  });
  const { body } = await ingestDetections(deps, { deviceId, source, detections, actor: { sub: deviceId, role: 'device', deviceId } });
  const caseId = body.results.find((r) => r.caseId)?.caseId;
  if (!caseId) throw new Error(`demo history ${story.key}: no detection landed: ${JSON.stringify(body.results)}`);
  return caseId;
}

/** A person's action, validated as the API validates it. */
async function act(run: CaseRun, caseId: string, actor: StaffActor, action: Record<string, unknown>) {
  await takeCaseAction(run.deps, { caseId, action: CaseAction.parse(action), actor, roles: [actor.role], gate: 'system' });
}

function resolution(run: CaseRun, c: Case, outcome: Outcome): Record<string, unknown> {
  const notes = NOTES[outcome] ?? [''];
  const note = notes[seedOf(`${run.story.key}:${c.revisitCount ?? 0}`) % notes.length];
  return {
    type: 'resolve', outcome, ...(note ? { note } : {}),
    ...(outcome === 'medical_handover' ? { handover: { to: '南昌市急救中心120急救车', place: run.story.place.name } } : {}),
    ...(outcome === 'declined_help' ? { handedOver: ['棉被', '热食', '救助站联系卡'] } : {}),
    ...(outcome === 'escorted_to_station' ? { stationId: run.stationId } : {}),
  };
}

/**
 * Takes the case from its opening report to `closed`, reading where it stands before each move, so a load interrupted
 * anywhere picks up from there: the workflow's own steps (triage, alert, escalate, chase, dispose, revisit) at the
 * times it would have run them, and the people's actions at the times of the story.
 */
async function driveCase(run: CaseRun): Promise<Case> {
  const { deps, story } = run;
  const caseId = await openCase(run);
  const sent = new Set<string>();
  for (let move = 0; move < 200; move += 1) {
    const c = (await deps.cases.current(caseId))!;
    const input = { caseId, generation: c.workflowGeneration };
    const phase = phaseOf(c, c.workflowGeneration);
    const visitIndex = (c.revisitCount ?? 0) + (c.searchCount ?? 0);
    const visit = story.visits[Math.min(visitIndex, story.visits.length - 1)]!;
    // Never before the case's last change: a step follows what caused it.
    const at = (ms: number) => run.setClock(Math.max(ms, Date.parse(c.updatedAt) + 1_000));
    const team = c.assignedTeamId ?? story.place.team;
    switch (phase) {
      case 'done':
        return c;
      case 'superseded':
        throw new Error(`demo history ${story.key}: case ${caseId} is driven by a newer generation`);
      case 'triage': {
        at(Date.parse(c.updatedAt) + STEP_MS);
        const state = await triageCase(deps, input);
        at(deps.now().getTime() + STEP_MS);
        if (state.status === 'open') await alertCase(deps, input);
        break;
      }
      case 'dispose':
        at(Date.parse(c.updatedAt) + STEP_MS);
        await disposeCase(deps, input);
        break;
      case 'await_verification':
        // The duty officer looks through the camera: a warm box, nobody there.
        at(Date.parse(c.openedAt) + story.dismissMinutes * MINUTE);
        await act(run, caseId, dutyOfficer(run.stationId),
          { type: 'resolve', outcome: 'false_alarm', note: '调看视频确认为发热设备，无人员' });
        break;
      case 'await_acknowledgement': {
        const alert = c.alert!;
        if (visitIndex === 0 && story.joiningFrames && !sent.has('frames')) {
          sent.add('frames');
          at(Date.parse(alert.alertedAt) + MINUTE);
          await frames(run, 'joining', story.joiningFrames, false);
          deps.cases.forget(caseId);
          break;
        }
        const deadline = Date.parse(alert.deadline);
        const alertedAt = Date.parse(alert.alertedAt);
        // A red or orange alert (5 or 15 minutes) may go unanswered until the deadline; a yellow or blue one has an
        // hour or more, and is answered long before.
        if (alert.rung < visit.escalations && deadline - alertedAt <= 15 * MINUTE) {
          at(deadline + 2_000);
          await escalateCase(deps, input);
          break;
        }
        at(alertedAt + Math.max(2 * MINUTE, visit.ackShare * Math.min(deadline - alertedAt, 20 * MINUTE)));
        if (alert.target.kind === 'team') {
          await act(run, caseId, patrolOf(alert.target.id), { type: 'acknowledge' });
        } else {
          // The station's duty officer (or the coordinator's call to it) sends the team of the place.
          await act(run, caseId, dutyOfficer(run.stationId), { type: 'acknowledge', teamId: story.place.team });
        }
        break;
      }
      case 'await_arrival': {
        // The arrival is due counting from the acknowledgement (a missed deadline moves `at`, not `since`).
        const arriveAt = Date.parse(c.due!.since) + visit.arriveMinutes * MINUTE;
        if (c.due && Date.parse(c.due.at) < arriveAt) {
          at(Date.parse(c.due.at) + 2_000);
          await chaseOverdue(deps, input);
          break;
        }
        at(arriveAt);
        await act(run, caseId, patrolOf(team), { type: 'arrive', location: { ...jittered(story, `arrive-${visitIndex}`), accuracyM: 8 } });
        break;
      }
      case 'await_outcome': {
        const arrivedAt = Date.parse(c.arrivedAt!);
        if (visitIndex === 0 && story.arrivalSighting && !sent.has('arrival')) {
          sent.add('arrival');
          at(arrivedAt + MINUTE);
          await sighting(run, patrolOf(team), 'arrival', {
            observedAt: iso(arrivedAt + MINUTE), location: { ...jittered(story, 'arrival'), accuracyM: 8 },
            place: { type: story.place.type, name: story.place.name }, people: story.people, note: '到场核实', teamId: team,
          });
          deps.cases.forget(caseId);
          break;
        }
        const resolveAt = arrivedAt + visit.resolveMinutes * MINUTE;
        if (c.due && Date.parse(c.due.at) < resolveAt) {
          at(Date.parse(c.due.at) + 2_000);
          await chaseOverdue(deps, input);
          break;
        }
        at(resolveAt);
        await act(run, caseId, patrolOf(team), resolution(run, c, visit.outcome));
        break;
      }
      case 'await_intake': {
        const intakeAt = Date.parse(c.resolvedAt!) + story.intakeMinutes * MINUTE;
        if (c.due && Date.parse(c.due.at) < intakeAt) {
          at(Date.parse(c.due.at) + 2_000);
          await chaseOverdue(deps, input);
          break;
        }
        at(intakeAt);
        await act(run, caseId, dutyOfficer(run.stationId), { type: 'intake', stationId: run.stationId, note: '登记入站，安排床位' });
        break;
      }
      case 'await_discharge':
        at(story.dischargeAt);
        await act(run, caseId, dutyOfficer(run.stationId),
          { type: 'discharge', reason: c.revisitCount ? '天亮后自愿离站，已告知求助方式' : '次日联系家属接回' });
        break;
      case 'await_revisit':
        at(Date.parse(c.due!.at));
        await revisitCase(deps, input);
        break;
    }
  }
  throw new Error(`demo history ${story.key}: case ${caseId} did not close`);
}

/**
 * A load cut short between a change and its message (or a delivery that failed) leaves the message pending: it is
 * delivered now, as at the moment it was written, or the reconciler would send last week's alert for real.
 */
async function deliverLeftovers(
  live: Dependencies, shared: Pick<PastDependencies, 'idempotency' | 'open311' | 'directory'>, table: TableRef, caseIds: Set<string>, before: number,
) {
  const { deps, setClock } = pastDependencies(live, shared, table);
  for await (const page of deps.notifications.pendingBefore(iso(before))) {
    for (const pending of page.filter((n) => caseIds.has(n.caseId))) {
      setClock(Date.parse(pending.createdAt));
      await deliverNotification(deps, pending);
    }
  }
}

// ─── Loading ────────────────────────────────────────────────────────────────────────────────────────────────────

export interface DemoHistoryOptions {
  helpPoint: HelpPoint;
  stationId: string;
  /** Where tonight's demo reports stand: past cases keep away from them. */
  keepAwayFrom: readonly Point[];
}

/** The cases of the seven nights before the current one, as planned for `now` (deterministic per night). */
export function planDemoHistory(now: Date, radiusM: number, keepAwayFrom: readonly Point[]): HistoryCase[] {
  const places = historyPlaces(radiusM, keepAwayFrom);
  return historyNights(now).flatMap((night) => planNight(night, places));
}

/**
 * Loads the history through the use cases. Run again (after a crash halfway, or twice), every report is found by
 * its idempotency key or detection id and every case carries on from where it stands, so nothing is added twice.
 * Answers how many cases the nights have, and their ids (each one closed: a case that does not close throws).
 */
export async function loadDemoHistory(
  db: DynamoDBDocumentClient, tableName: string, live: Dependencies, options: DemoHistoryOptions,
): Promise<{ cases: number; nights: number; caseIds: string[] }> {
  const stories = planDemoHistory(live.now(), live.correlation.radiusM, options.keepAwayFrom);
  const shared = {
    idempotency: new LastingIdempotencyStore(db, tableName), open311: new Open311RequestStore(db, tableName),
    directory: new DirectoryReadOnce(db, tableName),
  };
  const table = { db, name: tableName };
  const caseIds: string[] = [];
  for (let i = 0; i < stories.length; i += CASES_IN_FLIGHT) {
    // Settled, not raced: a failure stops the load with nothing of it still running.
    const closed = await Promise.allSettled(stories.slice(i, i + CASES_IN_FLIGHT).map((story) => {
      const { deps, setClock } = pastDependencies(live, shared, table);
      return driveCase({ deps, setClock, story, helpPoint: options.helpPoint, stationId: options.stationId });
    }));
    const failed = closed.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    caseIds.push(...closed.map((r) => (r as PromiseFulfilledResult<Case>).value.caseId));
  }
  await deliverLeftovers(live, shared, table, new Set(caseIds), live.now().getTime());
  return { cases: caseIds.length, nights: HISTORY_NIGHTS, caseIds };
}
