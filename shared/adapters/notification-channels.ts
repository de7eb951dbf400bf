import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notification } from '../domain/notification';

/** Where a notification can go out: a team chat robot's webhook, and the SNS topic where there is one. */
export interface NotificationChannels {
  chatRobot: ChatRobot;
  /** Absent in local mode: what would go to the topic stays in the outbox (the stored notification). */
  topic?: NotificationTopic;
}

export interface ChatRobot {
  /** Throws unless the robot took the message. */
  post(webhookUrl: string, text: string): Promise<void>;
}

export interface NotificationTopic {
  publish(notification: Notification): Promise<void>;
}

/**
 * Team chat robots (WeCom 企业微信, DingTalk 钉钉) take the same text message shape and answer 200 with an `errcode`,
 * which is not 0 when they refuse it (a wrong key, a rate limit), so both the status and the errcode are checked.
 */
export class WebhookChatRobot implements ChatRobot {
  constructor(private readonly timeoutMs = 5000) {}

  async post(webhookUrl: string, text: string): Promise<void> {
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ msgtype: 'text', text: { content: text } }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = await response.text();
    if (!response.ok) throw new Error(`the chat robot answered ${response.status}: ${body.slice(0, 200)}`);
    let answer: { errcode?: unknown; errmsg?: unknown } = {};
    try {
      answer = JSON.parse(body) as typeof answer;
    } catch {
      // Not every receiver answers JSON; a 2xx is then all there is to go by.
    }
    if (typeof answer.errcode === 'number' && answer.errcode !== 0) {
      throw new Error(`the chat robot refused the message: errcode ${answer.errcode} ${String(answer.errmsg ?? '')}`.trim());
    }
  }
}

/** The SNS topic of SMS and e-mail subscriptions; each filters on the attributes naming the recipient. */
export class SnsNotificationTopic implements NotificationTopic {
  constructor(private readonly sns: SNSClient, private readonly topicArn: string) {}

  async publish(notification: Notification): Promise<void> {
    const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
    await this.sns.send(new PublishCommand({
      TopicArn: this.topicArn,
      Message: notification.text,
      MessageAttributes: {
        recipient: attribute(`${notification.to.kind}:${notification.to.id}`),
        recipientKind: attribute(notification.to.kind),
        risk: attribute(notification.risk),
      },
    }));
  }
}
