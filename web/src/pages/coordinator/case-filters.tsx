import { RISK_LEVELS, type RiskLevel } from '#shared/contract/vocabulary';
import { useI18n } from '../../app/i18n';
import { type CaseFilter, STATUS_SCOPES, type StatusScope } from './case-filter';
import { TIME_WINDOWS, type TimeWindow } from './time-window';

/** Risk (any of four), status (all, still active, done) and time window: for the map, the list and the exports. */
export function CaseFilters({ filter, onChange }: { filter: CaseFilter; onChange(filter: CaseFilter): void }) {
  const { m } = useI18n();
  const words = m.coordinator.filters;
  const toggleRisk = (risk: RiskLevel, on: boolean) => onChange({
    ...filter, risks: RISK_LEVELS.filter((r) => (r === risk ? on : filter.risks.includes(r))),
  });
  return (
    <form className="coordinator-filters" aria-label={words.label} onSubmit={(event) => event.preventDefault()}>
      <fieldset>
        <legend>{words.risk}</legend>
        {RISK_LEVELS.map((risk) => (
          <label key={risk} className="coordinator-check">
            <input type="checkbox" checked={filter.risks.includes(risk)} onChange={(event) => toggleRisk(risk, event.target.checked)}
              data-testid={`filter-risk-${risk}`} />
            <span className={`badge risk-${risk}`}>{m.risk[risk]}</span>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{words.status}</legend>
        {STATUS_SCOPES.map((scope) => (
          <label key={scope} className="coordinator-check">
            <input type="radio" name="coordinator-status" value={scope} checked={filter.statuses === scope}
              onChange={() => onChange({ ...filter, statuses: scope as StatusScope })} data-testid={`filter-status-${scope}`} />
            {words.statusScope[scope]}
          </label>
        ))}
      </fieldset>
      <label className="coordinator-window">
        <span>{words.window}</span>
        <select value={filter.window} onChange={(event) => onChange({ ...filter, window: event.target.value as TimeWindow })} data-testid="filter-window">
          {TIME_WINDOWS.map((window) => <option key={window} value={window}>{words.windows[window]}</option>)}
        </select>
      </label>
    </form>
  );
}
