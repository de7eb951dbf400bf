import { describe, expect, it } from 'vitest';
import { casesCsv, casesGeoJson, csvCell, EXPORT_FIELDS, exportFileName } from '../../web/src/pages/coordinator/export';

type CaseSummary = Parameters<typeof casesCsv>[0][number];
const summary = (over: Partial<CaseSummary>): CaseSummary => ({
  caseId: 'case-01M81STQ0YAMSPN2H33YZ0TZZ2', status: 'resolved', risk: 'red', location: { lat: 28.6809, lon: 115.8735, accuracyM: 12 },
  placeType: 'bridge', placeName: '八一大桥东引桥下', openedAt: '2026-11-22T14:16:16.773Z', updatedAt: '2026-11-22T15:00:00.000Z',
  lastSeenAt: '2026-11-22T14:10:00.000Z', sightingCount: 2, detectionCount: 3, photoCount: 1,
  acknowledgedAt: '2026-11-22T14:20:00.000Z', resolvedAt: '2026-11-22T16:05:30.000Z', outcome: 'escorted_to_station', assignedTeamId: 'team-02',
  ...over,
});

describe('CSV export', () => {
  it('starts with a byte-order mark and a header row, ends lines with CRLF', () => {
    const csv = casesCsv([summary({})]);
    expect(csv.startsWith('\uFEFFcaseId,status,risk,placeType,placeTypeName,placeName,lat,lon,openedAt,acknowledgedAt,resolvedAt,outcome,sightingCount,detectionCount,assignedTeamId\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(3);
  });

  it('writes times on the Shanghai clock with +08:00, the place type in Chinese too, coordinates as stored', () => {
    const [, row] = casesCsv([summary({})]).split('\r\n');
    expect(row).toBe('case-01M81STQ0YAMSPN2H33YZ0TZZ2,resolved,red,bridge,桥梁,八一大桥东引桥下,28.6809,115.8735,'
      + '2026-11-22T22:16:16+08:00,2026-11-22T22:20:00+08:00,2026-11-23T00:05:30+08:00,escorted_to_station,2,3,team-02');
  });

  it('leaves missing fields empty', () => {
    const [, row] = casesCsv([summary({ placeName: undefined, acknowledgedAt: undefined, resolvedAt: undefined, outcome: undefined, assignedTeamId: undefined, status: 'open' })]).split('\r\n');
    expect(row!.split(',')).toHaveLength(EXPORT_FIELDS.length);
    expect(row).toBe('case-01M81STQ0YAMSPN2H33YZ0TZZ2,open,red,bridge,桥梁,,28.6809,115.8735,2026-11-22T22:16:16+08:00,,,,2,3,');
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('桥下,北侧')).toBe('"桥下,北侧"');
    expect(csvCell('他说"冷"')).toBe('"他说""冷"""');
    expect(csvCell('第一行\n第二行')).toBe('"第一行\n第二行"');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(null)).toBe('');
    expect(csvCell(-2.5)).toBe('-2.5');
    const csv = casesCsv([summary({ placeName: '桥下, "北侧"\r\n桥墩' })]);
    expect(csv).toContain(',"桥下, ""北侧""\r\n桥墩",');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+86 123')).toBe("'+86 123");
    expect(csvCell('@sum')).toBe("'@sum");
  });

  it('is only a header for no cases', () => {
    expect(casesCsv([])).toBe(`\uFEFF${EXPORT_FIELDS.join(',')}\r\n`);
  });
});

describe('GeoJSON export', () => {
  it('is an RFC 7946 FeatureCollection of WGS-84 points [lon, lat] with the CSV fields as properties', () => {
    const geojson = casesGeoJson([summary({}), summary({ caseId: 'case-2', risk: 'blue', status: 'open' })]);
    expect(geojson.type).toBe('FeatureCollection');
    expect(geojson.features).toHaveLength(2);
    const [first] = geojson.features;
    expect(first!.geometry).toEqual({ type: 'Point', coordinates: [115.8735, 28.6809] });
    expect(first!.id).toBe('case-01M81STQ0YAMSPN2H33YZ0TZZ2');
    expect(first!.properties).toMatchObject({
      caseId: 'case-01M81STQ0YAMSPN2H33YZ0TZZ2', status: 'resolved', risk: 'red', placeType: 'bridge', placeTypeName: '桥梁',
      openedAt: '2026-11-22T22:16:16+08:00', outcome: 'escorted_to_station', sightingCount: 2, detectionCount: 3, assignedTeamId: 'team-02',
    });
    expect(Object.keys(first!.properties)).toEqual(EXPORT_FIELDS.filter((f) => f !== 'lat' && f !== 'lon'));
    expect(JSON.parse(JSON.stringify(geojson))).toEqual(geojson);
  });
});

describe('export file names', () => {
  it('carry the Shanghai date, which is already tomorrow after 16:00 UTC', () => {
    expect(exportFileName('csv', Date.parse('2026-11-22T15:59:00Z'))).toBe('cases-2026-11-22.csv');
    expect(exportFileName('geojson', Date.parse('2026-11-22T16:00:00Z'))).toBe('cases-2026-11-23.geojson');
  });
});
