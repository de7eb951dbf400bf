import type { CaseAction, Person } from '../contract/schemas';
import { mergedPeople } from '../domain/people';
import type { ActionType, Role } from '../contract/vocabulary';
import type { Actor, Case, CaseSummary, TimelineEntry } from '../domain/case';
import { newDue } from '../domain/disposal';
import { mayAct } from '../domain/access-policy';
import { conflict, forbidden, invalid } from '../domain/errors';
import { nearest } from '../domain/alert-routing';
import { distanceM } from '../domain/geo';
import { authorizeAction, nextStatus } from '../domain/lifecycle';
import { type Notification, notificationFor } from '../domain/notification';
import { type CaseChange, type TransactItem, WriteConditionFailed } from '../store/case-store';
import type { PersonFile } from '../domain/person-file';
import { inStation } from '../domain/person-file';
import { declinedHelp, dischargeFile, dischargeReasonOf, intakeFiles, newPersonId } from './people';
import { type CaseGate, caseView, missingCase } from './case-access';
import type { Dependencies } from './dependencies';
import { teamsWhereTheyAre } from './list-teams';
import { mergeCases } from './merge-cases';
import { finishWait } from './finish-wait';
import { logger, recordMinutesToAcknowledge } from '../adapters/observability';

/** The timeline word for each action: what happened, in the past tense. */
const TIMELINE_TYPE: Record<ActionType, string> = {
  acknowledge: 'acknowledged',
  arrive: 'arrived',
  resolve: 'resolved',
  intake: 'intake',
  discharge: 'discharged',
  note: 'note',
  verify: 'verified',
  merge: 'merged',
};

type ActionDeps = Pick<Dependencies,
  'cases' | 'directory' | 'campaign' | 'workflow' | 'notifications' | 'notifier' | 'now' | 'timeScale' | 'disposal' | 'arrivalCheckM' | 'correlation'
  | 'people' | 'personWorkflow' | 'personRules'>;

/** How often an action is tried again when a person's file it changes was changed meanwhile. */
const PERSON_RACE_ATTEMPTS = 4;

/**
 * Takes an action on a case: checks the role and the case's state, records who did what, when and where, sets the
 * next deadline, and ends the workflow's wait so the workflow goes on from the case's new state.
 */
export async function takeCaseAction(
  deps: ActionDeps,
  input: {
    caseId: string; action: CaseAction; actor: Actor; roles: Role[];
    /** The caller's view of cases under the access policy; 'system' for the product's own drives (the demo's past nights). */
    gate: CaseGate | 'system';
  },
): Promise<{ case: CaseSummary; entry: TimelineEntry; personIds?: string[] }> {
  const { action, actor, gate } = input;
  authorizeAction(action.type, input.roles);
  // Two cases change together: the merge has its own use case.
  if (action.type === 'merge') return mergeCases(deps, { caseId: input.caseId, action, actor, gate });
  const dispatched = action.type === 'acknowledge' && action.teamId ? await dispatchedTeam(deps, action.teamId, actor, input.roles) : undefined;
  // A station takes a case by sending someone: a team it names, a person of its own, or else the team alerted.
  const desk = action.type === 'acknowledge' && !action.teamId && !action.assignee && !input.roles.includes('patrol')
    ? await teamsWhereTheyAre(deps) : undefined;
  let entry!: TimelineEntry;
  let notify: Notification[] = [];
  let files: { file: PersonFile; readVersion?: number }[] = [];
  let result: Awaited<ReturnType<typeof deps.cases.mutateCase>> = null;
  for (let attempt = 1; ; attempt += 1) {
    // The people's files the action changes, read before the case: written with it, each only over the version read.
    const { known, reported } = await filesOf(deps, input.caseId, action);
    const registered = action.type === 'intake' ? action.people ?? reported : undefined;
    const newIds = action.type === 'intake' && !action.personId ? (registered ?? [undefined]).map(() => newPersonId()) : [];
    try {
      result = await deps.cases.mutateCase(input.caseId, (current) => {
        // A case the caller may not read is missing to it; a summary case may only be taken for the caller's own team.
        const access = gate === 'system' ? 'full' : gate.access(current);
        if (access === 'none') throw missingCase(input.caseId);
        if (gate !== 'system' && !mayAct(gate.caller, access, action)) {
          throw forbidden(`this case is not yet your team's: you may take it (acknowledge, for ${gate.caller.team?.teamId ?? 'your team'}), nothing else`);
        }
        const status = nextStatus(current, action);
        const now = deps.now();
        const at = now.toISOString();
        const { type: _type, ...details } = action;
        entry = { at, type: TIMELINE_TYPE[action.type], actor, ...details };
        const set: Partial<Case> = { status, updatedAt: at };
        const remove: NonNullable<CaseChange['remove']> = [];
        const alongside: TransactItem[] = [];
        const due = (kind: Parameters<typeof newDue>[0]) => newDue(kind, current.risk, now, deps.disposal, deps.timeScale);
        notify = [];
        // A case closed by the action itself says so on its timeline, as one closed by the workflow does.
        const closing: TimelineEntry[] = [];
        files = [];
        switch (action.type) {
          case 'acknowledge': {
            Object.assign(set, { acknowledgedAt: current.acknowledgedAt ?? at, due: due('arrival') });
            const sent = dispatched ?? (desk ? teamToSend(current, desk) : undefined);
            if (desk && !sent) {
              throw conflict('no team is on duty to send: dispatch a team by teamId, or name the person going (assignee)');
            }
            if (sent ?? actor.teamId) set.assignedTeamId = sent?.teamId ?? actor.teamId;
            if (action.type === 'acknowledge' && action.assignee) set.assignee = action.assignee;
            // The station that sends someone (a team or its own people) is responsible for the case from then on.
            if (actor.role === 'station' && actor.stationId) set.stationId = actor.stationId;
            if (sent) {
              entry = { ...entry, teamId: sent.teamId, teamName: sent.name };
              notify.push(notificationFor(current, {
                kind: 'dispatch', to: { kind: 'team', id: sent.teamId, name: sent.name }, at, deadline: set.due!.at,
              }));
            }
            // Whoever was asked and is not the one going is told, so that nobody goes on expecting to be needed.
            const asked = current.alert?.target;
            const going = set.assignedTeamId;
            if (asked && asked.kind === 'team' && asked.id !== going) {
              notify.push(notificationFor(current, {
                kind: 'stood_down', to: asked, at,
                detail: set.assignee ? `由${set.assignee}前往` : sent ? `已派${sent.name}前往` : '已由其他队伍接单',
              }));
            }
            break;
          }
          case 'arrive': {
            Object.assign(set, { arrivedAt: at, acknowledgedAt: current.acknowledgedAt ?? at, due: due('outcome') });
            // How far from the case the member said they arrived: the phone asks beyond the setting, the timeline keeps it.
            const metres = Math.round(distanceM(action.location, current.location));
            entry = { ...entry, distanceM: metres, ...(metres > deps.arrivalCheckM ? { far: true } : {}) };
            if (!current.assignedTeamId && actor.teamId) set.assignedTeamId = actor.teamId;
            break;
          }
          case 'resolve':
            Object.assign(set, { resolvedAt: at, outcome: action.outcome });
            if (action.outcome === 'declined_help') {
              // The people known to be here declined help: their files say so, and their follow-up is scheduled by grade.
              files = known.filter((f) => !inStation(f)).map((f) => ({ file: { ...declinedHelp(deps, f, current, actor, at), version: f.version + 1 }, readVersion: f.version }));
              alongside.push(...files.map((f) => deps.people.write(f.file, f.readVersion)));
            }
            if (action.handover) set.handover = { ...action.handover, at: action.handover.at ?? at };
            if (action.handedOver) set.handedOver = action.handedOver;
            if (action.stationId) set.stationId = action.stationId;
            remove.push('due');
            break;
          case 'intake': {
            Object.assign(set, { stationId: action.stationId, due: due('discharge'), ...(action.people ? { intakePeople: action.people } : {}) });
            // Brought straight in from the scene: the outcome is the escort, resolved now.
            if (current.status === 'on_scene') Object.assign(set, { outcome: 'escorted_to_station', resolvedAt: at });
            // Each person taken in has a file: the one named, or a new one for each person registered.
            const taken = intakeFiles(deps, {
              current, stationId: action.stationId, actor, at, newIds, ...(registered ? { people: registered } : {}),
              ...(action.personId ? { personId: action.personId, ...(known[0] ? { existing: known[0] } : {}) } : {}),
            });
            files = taken.files;
            set.personIds = [...new Set([...(current.personIds ?? []), ...files.map((f) => f.file.personId)])];
            entry = { ...entry, personIds: files.map((f) => f.file.personId) };
            alongside.push(...taken.writes);
            break;
          }
          case 'discharge': {
            Object.assign(set, { closedAt: at, closeReason: `discharged from the station: ${action.reason}` });
            remove.push('due');
            // The people this case brought in leave with it, for the reason given; a reunion is the case's outcome too.
            const reason = dischargeReasonOf(action.reason);
            files = known.filter((f) => inStation(f) && f.stay?.caseId === current.caseId)
              .map((f) => ({ file: { ...dischargeFile(deps, f, { reason, at }), version: f.version + 1 }, readVersion: f.version }));
            // A reunion (the code, or the desk's words for it: 亲属接回) is the case's outcome too: the loop is closed.
        if (reason === 'reunited_with_family') {
          set.outcome = 'reunited_with_family';
          entry = { ...entry, outcome: 'reunited_with_family' };
        }
            alongside.push(...files.map((f) => deps.people.write(f.file, f.readVersion)));
            closing.push({ at, type: 'closed', reason: set.closeReason, outcome: set.outcome ?? current.outcome });
            break;
          }
          case 'verify':
          case 'note':
            break;
        }
        if (status !== 'alerted' && current.alert) remove.push('alert');
        // The workflow waits for the case to leave its status; a note leaves it where it is.
        if (current.wait && status !== current.status) remove.push('wait');
        return {
          set,
          remove,
          timeline: [entry, ...closing],
          alongside: [...alongside, ...notify.map((n) => deps.notifications.put(n))],
        };
      });
      break;
    } catch (error) {
      // A file the action changes was changed meanwhile (two stations taking the same person in at once): read again.
      if (!(error instanceof WriteConditionFailed) || attempt >= PERSON_RACE_ATTEMPTS) {
        if (error instanceof WriteConditionFailed) throw conflict("a person's file this action changes was changed at the same moment: read the case again");
        throw error;
      }
    }
  }
  if (!result) throw missingCase(input.caseId);
  // How long the alert waited for someone to take it: the duty room's first figure.
  const alert = result.before.alert;
  if (action.type === 'acknowledge' && !result.before.acknowledgedAt && result.after.acknowledgedAt && alert) {
    recordMinutesToAcknowledge((Date.parse(result.after.acknowledgedAt) - Date.parse(alert.alertedAt)) / 60_000);
  }
  // Each file changed has new deadlines (a stay begun or ended, a follow-up scheduled): its workflow's new generation.
  for (const { file } of files) await deps.personWorkflow.start(file.personId, file.workflowGeneration);
  // The workflow's wait ends only after the case is stored in its new state, so the workflow reads that state.
  const wait = result.before.wait;
  if (wait && !result.after.wait) await finishWait(deps, input.caseId, wait);
  if (notify.length) {
    await deps.notifier.dispatch(notify).catch((error: unknown) => {
      logger.error('notification dispatch failed; the reconciler will', { caseId: input.caseId, error: String(error) });
    });
  }
  return { case: caseView(result.after, 'full'), entry, ...(files.length ? { personIds: files.map((f) => f.file.personId) } : {}) };
}

/**
 * The files an action changes: the one an intake names, or (discharge, help declined) the ones linked to the case; and
 * for an intake that registers nobody, the case's people as its reports described them (one file each).
 */
async function filesOf(deps: Pick<ActionDeps, 'people' | 'cases'>, caseId: string, action: CaseAction): Promise<{ known: PersonFile[]; reported?: Person[] }> {
  if (action.type === 'intake') {
    if (action.personId) return { known: await deps.people.getMany([action.personId]) };
    if (action.people) return { known: [] };
    const detail = await deps.cases.getCaseDetail(caseId);
    const reported = detail ? (detail.case.intakePeople ?? mergedPeople(detail.sightings)) : [];
    return { known: [], ...(reported.length ? { reported } : {}) };
  }
  if (action.type !== 'discharge' && !(action.type === 'resolve' && action.outcome === 'declined_help')) return { known: [] };
  const c = await deps.cases.getCase(caseId);
  return { known: c?.personIds?.length ? await deps.people.getMany(c.personIds) : [] };
}

/**
 * The team a station's plain acknowledgement sends: the team the case was alerted to, else the nearest team on duty.
 * Undefined when no team is on duty (the station must then name who goes).
 */
function teamToSend(c: Case, teams: { teamId: string; name: string; location: Case['location']; onDuty: boolean }[]) {
  const alerted = c.alert?.target.kind === 'team' ? teams.find((t) => t.teamId === c.alert!.target.id) : undefined;
  if (alerted) return alerted;
  return nearest(teams.filter((t) => t.onDuty), c.location);
}

/** A station (or coordinator) sends one of the teams; a patrol member may only take a case for their own team. */
async function dispatchedTeam(deps: Pick<Dependencies, 'directory'>, teamId: string, actor: Actor, roles: Role[]) {
  if (roles.includes('patrol') && !roles.some((r) => r === 'station' || r === 'admin') && teamId !== actor.teamId) {
    throw forbidden(`a patrol member acknowledges for their own team (${actor.teamId ?? 'none in the token'}), not for ${teamId}`);
  }
  const team = (await deps.directory.list('team')).find((t) => t.teamId === teamId);
  if (!team) throw invalid(`there is no team ${teamId}`, [{ path: 'teamId', message: 'is not a team in the directory' }]);
  return team;
}
