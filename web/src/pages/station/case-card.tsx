import type { ReactNode } from 'react';
import type { CaseSummary } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { caseName } from '../../app/case-name';
import { useNames } from '../../app/use-teams';
import { RiskBadge, StatusBadge } from '../../components/badges';
import { countdownText, deskDeadline, isEscalated, isOverdue } from './desk-order';
import { fill } from '../../app/words';


/** Deadlines today read as a time; a discharge check tomorrow needs its date. */
const HALF_DAY_MS = 12 * 3_600_000;

/** The id of the hidden words naming a case ("红色 · 八一大桥 · 已预警"): the action buttons are described by it. */
export const caseLabelId = (caseId: string) => `station-case-label-${caseId}`;

/** "还剩 12 分钟" / "已超时 3 分钟", marked up as a time, red once passed. */
function Countdown({ deadline, now }: { deadline: string; now: number }) {
  const { m, time, dateTime } = useI18n();
  const text = countdownText(deadline, now, { ...m.station.countdown, ...m.station.duration });
  const over = Date.parse(deadline) <= now;
  return (
    <span className={`station-countdown${over ? ' station-countdown-over' : ''}`} data-testid="case-countdown">
      <time dateTime={deadline}>{Math.abs(Date.parse(deadline) - now) < HALF_DAY_MS ? time(deadline) : dateTime(deadline)}</time> · {text}
    </span>
  );
}

/** What the desk waits for on a case and until when: the alert (who was asked), or the workflow's next step. */
export function CaseDeadline({ c, now }: { c: CaseSummary; now: number }) {
  const { m } = useI18n();
  const deadline = deskDeadline(c);
  if (!deadline) return null;
  const what = c.alert ? m.station.deadline.alert : fill(m.station.deadline.due, { kind: c.due ? m.due[c.due.kind] : '' });
  return (
    <p className="station-deadline">
      {c.alert && <span>{fill(m.station.alertedTo, { target: c.alert.target.name ?? `${m.station.targetKind[c.alert.target.kind]} ${c.alert.target.id}` })} · </span>}
      <span>{what} </span>
      <Countdown deadline={deadline} now={now} />
    </p>
  );
}

/**
 * One case on the desk: its risk as the list's order and colour, a heading whose button opens the detail, the flags
 * that matter (escalated, overdue), what is awaited, then `children` (what to do about it).
 */
export function CaseCard({ c, now, testId, onOpen, children }: {
  c: CaseSummary;
  now: number;
  testId: string;
  onOpen: (caseId: string) => void;
  children?: ReactNode;
}) {
  const { m, time } = useI18n();
  const names = useNames();
  const escalated = isEscalated(c);
  const overdue = isOverdue(c, now);
  const place = caseName(c, m);
  return (
    <li
      className={`station-case station-case-${c.risk}${escalated ? ' station-case-escalated' : ''}${overdue ? ' station-case-overdue' : ''}`}
      data-testid={testId} data-case-id={c.caseId} data-status={c.status} data-risk={c.risk}
      data-escalated={escalated ? 'true' : 'false'} data-overdue={overdue ? 'true' : 'false'}
    >
      <span id={caseLabelId(c.caseId)} className="visually-hidden">
        {fill(m.station.caseLabel, { risk: m.risk[c.risk], place, status: (m.status as Record<string, string>)[c.status] ?? c.status })}
      </span>
      <div className="station-case-head">
        <RiskBadge risk={c.risk} />
        <h3 className="station-case-title">
          <button type="button" className="station-case-open" onClick={() => onOpen(c.caseId)} aria-describedby={caseLabelId(c.caseId)}>
            {place}
          </button>
        </h3>
        <StatusBadge status={c.status} />
      </div>
      {(escalated || overdue) && (
        <p className="station-flags">
          {escalated && (
            <span className="badge station-flag-escalated">
              {c.alert && c.alert.target.kind !== 'team' ? m.station.waitingForDesk : m.station.escalated}
              {c.alert && c.alert.rung >= 1 ? ` · ${fill(m.station.rung, { rung: c.alert.rung })}` : ''}
            </span>
          )}
          {overdue && <span className="badge station-flag-overdue">{m.station.overdue}</span>}
        </p>
      )}
      <p className="station-case-meta">
        {m.place[c.placeType]} · {fill(m.station.opened, { time: time(c.openedAt) })} · {fill(m.station.lastSeen, { time: time(c.lastSeenAt) })}
        {c.maxConfidence !== undefined && <> · {fill(m.station.confidence, { percent: Math.round(c.maxConfidence * 100) })}</>}
        {c.assignedTeamId && <> · {fill(m.station.assignedTeam, { team: names.team(c.assignedTeamId) ?? m.station.unknownTeam })}</>}
        {c.assignee && <> · {fill(m.station.assignee, { name: c.assignee })}</>}
      </p>
      <CaseDeadline c={c} now={now} />
      {children}
    </li>
  );
}

/** The buttons of a case and the error of its last action, if it failed. */
export function CaseActions({ error, children }: { error: string | undefined; children: ReactNode }) {
  return (
    <>
      <div className="station-case-actions">{children}</div>
      {error && <p role="alert" className="error station-case-error">{error}</p>}
    </>
  );
}
