import type { CaseStatus, Outcome, RiskLevel } from '../contract/vocabulary';
import { acknowledgementDeadline } from './alert-policy';
import type { Case } from './case';

/**
 * What happens after a case is acknowledged: deadlines to arrive and to report an outcome, and what each outcome
 * leads to (the station's intake, a revisit on a cold night, one more search, or closing with a reason).
 */
export interface DisposalSettings {
  /** Minutes from acknowledgement to arrival on the scene, by risk. */
  arriveMinutes: Record<RiskLevel, number>;
  /** Minutes from arrival to an outcome. */
  outcomeMinutes: number;
  /** Minutes from "escorted to the station" to the station's intake. */
  intakeMinutes: number;
  /** Hours between reminders while someone stays in the station. */
  dischargeCheckHours: number;
  /** How many times someone who declined help is visited again before the case closes. */
  revisitLimit: number;
}

/** An arrival farther than this from the case is asked about on the phone and marked far on the timeline. */
export const DEFAULT_ARRIVAL_CHECK_M = 300;

export const DEFAULT_DISPOSAL: DisposalSettings = {
  arriveMinutes: { red: 20, orange: 30, yellow: 60, blue: 120 },
  outcomeMinutes: 60,
  intakeMinutes: 90,
  dischargeCheckHours: 24,
  revisitLimit: 3,
};

/** What the workflow is waiting for once a case is acknowledged; `overdue` counts the deadlines already missed. */
export const DUE_KINDS = ['arrival', 'outcome', 'intake', 'discharge', 'revisit'] as const;
export type DueKind = (typeof DUE_KINDS)[number];
export interface CaseDue {
  kind: DueKind;
  since: string;
  at: string;
  overdue: number;
}

/**
 * Minutes until someone who declined help is visited again: the colder the night, the sooner.
 * Unknown temperature is treated as a cold night (winter campaign).
 */
export function revisitDelayMinutes(coldestAirC: number | undefined): number {
  if (coldestAirC === undefined) return 120;
  if (coldestAirC <= -10) return 45;
  if (coldestAirC <= -5) return 60;
  if (coldestAirC <= 0) return 120;
  if (coldestAirC <= 5) return 240;
  return 480;
}

export const dueAt = (from: Date, minutes: number, timeScale: number) =>
  new Date(from.getTime() + minutes * 60_000 * timeScale).toISOString();

/** The status a case waits in while each deadline after acknowledgement runs (a revisit waits in `resolved` too). */
export const STATUS_OF_DUE: Record<Exclude<DueKind, 'revisit'>, CaseStatus> = {
  arrival: 'acknowledged', outcome: 'on_scene', intake: 'resolved', discharge: 'in_station',
};

/** A deadline of `kind` counted from `from`, as long as the kind allows at the case's risk. */
export function newDue(
  kind: Exclude<DueKind, 'revisit'>, risk: RiskLevel, from: Date, settings: DisposalSettings, timeScale: number,
): CaseDue {
  return { kind, since: from.toISOString(), at: dueAt(from, dueMinutes(kind, risk, settings), timeScale), overdue: 0 };
}

/** Minutes a due kind allows (revisits are computed from the cold, see revisitDelayMinutes). */
export function dueMinutes(kind: Exclude<DueKind, 'revisit'>, risk: RiskLevel, settings: DisposalSettings): number {
  switch (kind) {
    case 'arrival': return settings.arriveMinutes[risk];
    case 'outcome': return settings.outcomeMinutes;
    case 'intake': return settings.intakeMinutes;
    case 'discharge': return settings.dischargeCheckHours * 60;
  }
}

/** Why each closing outcome closes the case, as its timeline says. */
const CLOSING_REASONS: Partial<Record<Outcome, string>> = {
  medical_handover: 'handed over to medical care',
  reunited_with_family: 'reunited with family',
  referred_to_police: 'referred to the police',
  false_alarm: 'false alarm',
};

/** What a resolved case leads to, decided from its outcome and its history. */
export type Disposal =
  | { kind: 'close'; reason: string }
  | { kind: 'await_intake' }
  | { kind: 'revisit'; number: number }
  | { kind: 'search_again' };

export function disposalOf(c: Pick<Case, 'outcome' | 'revisitCount' | 'searchCount'>, settings: DisposalSettings): Disposal {
  const outcome = c.outcome as Outcome | undefined;
  switch (outcome) {
    case 'escorted_to_station':
      return { kind: 'await_intake' };
    case 'declined_help': {
      const made = c.revisitCount ?? 0;
      return made < settings.revisitLimit
        ? { kind: 'revisit', number: made + 1 }
        : { kind: 'close', reason: `declined help; visited again ${made} time(s), the limit` };
    }
    case 'not_found':
      return (c.searchCount ?? 0) < 1
        ? { kind: 'search_again' }
        : { kind: 'close', reason: 'not found after a second search' };
    case undefined:
      return { kind: 'close', reason: 'resolved without an outcome' };
    default:
      return { kind: 'close', reason: CLOSING_REASONS[outcome] ?? outcome };
  }
}

/** Where a case's workflow stands, from the case as stored: the first state of the workflow routes on it. */
export const WORKFLOW_PHASES = [
  'superseded', 'done', 'triage', 'dispose',
  'await_verification', 'await_acknowledgement', 'await_arrival', 'await_outcome', 'await_intake', 'await_discharge',
  'await_revisit',
] as const;
export type WorkflowPhase = (typeof WORKFLOW_PHASES)[number];

export function phaseOf(c: Case, generation: number): WorkflowPhase {
  // A newer execution (a reopened or resumed case) drives this case now.
  if (generation !== c.workflowGeneration) return 'superseded';
  const active = c.status === 'alerted' || c.status === 'acknowledged' || c.status === 'on_scene';
  if (c.retriage && active) return 'triage';
  switch (c.status) {
    case 'unverified': return 'await_verification';
    case 'open': return 'triage';
    case 'alerted': return 'await_acknowledgement';
    case 'acknowledged': return 'await_arrival';
    case 'on_scene': return 'await_outcome';
    case 'resolved':
      if (c.due?.kind === 'intake') return 'await_intake';
      if (c.due?.kind === 'revisit') return 'await_revisit';
      return 'dispose';
    case 'in_station': return 'await_discharge';
    case 'closed': return 'done';
  }
}

/** The status a phase's wait holds on: the wait ends when the case leaves it. */
export const AWAITED_STATUS = {
  await_verification: 'unverified',
  await_acknowledgement: 'alerted',
  await_arrival: 'acknowledged',
  await_outcome: 'on_scene',
  await_intake: 'resolved',
  await_discharge: 'in_station',
  await_revisit: 'resolved',
} as const;

/**
 * The alert's or the arrival's deadline brought forward to what `risk` allows, counted from when it began; undefined
 * when the running deadline is already no later than that.
 */
export function deadlineForRisk(
  c: Pick<Case, 'status' | 'alert' | 'due'>, risk: RiskLevel, deps: { timeScale: number; ackMinutes: Record<RiskLevel, number>; disposal: DisposalSettings },
): Pick<Case, 'alert' | 'due'> | undefined {
  if (c.status === 'alerted' && c.alert) {
    const allowed = acknowledgementDeadline(risk, new Date(c.alert.alertedAt), deps.timeScale, deps.ackMinutes).toISOString();
    return Date.parse(allowed) < Date.parse(c.alert.deadline) ? { alert: { ...c.alert, deadline: allowed, risk } } : undefined;
  }
  if (c.status === 'acknowledged' && c.due?.kind === 'arrival') {
    const allowed = dueAt(new Date(c.due.since), deps.disposal.arriveMinutes[risk], deps.timeScale);
    return Date.parse(allowed) < Date.parse(c.due.at) ? { due: { ...c.due, at: allowed } } : undefined;
  }
  return undefined;
}
