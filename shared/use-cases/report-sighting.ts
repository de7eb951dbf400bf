import { ulid } from 'ulid';
import type { CreateSightingRequest, CreateSightingResponse } from '../contract/schemas';
import type { Actor, Case, Sighting, TimelineEntry } from '../domain/case';
import { forbidden } from '../domain/errors';
import { assessRisk } from '../domain/risk';
import type { Dependencies } from './dependencies';
import { type Created, type IdempotentRequest, idempotent } from './idempotent';

export const newCaseId = () => `case-${ulid()}`;

/**
 * A sighting opens a case and starts its workflow. (Joining an open case nearby is the correlation step, which
 * will decide `caseCreated`; until then every sighting opens its own case.)
 */
export async function reportSighting(
  deps: Pick<Dependencies, 'cases' | 'idempotency' | 'workflow' | 'now'>,
  input: { request: CreateSightingRequest; actor: Actor; idempotency?: IdempotentRequest; helpPointId?: string },
): Promise<Created<CreateSightingResponse> & { replayed: boolean }> {
  const { request, actor } = input;
  if (actor.role === 'patrol' && request.teamId && actor.teamId && request.teamId !== actor.teamId) {
    throw forbidden(`a patrol member of ${actor.teamId} cannot report for ${request.teamId}`);
  }
  const now = deps.now();
  const teamId = request.teamId ?? actor.teamId;

  return idempotent(deps.idempotency, input.idempotency, now, async (recordFor) => {
    const caseId = newCaseId();
    const sightingId = `sig-${ulid()}`;
    const risk = assessRisk({ people: request.people, placeType: request.place.type, observedAt: request.observedAt });
    const at = now.toISOString();
    const sighting: Sighting = {
      sightingId,
      caseId,
      observedAt: request.observedAt,
      receivedAt: at,
      location: request.location,
      place: request.place,
      people: request.people,
      ...(request.note ? { note: request.note } : {}),
      ...(teamId ? { teamId } : {}),
      reportedBy: actor,
      source: actor.role === 'public' ? 'public' : actor.role === 'coordinator' ? 'coordinator' : 'patrol',
      ...(input.helpPointId ? { helpPointId: input.helpPointId } : {}),
    };
    const c: Case = {
      caseId,
      status: 'open',
      risk: risk.level,
      riskReasons: risk.reasons,
      location: request.location,
      placeType: request.place.type,
      ...(request.place.name ? { placeName: request.place.name } : {}),
      openedAt: at,
      updatedAt: at,
      sightingCount: 1,
      detectionCount: 0,
      photoCount: 0,
      ...(teamId ? { reportedByTeamId: teamId } : {}),
      version: 1,
    };
    const timeline: TimelineEntry[] = [
      { at, type: 'opened', actor, risk: risk.level },
      { at, type: 'sighting', actor, sightingId, observedAt: request.observedAt, people: request.people.length },
    ];
    const response: Created<CreateSightingResponse> = {
      statusCode: 201,
      body: { sightingId, caseId, caseCreated: true, risk: risk.level },
    };
    await deps.cases.openCase({ case: c, sighting, timeline, idempotency: recordFor(response) });
    await startWorkflowOrLeaveToReconciler(deps, caseId);
    return response;
  }, (replayed) => startWorkflowOrLeaveToReconciler(deps, replayed.body.caseId));
}

/**
 * The case is already stored, so the report is safe whatever happens next. If the workflow cannot be started now,
 * the reconciler starts it; the reporter is not made to retry for our sake. A retry with the same key starts it too.
 */
async function startWorkflowOrLeaveToReconciler(deps: Pick<Dependencies, 'workflow'>, caseId: string) {
  try {
    await deps.workflow.start(caseId, 0);
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', message: 'case workflow not started; the reconciler will', caseId, error: String(error) }));
  }
}
