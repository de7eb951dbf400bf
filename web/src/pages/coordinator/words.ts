import { ApiError, type CaseSummary, OfflineError } from '../../app/api';
import type { Messages } from '../../app/messages';
import { nearestHotSpot } from '../../map/hot-spots';

/** `显示 {count} 件` → `显示 12 件`: the messages are plain strings, so that both languages keep the same shape. */
export const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));

/** What went wrong, in words the coordinator can act on: the problem's `detail`, or "no connection". */
export function problemText(error: unknown, m: Messages): string {
  if (error instanceof ApiError) return error.problem.detail || error.problem.title;
  if (error instanceof OfflineError) return m.coordinator.offline;
  return (error as Error).message;
}

/**
 * Where a case is, in words: the name the reporter gave, else (a machine lead) the hot spot it is next to, else
 * the kind of place.
 */
export function placeOf(c: Pick<CaseSummary, 'placeName' | 'placeType' | 'location'>, m: Messages): string {
  if (c.placeName) return c.placeName;
  const spot = nearestHotSpot(c.location);
  return spot ? fill(m.coordinator.near, { spot: spot.name }) : m.place[c.placeType];
}

export const isAbort = (error: unknown) => (error as Error | undefined)?.name === 'AbortError';
