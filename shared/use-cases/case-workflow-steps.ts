import type { CaseStatus, RiskLevel } from '../contract/vocabulary';
import { acknowledgementDeadline, secondsUntil } from '../domain/alert-policy';
import { alertTargetFor, COORDINATOR_TARGET, type RoutingDirectory } from '../domain/alert-routing';
import { responsibleStationFor } from '../domain/station-area';
import type { AlertTarget, Case } from '../domain/case';
import {
  type CaseDue, deadlineForRisk, disposalOf, dueAt, newDue, phaseOf, revisitDelayMinutes, STATUS_OF_DUE, type WorkflowPhase,
} from '../domain/disposal';
import { notFound } from '../domain/errors';
import { mergedPeople } from '../domain/people';
import { type Notification, notificationFor, RISK_WORDS } from '../domain/notification';
import { assessRisk, higherRisk, oneLevelHigher, type RiskAssessment } from '../domain/risk';
import type { CaseChange, CaseDetail } from '../store/case-store';
import type { Dependencies } from './dependencies';
import { firstAlert, nameOfUnnamed, readRoutingDirectory as routingDirectory } from './open-case';
import { ackMinutesIn, type WeatherNow, weatherNow } from './weather';
import { countAlerts, logger } from '../adapters/observability';

/**
 * The steps of the case workflow. Each reads the case as stored and acts only if the case is still where the step
 * expects it (and still driven by this execution's generation), so a step run twice (a retry, a resumed execution)
 * changes nothing the second time.
 */
export interface CaseState {
  caseId: string;
  /** The generation of the execution running this step: a newer one supersedes it. */
  generation: number;
  status: CaseStatus;
  risk: RiskLevel;
  /** What the workflow does next; its first state routes on it. */
  phase: WorkflowPhase;
  /** Seconds left until the deadline of the phase's wait. */
  waitSeconds?: number;
}

export type StepDeps = Pick<Dependencies,
  'cases' | 'directory' | 'campaign' | 'workflow' | 'notifications' | 'notifier' | 'now' | 'timeScale' | 'ackMinutes'
  | 'unverifiedLeadHours' | 'disposal' | 'weather' | 'coldWave'>;

/** When an unverified lead nobody checked or corroborated is closed. */
const leadExpiry = (c: Case, deps: Pick<StepDeps, 'timeScale' | 'unverifiedLeadHours'>) =>
  new Date(Date.parse(c.openedAt) + deps.unverifiedLeadHours * 3_600_000 * deps.timeScale).toISOString();

/**
 * The case's stored deadline after acknowledgement. A case stored before deadlines were kept (none on it) gets one
 * counted from its last change, so its wait still ends and is chased instead of waiting for ever. (An intake's
 * deadline is set by Dispose itself, so it is never missing.)
 */
function dueOf(c: Case, deps: StepDeps): CaseDue | undefined {
  if (c.due) return c.due;
  const kinds = Object.keys(STATUS_OF_DUE) as (keyof typeof STATUS_OF_DUE)[];
  const kind = kinds.find((k) => k !== 'intake' && STATUS_OF_DUE[k] === c.status);
  return kind ? newDue(kind, c.risk, new Date(c.updatedAt), deps.disposal, deps.timeScale) : undefined;
}

function deadlineOf(c: Case, phase: WorkflowPhase, deps: StepDeps): string | undefined {
  if (phase === 'await_acknowledgement') return c.alert?.deadline;
  if (phase === 'await_verification') return leadExpiry(c, deps);
  if (phase.startsWith('await_')) return dueOf(c, deps)?.at;
  return undefined;
}

function stateOf(c: Case, generation: number, deps: StepDeps): CaseState {
  const phase = phaseOf(c, generation);
  const deadline = deadlineOf(c, phase, deps);
  return {
    caseId: c.caseId, generation, status: c.status, risk: c.risk, phase,
    ...(deadline ? { waitSeconds: secondsUntil(deadline, deps.now()) } : {}),
  };
}

export interface StepInput {
  caseId: string;
  generation: number;
}

/** A change a step decides, with the notifications it sends: stored with the change, then dispatched. */
type StepChange = CaseChange & { notify?: Notification[] };

/**
 * Applies a step's decision to the case and the outbox in one transaction, then hands the messages to delivery.
 * A decision for a case that a newer execution drives is dropped.
 */
async function changeCase(deps: StepDeps, input: StepInput, decide: (current: Case) => StepChange | null): Promise<CaseState> {
  let notify: Notification[] = [];
  const result = await deps.cases.mutateCase(input.caseId, (current) => {
    notify = [];
    if (current.workflowGeneration !== input.generation) return null;
    const change = decide(current);
    if (!change) return null;
    notify = change.notify ?? [];
    const { notify: _notify, ...rest } = change;
    return { ...rest, alongside: [...(rest.alongside ?? []), ...notify.map((n) => deps.notifications.put(n))] };
  });
  if (!result) throw notFound(`case ${input.caseId} does not exist`);
  if (notify.length && result.after !== result.before) {
    countAlerts(notify);
    try {
      await deps.notifier.dispatch(notify);
    } catch (error) {
      // The messages are in the outbox; the reconciler dispatches pending ones again.
      logger.error('notification dispatch failed', { caseId: input.caseId, error: String(error) });
    }
  }
  return stateOf(result.after, input.generation, deps);
}

/** The case's own station, or the one that answers for its place (area, else nearest); the coordinator when there is none. */
function stationFor(c: Case, directory: RoutingDirectory): AlertTarget {
  const station = directory.stations.find((s) => s.stationId === c.stationId) ?? responsibleStationFor(directory.stations, c.location);
  return station ? { kind: 'station', id: station.stationId, name: station.name } : COORDINATOR_TARGET;
}

function assignedTeam(c: Case, directory: RoutingDirectory): AlertTarget | undefined {
  const team = directory.teams.find((t) => t.teamId === c.assignedTeamId);
  return team ? { kind: 'team', id: team.teamId, name: team.name } : undefined;
}

export async function loadCaseState(deps: StepDeps, input: StepInput): Promise<CaseState> {
  const c = await deps.cases.getCase(input.caseId);
  if (!c) throw notFound(`case ${input.caseId} does not exist`);
  return stateOf(c, input.generation, deps);
}

/** The lowest reading of the case's detections, and of the latest weather record for the air. */
const coldest = (detail: CaseDetail, field: 'ambientTempC' | 'surfaceTempC', weatherAirC?: number): number | undefined => {
  // The case keeps its coldest readings as detections join; the detections read (its latest) cover a case stored before.
  const kept = field === 'ambientTempC' ? detail.case.coldestAmbientC : detail.case.coldestSurfaceC;
  const values = [...detail.detections.map((d) => d[field]), kept].filter((t): t is number => typeof t === 'number');
  if (field === 'ambientTempC' && weatherAirC !== undefined) values.push(weatherAirC);
  return values.length ? Math.min(...values) : undefined;
};

/** Grades the risk from everything known about the case: its people, its place, the hour, the cold. */
function assessCase(detail: CaseDetail, at: string, weather: WeatherNow): RiskAssessment {
  // Each person once, as the most specific report described them: the same man reported three times is not a group.
  const people = mergedPeople(detail.sightings);
  const air = coldest(detail, 'ambientTempC', weather.airTempC);
  const surface = coldest(detail, 'surfaceTempC');
  return assessRisk({
    // Machines see a body, not who it is: one person of unknown age until someone reports more.
    people: people.length ? people : [{ ageGroup: 'unknown', conditions: [] }],
    placeType: detail.case.placeType,
    observedAt: at,
    ...(air !== undefined ? { ambientTempC: air } : {}),
    ...(surface !== undefined ? { surfaceTempC: surface } : {}),
    coldWave: weather.coldWave,
  });
}

/** How often triage reads the evidence again when reports joined while it was grading, before it settles. */
const MAX_STALE_READS = 8;

/** The evidence a grading read is still the case's: no report joined (or reopened it) since it was read. */
const sameEvidence = (read: Case, current: Case) =>
  read.sightingCount === current.sightingCount && read.detectionCount === current.detectionCount;

/**
 * Grades the risk of an open case before it is alerted; for a case already alerted or taken, grades it again with
 * the new evidence and, when the risk rose, brings the deadline forward and tells whoever has the case.
 *
 * A grading is written only if it read all the evidence the case has: a report that joined while the grading read
 * the case makes it read again (otherwise the report's risk would be lost, or a red case left on a blue deadline).
 * A case's risk never goes down while it is active: every report's own grade is a floor.
 */
export async function triageCase(deps: StepDeps, input: StepInput): Promise<CaseState> {
  const directory = await routingDirectory(deps);
  const weather = await weatherNow(deps, deps.now());
  for (let read = 1; ; read += 1) {
    const detail = await deps.cases.getCaseDetail(input.caseId);
    if (!detail) throw notFound(`case ${input.caseId} does not exist`);
    let stale = false;
    const state = await changeCase(deps, input, (current) => {
      stale = !sameEvidence(detail.case, current);
      // Past the limit (a case a stream of reports keeps joining), grade what was read rather than wait for a quiet
      // moment: the floor below keeps every report's own grade, and the next report that may raise it asks again.
      if (stale && read < MAX_STALE_READS) return null;
      return grading(deps, directory, detail, current, weather);
    });
    if (!stale || read >= MAX_STALE_READS) return state;
  }
}

function grading(
  deps: StepDeps, directory: RoutingDirectory, detail: CaseDetail, current: Case, weather: WeatherNow,
): StepChange | null {
  const now = deps.now();
  const at = now.toISOString();
  // A revisit or a second search is graded for the hour it happens; otherwise for when the people were last seen.
  const assessment = assessCase(detail, current.pendingVisit ? at : current.lastSeenAt ?? current.openedAt, weather);
  const done: NonNullable<CaseChange['remove']> = ['retriage'];
  if (current.status === 'open') {
    // Seen in the cold again after the case was resolved (e.g. declined help): more urgent than the evidence alone.
    const reopened = (current.reopenCount ?? 0) > 0;
    const graded = reopened ? oneLevelHigher(assessment.level) : assessment.level;
    const level = higherRisk(graded, current.risk);
    const reasons = [...new Set([...(reopened ? [...assessment.reasons, 'seen_again_after_resolution'] : assessment.reasons),
      ...(level !== graded ? current.riskReasons : [])])];
    return {
      set: { risk: level, riskReasons: reasons, updatedAt: at, ...nameOfUnnamed(current, directory) },
      remove: done,
      timeline: [{ at, type: 'triaged', risk: level, score: assessment.score, reasons }],
    };
  }
  if (!current.retriage || !['alerted', 'acknowledged', 'on_scene'].includes(current.status)) return null;
  const level = higherRisk(current.risk, assessment.level);
  const reasons = [...new Set([...current.riskReasons, ...assessment.reasons])];
  const set: Partial<Case> = { risk: level, riskReasons: reasons, updatedAt: at };
  // The deadline running may have been set for a lower risk than the case has now (a report that raised the risk
  // as the alert went out): it comes forward to what the risk allows, counted from when it began.
  const pulled = deadlineForRisk(current, level, { ...deps, ackMinutes: ackMinutesIn(deps, weather) });
  if (pulled?.alert) set.alert = pulled.alert;
  if (pulled?.due) set.due = pulled.due;
  if (level === current.risk && !pulled) return { remove: done };
  const deadline = pulled?.alert?.deadline ?? pulled?.due?.at;
  const to = current.status === 'alerted' && current.alert
    ? current.alert.target
    : assignedTeam(current, directory) ?? stationFor(current, directory);
  const from = current.alert?.risk ?? current.risk;
  return {
    set,
    remove: done,
    timeline: [{
      at, type: 'triaged', risk: level, from: current.risk, score: assessment.score, reasons, retriage: true,
      ...(deadline ? { deadline } : {}),
    }],
    notify: [notificationFor({ ...current, risk: level }, {
      kind: 'risk_raised', to, at, ...(deadline ? { deadline } : {}), detail: `${RISK_WORDS[from]} → ${RISK_WORDS[level]}`,
    })],
  };
}

/** Asks the first rung of the ladder to act, with a deadline that depends on the risk. */
export async function alertCase(deps: StepDeps, input: StepInput): Promise<CaseState> {
  const [directory, weather] = await Promise.all([routingDirectory(deps), weatherNow(deps, deps.now())]);
  return changeCase(deps, input, (current) => {
    // A report that may raise the risk joined after the grading: grade again first (the phase is still triage).
    if (current.status !== 'open' || current.retriage) return null;
    const now = deps.now();
    const first = firstAlert(current, directory, now, { timeScale: deps.timeScale, ackMinutes: ackMinutesIn(deps, weather) }, current.pendingVisit);
    return {
      set: { status: 'alerted', alert: first.alert, updatedAt: now.toISOString() },
      remove: ['pendingVisit', 'due'],
      timeline: [first.entry],
      notify: [first.notification],
    };
  });
}

/**
 * Holds the workflow's task token on the case while it waits for the case to leave `status`. If the case already
 * left it (the acknowledgement beat the workflow here), or new evidence asks for a new grading, or a newer
 * execution drives the case, the wait is finished at once.
 */
export async function awaitCaseChange(deps: StepDeps, input: StepInput & { status: CaseStatus; taskToken: string }) {
  let alreadyMoved = false;
  await deps.cases.mutateCase(input.caseId, (current) => {
    alreadyMoved = current.status !== input.status || current.workflowGeneration !== input.generation
      || phaseOf(current, input.generation) === 'triage';
    if (alreadyMoved) return null;
    return { set: { wait: { token: input.taskToken, status: input.status, since: deps.now().toISOString() } } };
  });
  if (alreadyMoved) await deps.workflow.completeWait(input.taskToken, { caseId: input.caseId });
  return { caseId: input.caseId, waiting: !alreadyMoved };
}

/** Nobody acknowledged in time: ask the next rung, with a fresh deadline. */
export async function escalateCase(deps: StepDeps, input: StepInput): Promise<CaseState> {
  const [directory, weather] = await Promise.all([routingDirectory(deps), weatherNow(deps, deps.now())]);
  return changeCase(deps, input, (current) => {
    const now = deps.now();
    if (current.status !== 'alerted' || !current.alert || Date.parse(current.alert.deadline) > now.getTime()) return null;
    const { rung, target } = alertTargetFor(current.alert.rung + 1, current.location, directory);
    const deadline = acknowledgementDeadline(current.risk, now, deps.timeScale, ackMinutesIn(deps, weather)).toISOString();
    const at = now.toISOString();
    return {
      set: { alert: { rung, target, alertedAt: at, deadline, risk: current.risk }, updatedAt: at },
      remove: ['wait'],
      timeline: [{ at, type: 'escalated', from: current.alert.target, to: target, rung, deadline }],
      notify: [notificationFor(current, { kind: 'escalation', to: target, at, deadline, detail: `${current.alert.target.name ?? current.alert.target.id}未在时限内确认` })],
    };
  });
}

/** An unverified lead that nobody checked or corroborated in time is closed, with the reason on its timeline. */
export async function expireLead(deps: StepDeps, input: StepInput): Promise<CaseState> {
  return changeCase(deps, input, (current) => {
    const now = deps.now();
    if (current.status !== 'unverified' || Date.parse(leadExpiry(current, deps)) > now.getTime()) return null;
    const at = now.toISOString();
    const reason = 'unverified machine lead: no human check and no corroboration in time';
    return {
      set: { status: 'closed', resolvedAt: at, closedAt: at, closeReason: reason, updatedAt: at },
      remove: ['wait'],
      timeline: [{ at, type: 'closed', reason }],
    };
  });
}

/**
 * A deadline after acknowledgement passed (arrival, outcome, intake) or a stay in the station is due a check: the
 * station is told, then the coordinator, and a new deadline is set, so a case taken never goes silent either.
 */
export async function chaseOverdue(deps: StepDeps, input: StepInput): Promise<CaseState> {
  const directory = await routingDirectory(deps);
  return changeCase(deps, input, (current) => {
    const now = deps.now();
    const due = dueOf(current, deps);
    if (!due || due.kind === 'revisit' || Date.parse(due.at) > now.getTime()) return null;
    if (current.status !== STATUS_OF_DUE[due.kind]) return null;
    const overdue = due.overdue + 1;
    const at = now.toISOString();
    const to = due.kind === 'discharge' || overdue === 1 ? stationFor(current, directory) : COORDINATOR_TARGET;
    const next: CaseDue = { ...due, at: newDue(due.kind, current.risk, now, deps.disposal, deps.timeScale).at, overdue };
    return {
      set: { due: next, updatedAt: at },
      remove: ['wait'],
      timeline: [{ at, type: 'overdue', stage: due.kind, missed: due.at, to, deadline: next.at, overdue }],
      notify: [notificationFor(current, {
        kind: due.kind === 'discharge' ? 'reminder' : 'overdue', to, at, deadline: next.at,
        detail: { arrival: '队员未按时到达现场', outcome: '现场处置未按时反馈结果', intake: '护送对象未按时入站', discharge: '请核查在站人员情况' }[due.kind],
      })],
    };
  });
}

/** What a resolved case leads to: closing with its reason, the station's intake, a revisit, or one more search. */
export async function disposeCase(deps: StepDeps, input: StepInput): Promise<CaseState> {
  const detail = await deps.cases.getCaseDetail(input.caseId);
  if (!detail) throw notFound(`case ${input.caseId} does not exist`);
  const directory = await routingDirectory(deps);
  const weather = await weatherNow(deps, deps.now());
  return changeCase(deps, input, (current) => {
    if (current.status !== 'resolved' || current.due) return null;
    const now = deps.now();
    const at = now.toISOString();
    const disposal = disposalOf(current, deps.disposal);
    switch (disposal.kind) {
      case 'close':
        return {
          set: { status: 'closed', closedAt: at, closeReason: disposal.reason, updatedAt: at },
          timeline: [{ at, type: 'closed', reason: disposal.reason, outcome: current.outcome }],
        };
      case 'await_intake': {
        const due = newDue('intake', current.risk, now, deps.disposal, deps.timeScale);
        const station = stationFor(current, directory);
        return {
          set: { due, updatedAt: at },
          timeline: [{ at, type: 'awaiting_intake', station, deadline: due.at }],
          notify: [notificationFor(current, { kind: 'reminder', to: station, at, deadline: due.at, detail: '救助对象正被护送至站，请做好接收登记' })],
        };
      }
      case 'revisit': {
        const coldestAirC = coldest(detail, 'ambientTempC', weather.airTempC);
        // A cold wave in force brings the revisit sooner still.
        const delayMinutes = Math.round(revisitDelayMinutes(coldestAirC) * (weather.coldWave ? deps.coldWave.revisitFactor : 1));
        const due: CaseDue = { kind: 'revisit', since: at, at: dueAt(now, delayMinutes, deps.timeScale), overdue: 0 };
        return {
          set: { due, updatedAt: at },
          timeline: [{
            at, type: 'revisit_scheduled', due: due.at, number: disposal.number, of: deps.disposal.revisitLimit, delayMinutes,
            ...(coldestAirC !== undefined ? { coldestAirC } : {}), ...(weather.coldWave ? { coldWave: true } : {}),
          }],
        };
      }
      case 'search_again':
        return {
          set: { status: 'open', searchCount: (current.searchCount ?? 0) + 1, pendingVisit: 'search_again', updatedAt: at },
          remove: ['outcome', 'resolvedAt'],
          timeline: [{ at, type: 'search_again', reason: 'not found: one more search before the case closes' }],
        };
    }
  });
}

/** The time to go back to someone who declined help has come: the case opens again and is alerted as a revisit. */
export async function revisitCase(deps: StepDeps, input: StepInput): Promise<CaseState> {
  return changeCase(deps, input, (current) => {
    const now = deps.now();
    if (current.status !== 'resolved' || current.due?.kind !== 'revisit' || Date.parse(current.due.at) > now.getTime()) return null;
    const at = now.toISOString();
    const number = (current.revisitCount ?? 0) + 1;
    return {
      set: { status: 'open', revisitCount: number, pendingVisit: 'revisit', updatedAt: at },
      remove: ['due', 'wait', 'outcome', 'resolvedAt'],
      timeline: [{ at, type: 'revisit_due', number }],
    };
  });
}

