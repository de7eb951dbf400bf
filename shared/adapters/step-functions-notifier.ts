import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Notification } from '../domain/notification';
import type { Notifier } from './notifier';

/** What the delivery state machine is started with; it reads the rest from the stored notification. */
export const deliveryInput = (notification: Pick<Notification, 'caseId' | 'notificationId'>) =>
  ({ caseId: notification.caseId, notificationId: notification.notificationId });

/**
 * One delivery execution per notification, named by the notification id: dispatching again (a retried step, the
 * reconciler) starts nothing new while one runs, and is refused once it ran, which is swallowed.
 */
export class StepFunctionsNotifier implements Notifier {
  constructor(private readonly sfn: SFNClient, private readonly stateMachineArn: () => string) {}

  async dispatch(notifications: readonly Notification[]): Promise<void> {
    const results = await Promise.allSettled(notifications.map((notification) => this.start(notification)));
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    if (failures.length) {
      throw new AggregateError(failures, `${failures.length} of ${notifications.length} notification(s) were not dispatched; they stay pending in the outbox`);
    }
  }

  private async start(notification: Notification): Promise<void> {
    try {
      await this.sfn.send(new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn(),
        name: notification.notificationId,
        input: JSON.stringify(deliveryInput(notification)),
      }));
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }
}
