import { secondsUntil } from '../domain/alert-policy';
import { COORDINATOR_TARGET } from '../domain/alert-routing';
import type { AlertTarget } from '../domain/case';
import { notFound } from '../domain/errors';
import { campaignNotice, type Notification } from '../domain/notification';
import { type PersonDeadline, type PersonFile, personDeadlines } from '../domain/person-file';
import type { Dependencies } from './dependencies';
import { PEOPLE_SUBJECT } from './people';
import { logger } from '../adapters/observability';

/**
 * The person workflow's steps (infra/person-workflow.ts): one execution per person and generation waits until the
 * file's next deadline, tells whoever it concerns through the outbox, and waits for the next. A change to the file's
 * deadlines bumps its generation and starts a new execution; the older one finds itself superseded when it wakes.
 * Each deadline is told once: what was told is written with the outbox entry, in one transaction.
 */
export interface PersonState {
  personId: string;
  generation: number;
  phase: 'wait' | 'done' | 'superseded';
  waitSeconds?: number;
}

export type PersonStepDeps = Pick<Dependencies, 'people' | 'directory' | 'notifications' | 'notifier' | 'now' | 'timeScale' | 'personRules'>;

function stateOf(file: PersonFile, generation: number, deps: PersonStepDeps): PersonState {
  if (file.workflowGeneration !== generation) return { personId: file.personId, generation, phase: 'superseded' };
  const next = personDeadlines(file, deps.personRules, deps.timeScale)[0];
  if (!next) return { personId: file.personId, generation, phase: 'done' };
  return { personId: file.personId, generation, phase: 'wait', waitSeconds: Math.max(0, secondsUntil(next.at, deps.now())) };
}

export async function loadPerson(deps: PersonStepDeps, input: { personId: string; generation: number }): Promise<PersonState> {
  const file = await deps.people.get(input.personId);
  if (!file) throw notFound(`person ${input.personId} does not exist`);
  return stateOf(file, input.generation, deps);
}

const hours = (iso: string) => new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false,
}).format(new Date(iso));

/** What each deadline passing means: who is told, and what is marked on the file so that it is told once. */
function onDeadline(file: PersonFile, deadline: PersonDeadline, station: AlertTarget, at: string): { file: PersonFile; notice: Notification } {
  // The number, never the name: notices travel through chat groups and SMS.
  const who = `${file.number}（${{ male: '男', female: '女', unknown: '性别不详' }[file.sex]}）`;
  const notice = (kind: 'family_search' | 'care', to: AlertTarget, text: string, risk: Notification['risk'] = 'orange') =>
    campaignNotice({ kind, to, at, risk, text, subject: PEOPLE_SUBJECT });
  const f = file.familySearch;
  switch (deadline.kind) {
    case 'notice':
      return {
        file: { ...file, familySearch: { ...f, escalations: 1 } },
        notice: notice('family_search', station, `【寻亲公告逾期】${who}入站已满24小时，寻亲公告尚未发布（应于 ${hours(f.dueAt!)} 前），请值班人员立即办理`),
      };
    case 'notice_coordinator':
      return {
        file: { ...file, familySearch: { ...f, escalations: 2 } },
        notice: notice('family_search', COORDINATOR_TARGET, `【寻亲公告逾期督办】${station.name ?? station.id}：${who}的寻亲公告逾期未发布（应于 ${hours(f.dueAt!)} 前），值班人员已被提醒`, 'red'),
      };
    case 'dna':
      return {
        file: { ...file, familySearch: { ...f, dna: { ...f.dna!, remindedAt: at } } },
        notice: notice('family_search', station, `【DNA采样】${who}身份仍未查明，应于 ${hours(f.dna!.dueAt)} 前联系公安机关采集DNA，请及时办理并登记`),
      };
    case 'long_term':
      return {
        file: { ...file, familySearch: { ...f, longTermFlaggedAt: at } },
        notice: notice('family_search', station, `【长期滞留】${who}入站满10日身份仍未查明，请按规定办理转入长期安置`),
      };
    case 'care_check':
      return {
        file: { ...file, stay: { ...file.stay!, remindedCheckAt: file.stay!.nextCheckAt } },
        notice: notice('care', station, `【查房提醒】${who}（${{ general: '一般照护', special: '特殊照护', medical: '医疗照护' }[file.stay!.careLevel]}）应于 ${hours(file.stay!.nextCheckAt)} 前查房，尚未登记`, 'yellow'),
      };
    case 'long_stay':
      return {
        file: { ...file, stay: { ...file.stay!, longStayFlaggedAt: at } },
        notice: notice('care', station, `【在站超期】${who}在站已满10日，请评估转介或离站安排`, 'yellow'),
      };
    case 'follow_up':
      return {
        file: { ...file, followUp: { ...file.followUp!, remindedAt: at } },
        notice: notice('care', station, `【回访到期】${who}（${{ red: '红', yellow: '黄', blue: '蓝', green: '绿' }[file.grade.level]}色等级）第${file.followUp!.number}次回访已到期，请安排回访并登记结果`, file.grade.level === 'red' ? 'red' : 'yellow'),
      };
  }
}

/** The station a person's notices go to: the one they are in, or were last in, or the one that opened the file. */
async function stationOf(deps: PersonStepDeps, file: PersonFile): Promise<AlertTarget> {
  const stationId = file.stay?.stationId ?? file.stations[0];
  const station = stationId ? await deps.directory.get('station', stationId) : undefined;
  return station ? { kind: 'station', id: station.stationId, name: station.name } : COORDINATOR_TARGET;
}

/** Every deadline of the file that has passed is told (each once), in one write with its outbox entries. */
export async function actOnPersonDue(deps: PersonStepDeps, input: { personId: string; generation: number }): Promise<PersonState> {
  let notices: Notification[] = [];
  const initial = await deps.people.get(input.personId);
  if (!initial) throw notFound(`person ${input.personId} does not exist`);
  const station = await stationOf(deps, initial);
  const result = await deps.people.mutate(input.personId, (current) => {
    notices = [];
    if (current.workflowGeneration !== input.generation) return null;
    const now = deps.now();
    const at = now.toISOString();
    let file = current;
    // Told one at a time in time order: telling one (the notice late) may make the next (the coordinator) due later.
    for (let guard = 0; guard < 10; guard += 1) {
      const due = personDeadlines(file, deps.personRules, deps.timeScale).find((d) => Date.parse(d.at) <= now.getTime());
      if (!due) break;
      const told = onDeadline(file, due, station, at);
      file = told.file;
      notices.push(told.notice);
    }
    if (!notices.length) return null;
    return { file: { ...file, updatedAt: at }, alongside: notices.map((n) => deps.notifications.put(n)) };
  });
  if (!result) throw notFound(`person ${input.personId} does not exist`);
  if (notices.length) {
    await deps.notifier.dispatch(notices).catch((error: unknown) => {
      logger.error('notification dispatch failed; the reconciler will', { personId: input.personId, error: String(error) });
    });
  }
  return stateOf(result.after, input.generation, deps);
}
