import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestTables } from '../../support/test-tables';
import { type NotificationTopic, WebhookChatRobot } from '#shared/adapters/notification-channels';
import type { Notifier } from '#shared/adapters/notifier';
import type { AlertTarget } from '#shared/domain/case';
import type { Notification } from '#shared/domain/notification';
import { CaseStore } from '#shared/store/case-store';
import { DirectoryStore, type NotifyChannel } from '#shared/store/directory-store';
import { caseKey } from '#shared/store/keys';
import { NotificationStore } from '#shared/store/notification-store';
import { DeliveryFailed, deliverNotification, giveUpNotification } from '#shared/use-cases/deliver-notification';
import { redispatchPendingNotifications } from '#shared/use-cases/redispatch-notifications';
import { startChatRobotReceiver } from '../../support/chat-robot-receiver';

/** The delivery use cases against DynamoDB Local and a real HTTP chat robot, called directly: attempts are ours to repeat. */
const NOW = new Date('2026-01-16T14:00:00Z');
const location = { lat: 28.6829, lon: 115.8579 };

/** The SNS topic's port, recording what would be published (there is no local SNS engine). */
class RecordingTopic implements NotificationTopic {
  readonly published: Notification[] = [];
  async publish(notification: Notification) {
    this.published.push(notification);
  }
}

const tables = useTestTables();
let tableName: string;
let cases: CaseStore;
let directory: DirectoryStore;
let notifications: NotificationStore;
let receiver: Awaited<ReturnType<typeof startChatRobotReceiver>>;
let topic: RecordingTopic;
let deps: Parameters<typeof deliverNotification>[0] & Parameters<typeof giveUpNotification>[0];

beforeAll(async () => {
  tableName = await tables.fresh();
  cases = new CaseStore(tables.db, tableName);
  directory = new DirectoryStore(tables.db, tableName);
  notifications = new NotificationStore(tables.db, tableName);
  receiver = await startChatRobotReceiver();
  topic = new RecordingTopic();
  deps = {
    cases, directory, notifications, channels: { chatRobot: new WebhookChatRobot(2000), topic }, now: () => NOW, timeScale: 1,
  };
});

afterAll(async () => {
  await receiver?.stop();
});

/** A team whose chat group has a robot (or another channel), as the directory holds it. */
async function team(notify?: NotifyChannel): Promise<AlertTarget> {
  const teamId = `team-${randomUUID().slice(0, 8)}`;
  await directory.put('team', { teamId, name: '西湖区联合巡查二队', stationId: 'station-nc', location, onDuty: true, ...(notify ? { notify } : {}) });
  return { kind: 'team', id: teamId, name: '西湖区联合巡查二队' };
}

/** A case and a notification written with a change to it, in one transaction, as the workflow steps write them. */
async function notified(to: AlertTarget, createdAt = NOW): Promise<Notification> {
  const caseId = `case-${ulid()}`;
  const at = createdAt.toISOString();
  await tables.db.send(new PutCommand({
    TableName: tableName,
    Item: {
      ...caseKey(caseId), entity: 'case', caseId, status: 'alerted', risk: 'red', riskReasons: [], location, placeType: 'bridge',
      openedAt: at, updatedAt: at, lastSeenAt: at, sightingCount: 1, detectionCount: 0, photoCount: 0, workflowGeneration: 0, version: 1,
    },
  }));
  const notification: Notification = {
    notificationId: `ntf-${ulid()}`, caseId, createdAt: at, kind: 'alert', to, risk: 'red',
    deadline: new Date(createdAt.getTime() + 300_000).toISOString(), text: '【红色预警】八一大桥北引桥下 1 名老人，请 5 分钟内确认',
  };
  await cases.mutateCase(caseId, () => ({ set: { updatedAt: at }, alongside: [notifications.put(notification)] }));
  return notification;
}

const nameOf = (url: string) => url.split('/').at(-1)!;
const stored = (n: Notification) => notifications.get(n.caseId, n.notificationId);

describe('deliverNotification', () => {
  it("delivers to the team's chat robot on the first try, and never again", async () => {
    const url = receiver.robot(`first-try-${randomUUID()}`);
    const n = await notified(await team({ channel: 'webhook', url }));

    expect(await deliverNotification(deps, n)).toEqual({
      notificationId: n.notificationId, status: 'delivered', attempts: 1, channels: ['webhook'],
    });
    expect(receiver.messages(nameOf(url))).toEqual([{ msgtype: 'text', text: { content: n.text } }]);
    expect(await stored(n)).toMatchObject({
      status: 'delivered', attempts: 1, channels: ['webhook'], deliveredAt: NOW.toISOString(), lastAttemptAt: NOW.toISOString(),
    });

    // A retry after a crash, or a second dispatch: the record says it is done.
    expect((await deliverNotification(deps, n)).status).toBe('delivered');
    expect(receiver.posts(nameOf(url))).toBe(1);
  });

  it('records each failed attempt with its error and when the next is due, until one gets through', async () => {
    const url = receiver.robot(`flaky-${randomUUID()}`, { failFirst: 2 });
    const n = await notified(await team({ channel: 'webhook', url }));

    await expect(deliverNotification(deps, n)).rejects.toBeInstanceOf(DeliveryFailed);
    expect(await stored(n)).toMatchObject({
      status: 'pending', attempts: 1, lastError: expect.stringContaining('502'), nextAttemptAt: new Date(NOW.getTime() + 15_000).toISOString(),
    });
    await expect(deliverNotification(deps, n)).rejects.toThrow(/attempt 2: webhook: the chat robot answered 502/);
    expect(await stored(n)).toMatchObject({ attempts: 2, nextAttemptAt: new Date(NOW.getTime() + 30_000).toISOString() });

    expect(await deliverNotification(deps, n)).toMatchObject({ status: 'delivered', attempts: 3 });
    const record = await stored(n);
    expect(record).toMatchObject({ status: 'delivered', attempts: 3, channels: ['webhook'] });
    expect(record?.nextAttemptAt).toBeUndefined();
    expect(receiver.posts(nameOf(url))).toBe(3);
    expect(receiver.messages(nameOf(url))).toHaveLength(1);
  });

  it('counts a robot that answers 200 with an errcode as not delivered', async () => {
    const url = receiver.robot(`refusing-${randomUUID()}`, { refuseWithErrcode: 93000 });
    const n = await notified(await team({ channel: 'webhook', url }));
    await expect(deliverNotification(deps, n)).rejects.toBeInstanceOf(DeliveryFailed);
    expect((await stored(n))?.lastError).toMatch(/errcode 93000/);
  });

  it('gives up after the last attempt and shows the failure on the case, once', async () => {
    const url = receiver.robot(`down-${randomUUID()}`, { alwaysFail: true });
    const n = await notified(await team({ channel: 'webhook', url }));
    for (let attempt = 1; attempt <= 7; attempt += 1) {
      await expect(deliverNotification(deps, n)).rejects.toBeInstanceOf(DeliveryFailed);
    }
    // The seventh was the last: the state machine retries six times.
    expect((await stored(n))?.nextAttemptAt).toBeUndefined();

    expect(await giveUpNotification(deps, n)).toMatchObject({ status: 'failed', attempts: 7 });
    expect(await giveUpNotification(deps, n)).toMatchObject({ status: 'failed', attempts: 7 });
    const detail = (await cases.getCaseDetail(n.caseId))!;
    expect(detail.timeline.filter((e) => e.type === 'notification_failed')).toEqual([expect.objectContaining({
      notificationId: n.notificationId, notificationKind: 'alert', to: n.to, attempts: 7, lastError: expect.stringContaining('502'),
    })]);
    expect(detail.notifications).toEqual([expect.objectContaining({ notificationId: n.notificationId, status: 'failed', attempts: 7 })]);

    expect((await deliverNotification(deps, n)).status).toBe('failed');
    expect(receiver.posts(nameOf(url))).toBe(7);
  });

  it('leaves a delivered notification alone when the give-up step comes late', async () => {
    const n = await notified(await team({ channel: 'webhook', url: receiver.robot(`late-${randomUUID()}`) }));
    await deliverNotification(deps, n);
    expect(await giveUpNotification(deps, n)).toMatchObject({ status: 'delivered' });
    const detail = (await cases.getCaseDetail(n.caseId))!;
    expect(detail.timeline.filter((e) => e.type === 'notification_failed')).toEqual([]);
  });

  it("publishes the coordinator's messages, and those of a team without a robot, to the topic", async () => {
    const coordinator = await notified({ kind: 'coordinator', id: 'campaign-coordinator', name: '专项行动协调人' });
    const unconfigured = await notified(await team());
    for (const n of [coordinator, unconfigured]) {
      expect(await deliverNotification(deps, n)).toMatchObject({ status: 'delivered', channels: ['sns'] });
    }
    expect(topic.published.map((n) => n.notificationId)).toEqual(expect.arrayContaining([coordinator.notificationId, unconfigured.notificationId]));
  });

  it('keeps topic-bound messages in the outbox where there is no topic (local mode)', async () => {
    const n = await notified(await team({ channel: 'sns' }));
    const published = topic.published.length;
    expect(await deliverNotification({ ...deps, channels: { chatRobot: deps.channels.chatRobot } }, n))
      .toMatchObject({ status: 'delivered', channels: ['outbox'] });
    expect(topic.published).toHaveLength(published);
  });
});

describe('redispatchPendingNotifications', () => {
  it('dispatches again the pending notifications created before the cutoff, from the pending index', async () => {
    const hourAgo = new Date(NOW.getTime() - 3_600_000);
    const lost = await notified(await team(), hourAgo);
    const retrying = await notified(await team({ channel: 'webhook', url: receiver.robot(`retrying-${randomUUID()}`, { alwaysFail: true }) }), hourAgo);
    await expect(deliverNotification(deps, retrying)).rejects.toBeInstanceOf(DeliveryFailed);
    const delivered = await notified(await team(), hourAgo);
    await deliverNotification(deps, delivered);
    const recent = await notified(await team(), NOW);

    const dispatched: string[] = [];
    const notifier: Notifier = { dispatch: async (batch) => { dispatched.push(...batch.map((n) => n.notificationId)); } };
    const count = await redispatchPendingNotifications({ notifications, notifier }, new Date(NOW.getTime() - 60_000));

    expect(dispatched).toEqual(expect.arrayContaining([lost.notificationId, retrying.notificationId]));
    expect(dispatched).not.toContain(delivered.notificationId);
    expect(dispatched).not.toContain(recent.notificationId);
    expect(count).toBe(dispatched.length);
  });
});
