import type { Feature, FeatureCollection, Point } from 'geojson';
import type { z } from 'zod';
import type { CaseSummary as CaseSummarySchema } from '#shared/contract/responses';
import { MESSAGES } from '../../app/messages';
import { shanghaiIso } from '#shared/domain/shanghai-clock';
import { shanghaiDate } from './time-window';

/**
 * The cases on the wall as files for a report: CSV for Excel, GeoJSON for a GIS. Coordinates stay WGS-84 as stored
 * (RFC 7946 requires it of GeoJSON); times are on the Shanghai clock with their +08:00 offset, so that a spreadsheet
 * shows the hour of the night the coordinator saw.
 */
export interface ExportRow {
  caseId: string;
  status: string;
  risk: string;
  placeType: string;
  /** The place type in Chinese. */
  placeTypeName: string;
  placeName: string | null;
  lat: number;
  lon: number;
  openedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  outcome: string | null;
  sightingCount: number;
  detectionCount: number;
  assignedTeamId: string | null;
}

/** The CSV's columns, in order. */
export const EXPORT_FIELDS: readonly (keyof ExportRow)[] = [
  'caseId', 'status', 'risk', 'placeType', 'placeTypeName', 'placeName', 'lat', 'lon', 'openedAt', 'acknowledgedAt',
  'resolvedAt', 'outcome', 'sightingCount', 'detectionCount', 'assignedTeamId',
];

// The contract's type rather than app/api's: this module is tested in node, without the DOM the API client needs.
type CaseSummary = z.output<typeof CaseSummarySchema>;

/** The place type in Chinese, whatever the page's language: the reports are read in Chinese. */
const PLACE_NAMES: Record<string, string> = MESSAGES['zh-CN'].place;

const timeOrNull = (iso: string | undefined) => (iso ? shanghaiIso(iso) : null);

export function exportRow(c: CaseSummary): ExportRow {
  return {
    caseId: c.caseId,
    status: c.status,
    risk: c.risk,
    placeType: c.placeType,
    placeTypeName: PLACE_NAMES[c.placeType] ?? c.placeType,
    placeName: c.placeName ?? null,
    lat: c.location.lat,
    lon: c.location.lon,
    openedAt: shanghaiIso(c.openedAt),
    acknowledgedAt: timeOrNull(c.acknowledgedAt),
    resolvedAt: timeOrNull(c.resolvedAt),
    outcome: c.outcome ?? null,
    sightingCount: c.sightingCount,
    detectionCount: c.detectionCount,
    assignedTeamId: c.assignedTeamId ?? null,
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

/** UTF-8 with a byte-order mark (Excel in China opens it as UTF-8 only with one), CRLF line ends, a header row. */
export function casesCsv(cases: readonly CaseSummary[]): string {
  const lines = [EXPORT_FIELDS.join(',')];
  for (const c of cases) {
    const row = exportRow(c);
    lines.push(EXPORT_FIELDS.map((field) => csvCell(row[field])).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

type CaseProperties = Omit<ExportRow, 'lat' | 'lon'>;

/** An RFC 7946 FeatureCollection: one Point per case, [lon, lat] in WGS-84, the CSV's fields as properties. */
export function casesGeoJson(cases: readonly CaseSummary[]): FeatureCollection<Point, CaseProperties> {
  return {
    type: 'FeatureCollection',
    features: cases.map((c): Feature<Point, CaseProperties> => {
      const { lat, lon, ...properties } = exportRow(c);
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
