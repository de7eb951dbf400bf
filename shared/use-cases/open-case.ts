import { acknowledgementDeadline } from '../domain/alert-policy';
import { alertTargetFor, type RoutingDirectory } from '../domain/alert-routing';
import type { Case, TimelineEntry } from '../domain/case';
import { type Notification, notificationFor } from '../domain/notification';
import { nameNear } from '../domain/place-name';
import { higherRisk } from '../domain/risk';
import type { Dependencies } from './dependencies';
import { teamsWhereTheyAre } from './list-teams';
import type { Evidence } from './record-evidence';
import { ackMinutesIn, type WeatherNow, weatherNow } from './weather';
import { countAlerts, logger } from '../adapters/observability';

/**
 * A credible report opens its case graded and alerted at once: the triage and the first alert the workflow would
 * make are decided here and written with the case, its timeline and the alert's outbox in one transaction; the
 * message is dispatched right after, and the workflow starts already waiting for the acknowledgement (its first
 * state routes on the case's phase). What the workflow guarantees holds: a crash between the write and the dispatch
 * leaves the message pending in the outbox, and the reconciler dispatches it and starts the workflow; new evidence
 * still asks the workflow to grade again, raising the risk and bringing the deadline forward.
 */
export interface OpeningContext {
  directory: RoutingDirectory;
  weather: WeatherNow;
}

export interface Opening {
  case: Case;
  timeline: TimelineEntry[];
  notify: Notification[];
}

type OpeningDeps = Pick<Dependencies, 'directory' | 'campaign' | 'weather' | 'now' | 'timeScale' | 'ackMinutes' | 'coldWave' | 'notifier'>;

/**
 * Who may be alerted and how cold it is: read when a report is about to open a case. The directory is kept for a few
 * seconds (a flood of new places reads it once, not once a case; a team going off duty is heeded within that time);
 * the weather (the air temperature on record, and whether a cold wave is in force) is read every time, so that a
 * reading or a warning just recorded grades the next case.
 */
export async function readOpeningContext(deps: OpeningDeps): Promise<OpeningContext> {
  const [directory, weather] = await Promise.all([keptRoutingDirectory(deps), weatherNow(deps, deps.now())]);
  return { directory, weather };
}

/** Who may be alerted, and the known places cases are named after: the workflow's steps read it too. */
export async function readRoutingDirectory(deps: Pick<Dependencies, 'directory' | 'campaign' | 'now'>): Promise<RoutingDirectory> {
  const [teams, stations, hotSpots] = await Promise.all([teamsWhereTheyAre(deps), deps.directory.list('station'), deps.directory.list('hot_spot')]);
  return { teams, stations, hotSpots };
}

/** A case nobody named yet (a machine's lead) takes the name of the known place nearest to it, if one is near. */
export function nameOfUnnamed(c: Case, directory: RoutingDirectory): Partial<Case> {
  if (c.placeName) return {};
  const name = nameNear(c.location, directory.hotSpots ?? []);
  return name ? { placeName: name, placeNameSource: 'nearby' } : {};
}

function keptRoutingDirectory(deps: OpeningDeps): Promise<RoutingDirectory> {
  const now = deps.now().getTime();
  const kept = recentDirectories.get(deps.directory);
  if (kept && now - kept.at >= 0 && now - kept.at < DIRECTORY_KEPT_MS) return kept.directory;
  const directory = readRoutingDirectory(deps);
  recentDirectories.set(deps.directory, { at: now, directory });
  directory.catch(() => recentDirectories.delete(deps.directory));
  return directory;
}

const DIRECTORY_KEPT_MS = 5_000;
const recentDirectories = new WeakMap<object, { at: number; directory: Promise<RoutingDirectory> }>();

/** The new case as triaged and alerted: risk graded with the weather, named after a known place, the first rung asked. */
export function alertAtOpening(draft: Case, evidence: Evidence, context: OpeningContext, now: Date, deps: OpeningDeps): Opening {
  const at = now.toISOString();
  const assessment = evidence.grade(context.weather);
  const risk = higherRisk(assessment.level, draft.risk);
  const reasons = [...new Set([...assessment.reasons, ...(risk !== assessment.level ? draft.riskReasons : [])])];
  const named: Case = { ...draft, risk, riskReasons: reasons, ...nameOfUnnamed(draft, context.directory) };
  const first = firstAlert(named, context.directory, now, { timeScale: deps.timeScale, ackMinutes: ackMinutesIn(deps, context.weather) });
  return {
    case: { ...named, status: 'alerted', alert: first.alert },
    timeline: [{ at, type: 'triaged', risk, score: assessment.score, reasons }, first.entry],
    notify: [first.notification],
  };
}

/**
 * The first rung of the ladder asked to act on a graded case, with a deadline set by its risk: the alert kept on the
 * case, its timeline entry and its message. A revisit or a second search says so (the workflow's alert step).
 */
export function firstAlert(
  c: Case, directory: RoutingDirectory, now: Date, deps: Pick<Dependencies, 'timeScale' | 'ackMinutes'>, purpose?: Case['pendingVisit'],
): { alert: NonNullable<Case['alert']>; entry: TimelineEntry; notification: Notification } {
  const at = now.toISOString();
  const { rung, target } = alertTargetFor(0, c.location, directory);
  const deadline = acknowledgementDeadline(c.risk, now, deps.timeScale, deps.ackMinutes).toISOString();
  return {
    alert: { rung, target, alertedAt: at, deadline, risk: c.risk },
    entry: { at, type: 'alerted', to: target, rung, risk: c.risk, deadline, ...(purpose ? { purpose } : {}) },
    notification: notificationFor(c, {
      kind: purpose === 'revisit' ? 'revisit' : 'alert', to: target, at, deadline,
      ...(purpose === 'search_again' ? { detail: '上次未找到，请再搜寻一次' } : {}),
    }),
  };
}

/** The alert goes out now; if it cannot, it waits in the outbox for the reconciler. */
export async function dispatchOpening(deps: Pick<Dependencies, 'notifier'>, caseId: string, opening: Opening) {
  countAlerts(opening.notify);
  await deps.notifier.dispatch(opening.notify).catch((error: unknown) => {
    logger.error('notification dispatch failed; the reconciler will', { caseId, error: String(error) });
  });
}
