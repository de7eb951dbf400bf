import middy from '@middy/core';
import * as z from 'zod';
import { caseWorkflow, notifier, tableDependencies, uploadBucket } from '#shared/use-cases/dependencies';
import { processLandedObject } from '#shared/use-cases/uploads';
import { logger, observed } from '#shared/adapters/observability';

// Thermal frames' hot spots become detections: the same path as POST /v1/detections (cases, alerts, workflows).
const deps = { ...tableDependencies(), ...uploadBucket(), ...caseWorkflow(), ...notifier() };

/** The part of EventBridge's "Object Created" event from S3 that we read. */
const ObjectCreated = z.object({
  'detail-type': z.literal('Object Created'),
  detail: z.object({ bucket: z.object({ name: z.string() }), object: z.object({ key: z.string(), size: z.number().optional() }) }),
});

/** Runs when an upload lands in the bucket (an EventBridge rule from the bucket's notifications). */
export const handler = middy<unknown, unknown>().use(observed()).handler(async (event) => {
  const { detail } = ObjectCreated.parse(event);
  const outcome = await processLandedObject(deps, { key: detail.object.key });
  logger.info('upload processed', { key: detail.object.key, outcome });
  return { outcome };
});
