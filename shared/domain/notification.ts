import { ulid } from 'ulid';
import type { PlaceType, RiskLevel } from '../contract/vocabulary';
import type { AlertTarget, Case } from './case';

/**
 * What the workflow tells people: asked to act (alert), asked because someone else did not answer (escalation),
 * reminded of a missed deadline (overdue), told the risk rose (risk_raised), sent back to someone who declined help
 * (revisit), reminded of a person waiting at or in the station (reminder), or told that someone else took the case
 * they were asked to act on (stood_down).
 */
export const NOTIFICATION_KINDS = [
  'alert', 'escalation', 'dispatch', 'overdue', 'risk_raised', 'revisit', 'reminder', 'stood_down',
  // The campaign's, about no case: a weather warning, and hot spots not yet checked tonight.
  'warning', 'coverage', 'supplies',
  // A person's, about no case: the family-search notice late, the DNA request, the 10-day mark, a care check, a follow-up.
  'family_search', 'care',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * One message to one recipient about one case. It is written in the same transaction as the case change that
 * caused it (an outbox), so a message is never lost between the decision and the delivery.
 */
export interface Notification {
  notificationId: string;
  caseId: string;
  createdAt: string;
  kind: NotificationKind;
  to: AlertTarget;
  risk: RiskLevel;
  /** The deadline the recipient has to act by, when there is one. */
  deadline?: string;
  /** Short message in Simplified Chinese, as a team chat robot or an SMS shows it. */
  text: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** The outbox record of a notification: the message and what became of its delivery. */
export interface NotificationRecord extends Notification {
  status: DeliveryStatus;
  attempts: number;
  /** Channels it went out on, e.g. 'webhook', 'sns', 'outbox'. */
  channels?: string[];
  lastError?: string;
  lastAttemptAt?: string;
  nextAttemptAt?: string;
  deliveredAt?: string;
}

/** The risk levels as a duty officer says them. */
export const RISK_WORDS: Record<RiskLevel, string> = { red: '红色', orange: '橙色', yellow: '黄色', blue: '蓝色' };
const PLACE_WORDS: Record<PlaceType, string> = {
  street: '街面', bridge: '桥下', culvert: '涵洞', underpass: '地下通道', construction_site: '工地', park: '公园',
  transport_hub: '交通枢纽', station_square: '站前广场', other: '其他地点',
};
const KIND_WORDS: Record<NotificationKind, string> = {
  alert: '请立即处置', escalation: '前一级未按时确认，现请您处置', dispatch: '站里派您前往', overdue: '已超时，请督办',
  risk_raised: '风险等级已上调', revisit: '曾拒绝救助，请再次回访', reminder: '请及时办理', stood_down: '已由他人接单，贵方无需前往',
  warning: '气象预警', coverage: '重点点位尚未巡查', supplies: '物资储备不足',
  family_search: '寻亲事项', care: '在站照护',
};

/**
 * The campaign's notices are about no case: they are kept under this subject in the outbox, in its place of a case
 * id, and delivered as every other notification is.
 */
export const CAMPAIGN_SUBJECT = 'campaign';

/** A campaign notice for `to` (a weather warning, hot spots unchecked), with its message in Simplified Chinese. */
export function campaignNotice(input: {
  kind: 'warning' | 'coverage' | 'supplies' | 'family_search' | 'care'; to: AlertTarget; at: string; risk: RiskLevel; text: string;
  /** The subject in the place of a case id: the campaign's, or people's ('people'). */
  subject?: string;
}): Notification {
  return {
    notificationId: `ntf-${ulid()}`, caseId: input.subject ?? CAMPAIGN_SUBJECT, createdAt: input.at, kind: input.kind, to: input.to, risk: input.risk, text: input.text,
  };
}

/** Clock time in China Standard Time, as a duty officer reads it (22:46). */
const shanghaiClock = (iso: string) => new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false,
}).format(new Date(iso));

/** A new notification about `c` for `to`, with its message in Simplified Chinese. */
export function notificationFor(
  c: Pick<Case, 'caseId' | 'risk' | 'placeType' | 'placeName'>,
  input: { kind: NotificationKind; to: AlertTarget; at: string; deadline?: string; detail?: string },
): Notification {
  const place = `${c.placeName ? `${c.placeName}（${PLACE_WORDS[c.placeType]}）` : PLACE_WORDS[c.placeType]}`;
  const text = [
    `【${RISK_WORDS[c.risk]}预警】${place}`,
    KIND_WORDS[input.kind] + (input.detail ? `：${input.detail}` : ''),
    ...(input.deadline ? [`请于 ${shanghaiClock(input.deadline)} 前处理`] : []),
    // The tail of the case id, as the phone shows it: enough to tell two cases apart over the radio.
    `案件尾号 ${c.caseId.slice(-6)}`,
  ].join('，');
  return {
    notificationId: `ntf-${ulid()}`,
    caseId: c.caseId,
    createdAt: input.at,
    kind: input.kind,
    to: input.to,
    risk: c.risk,
    ...(input.deadline ? { deadline: input.deadline } : {}),
    text,
  };
}
