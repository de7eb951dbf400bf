import { describe, expect, it } from 'vitest';
import { alertTargetFor } from '#shared/domain/alert-routing';
import { responsibleStations } from '#shared/domain/access-policy';
import { responsibleStationFor, stationsByResponsibility, type StationArea } from '#shared/domain/station-area';

/** Two stations on either side of a river: the east one is nearer to the west bank's underpass, but it is not its area. */
const westArea: StationArea = { type: 'Polygon', coordinates: [[[115.80, 28.60], [115.89, 28.60], [115.89, 28.72], [115.80, 28.72], [115.80, 28.60]]] };
const west = { stationId: 'west', name: '西岸站', location: { lat: 28.66, lon: 115.81 }, area: westArea };
const east = { stationId: 'east', name: '东岸站', location: { lat: 28.66, lon: 115.90 } };
const underpass = { lat: 28.66, lon: 115.885 };

describe('station areas', () => {
  it('gives a place to the station whose area holds it, before a nearer one', () => {
    expect(responsibleStationFor([west, east], underpass)?.stationId).toBe('west');
    expect(responsibleStationFor([{ ...west, area: undefined }, east], underpass)?.stationId).toBe('east');
  });

  it('gives a place outside every area to the nearest station', () => {
    expect(responsibleStationFor([west, east], { lat: 28.66, lon: 115.95 })?.stationId).toBe('east');
    expect(stationsByResponsibility([west, east], { lat: 28.80, lon: 115.82 }).map((s) => s.stationId)).toEqual(['west', 'east']);
  });

  it('respects a hole in an area, and the parts of a multipolygon', () => {
    const holed: StationArea = { type: 'Polygon', coordinates: [westArea.coordinates[0]!, [[115.88, 28.65], [115.888, 28.65], [115.888, 28.67], [115.88, 28.67], [115.88, 28.65]]] };
    expect(responsibleStationFor([{ ...west, area: holed }, east], underpass)?.stationId).toBe('east');
    const islands: StationArea = { type: 'MultiPolygon', coordinates: [[[[116.0, 28.0], [116.1, 28.0], [116.1, 28.1], [116.0, 28.0]]], westArea.coordinates] };
    expect(responsibleStationFor([{ ...west, area: islands }, east], underpass)?.stationId).toBe('west');
  });

  it('decides what a station desk sees and whom the ladder asks', () => {
    const c = { status: 'alerted' as const, location: underpass, relatedStations: [], relatedTeams: [] };
    expect([...responsibleStations(c, { stations: [west, east], teams: [] })]).toEqual(['west']);
    const { target } = alertTargetFor(0, underpass, { teams: [], stations: [west, east] });
    expect(target).toMatchObject({ kind: 'station', id: 'west' });
    expect(alertTargetFor(0, underpass, { teams: [], stations: [west, east] }).rung).toBe(alertTargetFor(0, underpass, { teams: [], stations: [east] }).rung);
  });
});
