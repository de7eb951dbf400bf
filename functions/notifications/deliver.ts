import middy from '@middy/core';
import * as z from 'zod';
import { DomainError } from '#shared/domain/errors';
import { notificationChannels, tableDependencies } from '#shared/use-cases/dependencies';
import { deliverNotification, giveUpNotification } from '#shared/use-cases/deliver-notification';
import { observed } from '#shared/adapters/observability';

const deps = { ...tableDependencies(), ...notificationChannels() };

export const DeliveryStepInput = z.object({
  step: z.enum(['deliver', 'give_up']),
  caseId: z.string().min(1),
  notificationId: z.string().min(1),
});

/** Errors the state machine matches by name: these are final; a DeliveryFailed is retried with backoff. */
class DeliveryStepError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** The steps of the notification-delivery state machine: an attempt, and giving up after the last one. */
export const handler = middy<unknown, unknown>().use(observed()).handler(async (event) => {
  const parsed = DeliveryStepInput.safeParse(event);
  if (!parsed.success) throw new DeliveryStepError('InvalidStepInput', z.prettifyError(parsed.error));
  const { step, ...ref } = parsed.data;
  try {
    return step === 'deliver' ? await deliverNotification(deps, ref) : await giveUpNotification(deps, ref);
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not_found') throw new DeliveryStepError('NotificationNotFound', error.message);
    throw error;
  }
});
