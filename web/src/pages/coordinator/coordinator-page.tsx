import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CaseEvent } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { useLiveEvents } from '../../app/live';
import { useConfig } from '../../app/use-config';
import { LiveIndicator } from '../../components/badges';
import { CaseMap, type MapHotSpot } from '../../map/case-map';
import { useHotSpots } from '../../map/hot-spots';
import { api } from '../../app/api';
import { usePolled, polledValue } from '../../app/use-polled';
import { CoveragePanel } from './coverage-panel';
import { HotSpotsDialog } from './hot-spots-dialog';
import { ALERT_FEED_LENGTH, ALERT_FEED_TYPES, AlertFeed } from './alert-feed';
import { CaseDetailDialog } from './case-detail-dialog';
import { type CaseFilter, DEFAULT_FILTER, filterCases } from './case-filter';
import { CaseFilters } from './case-filters';
import { CaseTable } from './case-table';
import { ExportButtons } from './export-buttons';
import { KeyFigures } from './key-figures';
import { CampaignChart, NightChart } from './stats-charts';
import { campaignChartRange, nightChartRange, windowRange } from './time-window';
import { useLiveCases } from './use-live-cases';
import { useStats } from './use-stats';

import './coordinator.css';
import { fill } from '../../app/words';

const MINUTE = 60_000;

/** Now, to the minute: moving windows ("the last 24 hours") and relative times follow it. */
function useMinuteClock(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), MINUTE);
    return () => clearInterval(timer);
  }, []);
  return now;
}

interface OpenCase {
  caseId: string;
  /** The row button, feed item or map marker that opened it: focus goes back there. */
  opener: Element | null;
}

/**
 * The winter campaign coordinator's wall: the whole city on a map, live, with the same cases as a list, the night's
 * and the campaign's figures, and the alerts and escalations as they happen.
 */
/**
 * 大屏模式: the wall read across a room. Larger type (the root size, so every rem grows), the map and the case list
 * side by side at full height, figures and feed in the third column. On by default on a wall-sized screen; the
 * coordinator's choice is kept on this screen.
 */
function useWallMode(): [boolean, (on: boolean) => void] {
  const [wall, setWall] = useState(() => {
    const kept = localStorage.getItem(WALL_MODE_KEY);
    return kept === null ? window.matchMedia('(min-width: 1600px) and (min-height: 900px)').matches : kept === 'on';
  });
  useEffect(() => {
    document.documentElement.dataset.wall = wall ? 'on' : 'off';
    return () => { delete document.documentElement.dataset.wall; };
  }, [wall]);
  const choose = useCallback((on: boolean) => {
    localStorage.setItem(WALL_MODE_KEY, on ? 'on' : 'off');
    setWall(on);
  }, []);
  return [wall, choose];
}
const WALL_MODE_KEY = 'srp.coordinator.wall';

export default function CoordinatorPage() {
  const config = useConfig();
  const { m } = useI18n();
  const words = m.coordinator;
  const now = useMinuteClock();
  const [wall, setWall] = useWallMode();
  const [filter, setFilter] = useState<CaseFilter>(DEFAULT_FILTER);
  const { cases, load, upsert, retry } = useLiveCases(filter.window);
  const [feed, setFeed] = useState<readonly CaseEvent[]>([]);
  const [eventCount, setEventCount] = useState(0);
  const [open, setOpen] = useState<OpenCase>();
  const [managingHotSpots, setManagingHotSpots] = useState(false);
  const [detailVersion, setDetailVersion] = useState(0);
  const openCaseId = useRef<string>(undefined);
  openCaseId.current = open?.caseId;

  const live = useLiveEvents(config, (event) => {
    upsert(event.case);
    if (ALERT_FEED_TYPES.has(event.entry.type)) {
      setFeed((held) => (held.some((e) => e.eventId === event.eventId) ? held : [event, ...held].slice(0, ALERT_FEED_LENGTH)));
    }
    if (event.caseId === openCaseId.current) setDetailVersion((n) => n + 1);
    setEventCount((n) => n + 1);
  });

  const shown = useMemo(() => filterCases(cases.values(), filter, now), [cases, filter, now]);

  // Tonight's coverage colours the hot spots; the teams are drawn where their phones last said.
  const hotSpots = useHotSpots();
  const coverage = usePolled((signal) => api.coverage(undefined, signal), MINUTE);
  const teams = polledValue(usePolled((signal) => api.teams(signal), 30_000))?.items;
  const mapHotSpots = useMemo((): MapHotSpot[] => {
    const items = new Map((polledValue(coverage)?.items ?? []).map((i) => [i.hotSpotId, i]));
    return hotSpots.map((spot) => {
      const item = items.get(spot.hotSpotId);
      return item ? { ...spot, coverage: { checks: item.checks, target: item.target, covered: item.covered } } : spot;
    });
  }, [hotSpots, coverage]);

  const figures = useStats({
    key: filter.window,
    range: (at) => {
      const range = windowRange(filter.window, at);
      return { from: range.from, to: range.to ?? at };
    },
    refreshMs: MINUTE,
    eventCount,
  });
  const night = useStats({ key: 'night', range: nightChartRange, bucket: 'hour', refreshMs: MINUTE, eventCount });
  // A campaign's days change slowly and its query is the largest: on the clock only.
  const campaign = useStats({ key: 'campaign', range: campaignChartRange, bucket: 'day', refreshMs: 5 * MINUTE });

  const openCase = useCallback((caseId: string, opener: Element | null) => setOpen({ caseId, opener }), []);
  const closeCase = useCallback(() => {
    const closed = open;
    setOpen(undefined);
    if (!closed) return;
    // Back to what opened it; if a live update or a filter took that away, to the case's row if it is listed.
    const target = closed.opener?.isConnected ? closed.opener
      : document.querySelector(`[data-testid="case-row"][data-case-id="${CSS.escape(closed.caseId)}"] button`);
    (target as HTMLElement | SVGElement | null)?.focus();
  }, [open]);

  return (
    <div className={`coordinator${wall ? ' coordinator-wall' : ''}`} data-testid="coordinator" data-wall={wall ? 'on' : 'off'}>
      <div className="coordinator-bar">
        <h1>{words.title}</h1>
        <LiveIndicator status={live} />
        <CaseFilters filter={filter} onChange={setFilter} />
        <p className="coordinator-count" data-testid="case-count">
          {load.state === 'loading' ? m.app.loading : fill(words.casesShown, { count: shown.length })}
          {load.state === 'ready' && load.truncated && <span className="coordinator-muted"> {fill(words.truncated, { count: cases.size })}</span>}
        </p>
        <ExportButtons cases={shown} />
        <button type="button" onClick={() => setManagingHotSpots(true)} data-testid="manage-hot-spots">{m.coordinator.hotSpots.open}</button>
        <label className="coordinator-check coordinator-wall-toggle">
          <input type="checkbox" checked={wall} onChange={(event) => setWall(event.target.checked)} data-testid="wall-mode" />
          {words.wallMode}
        </label>
      </div>
      {load.state === 'failed' && (
        <p className="coordinator-problem coordinator-load-failed" role="alert">
          {words.loadFailed}: {load.message} <button type="button" onClick={retry}>{m.app.retry}</button>
        </p>
      )}
      <div className="coordinator-grid">
        <div className="coordinator-cases">
          <section className="coordinator-map-panel" aria-labelledby="coordinator-map-title">
            <h2 id="coordinator-map-title" className="visually-hidden">{words.map.title}</h2>
            <CaseMap cases={shown} hotSpots={mapHotSpots} {...(teams ? { teams } : {})} onOpenCase={openCase} />
          </section>
          <section className="coordinator-panel coordinator-list-panel" aria-labelledby="coordinator-list-title">
            <h2 id="coordinator-list-title">{words.list.title}</h2>
            <CaseTable cases={shown} onOpenCase={openCase} />
          </section>
        </div>
        {/* On the wall this column scrolls on its own: a region the keyboard can reach and scroll too. */}
        <div className="coordinator-side" tabIndex={0} role="region" aria-label={words.sideLabel}>
          <KeyFigures state={figures} windowName={words.filters.windows[filter.window]} />
          <CoveragePanel coverage={coverage} />
          <NightChart state={night} />
          <CampaignChart state={campaign} />
        </div>
        <AlertFeed events={feed} onOpenCase={openCase} />
      </div>
      {managingHotSpots && <HotSpotsDialog onClose={() => setManagingHotSpots(false)} />}
      {open && <CaseDetailDialog caseId={open.caseId} version={detailVersion} known={cases} onClose={closeCase} />}
    </div>
  );
}
