import { useEffect, useState } from 'react';
import type { CaseSummary } from '../../app/api';
import { type I18n, useI18n } from '../../app/i18n';
import type { CaseStatus, RiskLevel } from '#shared/contract/vocabulary';
import { LiveIndicator, RiskBadge, StatusBadge } from '../../components/badges';
import { enqueueAction } from '../../outbox/outbox';
import type { ActionItem, OutboxItem } from '../../outbox/outbox-db';
import type { PatrolAction } from '../../outbox/outbox-rules';
import { ArriveDialog } from './arrive-dialog';
import { CaseSheet } from './case-sheet';
import { distanceText } from '../../app/distance-text';
import { caseName } from '../../app/case-name';
import { distanceM, type KnownFix } from './position';
import { ResolveDialog } from './resolve-dialog';
import type { TeamCases } from './use-team-cases';
import { fill } from '../../app/words';

type ActionType = PatrolAction['type'];
/** Where each action leads: a case with an action still waiting to be sent is shown the choices after it. */
const LEADS_TO: Record<ActionType, CaseStatus> = { acknowledge: 'acknowledged', arrive: 'on_scene', resolve: 'resolved' };
/** The actions offered in each status, the expected next one first. */
const ACTIONS_IN: Partial<Record<CaseStatus, readonly ActionType[]>> = {
  open: ['acknowledge', 'arrive'],
  alerted: ['acknowledge', 'arrive'],
  acknowledged: ['arrive', 'resolve'],
  on_scene: ['resolve'],
};
const RISK_ORDER: readonly RiskLevel[] = ['red', 'orange', 'yellow', 'blue'];

/** The deadline that matters now: the alert's while it waits for an acknowledgement, then the workflow's next one. */
function deadlineOf(c: CaseSummary, m: I18n['m']): { at: string; label: string } | undefined {
  if (c.status === 'alerted' && c.alert) return { at: c.alert.deadline, label: m.patrol.cases.ackDeadline };
  if (c.due) return { at: c.due.at, label: fill(m.patrol.cases.dueDeadline, { due: m.due[c.due.kind] }) };
  return undefined;
}

function useNow(everyMs: number) {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function TeamCaseList({ team, items, position, online }: { team: TeamCases; items: OutboxItem[]; position?: KnownFix; online: boolean }) {
  const i18n = useI18n();
  const { m, time } = i18n;
  const words = m.patrol.cases;
  const now = useNow(15_000);
  const [dialog, setDialog] = useState<{ kind: 'arrive' | 'resolve' | 'sheet'; caseId: string }>();
  const actionsFor = (caseId: string) => items.filter((item): item is ActionItem => item.kind === 'action' && item.caseId === caseId && item.state !== 'sent');

  const deadline = (c: CaseSummary) => Date.parse(deadlineOf(c, m)?.at ?? '9999-12-31T00:00:00Z');
  const urgentFirst = (a: CaseSummary, b: CaseSummary) => deadline(a) - deadline(b) || RISK_ORDER.indexOf(a.risk) - RISK_ORDER.indexOf(b.risk);
  // The team's own: in full (the server's word), and not taken by another team (those stay readable, without actions).
  const full = team.cases.filter((c) => c.access !== 'summary');
  const others = (c: CaseSummary) => c.assignedTeamId !== undefined && c.assignedTeamId !== team.teamId;
  const newestFirst = (a: CaseSummary, b: CaseSummary) => b.updatedAt.localeCompare(a.updatedAt);
  const active = full.filter((c) => c.status !== 'resolved' && !others(c)).sort(urgentFirst);
  const resolved = full.filter((c) => c.status === 'resolved' && !others(c)).sort(newestFirst);
  // Cases the team reported or was alerted to that another team took: still readable, nothing to do.
  const elsewhere = full.filter(others).sort(newestFirst);
  // Nobody has these yet, in the station's area: where and how urgent only; the team may take one (我来处置).
  const untaken = team.cases.filter((c) => c.access === 'summary').sort(urgentFirst);

  const dialogCase = dialog && team.cases.find((c) => c.caseId === dialog.caseId);

  const act = async (caseId: string, type: ActionType) => {
    if (type === 'acknowledge') await enqueueAction(caseId, { type });
    else setDialog({ kind: type, caseId });
  };

  const card = (c: CaseSummary) => (
    <TeamCaseCard key={c.caseId} c={c} now={now} position={position} queued={actionsFor(c.caseId)} onAction={(type) => act(c.caseId, type)}
      {...(c.access === 'summary' ? { only: ['acknowledge'] as const } : others(c) ? { only: [] } : { onOpen: () => setDialog({ kind: 'sheet', caseId: c.caseId }) })} />
  );

  return (
    <section className="patrol-section" aria-labelledby="patrol-cases-heading">
      <div className="patrol-section-header">
        <h2 id="patrol-cases-heading">{words.heading}</h2>
        <LiveIndicator status={online ? team.live : 'offline'} />
      </div>
      {team.source === 'cached' && team.loadedAt !== undefined && (
        <p className="patrol-note" role="status">{fill(words.cached, { time: time(new Date(team.loadedAt)) })}</p>
      )}
      {team.source === 'loading' && <p role="status">{words.loading}</p>}
      {team.source === 'failed' && (
        <div role="alert" className="patrol-problem">
          <p>{team.problem ?? words.offlineEmpty}</p>
          <button type="button" className="button-large" onClick={team.reload}>{m.app.retry}</button>
        </div>
      )}
      {team.source !== 'loading' && team.source !== 'failed' && active.length === 0 && <p className="patrol-empty">{words.empty}</p>}
      {active.length > 0 && <ul className="patrol-cases">{active.map(card)}</ul>}
      {untaken.length > 0 && (
        <section className="patrol-untaken" aria-labelledby="patrol-untaken-heading">
          <h3 id="patrol-untaken-heading">{fill(words.untaken, { n: untaken.length })}</h3>
          <ul className="patrol-cases">{untaken.map(card)}</ul>
        </section>
      )}
      {resolved.length > 0 && (
        <details className="patrol-resolved">
          <summary>{fill(words.resolved, { n: resolved.length })}</summary>
          <ul className="patrol-cases">{resolved.map(card)}</ul>
        </details>
      )}
      {elsewhere.length > 0 && (
        <details className="patrol-resolved">
          <summary>{fill(words.elsewhere, { n: elsewhere.length })}</summary>
          <ul className="patrol-cases">{elsewhere.map(card)}</ul>
        </details>
      )}
      {dialogCase && dialog?.kind === 'arrive' && <ArriveDialog c={dialogCase} onClose={() => setDialog(undefined)} />}
      {dialogCase && dialog?.kind === 'resolve' && <ResolveDialog c={dialogCase} onClose={() => setDialog(undefined)} />}
      {dialogCase && dialog?.kind === 'sheet' && <CaseSheet c={dialogCase} onClose={() => setDialog(undefined)} />}
    </section>
  );
}

function TeamCaseCard({ c, now, position, queued, onAction, onOpen, only }: {
  c: CaseSummary;
  now: number;
  position?: KnownFix;
  queued: ActionItem[];
  onAction: (type: ActionType) => Promise<void>;
  /** Opens the case sheet; absent for a case the team may not open (a summary, another team's). */
  onOpen?: () => void;
  /** The only actions offered (a summary case: taking it; another team's: none). */
  only?: readonly ActionType[];
}) {
  const i18n = useI18n();
  const { m, relative } = i18n;
  const words = m.patrol.cases;
  const [problem, setProblem] = useState<string>();
  const waiting = queued.filter((item) => item.state === 'pending');
  const failed = queued.filter((item) => item.state === 'failed');
  const lastWaiting = waiting.at(-1);
  const shownStatus = lastWaiting ? LEADS_TO[lastWaiting.action.type] : c.status;
  const actions = (ACTIONS_IN[shownStatus] ?? []).filter((type) => !only || only.includes(type));
  const due = deadlineOf(c, m);
  const overdue = due && Date.parse(due.at) < now;
  const metres = position ? distanceM(position, c.location) : undefined;
  const distance = metres === undefined ? words.noDistance : distanceText(metres, i18n);

  const run = (type: ActionType) => {
    setProblem(undefined);
    onAction(type).catch((error: Error) => setProblem(fill(m.patrol.report.saveFailed, { detail: error.message })));
  };

  return (
    <li className={`patrol-case risk-edge-${c.risk}`} data-testid="team-case" data-case-id={c.caseId} data-status={c.status}>
      <div className="patrol-case-top">
        <RiskBadge risk={c.risk} />
        <StatusBadge status={c.status} />
        <span className="patrol-case-distance">{distance}</span>
      </div>
      <h3 className="patrol-case-place">
        {onOpen ? (
          <button type="button" className="patrol-case-open" onClick={onOpen} aria-label={fill(m.patrol.sheet.open, { name: caseName(c, m) })}>
            {caseName(c, m)}
            {c.alert && c.alert.rung >= 1 && <span className="badge patrol-escalated"> {fill(m.patrol.sheet.escalated, { rung: c.alert.rung })}</span>}
          </button>
        ) : caseName(c, m)}
      </h3>
      {c.access === 'summary' && <p className="patrol-note">{words.summaryOnly}</p>}
      {due && (
        <p className={overdue ? 'patrol-case-due patrol-overdue' : 'patrol-case-due'}>
          <time dateTime={due.at}>{fill(overdue ? words.overdue : words.countdown, { label: due.label, rel: relative(due.at, now) })}</time>
        </p>
      )}
      {waiting.map((item) => <p key={item.key} className="patrol-case-queued">{fill(words.queued, { action: m.action[item.action.type] })}</p>)}
      {failed.map((item) => (
        <p key={item.key} className="patrol-problem">{fill(words.failed, { action: m.action[item.action.type], detail: item.problem ?? '' })}</p>
      ))}
      {problem && <p role="alert" className="patrol-problem">{problem}</p>}
      {actions.length > 0 && (
        <div className="patrol-case-actions">
          {actions.map((type, index) => (
            <button key={type} type="button" className={index === 0 ? 'button-primary button-large' : 'button-large'} onClick={() => run(type)}>
              {c.access === 'summary' && type === 'acknowledge' ? m.patrol.recent.take : m.action[type]}
            </button>
          ))}
        </div>
      )}
    </li>
  );
}
