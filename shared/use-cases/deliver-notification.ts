import type { AlertTarget } from '../domain/case';
import { retryDelaySeconds } from '../domain/delivery-retry';
import { notFound } from '../domain/errors';
import type { DeliveryStatus, NotificationRecord } from '../domain/notification';
import { WriteConditionFailed } from '../store/case-store';
import type { NotifyChannel } from '../store/directory-store';
import type { Dependencies } from './dependencies';
import { countNotificationFailed } from '../adapters/observability';

/** An attempt did not get the message out; the delivery state machine retries on this name, with backoff. */
export class DeliveryFailed extends Error {
  override name = 'DeliveryFailed';
}

export interface NotificationRef {
  caseId: string;
  notificationId: string;
}

export interface DeliveryOutcome {
  notificationId: string;
  status: DeliveryStatus;
  attempts: number;
  channels?: string[];
}

/** Where one message goes: the recipient's channel, or the outbox alone where a topic-bound one has no topic. */
type Route = NotifyChannel | { channel: 'outbox' };

type DeliveryDeps = Pick<Dependencies, 'notifications' | 'directory' | 'channels' | 'now' | 'timeScale'>;

const outcomeOf = (record: NotificationRecord): DeliveryOutcome => ({
  notificationId: record.notificationId,
  status: record.status,
  attempts: record.attempts,
  ...(record.channels ? { channels: record.channels } : {}),
});

async function stored(deps: Pick<Dependencies, 'notifications'>, ref: NotificationRef): Promise<NotificationRecord> {
  const record = await deps.notifications.get(ref.caseId, ref.notificationId);
  if (!record) throw notFound(`notification ${ref.notificationId} of case ${ref.caseId} does not exist`);
  return record;
}

/** Teams and stations choose their channel in the directory; the coordinator, and anyone who chose none, the topic. */
async function routeTo(deps: DeliveryDeps, to: AlertTarget): Promise<Route> {
  const chosen = to.kind === 'coordinator' ? undefined : (await deps.directory.get(to.kind, to.id))?.notify;
  const route: NotifyChannel = chosen ?? { channel: 'sns' };
  return route.channel === 'sns' && !deps.channels.topic ? { channel: 'outbox' } : route;
}

async function send(deps: DeliveryDeps, route: Route, record: NotificationRecord): Promise<void> {
  if (route.channel === 'webhook') await deps.channels.chatRobot.post(route.url, record.text);
  else if (route.channel === 'sns') await deps.channels.topic!.publish(record);
  // 'outbox': the stored record is the delivery; the local pages read it from there.
}

/**
 * One attempt to deliver a stored notification, recorded on it. A notification no longer pending (delivered, or
 * given up) is left alone, so a retry or a second dispatch never sends it twice. A failed attempt is recorded with
 * when the next is due and thrown as DeliveryFailed, for the state machine to retry.
 */
export async function deliverNotification(deps: DeliveryDeps, ref: NotificationRef): Promise<DeliveryOutcome> {
  const record = await stored(deps, ref);
  if (record.status !== 'pending') return outcomeOf(record);
  const route = await routeTo(deps, record.to);
  const started = deps.now();
  try {
    await send(deps, route, record);
  } catch (error) {
    const attempts = record.attempts + 1;
    const reason = `${route.channel}: ${(error as Error).message}`;
    // The state machine's Retry waits these seconds; locally its waits are scaled by the time scale too.
    const delay = retryDelaySeconds(attempts);
    await deps.notifications.recordAttempt(record, {
      at: started.toISOString(),
      error: reason,
      ...(delay !== undefined ? { nextAttemptAt: new Date(deps.now().getTime() + delay * 1000 * deps.timeScale).toISOString() } : {}),
    });
    throw new DeliveryFailed(`notification ${record.notificationId}, attempt ${attempts}: ${reason}`);
  }
  const deliveredOn = [route.channel];
  if (await deps.notifications.recordAttempt(record, { at: started.toISOString(), deliveredOn })) {
    return { ...outcomeOf(record), status: 'delivered', attempts: record.attempts + 1, channels: deliveredOn };
  }
  return outcomeOf(await stored(deps, ref));
}

/**
 * After the last attempt: the notification is marked failed and the failure is put on the case's timeline, in one
 * transaction, so whoever looks at the case sees that this message never arrived.
 */
export async function giveUpNotification(
  deps: Pick<Dependencies, 'notifications' | 'cases' | 'now'>, ref: NotificationRef,
): Promise<DeliveryOutcome> {
  const record = await stored(deps, ref);
  if (record.status !== 'pending') return outcomeOf(record);
  try {
    await deps.cases.appendTimeline(ref.caseId, [{
      at: deps.now().toISOString(),
      type: 'notification_failed',
      notificationId: record.notificationId,
      notificationKind: record.kind,
      to: record.to,
      attempts: record.attempts,
      ...(record.lastError ? { lastError: record.lastError } : {}),
    }], [deps.notifications.failed(record)]);
  } catch (error) {
    // Delivered or given up meanwhile: nothing to show.
    if (!(error instanceof WriteConditionFailed)) throw error;
    return outcomeOf(await stored(deps, ref));
  }
  countNotificationFailed();
  return { ...outcomeOf(record), status: 'failed' };
}
