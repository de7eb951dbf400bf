import { createHash } from 'node:crypto';
import type { Actor } from '../domain/case';
import { invalid } from '../domain/errors';
import { campaignNotice, type Notification, RISK_WORDS } from '../domain/notification';
import { type CapWarning, CapProblem, parseCap } from '../domain/warning';
import { activeWarnings, type StoredWarning } from '../domain/warning-span';
import type { Deps } from './campaign';
import type { Dependencies } from './dependencies';
import { type IdempotentRequest, idempotentCreate } from './idempotent';

/**
 * The observatory's weather warnings (CAP 1.2): stored once per identifier, a cold-wave warning in force sent to the
 * stations and the teams on duty. The only module that reads CAP, so that only the warnings' function carries an XML
 * parser.
 */

const warningIdOf = (identifier: string) => `wrn-${createHash('sha256').update(identifier).digest('hex').slice(0, 26)}`;

const WARNING_CLOCK = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false,
});

/**
 * What a cold-wave warning tells the stations and the teams on duty: the warning itself, until when, and what to do.
 * Other warnings (wind, fog) and those no longer in force tell nobody.
 */
async function warningNotices(deps: Pick<Deps, 'directory'>, warning: CapWarning, now: Date): Promise<Notification[]> {
  if (warning.status !== 'Actual' || (warning.msgType !== 'Alert' && warning.msgType !== 'Update') || !warning.coldWave) return [];
  if (!warning.expires || Date.parse(warning.expires) <= now.getTime()) return [];
  const [stations, teams] = await Promise.all([deps.directory.list('station'), deps.directory.list('team')]);
  const level = warning.level ?? 'yellow';
  const text = [
    `【${RISK_WORDS[level]}气象预警】${warning.headline ?? warning.event ?? '寒潮预警'}`,
    `${warning.onset ? `${WARNING_CLOCK.format(new Date(warning.onset))}起` : ''}至${WARNING_CLOCK.format(new Date(warning.expires))}`,
    warning.instruction ?? '请加大街面巡查频次和覆盖范围，重点点位逐一查看，及时劝导救助露宿人员',
  ].join('，');
  const at = now.toISOString();
  return [
    ...stations.map((s) => campaignNotice({ kind: 'warning', to: { kind: 'station', id: s.stationId, name: s.name }, at, risk: level, text })),
    ...teams.filter((t) => t.onDuty).map((t) => campaignNotice({ kind: 'warning', to: { kind: 'team', id: t.teamId, name: t.name }, at, risk: level, text })),
  ];
}

/**
 * Stores a CAP 1.2 warning; the same identifier again answers the warning on record (200). A cold-wave warning in
 * force is sent to the stations and the teams on duty, through the outbox written with it.
 */
export async function postWarning(
  deps: Deps & Pick<Dependencies, 'notifications' | 'notifier'>, input: { text: string; actor: Actor; idempotency?: IdempotentRequest },
) {
  let cap;
  try {
    cap = parseCap(input.text);
  } catch (error) {
    if (!(error instanceof CapProblem)) throw error;
    throw invalid(`${error.path}: ${error.message}`, [{ path: error.path, message: error.message }]);
  }
  const parsed = cap;
  return idempotentCreate(deps, input.idempotency, async () => {
    const notices = await warningNotices(deps, parsed, deps.now());
    // The first notices go in the warning's own transaction (DynamoDB takes 100 items); a province's more, just after.
    const { created, warning } = await deps.campaign.putWarning({
      ...parsed, warningId: warningIdOf(parsed.identifier), receivedAt: deps.now().toISOString(), postedBy: input.actor,
    }, notices.slice(0, 99).map((n) => deps.notifications.put(n)));
    if (created) {
      for (let i = 99; i < notices.length; i += 100) await deps.campaign.writeAll(notices.slice(i, i + 100).map((n) => deps.notifications.put(n)));
    }
    // Sent now; one that cannot be is found in the outbox by the reconciler.
    if (created && notices.length) await deps.notifier.dispatch(notices).catch(() => undefined);
    return { statusCode: created ? 201 : 200, body: publicWarning(warning) };
  });
}

/** A warning as the API shows it (who posted it stays in the table). */
const publicWarning = (warning: StoredWarning & { postedBy?: Actor }): StoredWarning => {
  const { postedBy: _postedBy, ...shown } = warning;
  return shown;
};

export async function listWarnings(deps: Pick<Deps, 'campaign' | 'now'>, options: { active?: boolean }) {
  const all = await deps.campaign.warnings();
  const chosen = options.active ? activeWarnings(all, deps.now().getTime()) : all;
  return { items: chosen.map(publicWarning).sort((a, b) => b.sent.localeCompare(a.sent) || b.receivedAt.localeCompare(a.receivedAt)) };
}
