import { useMemo, useState } from 'react';
import type { CaseSummary } from '../../app/api';
import { type I18n, useI18n } from '../../app/i18n';
import { RiskBadge, StatusBadge } from '../../components/badges';
import { type CaseOrder, isSettled, needsAttention, sortCases } from './case-filter';
import { caseName } from '../../app/case-name';
import { useNames } from '../../app/use-teams';
import { fill } from '../../app/words';

/** A wall list of thousands of rows helps nobody and slows every live update; the exports carry them all. */
const MAX_ROWS = 500;

export interface CaseTableProps {
  cases: readonly CaseSummary[];
  onOpenCase(caseId: string, opener: HTMLElement): void;
}

/**
 * The cases of the map as a table: what a keyboard or a screen reader uses instead of the map. Sorted by risk then
 * time (red first, newest first), or by time; each row opens the case's detail.
 */
export function CaseTable({ cases, onOpenCase }: CaseTableProps) {
  const i18n = useI18n();
  const names = useNames();
  const words = i18n.m.coordinator.list;
  const [order, setOrder] = useState<CaseOrder>('risk');
  const rows = useMemo(() => sortCases(cases, order).slice(0, MAX_ROWS), [cases, order]);
  const sortHeader = (column: CaseOrder, label: string) => (
    <th scope="col" aria-sort={order === column ? 'descending' : 'none'}>
      <button type="button" className="coordinator-sort" aria-pressed={order === column} onClick={() => setOrder(column)}>
        {label}<span aria-hidden="true">{order === column ? ' ▼' : ''}</span>
      </button>
    </th>
  );
  return (
    <div className="coordinator-table-wrap">
      <table className="coordinator-table" data-testid="case-list">
        <caption>
          {fill(words.caption, { count: cases.length, order: order === 'risk' ? words.byRisk : words.byTime })}
          {cases.length > MAX_ROWS && <span className="coordinator-muted"> {fill(words.more, { count: MAX_ROWS })}</span>}
        </caption>
        <thead>
          <tr>
            {sortHeader('risk', words.risk)}
            <th scope="col">{words.status}</th>
            <th scope="col">{words.place}</th>
            {sortHeader('time', words.opened)}
            <th scope="col">{words.waiting}</th>
            <th scope="col">{words.team}</th>
            <th scope="col">{words.reports}</th>
            <th scope="col"><span className="visually-hidden">{words.open}</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => {
            const place = caseName(c, i18n.m);
            return (
              <tr key={c.caseId} data-testid="case-row" data-case-id={c.caseId} data-status={c.status} data-risk={c.risk}
                className={`${needsAttention(c) && !isSettled(c.status) ? 'coordinator-row-attention' : ''} ${isSettled(c.status) ? 'coordinator-row-settled' : ''}`}>
                <td><RiskBadge risk={c.risk} /></td>
                <td><StatusBadge status={c.status} /></td>
                <th scope="row" className="coordinator-place">
                  {place}
                  {c.placeType !== 'other' && place !== i18n.m.place[c.placeType] && <span className="coordinator-muted"> · {i18n.m.place[c.placeType]}</span>}
                </th>
                <td><time dateTime={c.openedAt}>{i18n.dateTime(c.openedAt)}</time></td>
                <td><Waiting c={c} i18n={i18n} /></td>
                <td className="coordinator-team">{names.team(c.assignedTeamId) ?? c.assignee ?? (c.assignedTeamId ? i18n.m.station.unknownTeam : '—')}</td>
                <td className="coordinator-number">{c.sightingCount + c.detectionCount}</td>
                <td>
                  <button type="button" className="coordinator-open" onClick={(event) => onOpenCase(c.caseId, event.currentTarget)}
                    aria-label={fill(words.openCase, { risk: i18n.m.risk[c.risk], place, time: i18n.time(c.openedAt) })}>
                    {words.open}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {cases.length === 0 && <p className="coordinator-empty">{words.empty}</p>}
    </div>
  );
}

/** Who was asked and by when, or what the workflow waits for next. */
function Waiting({ c, i18n }: { c: CaseSummary; i18n: I18n }) {
  const { m } = i18n;
  const words = m.coordinator.list;
  if (c.alert) {
    return (
      <span>
        {c.alert.rung >= 1 && <span className="coordinator-flag">{fill(words.rung, { rung: c.alert.rung })}</span>}
        {c.alert.target.name ?? c.alert.target.id} · <time dateTime={c.alert.deadline}>{i18n.time(c.alert.deadline)}</time>
      </span>
    );
  }
  if (c.due) {
    return (
      <span>
        {c.due.overdue >= 1 && <span className="coordinator-flag">{m.time.overdue}</span>}
        {m.due[c.due.kind]} · <time dateTime={c.due.at}>{i18n.time(c.due.at)}</time>
      </span>
    );
  }
  return <span>{c.outcome ? m.outcome[c.outcome] : '—'}</span>;
}
