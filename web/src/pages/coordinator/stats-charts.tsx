import { type ReactNode, useMemo } from 'react';
import { RISK_LEVELS } from '#shared/contract/vocabulary';
import { useI18n } from '../../app/i18n';
import { type ChartOption, chartTheme, EChart } from './echart';
import type { StatsState } from './use-stats';

function ChartState({ state }: { state: StatsState }) {
  const { m } = useI18n();
  const words = m.coordinator.figures;
  if (state.error) return <p className="coordinator-problem" role="status">{state.missing ? words.missing : `${words.failed}: ${state.error}`}</p>;
  if (!state.stats) return <p role="status">{m.app.loading}</p>;
  return null;
}

/** A chart, its state, and the same figures as a table for screen readers (a canvas says nothing to them). */
function ChartFigure({ testId, title, state, option, table }: {
  testId: string; title: string; state: StatsState; option: ChartOption; table: ReactNode;
}) {
  return (
    <figure className="coordinator-panel coordinator-chart" data-testid={testId}>
      <figcaption><h2>{title}</h2></figcaption>
      <ChartState state={state} />
      {state.stats && <EChart option={option} className="coordinator-chart-canvas" />}
      <table className="visually-hidden">
        <caption>{title}</caption>
        {table}
      </table>
    </figure>
  );
}

/** Tonight, hour by hour: the cases opened, stacked by risk. */
export function NightChart({ state }: { state: StatsState }) {
  const i18n = useI18n();
  const { m } = i18n;
  const words = m.coordinator.charts;
  const points = useMemo(() => state.stats?.series.points ?? [], [state.stats]);
  const option = useMemo((): ChartOption => {
    const theme = chartTheme();
    return {
      ...theme.base,
      xAxis: { type: 'category', data: points.map((p) => i18n.time(p.start)), ...theme.axis, splitLine: { show: false } },
      yAxis: { type: 'value', minInterval: 1, ...theme.axis },
      series: RISK_LEVELS.map((risk) => ({
        type: 'bar', name: m.risk[risk], stack: 'opened', data: points.map((p) => p.byRisk[risk]), itemStyle: { color: theme.risk[risk] },
      })),
    };
  }, [points, i18n, m]);
  return (
    <ChartFigure testId="night-chart" title={words.night} state={state} option={option} table={<>
        <thead>
          <tr><th scope="col">{words.hour}</th>{RISK_LEVELS.map((risk) => <th key={risk} scope="col">{m.risk[risk]}</th>)}<th scope="col">{words.opened}</th></tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.start}>
              <th scope="row">{i18n.time(p.start)}</th>
              {RISK_LEVELS.map((risk) => <td key={risk}>{p.byRisk[risk]}</td>)}
              <td>{p.opened}</td>
            </tr>
          ))}
        </tbody>
      </>} />
  );
}

/** The campaign, day by day: cases opened (bars), sightings and detections (lines). */
export function CampaignChart({ state }: { state: StatsState }) {
  const i18n = useI18n();
  const { m } = i18n;
  const words = m.coordinator.charts;
  const points = useMemo(() => state.stats?.series.points ?? [], [state.stats]);
  const option = useMemo((): ChartOption => {
    const theme = chartTheme();
    return {
      ...theme.base,
      xAxis: { type: 'category', data: points.map((p) => i18n.date(p.start)), ...theme.axis, splitLine: { show: false } },
      yAxis: [
        // Axis names grow inwards from their axis: the grid's label room does not count them.
        { type: 'value', minInterval: 1, ...theme.axis, name: words.opened, nameTextStyle: { color: theme.text, align: 'left' } },
        { type: 'value', minInterval: 1, ...theme.axis, splitLine: { show: false }, name: words.reports, nameTextStyle: { color: theme.text, align: 'right' } },
      ],
      series: [
        { type: 'bar', name: words.opened, data: points.map((p) => p.opened), itemStyle: { color: theme.accent } },
        { type: 'line', name: words.sightings, yAxisIndex: 1, data: points.map((p) => p.sightings), itemStyle: { color: theme.ok }, lineStyle: { color: theme.ok }, symbolSize: 5 },
        { type: 'line', name: words.detections, yAxisIndex: 1, data: points.map((p) => p.detections), itemStyle: { color: theme.risk.yellow }, lineStyle: { color: theme.risk.yellow }, symbolSize: 5 },
      ],
    };
  }, [points, i18n, words]);
  return (
    <ChartFigure testId="campaign-chart" title={words.campaign} state={state} option={option} table={<>
        <thead>
          <tr>
            <th scope="col">{words.day}</th><th scope="col">{words.opened}</th>
            <th scope="col">{words.sightings}</th><th scope="col">{words.detections}</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.start}>
              <th scope="row">{i18n.date(p.start)}</th><td>{p.opened}</td><td>{p.sightings}</td><td>{p.detections}</td>
            </tr>
          ))}
        </tbody>
      </>} />
  );
}
