/**
 * `npm run bench:workflow`: the figures of the case workflow (issue 4).
 *
 *  (a) Sighting accepted → `alerted` on the timeline, over 500 sightings at distinct places spread over the demo city,
 *      8 in flight: median, 95th percentile and max in ms, and the rate of accepted sightings. Deadlines run at
 *      TIME_SCALE 1 here, as on a real night: during the minute or two of the flood nothing escalates and the
 *      reconciler passes at most once, whereas compressed deadlines would make every open case churn.
 *  (b) State transitions per case on the common paths, driven through the API as the phones would drive them, with
 *      deadlines compressed (TIME_SCALE 0.002) so that escalations, revisits and expiries come within seconds:
 *      (1) acknowledge → arrive → resolve reunited_with_family; (2) the same, acknowledged late after one escalation;
 *      (3) escorted_to_station → intake → discharge; (4) declined_help → revisits until the revisit limit;
 *      (5) an unverified machine lead that expires; (6) not_found twice (one more search, then closed).
 *      Each path waits for the status each action needs; a path the API cannot complete yet (a 409, a case that
 *      never reaches the status) is reported as incomplete with the reason, and the run goes on.
 *  (c) What that costs per 1,000 cases on Step Functions Standard, and the Lambda invocations per case.
 *
 * Each phase starts its own stack (in-memory DynamoDB Local, port 0) in a child process of its own, since the
 * handlers read TIME_SCALE once, when they are loaded. Nothing else is touched.
 *
 *   npm run bench:workflow                        # ~5 minutes on 2 idle cores; prints the figures, writes bench/results/workflow.json
 *   BENCH_TIME_SCALE=0.005 npm run bench:workflow    # the paths' deadlines × 0.005 instead of × 0.002
 *   BENCH_SIGHTINGS=200 BENCH_IN_FLIGHT=4 BENCH_PATH_RUNS=1 npm run bench:workflow
 *   BENCH_LOG=1 npm run bench:workflow            # the stacks' own logs on stderr too
 */
import '#local/quiet-sdk';
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_STATIONS, DEMO_TEAMS } from '#local/runtime/demo';
import { log, machine, median, percentile, round } from './figures';
import { LocalStack } from '#local/runtime/local-stack';
import type { ExecutionDescription } from '#local/stepfunctions/local-step-functions';
import { createDocumentClient } from '#shared/adapters/aws-clients';
import { settings } from '#shared/settings';
import { DirectoryStore } from '#shared/store/directory-store';

/** The paths' time scale; the alert latency is measured at ALERT_TIME_SCALE. */
const TIME_SCALE = Number(process.env.BENCH_TIME_SCALE ?? 0.002);
const ALERT_TIME_SCALE = Number(process.env.BENCH_ALERT_TIME_SCALE ?? 1);
const SIGHTINGS = Number(process.env.BENCH_SIGHTINGS ?? 500);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 8);
const PATH_RUNS = Number(process.env.BENCH_PATH_RUNS ?? 3);
/** Step Functions Standard, US East (N. Virginia) list price; the 4,000 free transitions a month are ignored. */
const USD_PER_1000_TRANSITIONS = 0.025;
const POLL_MS = 150;

const here = path.dirname(fileURLToPath(import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ─── The API as the phones use it ─────────────────────────────────────────────────────────────────────────────

type Json = any;
type TimelineEntry = { at: string; type: string; [key: string]: unknown };
type CaseDetail = {
  caseId: string; status: string; timeline: TimelineEntry[]; notifications: { kind: string; deliveredAt?: string }[]; [key: string]: unknown;
};

class Api {
  constructor(readonly url: string) {}

  async token(claims: Record<string, string>): Promise<string> {
    return (await this.call('POST', '/v1/dev/token', { body: claims })).body.token as string;
  }

  async call(method: string, route: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.url}${route}`, {
      method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Json };
  }
}

/** A path cannot go on with what the API does today: reported as such, never a crash. */
class PathBlocked extends Error {}

const problemText = (r: { status: number; body: Json }) => `${r.status} ${r.body?.detail ?? r.body?.title ?? JSON.stringify(r.body)}`;

// ─── Where the reports come from ──────────────────────────────────────────────────────────────────────────────

const jitter = (metres: number) => (Math.random() - 0.5) * 2 * metres / 111_320;

/**
 * 500 places on a jittered grid over central Nanchang (about 500 m apart, so no report joins another), from
 * 红谷滩 in the west to 青山湖 in the east.
 */
function cityPlace(i: number, count: number) {
  const columns = Math.ceil(Math.sqrt(count * 1.3));
  const rows = Math.ceil(count / columns);
  const col = i % columns;
  const row = Math.floor(i / columns);
  return {
    lat: +(28.62 + (row + 0.5) * (0.10 / rows) + jitter(60)).toFixed(6),
    lon: +(115.83 + (col + 0.5) * (0.13 / columns) + jitter(60)).toFixed(6),
    accuracyM: 10 + Math.round(Math.random() * 20),
  };
}

/** The paths' own places: a row 2 km south of the grid, 600 m apart, so no path case meets another case. */
const pathPlace = (i: number) => ({ lat: 28.600, lon: +(115.83 + i * 0.0062).toFixed(6), accuracyM: 10 });

/** A mix of what patrols report on a winter night: red, orange, yellow and blue cases. */
const REPORTS = [
  { place: { type: 'bridge', name: '桥下' }, people: [{ ageGroup: 'elderly', sex: 'male', conditions: ['ill', 'inadequate_clothing'] }] },
  { place: { type: 'underpass', name: '地下通道' }, people: [{ ageGroup: 'adult', sex: 'male', conditions: ['intoxicated', 'inadequate_clothing'] }] },
  { place: { type: 'street', name: '街边' }, people: [{ ageGroup: 'adult', sex: 'female', conditions: ['inadequate_clothing'] }] },
  { place: { type: 'station_square', name: '站前广场' }, people: [{ ageGroup: 'adult', sex: 'unknown', conditions: [] }] },
] as const;

const sightingBody = (location: { lat: number; lon: number; accuracyM: number }, report: (typeof REPORTS)[number]) => ({
  observedAt: new Date(Date.now() - 60_000).toISOString(),
  location, place: report.place, people: report.people, note: 'bench',
});

// ─── (a) Sighting accepted → alerted ──────────────────────────────────────────────────────────────────────────

async function measureAlertLatency(api: Api, tokens: Tokens) {
  const reported: { caseId: string; acceptedAt: number; sentAt: number }[] = [];
  const rejected: string[] = [];
  let joined = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < SIGHTINGS) {
      const i = next++;
      const sentAt = Date.now();
      const r = await api.call('POST', '/v1/sightings', {
        token: tokens.patrol, headers: { 'Idempotency-Key': `bench-workflow-${process.pid}-${i}` },
        body: sightingBody(cityPlace(i, SIGHTINGS), REPORTS[i % REPORTS.length]!),
      });
      const acceptedAt = Date.now();
      if (r.status !== 201) {
        rejected.push(problemText(r));
        continue;
      }
      if (!r.body.caseCreated) joined += 1;
      reported.push({ caseId: r.body.caseId, acceptedAt, sentAt });
    }
  }));
  const floodSeconds = (performance.now() - started) / 1000;
  log(`(a) ${reported.length} sightings accepted in ${floodSeconds.toFixed(1)} s; waiting for the last alerts`);

  // The last workflows may still be triaging: each case is read until it is alerted (or 60 s have passed).
  const opened: number[] = [];
  const fromResponse: number[] = [];
  const responses: number[] = [];
  const delivered: number[] = [];
  const notAlerted: string[] = [];
  const risks: Record<string, number> = {};
  let escalated = 0;
  let cursor = 0;
  const until = Date.now() + 60_000;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (cursor < reported.length) {
      const { caseId, acceptedAt, sentAt } = reported[cursor++]!;
      let detail: CaseDetail;
      // Read until the alert is on the timeline and its message delivered (the local channel records it).
      const deliveredAt = () => detail.notifications.find((n) => n.kind === 'alert')?.deliveredAt;
      for (;;) {
        detail = (await api.call('GET', `/v1/cases/${caseId}`, { token: tokens.station })).body as CaseDetail;
        if ((detail.timeline.some((e) => e.type === 'alerted') && deliveredAt()) || Date.now() > until) break;
        await sleep(POLL_MS);
      }
      const at = (type: string) => detail.timeline.find((e) => e.type === type)?.at;
      const alertedAt = at('alerted');
      if (!alertedAt) {
        notAlerted.push(`${caseId} (${detail.status})`);
        continue;
      }
      risks[String(detail.risk)] = (risks[String(detail.risk)] ?? 0) + 1;
      opened.push(Date.parse(alertedAt) - Date.parse(at('opened') ?? at('sighting') ?? alertedAt));
      fromResponse.push(Date.parse(alertedAt) - acceptedAt);
      responses.push(acceptedAt - sentAt);
      const sentOut = deliveredAt();
      if (sentOut) delivered.push(Date.parse(sentOut) - Date.parse(alertedAt));
      if (detail.timeline.some((e) => e.type === 'escalated')) escalated += 1;
    }
  }));
  const figures = (values: number[]) => ({ medianMs: round(median(values)), p95Ms: round(percentile(values, 95)), maxMs: round(Math.max(...values)), n: values.length });
  return {
    sightings: SIGHTINGS, inFlight: IN_FLIGHT, accepted: reported.length, rejected, joinedAnExistingCase: joined,
    floodSeconds: round(floodSeconds, 1), acceptedPerSecond: round(reported.length / floodSeconds, 1),
    openedToAlerted: figures(opened),
    responseToAlerted: figures(fromResponse),
    requestToResponse: figures(responses),
    alertedToDelivered: figures(delivered),
    notAlerted, riskMix: risks, escalatedMeanwhile: escalated,
  };
}

// ─── (b) The common paths ─────────────────────────────────────────────────────────────────────────────────────

interface Tokens { patrol: string; station: string; device: string }

interface Workload {
  /** Workflow Lambda invocations by case id and step (the step functions' payload names both). */
  invocations: Map<string, Record<string, number>>;
}

class Bench {
  /** Ended executions do not change: their descriptions are read once. */
  private readonly ended = new Map<string, ExecutionDescription>();

  constructor(readonly stack: LocalStack, readonly api: Api, readonly tokens: Tokens, readonly workload: Workload) {}

  private async describe(executionArn: string): Promise<ExecutionDescription> {
    const known = this.ended.get(executionArn);
    if (known) return known;
    const execution = await this.stack.stepFunctions.describeExecution({ executionArn });
    if (execution.status !== 'RUNNING') this.ended.set(executionArn, execution);
    return execution;
  }

  /**
   * The executions a case caused: its own workflow's (named after the case, one per generation) and, with
   * `notifications`, those of the other state machines whose input names the case (one per notification sent).
   */
  async executionsOf(caseId: string, options: { notifications?: boolean } = {}): Promise<ExecutionDescription[]> {
    const found: ExecutionDescription[] = [];
    for (const machine of this.stack.model.stateMachines) {
      let nextToken: string | undefined;
      do {
        const page = await this.stack.stepFunctions.listExecutions({ stateMachineArn: machine.arn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) });
        for (const listed of page.executions) {
          if (listed.name.startsWith(caseId)) {
            found.push(await this.describe(listed.executionArn));
          } else if (options.notifications && !/^case-/.test(listed.name)) {
            const execution = await this.describe(listed.executionArn);
            if (inputCaseId(execution) === caseId) found.push(execution);
          }
        }
        nextToken = page.nextToken;
      } while (nextToken);
    }
    return found;
  }
}

const inputCaseId = (execution: ExecutionDescription) => {
  try {
    return (JSON.parse(execution.input) as { caseId?: unknown }).caseId;
  } catch {
    return undefined;
  }
};

/** One case driven through the API: every call it makes is counted, polls apart. */
class CaseDriver {
  apiCalls = 0;
  polls = 0;
  caseId = '';
  readonly steps: string[] = [];

  constructor(private readonly bench: Bench, private readonly deadline: number) {}

  private get api() { return this.bench.api; }
  private get tokens() { return this.bench.tokens; }

  async report(place: { lat: number; lon: number; accuracyM: number }, report: (typeof REPORTS)[number]) {
    this.apiCalls += 1;
    const r = await this.api.call('POST', '/v1/sightings', { token: this.tokens.patrol, body: sightingBody(place, report) });
    if (r.status !== 201) throw new PathBlocked(`POST /v1/sightings answered ${problemText(r)}`);
    this.caseId = r.body.caseId;
    this.steps.push(`reported (${r.body.risk})`);
  }

  async detect(place: { lat: number; lon: number; accuracyM: number }, confidence: number) {
    this.apiCalls += 1;
    const observedAt = new Date(Date.now() - 30_000).toISOString();
    const r = await this.api.call('POST', '/v1/detections', {
      token: this.tokens.device,
      body: {
        deviceId: 'bench-drone', source: 'drone_thermal',
        detections: [{ detectionId: `bench-drone/${observedAt}/${place.lon}`, observedAt, location: place, confidence, surfaceTempC: 29.5, ambientTempC: -2, label: 'person' }],
      },
    });
    const result = r.body?.results?.[0];
    if (r.status !== 200 || result?.status !== 'accepted') throw new PathBlocked(`POST /v1/detections answered ${r.status}: ${JSON.stringify(r.body)}`);
    this.caseId = result.caseId;
    this.steps.push(`detected (confidence ${confidence})`);
  }

  async detail(): Promise<CaseDetail> {
    this.polls += 1;
    const r = await this.api.call('GET', `/v1/cases/${this.caseId}`, { token: this.tokens.station });
    if (r.status !== 200) throw new Error(`GET /v1/cases/${this.caseId} answered ${problemText(r)}`);
    return r.body as CaseDetail;
  }

  async waitFor(what: string, check: (c: CaseDetail) => boolean, timeoutMs = this.deadline - Date.now()): Promise<CaseDetail> {
    const until = Math.min(this.deadline, Date.now() + timeoutMs);
    for (;;) {
      const c = await this.detail();
      if (check(c)) return c;
      if (Date.now() > until) throw new PathBlocked(`waited in vain for ${what}; the case is ${c.status}`);
      await sleep(POLL_MS);
    }
  }

  /** Takes an action; a refusal is a blocked path (with the API's reason), unless the status moved under our feet. */
  async act(token: string, body: { type: string; [key: string]: unknown }, readStatus: string): Promise<'done' | 'moved'> {
    this.apiCalls += 1;
    const r = await this.api.call('POST', `/v1/cases/${this.caseId}/actions`, { token, body });
    if (r.status === 200) {
      this.steps.push(body.type === 'resolve' ? `resolve ${String(body.outcome)}` : body.type);
      return 'done';
    }
    if (r.status === 409 && (await this.detail()).status !== readStatus) return 'moved';
    throw new PathBlocked(`${body.type}${body.outcome ? ` ${String(body.outcome)}` : ''} (case ${readStatus}) answered ${problemText(r)}`);
  }

  /** Brings the case from wherever it stands to resolved with `outcome`: acknowledge, arrive, resolve, as each is due. */
  async resolveWith(outcome: string, extra: Record<string, unknown> = {}) {
    for (;;) {
      if (Date.now() > this.deadline) throw new PathBlocked(`ran out of time before resolving ${outcome}`);
      const c = await this.detail();
      const place = c.location as { lat: number; lon: number } | undefined;
      switch (c.status) {
        case 'open':
        case 'unverified':
          await sleep(POLL_MS);
          break;
        case 'alerted':
          await this.act(this.tokens.patrol, { type: 'acknowledge' }, c.status);
          break;
        case 'acknowledged':
          await this.act(this.tokens.patrol, { type: 'arrive', location: { lat: place?.lat ?? 28.6, lon: place?.lon ?? 115.9, accuracyM: 10 } }, c.status);
          break;
        case 'on_scene':
          if (await this.act(this.tokens.patrol, { type: 'resolve', outcome, ...extra }, c.status) === 'done') return;
          break;
        default:
          throw new PathBlocked(`cannot bring the case to resolve ${outcome}: it is ${c.status}`);
      }
    }
  }

  /**
   * Waits until the case reaches one of `statuses`, or until nothing more can happen: the case's executions have all
   * ended and its status has not moved for a second (the workflow is not waiting on anything).
   */
  async settle(statuses: readonly string[], timeoutMs = this.deadline - Date.now()): Promise<{ status: string; reached: boolean; why?: string }> {
    const until = Math.min(this.deadline, Date.now() + timeoutMs);
    let quietSince: number | undefined;
    let last = '';
    for (;;) {
      const c = await this.detail();
      if (statuses.includes(c.status)) return { status: c.status, reached: true };
      const running = (await this.bench.executionsOf(this.caseId)).some((e) => e.status === 'RUNNING');
      if (running || c.status !== last) quietSince = undefined;
      else quietSince ??= Date.now();
      last = c.status;
      if (quietSince !== undefined && Date.now() - quietSince >= 1000) return { status: c.status, reached: false, why: 'no execution of the case is running' };
      if (Date.now() > until) return { status: c.status, reached: false, why: 'timed out with the workflow still waiting' };
      await sleep(POLL_MS);
    }
  }

  count = (type: string, c: CaseDetail) => c.timeline.filter((e) => e.type === type).length;
}

interface PathResult {
  caseId: string;
  completed: boolean;
  note: string;
  steps: string[];
  finalStatus: string;
  executions: { name: string; status: string; stateTransitions: number }[];
  /** The case workflow's executions plus the notification deliveries it started. */
  stateTransitions: number;
  caseWorkflowTransitions: number;
  notificationTransitions: number;
  notifications: number;
  stillRunning: number;
  workflowInvocations: Record<string, number>;
  apiCallsThatChangeTheCase: number;
  polls: number;
  seconds: number;
  timeline: string[];
}

type PathDefinition = {
  key: string;
  title: string;
  /** How long one run may take, from its start. */
  timeoutMs: number;
  /** Runs that need no prompt reaction may all start at once; the others run one after another. */
  concurrentRuns?: boolean;
  run: (driver: CaseDriver, place: { lat: number; lon: number; accuracyM: number }) => Promise<string>;
};

const YELLOW = REPORTS[2];
const RED = REPORTS[0];

function paths(tokens: Tokens, unverifiedExpiryMs: number): PathDefinition[] {
  const closes = async (d: CaseDriver, what: string) => {
    const end = await d.settle(['closed']);
    if (!end.reached) throw new PathBlocked(`${what}, but the case stayed ${end.status} (${end.why})`);
  };
  return [
    {
      key: 'reunited', title: '(1) acknowledge → arrive → resolve reunited_with_family', timeoutMs: 90_000,
      run: async (d, place) => {
        await d.report(place, YELLOW);
        await d.resolveWith('reunited_with_family');
        await closes(d, 'resolved as reunited_with_family');
        return 'closed';
      },
    },
    {
      key: 'lateAcknowledgement', title: '(2) acknowledged late, after one escalation, then as (1)', timeoutMs: 90_000,
      run: async (d, place) => {
        await d.report(place, RED);
        const c = await d.waitFor('the first escalation', (x) => d.count('escalated', x) >= 1);
        await d.act(tokens.station, { type: 'acknowledge' }, c.status);
        const escalations = d.count('escalated', await d.detail());
        await d.resolveWith('reunited_with_family');
        await closes(d, 'resolved as reunited_with_family');
        return `closed; ${escalations} escalation(s) before the acknowledgement`;
      },
    },
    {
      key: 'escortedToStation', title: '(3) resolve escorted_to_station → intake → discharge', timeoutMs: 90_000,
      run: async (d, place) => {
        await d.report(place, YELLOW);
        await d.resolveWith('escorted_to_station', { stationId: 'station-nc' });
        const resolved = await d.waitFor('a status that allows intake', (x) => ['resolved', 'on_scene'].includes(x.status), 15_000);
        await d.act(tokens.station, { type: 'intake', stationId: 'station-nc' }, resolved.status);
        const inStation = await d.waitFor('in_station', (x) => x.status === 'in_station', 15_000);
        await d.act(tokens.station, { type: 'discharge', reason: 'went home to family after a night in the station' }, inStation.status);
        await closes(d, 'discharged');
        return 'closed';
      },
    },
    {
      key: 'declinedHelp', title: '(4) declined_help → revisits until the revisit limit', timeoutMs: 240_000,
      run: async (d, place) => {
        await d.report(place, YELLOW);
        for (let round = 0; round < 10; round += 1) {
          await d.resolveWith('declined_help', { handedOver: ['quilt', 'hot food'] });
          const after = await d.settle(['open', 'alerted', 'acknowledged', 'on_scene', 'closed']);
          const c = await d.detail();
          const revisits = d.count('revisit_scheduled', c);
          if (after.status === 'closed') {
            if (round === 0) throw new PathBlocked(`the case closed after the first declined_help, without a revisit (${revisits} revisit_scheduled)`);
            return `closed after ${round} revisit(s) (${revisits} revisit_scheduled entries)`;
          }
          if (!after.reached) {
            throw new PathBlocked(`after declined_help #${round + 1} the case stayed ${after.status} (${after.why}); `
              + `${revisits} revisit_scheduled entr${revisits === 1 ? 'y' : 'ies'}, no revisit reopened it`);
          }
        }
        throw new PathBlocked('still revisiting after 10 rounds: no revisit limit seen');
      },
    },
    {
      key: 'unverifiedLeadExpires', title: '(5) unverified machine lead (confidence 0.3) that expires', concurrentRuns: true,
      timeoutMs: unverifiedExpiryMs + 60_000,
      run: async (d, place) => {
        await d.detect(place, 0.3);
        const first = await d.detail();
        if (first.status !== 'unverified') throw new PathBlocked(`a 0.3 detection opened a case that is ${first.status}, not unverified`);
        await closes(d, 'left unchecked');
        return 'closed by expiry';
      },
    },
    {
      key: 'notFoundTwice', title: '(6) not_found twice (one more search, then closed)', timeoutMs: 180_000,
      run: async (d, place) => {
        await d.report(place, YELLOW);
        await d.resolveWith('not_found');
        const after = await d.settle(['open', 'alerted', 'acknowledged', 'on_scene', 'closed']);
        if (after.status === 'closed') throw new PathBlocked('the case closed after the first not_found, without one more search');
        if (!after.reached) throw new PathBlocked(`after the first not_found the case stayed ${after.status} (${after.why}); no second search started`);
        await d.resolveWith('not_found');
        await closes(d, 'resolved not_found a second time');
        return 'closed after the second search';
      },
    },
  ];
}

/** Takes cases to closed (acknowledge, arrive, resolve reunited_with_family), 4 at a time; returns what stayed open. */
async function closeCases(bench: Bench, caseIds: string[]): Promise<string[]> {
  const open: string[] = [];
  let cursor = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (cursor < caseIds.length) {
      const driver = new CaseDriver(bench, Date.now() + 60_000);
      driver.caseId = caseIds[cursor++]!;
      try {
        const { status } = await driver.detail();
        if (status === 'closed') continue;
        if (status !== 'resolved') await driver.resolveWith('reunited_with_family');
        const end = await driver.settle(['closed'], 30_000);
        if (!end.reached) open.push(`${driver.caseId} stayed ${end.status} (${end.why})`);
      } catch (error) {
        if (!(error instanceof PathBlocked)) throw error;
        open.push(`${driver.caseId}: ${error.message}`);
      }
    }
  }));
  return open;
}

async function runPath(bench: Bench, definition: PathDefinition, place: { lat: number; lon: number; accuracyM: number }): Promise<PathResult> {
  const started = Date.now();
  const driver = new CaseDriver(bench, started + definition.timeoutMs);
  let completed = false;
  let note: string;
  try {
    note = await definition.run(driver, place);
    completed = true;
  } catch (error) {
    if (!(error instanceof PathBlocked)) throw error;
    note = error.message;
  }
  // The count is final once every execution of the case has ended; give a finishing one a moment.
  let executions: ExecutionDescription[] = [];
  for (let i = 0; i < 20; i += 1) {
    executions = driver.caseId ? await bench.executionsOf(driver.caseId, { notifications: true }) : [];
    if (!executions.some((e) => e.status === 'RUNNING')) break;
    await sleep(250);
  }
  const own = executions.filter((e) => e.name.startsWith(driver.caseId));
  const notifications = executions.filter((e) => !e.name.startsWith(driver.caseId));
  const transitions = (list: ExecutionDescription[]) => list.reduce((sum, e) => sum + e.stateTransitions, 0);
  const detail = driver.caseId ? await driver.detail() : undefined;
  return {
    caseId: driver.caseId, completed, note, steps: driver.steps, finalStatus: detail?.status ?? 'none',
    executions: executions.map((e) => ({ name: e.name, status: e.status, stateTransitions: e.stateTransitions })),
    stateTransitions: transitions(executions),
    caseWorkflowTransitions: transitions(own),
    notificationTransitions: transitions(notifications),
    notifications: notifications.length,
    stillRunning: executions.filter((e) => e.status === 'RUNNING').length,
    workflowInvocations: { ...bench.workload.invocations.get(driver.caseId) },
    apiCallsThatChangeTheCase: driver.apiCalls,
    polls: driver.polls,
    seconds: round((Date.now() - started) / 1000, 1),
    timeline: detail?.timeline.map((e) => e.type) ?? [],
  };
}

async function runPaths(bench: Bench, definitions: PathDefinition[]) {
  let placeIndex = 0;
  return Promise.all(definitions.map(async (definition) => {
    const places = Array.from({ length: PATH_RUNS }, () => pathPlace(placeIndex++));
    const runs = definition.concurrentRuns
      ? await Promise.all(places.map((place) => runPath(bench, definition, place)))
      : await places.reduce<Promise<PathResult[]>>(async (done, place) => [...await done, await runPath(bench, definition, place)], Promise.resolve([]));
    const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);
    const complete = runs.filter((r) => r.completed);
    const counted = complete.length ? complete : runs;
    const transitions = median(counted.map((r) => r.stateTransitions));
    const caseWorkflow = median(counted.map((r) => r.caseWorkflowTransitions));
    const notificationDelivery = median(counted.map((r) => r.notificationTransitions));
    const workflowInvocations = median(counted.map((r) => sum(r.workflowInvocations)));
    const apiCalls = median(counted.map((r) => r.apiCallsThatChangeTheCase));
    log(`${definition.title}: ${complete.length}/${runs.length} complete, ${transitions} transitions (median)${complete.length ? '' : ` — ${runs[0]!.note}`}`);
    return {
      key: definition.key, title: definition.title,
      completedRuns: complete.length, runs: runs.length,
      status: complete.length === runs.length ? 'complete' : complete.length ? 'partly complete' : 'incomplete',
      stateTransitionsPerCase: {
        median: transitions, min: Math.min(...counted.map((r) => r.stateTransitions)), max: Math.max(...counted.map((r) => r.stateTransitions)),
        caseWorkflow, notificationDelivery, notifications: median(counted.map((r) => r.notifications)),
      },
      usdPer1000Cases: round(transitions * USD_PER_1000_TRANSITIONS, 4),
      lambdaInvocationsPerCase: { workflowSteps: workflowInvocations, api: apiCalls, total: workflowInvocations + apiCalls },
      countedFrom: complete.length ? 'completed runs' : 'incomplete runs (what happened until the path could not go on)',
      detail: runs,
    };
  }));
}

// ─── Phases and main ──────────────────────────────────────────────────────────────────────────────────────────

/** A stack of its own at `timeScale`, with the demo's station and teams, tokens, and the workflow Lambdas counted. */
async function withStack<T>(timeScale: number, work: (bench: Bench, failures: string[]) => Promise<T>): Promise<T> {
  const started = Date.now();
  const failures: string[] = [];
  const stack = await LocalStack.start({
    port: 0, timeScale,
    log: (line) => {
      if (/ (FAILED|TIMED_OUT)\b/.test(line)) failures.push(line);
      if (process.env.BENCH_LOG) console.error(`  [stack] ${line}`);
    },
  });
  try {
    log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s at ${stack.url}, TIME_SCALE ${timeScale}`);
    // The demo's teams and station, so that the workflows alert someone, as on a real night.
    const directory = new DirectoryStore(createDocumentClient(stack.endpoints.dynamodb), settings.tableName);
    for (const station of DEMO_STATIONS) await directory.put('station', station);
    for (const team of DEMO_TEAMS) await directory.put('team', team);

    // Every Lambda a workflow invokes carries the case id and the step in its payload: counted per case and step.
    const workload: Workload = { invocations: new Map() };
    const invoke = stack.lambdas.invoke.bind(stack.lambdas);
    stack.lambdas.invoke = (functionArn, event) => {
      const payload = event as { step?: unknown; caseId?: unknown } | null;
      if (payload && typeof payload.caseId === 'string' && typeof payload.step === 'string') {
        const byStep = workload.invocations.get(payload.caseId) ?? {};
        byStep[payload.step] = (byStep[payload.step] ?? 0) + 1;
        workload.invocations.set(payload.caseId, byStep);
      }
      return invoke(functionArn, event);
    };

    const api = new Api(stack.url);
    const tokens: Tokens = {
      patrol: await api.token({ role: 'patrol', sub: 'bench-patrol', teamId: 'team-02' }),
      station: await api.token({ role: 'station', sub: 'bench-duty-officer', stationId: 'station-nc' }),
      device: await api.token({ role: 'device', sub: 'bench-drone', deviceId: 'bench-drone' }),
    };
    const bench = new Bench(stack, api, tokens, workload);

    log('warming up (JVM, handlers): 16 sightings, taken through to closed, not counted');
    const warmUp: string[] = [];
    await Promise.all(Array.from({ length: 16 }, async (_, i) => {
      const r = await api.call('POST', '/v1/sightings', { token: tokens.patrol, body: sightingBody({ lat: 28.58, lon: +(115.83 + i * 0.006).toFixed(6), accuracyM: 10 }, REPORTS[i % 4]!) });
      if (r.status === 201) warmUp.push(r.body.caseId);
    }));
    await closeCases(bench, warmUp);
    return await work(bench, failures);
  } finally {
    await stack.stop();
  }
}

const PHASES = {
  'alert-latency': () => withStack(ALERT_TIME_SCALE, async (bench, failures) => {
    log(`(a) ${SIGHTINGS} sightings, ${IN_FLIGHT} in flight`);
    return { timeScale: ALERT_TIME_SCALE, ...await measureAlertLatency(bench.api, bench.tokens), workflowFailures: failures };
  }),
  paths: () => withStack(TIME_SCALE, async (bench, failures) => {
    const unverifiedExpiryMs = settings.unverifiedLeadHours * 3_600_000 * TIME_SCALE;
    log(`(b) the common paths, ${PATH_RUNS} run(s) each (an unverified lead expires after ${round(unverifiedExpiryMs / 1000, 1)} s here)`);
    const results = await runPaths(bench, paths(bench.tokens, unverifiedExpiryMs));
    return { timeScale: TIME_SCALE, ackMinutes: settings.ackMinutes, unverifiedLeadHours: settings.unverifiedLeadHours, paths: results, workflowFailures: failures };
  }),
};
type Phase = keyof typeof PHASES;
type PhaseResult<P extends Phase> = Awaited<ReturnType<(typeof PHASES)[P]>>;

/** Runs one phase in a child process (same Node, same tsx loader) and reads back what it found. */
async function runPhase<P extends Phase>(phase: P): Promise<PhaseResult<P>> {
  const resultFile = path.join(os.tmpdir(), `bench-workflow-${process.pid}-${phase}.json`);
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_PHASE: phase, BENCH_RESULT_FILE: resultFile }, stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`the ${phase} phase exited with ${code}`);
  const result = JSON.parse(await readFile(resultFile, 'utf8')) as PhaseResult<P>;
  await rm(resultFile, { force: true });
  return result;
}

async function main() {
  const phase = process.env.BENCH_PHASE as Phase | undefined;
  if (phase) {
    if (!(phase in PHASES)) throw new Error(`BENCH_PHASE must be one of ${Object.keys(PHASES).join(', ')}`);
    await writeFile(process.env.BENCH_RESULT_FILE!, JSON.stringify(await PHASES[phase]()));
    return;
  }

  const started = Date.now();
  const host = machine();
  log(`machine: ${host.cores} cores, Node ${host.node}, ${host.java}; load average ${host.loadAverageAtStart.join(' ')}`);
  const alertLatency = await runPhase('alert-latency');
  const loadAverageBetweenPhases = os.loadavg().map((l) => round(l, 2));
  const pathPhase = await runPhase('paths');
  const results = {
    benchmark: 'workflow',
    date: new Date().toISOString(),
    machine: { ...host, loadAverageBetweenPhases, loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)) },
    reproduce: 'npm ci && npm run bench:workflow   (BENCH_TIME_SCALE, BENCH_ALERT_TIME_SCALE, BENCH_SIGHTINGS, BENCH_IN_FLIGHT, BENCH_PATH_RUNS); '
      + 'writes bench/results/workflow.json',
    alertLatency,
    pricing: {
      stepFunctionsStandard: `US$${USD_PER_1000_TRANSITIONS} per 1,000 state transitions (US East, N. Virginia list price)`,
      freeTier: 'the 4,000 free state transitions a month are ignored',
      chinaBeijing: 'not quoted: no China (Beijing) price was found in the documentation consulted',
      transitionsCounted: 'every state entered (Choice, Succeed and Fail included) plus every Retry, counted by the local Step Functions '
        + 'service from the interpreter\'s events; a case\'s are those of its workflow executions (every generation) and of the notification '
        + 'deliveries it started',
      lambda: 'invocations only: the workflow steps the executions invoked, plus the API calls of the path that change the case '
        + '(the bench\'s own GET polls are not counted)',
    },
    paths: pathPhase,
    seconds: round((Date.now() - started) / 1000, 1),
  };
  const file = path.join(here, 'results', 'workflow.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);

  const a = alertLatency;
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  console.log([
    '',
    `  Workflow benchmark — ${host.cores} cores (${host.cpu}), Node ${host.node}, ${host.java}`,
    `  load average at start ${host.loadAverageAtStart.join(' ')}, between the phases ${loadAverageBetweenPhases.join(' ')}, at end ${results.machine.loadAverageAtEnd.join(' ')}`,
    '',
    `  (a) sighting accepted → alerted, ${a.accepted} of ${a.sightings} sightings at distinct places, ${a.inFlight} in flight, TIME_SCALE ${a.timeScale}`,
    `      case opened → alerted        median ${a.openedToAlerted.medianMs} ms, p95 ${a.openedToAlerted.p95Ms} ms, max ${a.openedToAlerted.maxMs} ms (n = ${a.openedToAlerted.n})`,
    `      201 received → alerted       median ${a.responseToAlerted.medianMs} ms, p95 ${a.responseToAlerted.p95Ms} ms, max ${a.responseToAlerted.maxMs} ms`,
    `      request sent → 201           median ${a.requestToResponse.medianMs} ms, p95 ${a.requestToResponse.p95Ms} ms, max ${a.requestToResponse.maxMs} ms`,
    `      alerted → message delivered  median ${a.alertedToDelivered.medianMs} ms, p95 ${a.alertedToDelivered.p95Ms} ms, max ${a.alertedToDelivered.maxMs} ms (n = ${a.alertedToDelivered.n})`,
    `      rate ${a.acceptedPerSecond} sightings/s (${a.floodSeconds} s); risks ${JSON.stringify(a.riskMix)}; not alerted ${a.notAlerted.length}; `
      + `escalated meanwhile ${a.escalatedMeanwhile}; rejected ${a.rejected.length}; joined another case ${a.joinedAnExistingCase}`,
    '',
    `  (b, c) per case, median of the runs, TIME_SCALE ${pathPhase.timeScale}   transitions (case + notifications)   US$ / 1,000 cases   Lambda / case (steps + API)`,
    ...pathPhase.paths.map((p) => {
      const t = p.stateTransitionsPerCase;
      const transitions = `${pad(t.median, 4)} (${t.caseWorkflow} + ${t.notificationDelivery} for ${t.notifications} notification${t.notifications === 1 ? '' : 's'})`;
      return `  ${p.title.padEnd(64)} ${transitions.padEnd(36)}${pad(p.usdPer1000Cases.toFixed(3), 10)}          `
        + `${p.lambdaInvocationsPerCase.total} (${p.lambdaInvocationsPerCase.workflowSteps} + ${p.lambdaInvocationsPerCase.api})`
        + `${p.status === 'complete' ? '' : `\n      ${p.status.toUpperCase()} (${p.completedRuns}/${p.runs}): ${p.detail.find((r) => !r.completed)?.note ?? ''}`}`;
    }),
    '',
    `  Step Functions Standard at US$${USD_PER_1000_TRANSITIONS} per 1,000 state transitions (US East, N. Virginia); the 4,000 free transitions`,
    '  a month are ignored; the China (Beijing) price is not quoted. Transitions: every state entered plus every retry.',
    `  workflow executions that failed: ${a.workflowFailures.length} in (a), ${pathPhase.workflowFailures.length} in (b) (see workflowFailures in the JSON)`,
    '',
    `  reproduce: ${results.reproduce}`,
    `  figures in ${path.relative(process.cwd(), file)} (${results.seconds} s)`,
    '',
  ].join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
