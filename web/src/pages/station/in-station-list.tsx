import type { CaseSummary } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { RiskBadge } from '../../components/badges';
import { CaseDeadline, caseLabelId } from './case-card';
import { caseName } from '../../app/case-name';
import { ActionButton, DeskSection, type DeskListProps } from './desk-lists';
import { durationText, intakeTime } from './desk-order';
import { PeopleList } from './people-list';
import type { LoadedDetail } from './use-case-details';
import { fill } from '../../app/words';

/** The people in the station: who, since when and for how long, and their discharge (离站). */
export function InStationList({ cases, now, pending, errors, onOpen, details, stationId, canDischarge, onDischarge }: DeskListProps & {
  details: Readonly<Record<string, LoadedDetail>>;
  stationId: string | undefined;
  canDischarge: boolean;
  onDischarge: (c: CaseSummary) => void;
}) {
  const { m, dateTime } = useI18n();
  return (
    <DeskSection id="station-in-station" title={m.station.columns.inStation} empty={m.station.empty.inStation} count={cases.length}>
      {cases.map((c) => {
        const loaded = details[c.caseId];
        const detail = loaded?.detail;
        const since = detail ? intakeTime(detail.timeline) : undefined;
        const place = caseName(c, m);
        return (
          <li key={c.caseId} className={`station-case station-case-${c.risk}`} data-testid="in-station-case" data-case-id={c.caseId} data-status={c.status} data-risk={c.risk}>
            <span id={caseLabelId(c.caseId)} className="visually-hidden">
              {fill(m.station.caseLabel, { risk: m.risk[c.risk], place, status: m.status.in_station })}
            </span>
            <div className="station-case-head">
              <RiskBadge risk={c.risk} />
              <h3 className="station-case-title">
                <button type="button" className="station-case-open" onClick={() => onOpen(c.caseId)} aria-describedby={caseLabelId(c.caseId)}>{place}</button>
              </h3>
              {detail?.stationId && stationId && detail.stationId !== stationId && <span className="badge status">{m.station.inStation.otherStation}</span>}
            </div>
            {detail ? <PeopleList people={detail.people} /> : !loaded?.error && <p className="station-muted">{m.app.loading}</p>}
            {since && (
              <p className="station-case-meta">
                <span>{fill(m.station.inStation.since, { time: dateTime(since) })}</span>
                {' · '}
                <strong className="station-stay">{fill(m.station.inStation.stayed, { duration: durationText((now - Date.parse(since)) / 60_000, m.station.duration) })}</strong>
              </p>
            )}
            <CaseDeadline c={c} now={now} />
            {loaded?.error && <p role="alert" className="error">{fill(m.station.detail.failed, { detail: loaded.error })}</p>}
            {canDischarge && (
              <div className="station-case-actions">
                <ActionButton c={c} busy={pending.has(c.caseId)} onClick={() => onDischarge(c)}>{m.action.discharge}</ActionButton>
              </div>
            )}
            {errors[c.caseId] && <p role="alert" className="error station-case-error">{errors[c.caseId]}</p>}
          </li>
        );
      })}
    </DeskSection>
  );
}
