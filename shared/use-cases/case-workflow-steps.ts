import type { CaseStatus, RiskLevel } from '../contract/vocabulary';
import { acknowledgementDeadline, secondsUntil } from '../domain/alert-policy';
import { alertTargetFor } from '../domain/alert-routing';
import type { Case } from '../domain/case';
import { notFound } from '../domain/errors';
import { assessRisk, oneLevelHigher } from '../domain/risk';
import type { Dependencies } from './dependencies';

/**
 * The steps of the case workflow. Each reads the case as stored and acts only if the case is still where the step
 * expects it, so a step run twice (a retry, a resumed execution) changes nothing the second time.
 */
export interface CaseState {
  caseId: string;
  status: CaseStatus;
  risk: RiskLevel;
  /** Seconds left until the current deadline: the alert's, or an unverified lead's expiry. */
  waitSeconds?: number;
}

type StepDeps = Pick<Dependencies, 'cases' | 'directory' | 'workflow' | 'now' | 'timeScale' | 'ackMinutes' | 'unverifiedLeadHours'>;

/** When an unverified lead nobody checked or corroborated is closed. */
const leadExpiry = (c: Case, deps: Pick<StepDeps, 'timeScale' | 'unverifiedLeadHours'>) =>
  new Date(Date.parse(c.openedAt) + deps.unverifiedLeadHours * 3_600_000 * deps.timeScale).toISOString();

const stateOf = (c: Case, deps: Pick<StepDeps, 'now' | 'timeScale' | 'unverifiedLeadHours'>): CaseState => ({
  caseId: c.caseId,
  status: c.status,
  risk: c.risk,
  ...(c.status === 'alerted' && c.alert ? { waitSeconds: secondsUntil(c.alert.deadline, deps.now()) } : {}),
  ...(c.status === 'unverified' ? { waitSeconds: secondsUntil(leadExpiry(c, deps), deps.now()) } : {}),
});

export async function loadCaseState(deps: StepDeps, caseId: string): Promise<CaseState> {
  const c = await deps.cases.getCase(caseId);
  if (!c) throw notFound(`case ${caseId} does not exist`);
  return stateOf(c, deps);
}

/** Grades the risk from everything known about the case so far. */
export async function triageCase(deps: StepDeps, caseId: string): Promise<CaseState> {
  const detail = await deps.cases.getCaseDetail(caseId);
  if (!detail) throw notFound(`case ${caseId} does not exist`);
  const temperatures = (field: 'ambientTempC' | 'surfaceTempC') => detail.detections
    .map((d) => d[field]).filter((t): t is number => typeof t === 'number');
  const coldest = (field: 'ambientTempC' | 'surfaceTempC') => {
    const values = temperatures(field);
    return values.length ? { [field]: Math.min(...values) } : {};
  };
  const people = detail.sightings.flatMap((s) => s.people);
  const assessment = assessRisk({
    // Machines see a body, not who it is: one person of unknown age until someone reports more.
    people: people.length ? people : [{ ageGroup: 'unknown', conditions: [] }],
    placeType: detail.case.placeType,
    observedAt: detail.case.lastSeenAt ?? detail.case.openedAt,
    ...coldest('ambientTempC'),
    ...coldest('surfaceTempC'),
  });
  const result = await deps.cases.mutateCase(caseId, (current) => {
    if (current.status !== 'open') return null;
    const at = deps.now().toISOString();
    // Seen in the cold again after the case was resolved (e.g. declined help): more urgent than the evidence alone.
    const reopened = (current.reopenCount ?? 0) > 0;
    const level = reopened ? oneLevelHigher(assessment.level) : assessment.level;
    const reasons = reopened ? [...assessment.reasons, 'seen_again_after_resolution'] : assessment.reasons;
    return {
      set: { risk: level, riskReasons: reasons, updatedAt: at },
      timeline: [{ at, type: 'triaged', risk: level, score: assessment.score, reasons }],
    };
  });
  return stateOf(result!.after, deps);
}

/** Asks the first rung of the ladder to act, with a deadline that depends on the risk. */
export async function alertCase(deps: StepDeps, caseId: string): Promise<CaseState> {
  const directory = { teams: await deps.directory.list('team'), stations: await deps.directory.list('station') };
  const result = await deps.cases.mutateCase(caseId, (current) => {
    if (current.status !== 'open') return null;
    const now = deps.now();
    const { rung, target } = alertTargetFor(0, current.location, directory);
    const deadline = acknowledgementDeadline(current.risk, now, deps.timeScale, deps.ackMinutes).toISOString();
    const at = now.toISOString();
    return {
      set: { status: 'alerted', alert: { rung, target, alertedAt: at, deadline }, updatedAt: at },
      timeline: [{ at, type: 'alerted', to: target, rung, risk: current.risk, deadline }],
    };
  });
  if (!result) throw notFound(`case ${caseId} does not exist`);
  return stateOf(result.after, deps);
}

/**
 * Holds the workflow's task token on the case while it waits for the case to leave `status`. If the case already
 * left it (the acknowledgement beat the workflow here), the wait is finished at once.
 */
export async function awaitCaseChange(deps: StepDeps, input: { caseId: string; status: CaseStatus; taskToken: string }) {
  let alreadyMoved = false;
  await deps.cases.mutateCase(input.caseId, (current) => {
    alreadyMoved = current.status !== input.status;
    if (alreadyMoved) return null;
    return { set: { wait: { token: input.taskToken, status: input.status, since: deps.now().toISOString() } } };
  });
  if (alreadyMoved) await deps.workflow.completeWait(input.taskToken, { caseId: input.caseId });
  return { caseId: input.caseId, waiting: !alreadyMoved };
}

/** Nobody acknowledged in time: ask the next rung, with a fresh deadline. */
export async function escalateCase(deps: StepDeps, caseId: string): Promise<CaseState> {
  const directory = { teams: await deps.directory.list('team'), stations: await deps.directory.list('station') };
  const result = await deps.cases.mutateCase(caseId, (current) => {
    const now = deps.now();
    if (current.status !== 'alerted' || !current.alert || Date.parse(current.alert.deadline) > now.getTime()) return null;
    const { rung, target } = alertTargetFor(current.alert.rung + 1, current.location, directory);
    const deadline = acknowledgementDeadline(current.risk, now, deps.timeScale, deps.ackMinutes).toISOString();
    const at = now.toISOString();
    return {
      set: { alert: { rung, target, alertedAt: at, deadline }, updatedAt: at },
      remove: ['wait'],
      timeline: [{ at, type: 'escalated', from: current.alert.target, to: target, rung, deadline }],
    };
  });
  if (!result) throw notFound(`case ${caseId} does not exist`);
  return stateOf(result.after, deps);
}

/** An unverified lead that nobody checked or corroborated in time is closed, with the reason on its timeline. */
export async function expireLead(deps: StepDeps, caseId: string): Promise<CaseState> {
  const result = await deps.cases.mutateCase(caseId, (current) => {
    const now = deps.now();
    if (current.status !== 'unverified' || Date.parse(leadExpiry(current, deps)) > now.getTime()) return null;
    const at = now.toISOString();
    return {
      set: { status: 'closed', outcome: 'unverified_expired', resolvedAt: at, updatedAt: at },
      remove: ['wait'],
      timeline: [{ at, type: 'closed', reason: 'unverified machine lead: no human check and no corroboration in time' }],
    };
  });
  if (!result) throw notFound(`case ${caseId} does not exist`);
  return stateOf(result.after, deps);
}
