import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import type { Location } from '../contract/schemas';
import { distanceM } from './geo';

/** A station's area: a GeoJSON polygon or multipolygon, WGS-84, positions as [lon, lat]. */
export type StationArea = Polygon | MultiPolygon;

/**
 * The stations in the order they answer for a place: those whose area holds it first (the nearest of them first),
 * then the others by distance. Without areas this is the nearest first, as before areas existed; with them, a case
 * on the near bank of a river goes to the station whose area it lies in, not to the one across the water that is
 * a few hundred metres closer.
 */
export function stationsByResponsibility<T extends { location: Location; area?: StationArea }>(stations: readonly T[], where: Location): T[] {
  const point: [number, number] = [where.lon, where.lat];
  return stations
    .map((station) => ({ station, inside: station.area ? booleanPointInPolygon(point, station.area) : false, distance: distanceM(station.location, where) }))
    .sort((a, b) => Number(b.inside) - Number(a.inside) || a.distance - b.distance)
    .map(({ station }) => station);
}

/** The station that answers for a place: the one whose area holds it, else the nearest. */
export const responsibleStationFor = <T extends { location: Location; area?: StationArea }>(stations: readonly T[], where: Location): T | undefined =>
  stationsByResponsibility(stations, where)[0];
