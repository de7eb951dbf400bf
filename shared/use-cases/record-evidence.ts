import { ulid } from 'ulid';
import type { Location } from '../contract/schemas';
import type { LeadSource } from '../contract/stats';
import type { PlaceType, RiskLevel } from '../contract/vocabulary';
import type { Actor, Case, TimelineEntry } from '../domain/case';
import { cellOf, cellsAround, decideCorrelation, JOINABLE_STATUSES, type NearbyCase, REF_DRIFT_M, searchRadiusM } from '../domain/correlation';
import { distanceM } from '../domain/geo';
import { accuracyOf, addSums, caseSums, type EstimateSums, estimateOf, type Position, sumsOf } from '../domain/position-estimate';
import { betterPlace } from '../domain/place-name';
import { type Quota, quotaWindow } from '../domain/quota';
import { higherRisk, oneLevelHigher, type RiskAssessment } from '../domain/risk';
import { backoff, type CaseChange, CaseChangedMeanwhile, type CaseJoin, type PlaceCell, timelineItem } from '../store/case-store';
import type { IdempotencyRecord } from '../store/idempotency-store';
import type { Dependencies } from './dependencies';
import { alertAtOpening, dispatchOpening, type Opening, type OpeningContext, readOpeningContext } from './open-case';
import { finishWait } from './finish-wait';
import type { WeatherNow } from './weather';
import { countCaseOpened, logger } from '../adapters/observability';

export const newCaseId = () => `case-${ulid()}`;

/** One report's worth of evidence about a place: a sighting, or a group of detections of the same place. */
export interface Evidence {
  kind: 'sighting' | 'detection';
  /** Who reported it: a patrol member, a coordinator, someone at a help point, a device. */
  actor: Actor;
  /** Where it came from: a sighting's source, or the kind of machine that detected it. */
  source: LeadSource;
  location: Location;
  observedAt: string;
  placeType: PlaceType;
  placeName?: string;
  risk: RiskAssessment;
  /**
   * The evidence graded as the workflow's triage grades a case's evidence, in the weather on record (the air
   * temperature, if any; a cold wave in force): what a case it opens is alerted at.
   */
  grade: (weather: WeatherNow) => RiskAssessment;
  /** A person saw it, or a machine was confident enough: it may alert people on its own. */
  credible: boolean;
  deviceId?: string;
  maxConfidence?: number;
  /** The coldest air and surface temperatures the detections read. */
  coldest?: { ambientTempC?: number; surfaceTempC?: number };
  /** The patrol team that reported it, kept on a case it opens. */
  reportedByTeamId?: string;
  sightings: number;
  detections: number;
  /** The items this evidence adds under the case it lands in (sighting, detections). */
  items: (caseId: string) => Record<string, unknown>[];
  /** Its timeline entries, once the case is known. */
  timeline: (caseId: string, at: string) => TimelineEntry[];
  /** Detection records (keyed by device and id), written only if none of them exists yet. */
  detectionRecords?: (caseId: string) => Record<string, unknown>[];
  /** The idempotency record to write with the evidence, given where it landed. */
  idempotency?: (outcome: EvidenceOutcome) => IdempotencyRecord;
  /** Whose hourly quota of new cases a case this evidence opens counts against (a help point, a device). */
  quota?: Quota;
}

export interface EvidenceOutcome {
  caseId: string;
  created: boolean;
  risk: RiskLevel;
  status: Case['status'];
}

const MAX_ATTEMPTS = 25;

export type EvidenceDeps = Pick<Dependencies,
  'cases' | 'workflow' | 'now' | 'correlation' | 'directory' | 'campaign' | 'weather' | 'notifications' | 'notifier' | 'timeScale' | 'ackMinutes'
  | 'coldWave'>;

/**
 * Lands evidence in the case it belongs to: the active case whose estimate it fits best, a recently resolved case of
 * the place (reopened, more urgent), or a new case (graded and alerted at once when the evidence is credible). The
 * decision and its writes are one transaction conditional on the place cells read, so concurrent reports of one spot
 * serialise: fifty first reports make one case.
 */
export async function recordEvidence(deps: EvidenceDeps, evidence: Evidence): Promise<EvidenceOutcome> {
  const { windowMinutes, relinkHours } = deps.correlation;
  const position: Position = { lat: evidence.location.lat, lon: evidence.location.lon, accuracyM: accuracyOf(evidence.location, evidence.source) };
  const share = sumsOf(position);
  const searchM = searchRadiusM(deps.correlation);
  const cellIds = cellsAround(evidence.location, searchM);
  // Read once, and only if the report opens a case.
  let openingContext: Promise<OpeningContext> | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const cells = await deps.cases.readPlaceCells(cellIds);
    const nearbyIds = cells.flatMap((cell) => Object.entries(cell.cases)
      .filter(([, ref]) => distanceM(ref, evidence.location) <= searchM)
      .map(([caseId]) => caseId));
    const nearby = await deps.cases.getCases(nearbyIds);
    const near = nearby.map(toNearby);
    const decision = decideCorrelation({ position, observedAt: evidence.observedAt }, near, deps.correlation);
    const now = deps.now();
    const at = now.toISOString();
    const retention = (windowMinutes + relinkHours * 60) * 60_000;

    let caseId: string;
    let write: Parameters<Dependencies['cases']['writeEvidence']>[0]['case'];
    let before: Case | undefined;
    let after: Case;
    let opening: Opening | undefined;
    if (decision.kind === 'create') {
      caseId = newCaseId();
      after = {
        caseId,
        status: evidence.credible ? 'open' : 'unverified',
        risk: evidence.risk.level,
        riskReasons: evidence.risk.reasons,
        location: estimateOf(share),
        estimateSums: share,
        placeType: evidence.placeType,
        placeTypeSource: evidence.kind,
        ...(evidence.placeName ? { placeName: evidence.placeName, placeNameSource: 'report' as const } : {}),
        openedAt: at,
        updatedAt: at,
        lastSeenAt: evidence.observedAt,
        sightingCount: evidence.sightings,
        detectionCount: evidence.detections,
        reportsBySource: reportsOf(evidence),
        leadSource: evidence.source,
        photoCount: 0,
        ...(evidence.deviceId ? { sourceDevices: [evidence.deviceId] } : {}),
        ...(evidence.reportedByTeamId ? { reportedByTeamId: evidence.reportedByTeamId } : {}),
        ...(evidence.maxConfidence !== undefined ? { maxConfidence: evidence.maxConfidence } : {}),
        ...coldestOf(undefined, evidence),
        ...detectionLogOf(evidence, at),
        ...mergeCandidatesOf(position, evidence.observedAt, near, deps.correlation),
        workflowGeneration: 0,
        version: 1,
      };
      // A credible report opens the case graded and alerted at once, in the same write (shared/use-cases/open-case.ts).
      if (evidence.credible) {
        opening = alertAtOpening(after, evidence, await (openingContext ??= readOpeningContext(deps)), now, deps);
        after = opening.case;
      }
      write = { create: after };
    } else {
      before = nearby.find((c) => c.caseId === decision.caseId)!;
      caseId = before.caseId;
      if (decision.kind === 'reopen') {
        const change = reopening(before, evidence, share, at);
        after = { ...before, ...change.set, version: before.version + 1 } as Case;
        for (const field of change.remove ?? []) delete after[field];
        write = { update: before, change };
      } else {
        const join = joining(before, evidence, share, at);
        after = {
          ...before, ...join.set, sightingCount: before.sightingCount + evidence.sightings,
          detectionCount: before.detectionCount + evidence.detections, reportsBySource: addReports(before, evidence),
          version: before.version + 1,
          ...(join.risk ? { risk: join.risk.to as RiskLevel, riskReasons: join.risk.reasons } : {}),
          ...(join.status ? { status: join.status.to as Case['status'] } : {}),
          // The join's location is the estimate these sums make.
          estimateSums: addSums(caseSums(before), share),
          ...join.colder,
        };
        if (join.status) delete after.wait;
        write = { join: before, adding: join };
      }
    }

    const timeline = [
      ...(decision.kind === 'create' ? [{ at, type: 'opened', actor: evidence.actor, risk: after.risk, ...(after.status === 'unverified' ? { unverified: true } : {}) }] : []),
      ...(decision.kind === 'reopen' ? [{
        at, type: 'reopened', reason: 'seen again at the place of a recently resolved case', previousOutcome: before!.outcome,
        risk: after.risk,
      }] : []),
      ...(before?.status === 'unverified' && after.status === 'open' ? [{ at, type: 'corroborated', by: evidence.kind }] : []),
      ...(before && !logsDetection(before, evidence, at) ? [] : evidence.timeline(caseId, at)),
      // The grading and the alert of a case opened by credible evidence come after the evidence they read.
      ...(opening?.timeline ?? []),
    ];
    const items = [...evidence.items(caseId), ...timeline.map((entry) => timelineItem(caseId, entry))];
    try {
      await deps.cases.writeEvidence({
        cells: decision.kind === 'join' && !refNeedsRefresh(cells, after) ? [] : withCase(cells, after, now.getTime() - retention),
        case: write,
        items,
        detections: evidence.detectionRecords?.(caseId) ?? [],
        ...(opening ? { alongside: opening.notify.map((n) => deps.notifications.put(n)) } : {}),
        ...(evidence.idempotency ? {
          idempotency: evidence.idempotency({ caseId, created: decision.kind === 'create', risk: after.risk, status: after.status }),
        } : {}),
        // The team reporting reads the case it reported, whichever case its report landed in.
        ...(evidence.reportedByTeamId ? { relate: { teams: [evidence.reportedByTeamId] } } : {}),
        // Only a new case counts: evidence joining or reopening one is never refused.
        ...(evidence.quota && decision.kind === 'create' ? { quota: { ...evidence.quota, ...quotaWindow(now) } } : {}),
      });
    } catch (error) {
      if (!(error instanceof CaseChangedMeanwhile)) throw error;
      await backoff(attempt);
      continue;
    }
    await Promise.all([startOrResumeWorkflow(deps, before, after), ...(opening ? [dispatchOpening(deps, caseId, opening)] : [])]);
    if (decision.kind === 'create') countCaseOpened(evidence.source);
    return { caseId, created: decision.kind === 'create', risk: after.risk, status: after.status };
  }
  throw new Error(`place ${cellIds.join(',')} stayed contended for ${MAX_ATTEMPTS} attempts`);
}

function toNearby(c: Case): NearbyCase {
  return {
    caseId: c.caseId, estimate: estimateOf(caseSums(c)), status: c.status, lastSeenAt: c.lastSeenAt ?? c.openedAt,
    ...(c.resolvedAt ? { resolvedAt: c.resolvedAt } : {}),
  };
}

/**
 * The active cases a new case opens near: within the widest gate of it, though it fits none of them (a report far
 * off, or a neighbour a street away). At most three, nearest first; offered to people to merge, never merged here.
 */
function mergeCandidatesOf(position: Position, observedAt: string, nearby: NearbyCase[], settings: Dependencies['correlation']) {
  const at = Date.parse(observedAt);
  if (position.accuracyM > settings.vagueM) return {};
  const candidates = nearby
    .filter((c) => JOINABLE_STATUSES.includes(c.status) && c.estimate.accuracyM <= settings.vagueM
      && Math.abs(at - Date.parse(c.lastSeenAt)) <= settings.windowMinutes * 60_000)
    .map((c) => ({ caseId: c.caseId, metres: distanceM(c.estimate, position) }))
    .filter(({ metres }) => metres <= settings.maxGateM)
    .sort((a, b) => a.metres - b.metres)
    .slice(0, 3);
  return candidates.length ? { mergeCandidates: candidates.map((c) => c.caseId) } : {};
}

/** The case's coldest readings once the evidence's are counted: only those the evidence lowers (or first gives). */
function coldestOf(current: Case | undefined, evidence: Evidence): Pick<Case, 'coldestAmbientC' | 'coldestSurfaceC'> {
  const lower = (now: number | undefined, reading: number | undefined) => (reading !== undefined && (now === undefined || reading < now) ? reading : undefined);
  const ambient = lower(current?.coldestAmbientC, evidence.coldest?.ambientTempC);
  const surface = lower(current?.coldestSurfaceC, evidence.coldest?.surfaceTempC);
  return { ...(ambient !== undefined ? { coldestAmbientC: ambient } : {}), ...(surface !== undefined ? { coldestSurfaceC: surface } : {}) };
}

const minuteOf = (iso: string) => iso.slice(0, 16);

/** The timeline's note of a detection entry written now, kept on the case: its device and minute. */
const detectionLogOf = (evidence: Evidence, at: string): Pick<Case, 'detectionLog'> =>
  (evidence.kind === 'detection' && evidence.deviceId ? { detectionLog: { deviceId: evidence.deviceId, minute: minuteOf(at) } } : {});

/**
 * Whether a detection joining a case gets its own timeline entry: one per device and minute (a camera reporting
 * every few seconds all night would otherwise bury the timeline under a thousand entries; the counts keep them all).
 */
const logsDetection = (current: Case, evidence: Evidence, at: string) => evidence.kind !== 'detection' || !evidence.deviceId
  || current.detectionLog?.deviceId !== evidence.deviceId || current.detectionLog.minute !== minuteOf(at);

/** The reports evidence adds, by source: its sightings or detections, all from one source. */
const reportsOf = (evidence: Evidence): NonNullable<Case['reportsBySource']> =>
  ({ [evidence.source]: evidence.sightings + evidence.detections });

/** A case's reports by source once evidence is added (set outright where the whole case is written, as on a reopen). */
function addReports(current: Case, evidence: Evidence): NonNullable<Case['reportsBySource']> {
  const before = current.reportsBySource?.[evidence.source] ?? 0;
  return { ...current.reportsBySource, [evidence.source]: before + evidence.sightings + evidence.detections };
}

/** Statuses in which someone has been asked or sent: new evidence is graded again by the workflow, not here. */
const ALERTED_OR_TAKEN: readonly Case['status'][] = ['alerted', 'acknowledged', 'on_scene'];
/**
 * Statuses in which evidence that may raise the risk asks the workflow for a full grading (`retriage`): an open case
 * may be half-way through its triage, whose reading of the evidence is then stale; the alert waits for the grading.
 */
const GRADED_BY_WORKFLOW: readonly Case['status'][] = ['open', ...ALERTED_OR_TAKEN];

/**
 * Whether evidence joining a case that people are already on could make it more urgent: a person's report (who is
 * there, in what state), a higher risk of its own, or a temperature (cold air, a cold body) the grading weighs.
 */
const mayRaiseRisk = (current: Case, evidence: Evidence) => current.risk !== 'red'
  && (evidence.kind === 'sighting' || higherRisk(current.risk, evidence.risk.level) !== current.risk
    || evidence.risk.reasons.some((reason) => reason.startsWith('air:') || reason.startsWith('surface:')));

/** What evidence adds to the active case it joins; commutative, so many reports can join at once. */
function joining(current: Case, evidence: Evidence, share: EstimateSums, at: string): CaseJoin {
  const devices = new Set([...(current.sourceDevices ?? []), ...(evidence.deviceId ? [evidence.deviceId] : [])]);
  // Corroboration needs a person's report or a confident machine: weak detections, however many devices send
  // them, never alert anyone on their own (a warm transformer box is seen by every thermal camera).
  const corroborated = current.status === 'unverified' && evidence.credible;
  const taken = ALERTED_OR_TAKEN.includes(current.status);
  // Before anyone is asked, the quick grade of the evidence is enough (the workflow grades it fully at triage).
  const risk = taken ? current.risk : higherRisk(current.risk, evidence.risk.level);
  const lastSeen = current.lastSeenAt ?? current.openedAt;
  const sums = addSums(caseSums(current), share);
  const colder = coldestOf(current, evidence);
  return {
    add: { sightingCount: evidence.sightings, detectionCount: evidence.detections, reportsBySource: reportsOf(evidence) },
    estimate: current.estimateSums ? { add: share } : { init: sums },
    set: {
      updatedAt: at,
      // The estimate as this report leaves it (a concurrent join may land in between: the sums stay exact, see caseOf).
      location: estimateOf(sums),
      ...betterPlace(current, evidence),
      lastSeenAt: Date.parse(evidence.observedAt) > Date.parse(lastSeen) ? evidence.observedAt : lastSeen,
      ...(evidence.deviceId && !current.sourceDevices?.includes(evidence.deviceId) ? { sourceDevices: [...devices] } : {}),
      ...(evidence.maxConfidence !== undefined && evidence.maxConfidence > (current.maxConfidence ?? -1) ? { maxConfidence: evidence.maxConfidence } : {}),
      ...(GRADED_BY_WORKFLOW.includes(current.status) && mayRaiseRisk(current, evidence) ? { retriage: true as const } : {}),
      ...(logsDetection(current, evidence, at) ? detectionLogOf(evidence, at) : {}),
    },
    ...(Object.keys(colder).length ? { colder } : {}),
    ...(risk !== current.risk ? { risk: { from: current.risk, to: risk, reasons: [...new Set([...current.riskReasons, ...evidence.risk.reasons])] } } : {}),
    ...(corroborated ? { status: { from: 'unverified', to: 'open' } } : {}),
  };
}

/** A recently resolved case seen again: open once more, one risk level higher, with a fresh workflow. */
function reopening(current: Case, evidence: Evidence, share: EstimateSums, at: string): CaseChange {
  const risk = oneLevelHigher(higherRisk(current.risk, evidence.risk.level));
  const estimateSums = addSums(caseSums(current), share);
  return {
    set: {
      estimateSums, location: estimateOf(estimateSums), ...coldestOf(current, evidence),
      status: 'open', risk, updatedAt: at, lastSeenAt: evidence.observedAt, ...betterPlace(current, evidence),
      sightingCount: current.sightingCount + evidence.sightings,
      detectionCount: current.detectionCount + evidence.detections,
      reportsBySource: addReports(current, evidence),
      reopenCount: (current.reopenCount ?? 0) + 1,
      workflowGeneration: current.workflowGeneration + 1,
      riskReasons: [...new Set([...current.riskReasons, ...evidence.risk.reasons, 'seen_again_after_resolution'])],
    },
    remove: ['alert', 'wait'],
  };
}

/**
 * A joined case's entry in the index is refreshed at most every half hour, or once its estimate has moved more than
 * REF_DRIFT_M from it (into another cell, perhaps), so joins seldom touch the cells.
 */
const REF_REFRESH_MS = 30 * 60_000;
function refNeedsRefresh(cells: PlaceCell[], c: Case): boolean {
  const ref = cells.find((cell) => cell.cell === cellOf(c.location))?.cases[c.caseId];
  return !ref || Date.parse(c.lastSeenAt) - Date.parse(ref.lastSeenAt) > REF_REFRESH_MS || distanceM(ref, c.location) > REF_DRIFT_M;
}

/**
 * The cells written back: this case's entry where its estimate lies (and nowhere else: an estimate that moved leaves
 * its old cell), entries past retention dropped. The estimate lies between the case's old one and the report, both
 * within the searched disk, so its cell is among those read; were it not, the old entry would stay.
 */
function withCase(cells: PlaceCell[], c: Case, keepAfter: number): (PlaceCell & { unchanged?: boolean })[] {
  const home = cellOf(c.location);
  const moving = cells.some((cell) => cell.cell === home);
  return cells.map((cell) => {
    // Only the cells the case is added to or leaves are written; the rest are checked (see EvidenceWrite.cells).
    if (cell.cell !== home && !(moving && cell.cases[c.caseId])) return { ...cell, unchanged: true };
    const cases = Object.fromEntries(Object.entries(cell.cases)
      .filter(([caseId, ref]) => Date.parse(ref.lastSeenAt) >= keepAfter && !(moving && caseId === c.caseId)));
    if (cell.cell === home) cases[c.caseId] = { lat: c.location.lat, lon: c.location.lon, lastSeenAt: c.lastSeenAt };
    return { ...cell, cases };
  });
}

/**
 * After the write: a new case gets its workflow; a reopened case a fresh one (next generation); a corroborated
 * lead's workflow is released from its wait, and so is the wait of a case whose evidence asks for a new grading.
 * A failure here leaves the case stored and the reconciler to act.
 */
async function startOrResumeWorkflow(deps: Pick<Dependencies, 'workflow' | 'cases'>, before: Case | undefined, after: Case) {
  try {
    if (!before || after.workflowGeneration !== before.workflowGeneration) {
      await deps.workflow.start(after.caseId, after.workflowGeneration);
      // The previous generation may be waiting (a revisit, an intake): it finds itself superseded and ends.
      if (before?.wait) await finishWait(deps, after.caseId, before.wait);
    } else if (before.wait && !after.wait) {
      await finishWait(deps, after.caseId, before.wait);
    } else if (after.retriage && !before.retriage) {
      // Read again: the workflow may have begun a new wait since this report read the case. A wait begun after the
      // join sees the flag itself and does not wait.
      const wait = (await deps.cases.getCase(after.caseId))?.wait;
      if (wait) await finishWait(deps, after.caseId, wait);
    }
  } catch (error) {
    logger.error('case workflow not started; the reconciler will', { caseId: after.caseId, error: String(error) });
  }
}
