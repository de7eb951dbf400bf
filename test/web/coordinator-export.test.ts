import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../web/src/app/messages';
import { casesCsv, casesGeoJson, csvCell, CSV_FIELDS, exportFileName } from '../../web/src/pages/coordinator/export';

type CaseSummary = Parameters<typeof casesCsv>[0][number];
const summary = (over: Partial<CaseSummary>): CaseSummary => ({
  caseId: 'case-01M81STQ0YAMSPN2H33YZ0TZZ2', status: 'resolved', risk: 'red', location: { lat: 28.680912345678, lon: 115.873498765432, accuracyM: 12 },
  placeType: 'bridge', placeName: '八一大桥东引桥下', openedAt: '2026-11-22T14:16:16.773Z', updatedAt: '2026-11-22T15:00:00.000Z',
  lastSeenAt: '2026-11-22T14:10:00.000Z', sightingCount: 2, detectionCount: 3, photoCount: 1,
  acknowledgedAt: '2026-11-22T14:20:00.000Z', resolvedAt: '2026-11-22T16:05:30.000Z', outcome: 'escorted_to_station', assignedTeamId: 'team-02',
  ...over,
});
const zh = { m: MESSAGES['zh-CN'], teamName: (id: string | undefined) => (id === 'team-02' ? '西湖区联合巡查二队' : undefined) };
const en = { m: MESSAGES.en, teamName: zh.teamName };

describe('CSV export', () => {
  it("starts with a byte-order mark and a header row in the page's language, ends lines with CRLF", () => {
    const csv = casesCsv([summary({})], zh);
    expect(csv.startsWith('\uFEFF案件编号,地点,地点类型,风险等级,状态,纬度（WGS-84）,经度（WGS-84）,立案时间,接单时间,处置时间,处置结果,巡查发现次数,设备发现次数,负责队伍或人员\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(3);
    expect(casesCsv([], en).startsWith('\uFEFFCase number,Place,Place type,Risk,Status,')).toBe(true);
  });

  it('writes words, not codes: risk, status, outcome, the team by name; six decimals; the Shanghai clock with +08:00', () => {
    const [, row] = casesCsv([summary({})], zh).split('\r\n');
    expect(row).toBe('case-01M81STQ0YAMSPN2H33YZ0TZZ2,八一大桥东引桥下,桥梁,红色,已处置,28.680912,115.873499,'
      + '2026-11-22T22:16:16+08:00,2026-11-22T22:20:00+08:00,2026-11-23T00:05:30+08:00,护送入站,2,3,西湖区联合巡查二队');
    expect(row).not.toMatch(/escorted_to_station|resolved|team-02|\bred\b/);
  });

  it('names a case nobody named as every page does, and leaves what is missing empty', () => {
    const [, row] = casesCsv([summary({
      placeName: undefined, placeType: 'other', sightingCount: 0, acknowledgedAt: undefined, resolvedAt: undefined, outcome: undefined,
      assignedTeamId: undefined, status: 'open',
    })], zh).split('\r\n');
    expect(row).toBe('case-01M81STQ0YAMSPN2H33YZ0TZZ2,"设备发现的线索（28.680912, 115.873499）",其他,红色,新线索,28.680912,115.873499,2026-11-22T22:16:16+08:00,,,,0,3,');
    expect(CSV_FIELDS).toHaveLength(14);
  });

  it('shows the person a station sent, or says the team is not in the directory', () => {
    const [, sent] = casesCsv([summary({ assignedTeamId: undefined, assignee: '刘值班' })], zh).split('\r\n');
    expect(sent!.endsWith(',刘值班')).toBe(true);
    const [, unknown] = casesCsv([summary({ assignedTeamId: 'team-99' })], zh).split('\r\n');
    expect(unknown!.endsWith(',未登记的队伍')).toBe(true);
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('桥下,北侧')).toBe('"桥下,北侧"');
    expect(csvCell('他说"冷"')).toBe('"他说""冷"""');
    expect(csvCell('第一行\n第二行')).toBe('"第一行\n第二行"');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(null)).toBe('');
    expect(csvCell(-2.5)).toBe('-2.5');
    const csv = casesCsv([summary({ placeName: '桥下, "北侧"\r\n桥墩' })], zh);
    expect(csv).toContain(',"桥下, ""北侧""\r\n桥墩",');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+86 123')).toBe("'+86 123");
    expect(csvCell('@sum')).toBe("'@sum");
  });
});

describe('GeoJSON export', () => {
  it('is an RFC 7946 FeatureCollection of WGS-84 points [lon, lat], each code with its word as properties', () => {
    const geojson = casesGeoJson([summary({}), summary({ caseId: 'case-2', risk: 'blue', status: 'open' })], zh);
    expect(geojson.type).toBe('FeatureCollection');
    expect(geojson.features).toHaveLength(2);
    const [first] = geojson.features;
    expect(first!.geometry).toEqual({ type: 'Point', coordinates: [115.873499, 28.680912] });
    expect(first!.id).toBe('case-01M81STQ0YAMSPN2H33YZ0TZZ2');
    expect(first!.properties).toMatchObject({
      caseId: 'case-01M81STQ0YAMSPN2H33YZ0TZZ2', placeName: '八一大桥东引桥下', status: 'resolved', statusName: '已处置', risk: 'red', riskName: '红色',
      placeType: 'bridge', placeTypeName: '桥梁', openedAt: '2026-11-22T22:16:16+08:00', outcome: 'escorted_to_station', outcomeName: '护送入站',
      sightingCount: 2, detectionCount: 3, team: '西湖区联合巡查二队',
    });
    expect(JSON.parse(JSON.stringify(geojson))).toEqual(geojson);
  });
});

describe('export file names', () => {
  it('carry the Shanghai date, which is already tomorrow after 16:00 UTC', () => {
    expect(exportFileName('csv', Date.parse('2026-11-22T15:59:00Z'))).toBe('cases-2026-11-22.csv');
    expect(exportFileName('geojson', Date.parse('2026-11-22T16:00:00Z'))).toBe('cases-2026-11-23.geojson');
  });
});
