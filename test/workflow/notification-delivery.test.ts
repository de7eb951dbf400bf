import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatRobotPath } from '#local/runtime/chat-robot';
import type { LocalStack } from '#local/runtime/local-stack';
import { createDocumentClient } from '#shared/adapters/aws-clients';
import type { AlertTarget } from '#shared/domain/case';
import type { Notification } from '#shared/domain/notification';
import type { NotifyChannel } from '#shared/store/directory-store';
import { caseKey } from '#shared/store/keys';
import { type Dependencies, dependenciesFromEnvironment } from '#shared/use-cases/dependencies';
import { redispatchPendingNotifications } from '#shared/use-cases/redispatch-notifications';
import { startChatRobotReceiver } from '../support/chat-robot-receiver';
import { dynamoEndpoint } from '../support/engines';
import { ApiClient, eventually, startTestStack, synthesizeForTest } from '../support/local-stack';

/**
 * The synthesized notification-delivery state machine, run by the local Step Functions service: its Retry backs
 * off 15 s, 30 s, … × TIME_SCALE (30 ms, 60 ms, …; about 1.9 s for all six retries), against a real HTTP robot.
 */
const TIME_SCALE = 0.002;
const location = { lat: 28.6829, lon: 115.8579 };

let stack: LocalStack;
let api: ApiClient;
let station: string;
let deps: Dependencies;
let receiver: Awaited<ReturnType<typeof startChatRobotReceiver>>;

beforeAll(async () => {
  const { templates } = await synthesizeForTest({ timeScale: TIME_SCALE });
  stack = await startTestStack(templates, { timeScale: TIME_SCALE });
  deps = dependenciesFromEnvironment();
  receiver = await startChatRobotReceiver();
  api = new ApiClient(stack.url);
  // The coordinator reads every case (a station only those of a station in the directory, and there is none here).
  station = await api.token({ role: 'coordinator', sub: 'duty-coordinator' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
});

const deliveryMachine = () => stack.model.stateMachines.find((m) => m.name.endsWith('-notification-delivery'))!;

async function team(notify?: NotifyChannel): Promise<AlertTarget> {
  const teamId = `team-${randomUUID().slice(0, 8)}`;
  await deps.directory.put('team', { teamId, name: '东湖区联合巡查一队', stationId: 'station-nc', location, onDuty: true, ...(notify ? { notify } : {}) });
  return { kind: 'team', id: teamId };
}

/** A case (kept out of the case workflow) and a notification written with a change to it, as the workflow steps do. */
async function notified(to: AlertTarget): Promise<Notification> {
  const caseId = `case-${ulid()}`;
  const at = new Date().toISOString();
  await createDocumentClient(dynamoEndpoint()).send(new PutCommand({
    TableName: process.env.TABLE_NAME!,
    Item: {
      ...caseKey(caseId), entity: 'case', caseId, status: 'alerted', risk: 'red', riskReasons: ['elderly'], location, placeType: 'bridge',
      openedAt: at, updatedAt: at, lastSeenAt: at, sightingCount: 1, detectionCount: 0, photoCount: 0, workflowGeneration: 0, version: 1,
    },
  }));
  const notification: Notification = {
    notificationId: `ntf-${ulid()}`, caseId, createdAt: at, kind: 'alert', to, risk: 'red', text: '【红色预警】八一大桥北引桥下有人，请确认',
  };
  await deps.cases.mutateCase(caseId, () => ({ set: { updatedAt: at }, alongside: [deps.notifications.put(notification)] }));
  return notification;
}

/** The notification as GET /v1/cases/{caseId} shows it, once its delivery has settled. */
const settled = (n: Notification, timeoutMs = 10_000) => eventually(async () => {
  const detail = (await api.call('GET', `/v1/cases/${n.caseId}`, { token: station })).body;
  const shown = detail.notifications?.find((x: Notification) => x.notificationId === n.notificationId);
  return shown && shown.status !== 'pending' ? { detail, shown } : undefined;
}, timeoutMs, `notification ${n.notificationId} to settle`);

const executionsOf = async (n: Notification) => (await stack.stepFunctions.listExecutions({ stateMachineArn: deliveryMachine().arn }))
  .executions.filter((e) => e.name === n.notificationId);

const ended = (n: Notification) => eventually(async () => {
  const [execution] = await executionsOf(n);
  return execution && execution.status !== 'RUNNING' ? stack.stepFunctions.describeExecution(execution) : undefined;
}, 10_000, 'the delivery execution to end');

const nameOf = (url: string) => url.split('/').at(-1)!;

describe('notification delivery (synthesized state machine, local engines)', () => {
  it('runs locally as a second state machine of the template', () => {
    expect(stack.model.stateMachines.map((m) => m.name)).toEqual(expect.arrayContaining([expect.stringMatching(/-case-workflow$/), deliveryMachine().name]));
  });

  it("delivers to the team's chat robot on the first try", async () => {
    const url = receiver.robot(`first-${randomUUID()}`);
    const n = await notified(await team({ channel: 'webhook', url }));
    await deps.notifier.dispatch([n]);

    const { shown } = await settled(n);
    expect(shown).toMatchObject({ status: 'delivered', attempts: 1, channels: ['webhook'], text: n.text, to: n.to });
    expect((await ended(n)).status).toBe('SUCCEEDED');
    expect(receiver.messages(nameOf(url))).toEqual([{ msgtype: 'text', text: { content: n.text } }]);
  });

  it('retries a robot that fails twice, with backoff, and shows three attempts and the delivery', async () => {
    const url = receiver.robot(`flaky-${randomUUID()}`, { failFirst: 2 });
    const n = await notified(await team({ channel: 'webhook', url }));
    const started = Date.now();
    await deps.notifier.dispatch([n]);

    const { shown } = await settled(n);
    expect(shown).toMatchObject({ status: 'delivered', attempts: 3, channels: ['webhook'], lastError: expect.stringContaining('502') });
    // Two waits of the scaled backoff: 30 ms, then 60 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(receiver.posts(nameOf(url))).toBe(3);
    expect(receiver.messages(nameOf(url))).toHaveLength(1);
  });

  it('gives up after the last retry: failed, with a notification_failed entry on the case', async () => {
    const url = receiver.robot(`down-${randomUUID()}`, { alwaysFail: true });
    const n = await notified(await team({ channel: 'webhook', url }));
    await deps.notifier.dispatch([n]);

    const { detail, shown } = await settled(n, 15_000);
    expect(shown).toMatchObject({ status: 'failed', attempts: 7, lastError: expect.stringContaining('502') });
    expect(detail.timeline.filter((e: { type: string }) => e.type === 'notification_failed')).toEqual([
      expect.objectContaining({ notificationId: n.notificationId, to: n.to, attempts: 7 }),
    ]);
    expect(await ended(n)).toMatchObject({ status: 'FAILED', error: 'DeliveryFailed' });
    expect(receiver.posts(nameOf(url))).toBe(7);
  });

  it('sends once however often the notification is dispatched', async () => {
    const url = receiver.robot(`repeated-${randomUUID()}`);
    const n = await notified(await team({ channel: 'webhook', url }));
    await Promise.all([deps.notifier.dispatch([n]), deps.notifier.dispatch([n]), deps.notifier.dispatch([n])]);
    await settled(n);
    await ended(n);
    await deps.notifier.dispatch([n]);

    expect(await executionsOf(n)).toHaveLength(1);
    expect(receiver.posts(nameOf(url))).toBe(1);
  });

  it("keeps the coordinator's messages in the outbox, there being no SNS topic locally", async () => {
    const n = await notified({ kind: 'coordinator', id: 'campaign-coordinator', name: '专项行动协调人' });
    await deps.notifier.dispatch([n]);
    expect((await settled(n)).shown).toMatchObject({ status: 'delivered', attempts: 1, channels: ['outbox'] });
  });

  it('delivers a notification whose dispatch was lost once the reconciler dispatches it again', async () => {
    const url = receiver.robot(`lost-${randomUUID()}`);
    const n = await notified(await team({ channel: 'webhook', url }));
    // Written, never dispatched: a crash between the transaction and the dispatch.
    expect(await redispatchPendingNotifications(deps, new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(1);
    expect((await settled(n)).shown).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(receiver.posts(nameOf(url))).toBe(1);
  });

  it("lets a newcomer read what a team's chat robot received on the local runtime's own robot", async () => {
    const robot = `team-${randomUUID().slice(0, 8)}`;
    const n = await notified(await team({ channel: 'webhook', url: `${stack.url}${chatRobotPath(robot)}` }));
    await deps.notifier.dispatch([n]);
    expect((await settled(n)).shown).toMatchObject({ status: 'delivered', channels: ['webhook'] });

    const received = await api.call('GET', chatRobotPath(robot));
    expect(received.status).toBe(200);
    expect(received.body).toEqual({ robot, messages: [{ receivedAt: expect.any(String), content: n.text }] });
    const refused = await api.call('POST', chatRobotPath(robot), { body: { msgtype: 'markdown' } });
    expect(refused.body.errcode).not.toBe(0);
  });
});
