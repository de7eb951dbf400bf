import L from 'leaflet';
import './leaflet-global';
import 'leaflet.markercluster';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import type { FeatureCollection, Geometry } from 'geojson';
import { useEffect, useRef, useState } from 'react';
import type { RiskLevel } from '#shared/contract/vocabulary';
import type { CaseSummary, Team } from '../app/api';
import { type I18n, useI18n } from '../app/i18n';
import { fill, type Messages } from '../app/messages';
import { useConfig } from '../app/use-config';
import { isSettled, needsAttention } from '../pages/coordinator/case-filter';
import { caseName } from '../app/case-name';
import { type Datum, projectGeoJson, projectPoint, storedToDisplay } from './datum';
import type { HotSpot } from './hot-spots';
import { TEAM_STALE_MS } from './case-map-constants';
import './case-map.css';

interface DistrictProperties {
  name: string;
  /** The district's label point, in the outline's datum. */
  cp?: [number, number];
}

/** Red must be found at a glance across the room; blue is a dot. */
const RADIUS: Record<RiskLevel, number> = { red: 11, orange: 8, yellow: 7, blue: 5 };

/** A hot spot on the map, with tonight's coverage where it is known. */
export interface MapHotSpot extends HotSpot {
  coverage?: { checks: number; target: number; covered: boolean };
}


export interface CaseMapProps {
  cases: readonly CaseSummary[];
  hotSpots?: readonly MapHotSpot[];
  /** Teams with a last position are drawn where it is, with how old it is. */
  teams?: readonly Team[];
  /** A marker was clicked; `marker` is its element, for focus to return to when the detail closes. */
  onOpenCase(caseId: string, marker: Element | null): void;
}

/**
 * The city with its cases, coloured by risk. Offline by default: the district outlines come bundled and no tile
 * server is asked; a deployment that has one names it in WebConfig `map.tileUrl`. Everything is drawn in the datum
 * of the tiles (`map.tileCrs`). The map is for the eye; the case list beside it carries the same cases for
 * keyboards and screen readers.
 */
export function CaseMap({ cases, hotSpots = [], teams = [], onOpenCase }: CaseMapProps) {
  const { map: mapConfig, city } = useConfig();
  const i18n = useI18n();
  const { m } = i18n;
  const words = m.coordinator.map;
  const datum: Datum = mapConfig.tileCrs;
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<L.Map>();
  const [outlineError, setOutlineError] = useState<string>();
  const markers = useRef(new Map<string, CaseMarker>());
  const clusters = useRef<L.MarkerClusterGroup>(undefined);
  const openCase = useRef(onOpenCase);
  openCase.current = onOpenCase;
  // Tooltips are written when they open, in the language of the page at that moment.
  const latestWords = useRef(m);
  latestWords.current = m;
  const latestI18n = useRef(i18n);
  latestI18n.current = i18n;

  useEffect(() => {
    const element = container.current!;
    const created = L.map(element, {
      zoomControl: false, attributionControl: Boolean(mapConfig.tileUrl), minZoom: 8, maxZoom: 18,
      // Half steps, so that the city fills a wall panel of any shape.
      zoomSnap: 0.5,
    });
    // Outline under hot spots under cases; the panes keep that order whatever loads first.
    created.createPane('outline').style.zIndex = '350';
    created.createPane('hotSpots').style.zIndex = '390';
    if (mapConfig.tileUrl) {
      L.tileLayer(mapConfig.tileUrl, { attribution: mapConfig.attribution ?? '', maxZoom: 18 }).addTo(created);
    }
    created.createPane('teams').style.zIndex = '395';
    // The city's centre until its outline (or its hot spots) arrive to fit the view to.
    const centre = storedToDisplay(city.centre, datum);
    created.setView([centre.lat, centre.lon], 11);
    // Cases that would overlap at this zoom are one cluster: its count, coloured by its most urgent open case. Close
    // in, they separate; at the closest zoom, a click spreads them out.
    const group = L.markerClusterGroup({
      maxClusterRadius: CLUSTER_RADIUS_PX, disableClusteringAtZoom: 16, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
      iconCreateFunction: (cluster) => clusterIcon(cluster, latestWords.current),
    }).addTo(created);
    clusters.current = group;
    const resize = new ResizeObserver(() => created.invalidateSize());
    resize.observe(element);
    setMap(created);
    const drawn = markers.current;
    return () => {
      resize.disconnect();
      drawn.clear();
      created.remove();
      setMap(undefined);
    };
  }, [mapConfig, city, datum]);

  useEffect(() => {
    if (!map) return undefined;
    const zoom = L.control.zoom({ position: 'topright', zoomInTitle: words.zoomIn, zoomOutTitle: words.zoomOut }).addTo(map);
    return () => void zoom.remove();
  }, [map, words]);

  useEffect(() => {
    if (!map) return undefined;
    const controller = new AbortController();
    let outline: L.Layer | undefined;
    setOutlineError(undefined);
    // The city's districts, served beside the pages (config/cities/<city>.json names the file and its datum).
    const source = city.outline;
    if (!source) return undefined;
    fetch(source.url, { signal: controller.signal })
      .then((res) => {
        if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
        return res.json() as Promise<FeatureCollection<Geometry, DistrictProperties>>;
      })
      .then((shapes) => {
        outline = drawOutline(projectGeoJson(shapes, source.crs, datum), source.crs, datum).addTo(map);
      })
      .catch((error: Error) => {
        if (error.name !== 'AbortError') setOutlineError(error.message);
      });
    return () => {
      controller.abort();
      outline?.remove();
    };
  }, [map, city, datum]);

  // The hot spots, coloured by tonight's coverage: a diamond, never filled, so that it never reads as a case.
  const fitted = useRef(false);
  useEffect(() => {
    if (!map || !hotSpots.length) return undefined;
    const layer = L.layerGroup(hotSpots.map((spot) => {
      const at = storedToDisplay(spot.location, datum);
      const state = spot.coverage ? (spot.coverage.covered ? 'covered' : spot.coverage.checks > 0 ? 'partial' : 'unchecked') : 'unknown';
      return L.marker([at.lat, at.lon], {
        pane: 'hotSpots',
        keyboard: false,
        // The diamond is the inner element: Leaflet places the icon itself with a transform a rotation would turn too.
        icon: L.divIcon({
          className: 'case-map-hot-spot-icon', iconSize: [12, 12],
          html: `<span class="case-map-hot-spot case-map-hot-spot-${spot.type} case-map-hot-spot-${state}" data-hot-spot-id="${spot.hotSpotId}" data-coverage="${state}"></span>`,
        }),
      }).bindTooltip(() => hotSpotLabel(spot, latestWords.current), { direction: 'top', offset: [0, -6] });
    })).addTo(map);
    if (!fitted.current) {
      fitted.current = true;
      map.fitBounds(L.latLngBounds(hotSpots.map((s) => { const at = storedToDisplay(s.location, datum); return [at.lat, at.lon] as [number, number]; })), { padding: [24, 24] });
    }
    return () => void layer.remove();
  }, [map, hotSpots, datum]);

  // Where the teams are: their last position, faded when older than 5 minutes.
  useEffect(() => {
    if (!map) return undefined;
    const now = Date.now();
    const layer = L.layerGroup(teams.filter((t) => t.lastPosition).map((team) => {
      const fix = team.lastPosition!;
      const at = storedToDisplay(fix, datum);
      const stale = now - Date.parse(fix.at) > TEAM_STALE_MS;
      return L.marker([at.lat, at.lon], {
        pane: 'teams', keyboard: false,
        icon: L.divIcon({
          className: 'case-map-team-icon', iconSize: [16, 16],
          html: `<span class="case-map-team${stale ? ' case-map-team-stale' : ''}" data-team-id="${team.teamId}" data-stale="${stale}"></span>`,
        }),
      }).bindTooltip(() => teamLabel(team, latestI18n.current, stale), { direction: 'top', offset: [0, -8] });
    })).addTo(map);
    return () => void layer.remove();
  }, [map, teams, datum]);

  useEffect(() => {
    if (!map) return;
    const colours = riskColours(container.current!);
    const drawn = markers.current;
    const shown = new Set<string>();
    for (const c of cases) {
      shown.add(c.caseId);
      const at = storedToDisplay(c.location, datum);
      const style = markerStyle(c, colours);
      let marker = drawn.get(c.caseId);
      if (marker) {
        marker.setLatLng([at.lat, at.lon]).setStyle(style).setRadius(style.radius);
        marker.shown = c;
      } else {
        const created = L.circleMarker([at.lat, at.lon], style).bindTooltip('', { direction: 'top' }) as CaseMarker;
        created.shown = c;
        created.on('click', () => openCase.current(c.caseId, created.getElement() ?? null));
        // Out of a cluster, the marker's element is made anew: it is marked each time it is drawn.
        created.on('add', () => markElement(created));
        drawn.set(c.caseId, created);
        clusters.current!.addLayer(created);
        marker = created;
      }
      marker.setTooltipContent(caseLabel(c, m));
      markElement(marker);
      if (c.risk === 'red' && !isSettled(c.status) && marker.getElement()) marker.bringToFront();
    }
    for (const [caseId, marker] of drawn) {
      if (!shown.has(caseId)) {
        clusters.current!.removeLayer(marker);
        drawn.delete(caseId);
      }
    }
    // A cluster's icon shows its most urgent case: redraw them once the cases changed.
    clusters.current!.refreshClusters();
    container.current!.dataset.caseCount = String(drawn.size);
  }, [map, cases, datum, m]);

  return (
    <div className="case-map">
      <div
        ref={container}
        className="case-map-canvas"
        data-testid="case-map"
        data-case-count="0"
        role="region"
        aria-label={words.label}
      />
      {outlineError && <p className="case-map-note" role="status">{words.outlineFailed}: {outlineError}</p>}
      <ul className="case-map-legend" aria-label={words.legend}>
        {(['red', 'orange', 'yellow', 'blue'] as const).map((risk) => (
          <li key={risk}><span className={`case-map-swatch case-map-swatch-${risk}`} aria-hidden="true" />{m.risk[risk]}</li>
        ))}
        <li><span className="case-map-swatch case-map-swatch-attention" aria-hidden="true" />{words.attention}</li>
        <li><span className="case-map-swatch case-map-swatch-settled" aria-hidden="true" />{words.settled}</li>
        <li><span className="case-map-hot-spot case-map-legend-hot-spot case-map-hot-spot-covered" aria-hidden="true" />{words.covered}</li>
        <li><span className="case-map-hot-spot case-map-legend-hot-spot case-map-hot-spot-partial" aria-hidden="true" />{words.partial}</li>
        <li><span className="case-map-hot-spot case-map-legend-hot-spot case-map-hot-spot-unchecked" aria-hidden="true" />{words.unchecked}</li>
        <li><span className="case-map-team case-map-legend-team" aria-hidden="true" />{words.team}</li>
      </ul>
    </div>
  );
}

/** A case's marker, with the case it shows (a cluster reads its children's risks from it). */
type CaseMarker = L.CircleMarker & { shown: CaseSummary };

/** Markers closer than this on screen are one cluster: they would overlap. */
const CLUSTER_RADIUS_PX = 28;
const RISK_ORDER: readonly RiskLevel[] = ['red', 'orange', 'yellow', 'blue'];

function markElement(marker: CaseMarker) {
  const element = marker.getElement();
  if (!element) return;
  const c = marker.shown;
  element.setAttribute('data-case-id', c.caseId);
  element.setAttribute('data-risk', c.risk);
  element.setAttribute('data-status', c.status);
  // Not in the tab order (the list is), but focus can come back here when the detail it opened closes.
  element.setAttribute('tabindex', '-1');
}

/**
 * A cluster: how many cases, coloured by the most urgent open one, ringed if one needs attention; its cases and their
 * statuses listed in data attributes, as a lone marker's are, for whatever reads the map (the browser tests).
 */
function clusterIcon(cluster: L.MarkerCluster, m: Messages): L.DivIcon {
  const cases = (cluster.getAllChildMarkers() as unknown as CaseMarker[]).map((marker) => marker.shown);
  const open = cases.filter((c) => !isSettled(c.status));
  const risk = RISK_ORDER.find((r) => open.some((c) => c.risk === r)) ?? 'settled';
  const attention = open.some(needsAttention);
  const size = cases.length >= 10 ? 44 : 36;
  return L.divIcon({
    className: 'case-map-cluster-icon',
    iconSize: [size, size],
    html: `<span class="case-map-cluster case-map-cluster-${risk}${attention ? ' case-map-cluster-attention' : ''}" `
      + `data-case-ids="${cases.map((c) => escapeHtml(c.caseId)).join(' ')}" `
      + `data-case-statuses="${cases.map((c) => `${escapeHtml(c.caseId)}=${c.status}`).join(' ')}" title="${escapeHtml(fill(m.coordinator.map.cluster, { count: cases.length }))}">`
      + `${cases.length}</span>`,
  });
}

interface MarkerColours extends Record<RiskLevel, string> {
  edge: string;
  ring: string;
}

/** The risk colours are CSS variables (one palette for badges and map); Leaflet wants the values. */
function riskColours(element: Element): MarkerColours {
  const style = getComputedStyle(element);
  const value = (name: string) => style.getPropertyValue(name).trim();
  return {
    red: value('--risk-red'), orange: value('--risk-orange'), yellow: value('--risk-yellow'), blue: value('--risk-blue'),
    edge: value('--case-map-edge'), ring: value('--case-map-ring'),
  };
}

function markerStyle(c: CaseSummary, colours: MarkerColours): L.CircleMarkerOptions & { radius: number } {
  const settled = isSettled(c.status);
  const attention = !settled && needsAttention(c);
  return {
    radius: RADIUS[c.risk],
    fillColor: colours[c.risk],
    fillOpacity: settled ? 0.25 : 0.9,
    color: attention ? colours.ring : colours.edge,
    weight: attention ? 3 : 1,
    opacity: settled ? 0.35 : 1,
  };
}

const hotSpotLabel = (spot: MapHotSpot, m: Messages) => [
  spot.name, m.place[spot.type], m.coordinator.map.hotSpot,
  ...(spot.coverage ? [fill(m.coordinator.coverage.checks, { checks: spot.coverage.checks, target: spot.coverage.target })] : []),
].join(' · ');

const teamLabel = (team: Team, i18n: I18n, stale: boolean) =>
  `${fill(i18n.m.coordinator.map.teamAt, { name: team.name, age: i18n.relative(team.lastPosition!.at) })}${stale ? ` · ${i18n.m.coordinator.map.teamStale}` : ''}`;

function caseLabel(c: CaseSummary, m: Messages): string {
  const status = (m.status as Record<string, string>)[c.status] ?? c.status;
  return `${m.risk[c.risk]} · ${status} · ${caseName(c, m)}`;
}

/** The district borders, faint, with their names at each district's label point. */
function drawOutline(outline: FeatureCollection<Geometry, DistrictProperties>, sourceDatum: Datum, datum: Datum): L.Layer {
  const borders = L.geoJSON(outline, {
    pane: 'outline',
    interactive: false,
    style: { className: 'case-map-district', weight: 1.2, fillOpacity: 0.05 },
  });
  const labels = outline.features.flatMap((feature) => {
    const cp = feature.properties.cp;
    if (!cp) return [];
    // The label point is a property, which projecting the geometry leaves in the source's datum.
    const at = projectPoint({ lon: cp[0], lat: cp[1] }, sourceDatum, datum);
    return [L.marker([at.lat, at.lon], {
      pane: 'outline',
      interactive: false,
      keyboard: false,
      // A zero-size anchor with the name centred on it (Leaflet positions the icon with a transform of its own).
      icon: L.divIcon({ className: 'case-map-district-label', html: `<span>${escapeHtml(feature.properties.name)}</span>`, iconSize: [0, 0] }),
    })];
  });
  return L.layerGroup([borders, ...labels]);
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
