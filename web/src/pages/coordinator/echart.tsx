import { BarChart, type BarSeriesOption, LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent, type GridComponentOption, LegendComponent, type LegendComponentOption, TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import { type ComposeOption, type ECharts, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the wall draws: bars and lines on a grid, with a legend and a tooltip.
use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

/**
 * One ECharts chart in a box that sizes it: follows the box's size, takes each new option whole, and is disposed
 * with the component. The canvas says nothing to a screen reader: the caller gives the figures as text beside it.
 */
export function EChart({ option, className }: { option: ChartOption; className?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts>(undefined);

  useEffect(() => {
    const element = box.current!;
    const created = init(element, undefined, { renderer: 'canvas' });
    chart.current = created;
    const resize = new ResizeObserver(() => created.resize());
    resize.observe(element);
    return () => {
      resize.disconnect();
      created.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} className={className} aria-hidden="true" />;
}

/** The wall's dark theme for a chart, from the page's CSS variables. */
export function chartTheme(element: Element = document.documentElement) {
  const style = getComputedStyle(element);
  const value = (name: string) => style.getPropertyValue(name).trim();
  const text = value('--text');
  const muted = value('--muted');
  const border = value('--border');
  return {
    risk: { red: value('--risk-red'), orange: value('--risk-orange'), yellow: value('--risk-yellow'), blue: value('--risk-blue') },
    accent: value('--accent'),
    ok: value('--ok'),
    text,
    base: {
      backgroundColor: 'transparent',
      textStyle: { color: text, fontFamily: value('--font') },
      grid: { left: 8, right: 12, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, textStyle: { color: muted }, itemWidth: 14, itemHeight: 10 },
      tooltip: { trigger: 'axis', backgroundColor: value('--surface-2'), borderColor: border, textStyle: { color: text } },
    } satisfies ChartOption,
    axis: {
      axisLine: { lineStyle: { color: border } },
      axisLabel: { color: muted },
      splitLine: { lineStyle: { color: border, opacity: 0.5 } },
    },
  };
}
