import { LEAD_SOURCES, type LeadSource, type Stats } from '#shared/contract/stats';
import { OUTCOMES } from '#shared/contract/vocabulary';
import { useI18n } from '../../app/i18n';
import type { StatsState } from './use-stats';
import { fill } from '../../app/words';

/** The reports of one source: sightings for people's sources, detections for machines'. */
function reportsOf(stats: Stats, source: LeadSource): number {
  const { sightings, detections } = stats.reports;
  return (sightings.bySource as Record<string, number>)[source] ?? (detections.bySource as Record<string, number>)[source] ?? 0;
}

/**
 * The campaign's figures for the window: red cases open now (the one figure announced when it changes), how fast
 * cases are acknowledged and resolved, where the leads and reports come from, and how the cases ended.
 */
export function KeyFigures({ state, windowName }: { state: StatsState; windowName: string }) {
  const i18n = useI18n();
  const { m } = i18n;
  const words = m.coordinator.figures;
  const { stats } = state;
  const duration = (d: Stats['minutes']['openedToAcknowledged']) =>
    fill(words.duration, { median: i18n.minutes(d.medianMinutes), p90: i18n.minutes(d.p90Minutes), count: d.count });
  return (
    <section className="coordinator-panel coordinator-figures" aria-labelledby="coordinator-figures-title" data-testid="key-figures">
      <h2 id="coordinator-figures-title">{words.title} <span className="coordinator-muted">· {windowName}</span></h2>
      {state.error && (
        <p className="coordinator-problem" role="status">
          {state.missing ? words.missing : `${words.failed}: ${state.error}`}
        </p>
      )}
      {!stats && !state.error && <p role="status">{m.app.loading}</p>}
      {stats && (
        <>
          <div className="coordinator-figure-row">
            <p className="coordinator-open-red" aria-live="polite" aria-atomic="true">
              <span className="coordinator-figure-label">{words.openRed}</span>
              <span className="coordinator-open-red-value" data-testid="open-red">{i18n.number(stats.openRed)}</span>
            </p>
            <dl className="coordinator-figure-list">
              <div><dt>{words.opened}</dt><dd>{i18n.number(stats.cases.opened)}</dd></div>
              <div><dt>{words.toAcknowledged}</dt><dd>{duration(stats.minutes.openedToAcknowledged)}</dd></div>
              <div><dt>{words.toResolved}</dt><dd>{duration(stats.minutes.openedToResolved)}</dd></div>
            </dl>
          </div>
          <div className="coordinator-figure-tables">
            <table className="coordinator-mini-table">
              <caption>{words.sources}</caption>
              <thead>
                <tr><th scope="col">{words.source}</th><th scope="col">{words.leads}</th><th scope="col">{words.reports}</th></tr>
              </thead>
              <tbody>
                {LEAD_SOURCES.map((source) => (
                  <tr key={source}>
                    <th scope="row">{m.source[source]}</th>
                    <td>{i18n.number(stats.cases.byLeadSource[source])}</td>
                    <td>{i18n.number(reportsOf(stats, source))}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{words.total}</th>
                  <td>{i18n.number(stats.cases.opened)}</td>
                  <td>{i18n.number(stats.reports.sightings.total + stats.reports.detections.total)}</td>
                </tr>
              </tfoot>
            </table>
            <table className="coordinator-mini-table">
              <caption>{words.outcomes}</caption>
              <thead>
                <tr><th scope="col">{words.outcome}</th><th scope="col">{words.cases}</th></tr>
              </thead>
              <tbody>
                {OUTCOMES.map((outcome) => (
                  <tr key={outcome}>
                    <th scope="row">{m.outcome[outcome]}</th>
                    <td>{i18n.number(stats.outcomes[outcome])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="coordinator-muted coordinator-updated">{fill(words.updated, { time: i18n.time(stats.generatedAt) })}</p>
        </>
      )}
    </section>
  );
}
