import { acknowledgementDeadline } from '../domain/alert-policy';
import { alertTargetFor, type RoutingDirectory } from '../domain/alert-routing';
import type { Case, TimelineEntry } from '../domain/case';
import { type Notification, notificationFor } from '../domain/notification';
import { nameNear } from '../domain/place-name';
import { higherRisk } from '../domain/risk';
import type { Dependencies } from './dependencies';
import type { Evidence } from './record-evidence';
import { recentAirTemperature } from './weather';

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
  airTempC: number | undefined;
}

export interface Opening {
  case: Case;
  timeline: TimelineEntry[];
  notify: Notification[];
}

type OpeningDeps = Pick<Dependencies, 'directory' | 'weather' | 'now' | 'timeScale' | 'ackMinutes' | 'notifier'>;

/**
 * Who may be alerted and how cold it is: read when a report is about to open a case. The directory is kept for a few
 * seconds (a flood of new places reads it once, not once a case; a team going off duty is heeded within that time);
 * the weather is read every time, so that a reading just recorded grades the next case.
 */
export async function readOpeningContext(deps: OpeningDeps): Promise<OpeningContext> {
  const [directory, airTempC] = await Promise.all([routingDirectoryOf(deps), recentAirTemperature(deps, deps.now())]);
  return { directory, airTempC };
}

function routingDirectoryOf(deps: OpeningDeps): Promise<RoutingDirectory> {
  const now = deps.now().getTime();
  const kept = recentDirectories.get(deps.directory);
  if (kept && now - kept.at >= 0 && now - kept.at < DIRECTORY_KEPT_MS) return kept.directory;
  const directory = Promise.all([deps.directory.list('team'), deps.directory.list('station'), deps.directory.list('hot_spot')])
    .then(([teams, stations, hotSpots]) => ({ teams, stations, hotSpots }));
  recentDirectories.set(deps.directory, { at: now, directory });
  directory.catch(() => recentDirectories.delete(deps.directory));
  return directory;
}

const DIRECTORY_KEPT_MS = 5_000;
const recentDirectories = new WeakMap<object, { at: number; directory: Promise<RoutingDirectory> }>();

/** The new case as triaged and alerted: risk graded with the weather, named after a known place, the first rung asked. */
export function alertAtOpening(draft: Case, evidence: Evidence, context: OpeningContext, now: Date, deps: OpeningDeps): Opening {
  const at = now.toISOString();
  const assessment = evidence.grade(context.airTempC);
  const risk = higherRisk(assessment.level, draft.risk);
  const reasons = [...new Set([...assessment.reasons, ...(risk !== assessment.level ? draft.riskReasons : [])])];
  const name = draft.placeName ? undefined : nameNear(draft.location, context.directory.hotSpots ?? []);
  const { rung, target } = alertTargetFor(0, draft.location, context.directory);
  const deadline = acknowledgementDeadline(risk, now, deps.timeScale, deps.ackMinutes).toISOString();
  const opened: Case = {
    ...draft, status: 'alerted', risk, riskReasons: reasons,
    ...(name ? { placeName: name, placeNameSource: 'nearby' as const } : {}),
    alert: { rung, target, alertedAt: at, deadline, risk },
  };
  return {
    case: opened,
    timeline: [
      { at, type: 'triaged', risk, score: assessment.score, reasons },
      { at, type: 'alerted', to: target, rung, risk, deadline },
    ],
    notify: [notificationFor(opened, { kind: 'alert', to: target, at, deadline })],
  };
}

/** The alert goes out now; if it cannot, it waits in the outbox for the reconciler. */
export async function dispatchOpening(deps: Pick<Dependencies, 'notifier'>, caseId: string, opening: Opening) {
  await deps.notifier.dispatch(opening.notify).catch((error: unknown) => {
    console.error(JSON.stringify({ level: 'error', message: 'notification dispatch failed; the reconciler will', caseId, error: String(error) }));
  });
}
