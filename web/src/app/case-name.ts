import type { z } from 'zod';
import type { CaseSummary as CaseSummarySchema } from '#shared/contract/responses';
import { fill, type Messages } from './messages';

// The contract's type rather than app/api's: the exports use this in node tests, without the DOM the API client needs.
type CaseSummary = z.output<typeof CaseSummarySchema>;

/**
 * One name for a case on every page, in every export: the server's (the most informative report's, else the
 * nearest known hot spot's, shared/domain/place-name.ts), else the kind of place, else what kind of lead it is and
 * where, to six decimals.
 */
export function caseName(c: Pick<CaseSummary, 'placeName' | 'placeType' | 'sightingCount' | 'location'>, m: Messages): string {
  if (c.placeName) return c.placeName;
  const where = { lat: c.location.lat.toFixed(6), lon: c.location.lon.toFixed(6) };
  if (c.placeType !== 'other') return fill(m.caseName.placeAt, { place: m.place[c.placeType], ...where });
  return fill(c.sightingCount === 0 ? m.caseName.machineLead : m.caseName.unnamed, where);
}
