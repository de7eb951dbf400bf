import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http-replies';

/** Where a local chat robot listens, under the local API's address: a team's chat group stands behind each name. */
export const chatRobotPath = (name: string) => `/local/chat-robot/${name}`;
const ROBOT_PATH = /^\/local\/chat-robot\/([A-Za-z0-9_.-]{1,64})$/;
/** A demo runs for hours; the oldest messages go first. */
const MESSAGES_KEPT = 500;

export interface ChatRobotMessage {
  receivedAt: string;
  content: string;
}

/**
 * Stand-ins for team chat group robots (WeCom/DingTalk webhooks), so a newcomer sees alerts arrive without a chat
 * account: `POST /local/chat-robot/{name}` takes a text message and answers as the robots do (errcode 0, or an
 * errcode for a message it cannot show); `GET` lists what arrived, oldest first. Kept in memory only.
 */
export class LocalChatRobots {
  private readonly messages = new Map<string, ChatRobotMessage[]>();

  handle(req: IncomingMessage, res: ServerResponse, body: Buffer, pathname: string): boolean {
    const name = ROBOT_PATH.exec(pathname)?.[1];
    if (!name) return false;
    if (req.method === 'GET') {
      sendJson(res, 200, { robot: name, messages: this.messages.get(name) ?? [] });
      return true;
    }
    if (req.method !== 'POST') return false;
    const content = textOf(body);
    if (content === undefined) {
      sendJson(res, 200, { errcode: 40008, errmsg: 'invalid message: expected {"msgtype":"text","text":{"content":"..."}}' });
      return true;
    }
    const received = this.messages.get(name) ?? [];
    received.push({ receivedAt: new Date().toISOString(), content });
    this.messages.set(name, received.slice(-MESSAGES_KEPT));
    sendJson(res, 200, { errcode: 0, errmsg: 'ok' });
    return true;
  }
}

function textOf(body: Buffer): string | undefined {
  try {
    const message = JSON.parse(body.toString('utf8')) as { msgtype?: unknown; text?: { content?: unknown } };
    return message.msgtype === 'text' && typeof message.text?.content === 'string' && message.text.content ? message.text.content : undefined;
  } catch {
    return undefined;
  }
}
