import { CreateDetectionsRequest } from '#shared/contract/schemas';
import { apiHandler } from '#shared/http/api-handler';
import { caseWorkflow, notifier, tableDependencies } from '#shared/use-cases/dependencies';
import { ingestDetections } from '#shared/use-cases/ingest-detections';

const deps = { ...tableDependencies(), ...caseWorkflow(), ...notifier() };

/**
 * Landing stops this long before the function is cut off (10 s): what is left is stored for the landing sweep, and
 * the answer, its idempotency record included, goes out well inside the timeout.
 */
const ANSWER_MARGIN_MS = 5_000;

export const handler = apiHandler('CreateDetections', { body: CreateDetectionsRequest }, async ({ body, actor, idempotency, remainingMs }) => {
  const remaining = remainingMs();
  const result = await ingestDetections(deps, {
    ...body, actor, ...(idempotency ? { idempotency } : {}),
    ...(Number.isFinite(remaining) ? { landUntil: Date.now() + Math.max(1_000, remaining - ANSWER_MARGIN_MS) } : {}),
  });
  return { statusCode: result.statusCode, body: result.body, ...(result.replayed ? { headers: { 'idempotency-replayed': 'true' } } : {}) };
});
