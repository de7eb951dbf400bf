import { readFileSync } from 'node:fs';
import path from 'node:path';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { describe, expect, it } from 'vitest';
import { loadCity } from '#infra/city';
import { areaOfDistricts, districtAreasFrom } from '#shared/domain/district-areas';
import { responsibleStationFor } from '#shared/domain/station-area';

/** Nanchang's districts from the city's own outline (GCJ-02), as a station that names its districts gets them. */
const city = loadCity();
const areas = districtAreasFrom(JSON.parse(readFileSync(path.resolve(city.outlineFile!), 'utf8')), city.config.outline!.crs);
// WGS-84 points well inside a district: 八一广场 (东湖区), 青山湖 (青山湖区), 昌北机场 (新建区).
const BAYI_SQUARE = [115.8999, 28.6755] as [number, number];
const QINGSHAN_LAKE = [115.9395, 28.6847] as [number, number];
const AIRPORT = [115.9003, 28.8651] as [number, number];

describe("a city's district areas", () => {
  it('has every district of the configuration, each small enough to keep on a station', () => {
    expect([...areas.keys()].sort()).toEqual(city.config.districts.map((d) => d.name).sort());
    for (const [name, area] of areas) expect(JSON.stringify(area).length, name).toBeLessThan(40_000);
  });

  it('puts known places in their districts, in WGS-84', () => {
    expect(booleanPointInPolygon(BAYI_SQUARE, areas.get('东湖区')!)).toBe(true);
    expect(booleanPointInPolygon(QINGSHAN_LAKE, areas.get('青山湖区')!)).toBe(true);
    expect(booleanPointInPolygon(AIRPORT, areas.get('新建区')!)).toBe(true);
    expect(booleanPointInPolygon(AIRPORT, areas.get('东湖区')!)).toBe(false);
  });

  it("makes a station's area of the districts it names, and refuses one the city does not have", () => {
    const found = areaOfDistricts(['东湖区', '新建区'], areas);
    if (!('area' in found)) throw new Error('expected an area');
    const north = { stationId: 'north', location: { lat: 28.60, lon: 116.30 }, area: found.area };
    const near = { stationId: 'near', location: { lat: 28.87, lon: 115.90 } };
    // The airport is a few hundred metres from `near`, but in the districts `north` names.
    expect(responsibleStationFor([north, near], { lat: AIRPORT[1], lon: AIRPORT[0] })?.stationId).toBe('north');
    expect(areaOfDistricts(['东湖区', '浦东新区'], areas)).toEqual({ unknown: ['浦东新区'] });
  });
});
