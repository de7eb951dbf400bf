import type { Feature, FeatureCollection, Point } from 'geojson';
import type { z } from 'zod';
import type { CaseSummary as CaseSummarySchema } from '#shared/contract/responses';
import type { Messages } from '../../app/messages';
import { caseName } from '../../app/case-name';
import { shanghaiIso } from '#shared/domain/shanghai-clock';
import { shanghaiDate } from './time-window';

/**
 * The cases on the wall as files for a report: CSV for people (Excel), GeoJSON for a GIS. Every value a person reads
 * is a word, not a code: the case's one name (as every page shows it), the risk, status, outcome and place type in
 * the page's language, the team by its name. Coordinates stay WGS-84 as stored (RFC 7946 requires it of GeoJSON),
 * to six decimals (0.1 m; a phone's fix is no better); times are on the Shanghai clock with their +08:00 offset.
 */
export interface ExportRow {
  caseId: string;
  /** The case's name (app/case-name.ts). */
  placeName: string;
  placeType: string;
  placeTypeName: string;
  risk: string;
  riskName: string;
  status: string;
  statusName: string;
  lat: number;
  lon: number;
  openedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  outcome: string | null;
  outcomeName: string | null;
  sightingCount: number;
  detectionCount: number;
  /** The team sent, by name, or the person a station sent. */
  team: string | null;
}

/** The CSV's columns, in order: the words, not the codes beside them (GeoJSON keeps both, for a GIS to filter on). */
export const CSV_FIELDS = [
  'caseId', 'placeName', 'placeTypeName', 'riskName', 'statusName', 'lat', 'lon', 'openedAt', 'acknowledgedAt', 'resolvedAt',
  'outcomeName', 'sightingCount', 'detectionCount', 'team',
] as const satisfies readonly (keyof ExportRow)[];

// The contract's type rather than app/api's: this module is tested in node, without the DOM the API client needs.
type CaseSummary = z.output<typeof CaseSummarySchema>;

/** What an export needs to put words in place of codes: the page's words, and the teams' names. */
export interface ExportContext {
  m: Messages;
  teamName(teamId: string | undefined): string | undefined;
}

const timeOrNull = (iso: string | undefined) => (iso ? shanghaiIso(iso) : null);
const sixDecimals = (degrees: number) => Math.round(degrees * 1e6) / 1e6;

export function exportRow(c: CaseSummary, { m, teamName }: ExportContext): ExportRow {
  return {
    caseId: c.caseId,
    placeName: caseName(c, m),
    placeType: c.placeType,
    placeTypeName: m.place[c.placeType],
    risk: c.risk,
    riskName: m.risk[c.risk],
    status: c.status,
    statusName: (m.status as Record<string, string>)[c.status] ?? c.status,
    lat: sixDecimals(c.location.lat),
    lon: sixDecimals(c.location.lon),
    openedAt: shanghaiIso(c.openedAt),
    acknowledgedAt: timeOrNull(c.acknowledgedAt),
    resolvedAt: timeOrNull(c.resolvedAt),
    outcome: c.outcome ?? null,
    outcomeName: c.outcome ? m.outcome[c.outcome] : null,
    sightingCount: c.sightingCount,
    detectionCount: c.detectionCount,
    team: teamName(c.assignedTeamId) ?? c.assignee ?? (c.assignedTeamId ? m.station.unknownTeam : null),
  };
}

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled. Text that a
 * spreadsheet would run as a formula (a place name typed at a help point starting with "=") gets a leading
 * apostrophe, so that opening the file runs nothing.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * UTF-8 with a byte-order mark (Excel in China opens it as UTF-8 only with one), CRLF line ends, a header row in the
 * page's language.
 */
export function casesCsv(cases: readonly CaseSummary[], context: ExportContext): string {
  const headers = context.m.coordinator.export.columns;
  const lines = [CSV_FIELDS.map((field) => csvCell(headers[field])).join(',')];
  for (const c of cases) {
    const row = exportRow(c, context);
    lines.push(CSV_FIELDS.map((field) => csvCell(row[field])).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

type CaseProperties = Omit<ExportRow, 'lat' | 'lon'>;

/** An RFC 7946 FeatureCollection: one Point per case, [lon, lat] in WGS-84, each code with its word as properties. */
export function casesGeoJson(cases: readonly CaseSummary[], context: ExportContext): FeatureCollection<Point, CaseProperties> {
  return {
    type: 'FeatureCollection',
    features: cases.map((c): Feature<Point, CaseProperties> => {
      const { lat, lon, ...properties } = exportRow(c, context);
      return {
        type: 'Feature',
        id: c.caseId,
        geometry: { type: 'Point', coordinates: [lon, lat] },
        properties,
      };
    }),
  };
}

/** `cases-2026-11-22.csv`: named for the Shanghai date it was taken on. */
export const exportFileName = (extension: 'csv' | 'geojson', now: number) => `cases-${shanghaiDate(now)}.${extension}`;
