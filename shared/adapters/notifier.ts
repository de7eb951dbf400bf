import type { Notification } from '../domain/notification';

/**
 * Sends notifications that are already stored in the outbox (written with the case change that caused them).
 * Dispatching is best effort and may fail: the outbox keeps the message pending and the reconciler dispatches it again.
 */
export interface Notifier {
  dispatch(notifications: readonly Notification[]): Promise<void>;
}
