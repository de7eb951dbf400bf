import { ulid } from 'ulid';
import type { CreateSightingRequest, CreateSightingResponse } from '../contract/schemas';
import type { Actor, Sighting } from '../domain/case';
import { forbidden } from '../domain/errors';
import type { Quota } from '../domain/quota';
import { assessRisk } from '../domain/risk';
import { sightingKey } from '../store/keys';
import { idempotencyRecord } from '../store/idempotency-store';
import type { Dependencies } from './dependencies';
import { type Created, type IdempotentRequest, idempotent } from './idempotent';
import { type EvidenceDeps, type EvidenceOutcome, recordEvidence } from './record-evidence';
import { logger } from '../adapters/observability';

/**
 * A sighting joins the open case of its place, reopens a recently resolved one, or opens a new case; the case's
 * workflow then decides who is alerted.
 */
export async function reportSighting(
  deps: EvidenceDeps & Pick<Dependencies, 'idempotency'>,
  input: { request: CreateSightingRequest; actor: Actor; idempotency?: IdempotentRequest; helpPointId?: string; quota?: Quota },
): Promise<Created<CreateSightingResponse> & { replayed: boolean }> {
  const { request, actor } = input;
  if (actor.role === 'patrol' && request.teamId && actor.teamId && request.teamId !== actor.teamId) {
    throw forbidden(`a patrol member of ${actor.teamId} cannot report for ${request.teamId}`);
  }
  const teamId = request.teamId ?? actor.teamId;

  return idempotent(deps.idempotency, input.idempotency, deps.now(), async () => {
    const sightingId = `sig-${ulid()}`;
    const risk = assessRisk({ people: request.people, placeType: request.place.type, observedAt: request.observedAt });
    // The risk answered is the case's: joining a red case, this sighting is part of a red case.
    const source: Sighting['source'] = actor.role === 'public' ? 'public' : actor.role === 'coordinator' ? 'coordinator' : 'patrol';
    const bodyFor = (o: EvidenceOutcome): CreateSightingResponse => ({ sightingId, caseId: o.caseId, caseCreated: o.created, risk: o.risk });
    const outcome = await recordEvidence(deps, {
      kind: 'sighting',
      ...(input.quota ? { quota: input.quota } : {}),
      actor,
      source,
      location: request.location,
      observedAt: request.observedAt,
      placeType: request.place.type,
      ...(request.place.name ? { placeName: request.place.name } : {}),
      risk,
      grade: (weather) => assessRisk({
        people: request.people, placeType: request.place.type, observedAt: request.observedAt,
        ...(weather.airTempC !== undefined ? { ambientTempC: weather.airTempC } : {}), coldWave: weather.coldWave,
      }),
      credible: true,
      ...(teamId ? { reportedByTeamId: teamId } : {}),
      sightings: 1,
      detections: 0,
      items: (caseId) => {
        const sighting: Sighting = {
          sightingId,
          caseId,
          observedAt: request.observedAt,
          receivedAt: deps.now().toISOString(),
          location: request.location,
          place: request.place,
          people: request.people,
          ...(request.note ? { note: request.note } : {}),
          ...(teamId ? { teamId } : {}),
          reportedBy: actor,
          source,
          ...(input.helpPointId ? { helpPointId: input.helpPointId } : {}),
        };
        return [{ ...sightingKey(caseId, sightingId), entity: 'sighting', ...sighting }];
      },
      timeline: (_caseId, at) => [{
        at, type: 'sighting', actor, sightingId, observedAt: request.observedAt, people: request.people.length, risk: risk.level,
      }],
      ...(input.idempotency ? {
        idempotency: (o: EvidenceOutcome) => idempotencyRecord(input.idempotency!.scope, input.idempotency!.hash,
          { statusCode: 201, body: bodyFor(o) }, deps.now()),
      } : {}),
    });
    return { statusCode: 201, body: bodyFor(outcome) };
  }, (replayed) => startWorkflowOrLeaveToReconciler(deps, replayed.body.caseId));
}

/** A retry with the same key starts the workflow again, in case the first attempt stored the case but died before. */
async function startWorkflowOrLeaveToReconciler(deps: Pick<Dependencies, 'workflow' | 'cases'>, caseId: string) {
  try {
    const c = await deps.cases.getCase(caseId);
    if (c) await deps.workflow.start(caseId, c.workflowGeneration ?? 0);
  } catch (error) {
    logger.error('case workflow not started; the reconciler will', { caseId, error: String(error) });
  }
}
