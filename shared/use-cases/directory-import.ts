import { parse } from 'csv-parse/sync';
import type * as z from 'zod';
import { HotSpotInput } from '../contract/campaign';
import { HelpPointInput, type ImportKind, StationInput, TeamInput } from '../contract/directory';
import type { Actor } from '../domain/case';
import { DomainError, invalid } from '../domain/errors';
import { apiKeyHash, type DirectoryChange, type HelpPoint, type HotSpot, type Station, type Team } from '../store/directory-store';
import type { Dependencies } from './dependencies';
import { changedFields, type DistrictSource, newApiKey, withDistrictArea } from './directory-admin';

/**
 * Onboarding a city from the files it already has: stations, teams, help points or hot spots, as CSV (a row each,
 * the header naming the columns) or as a GeoJSON FeatureCollection (a feature each). The whole file is checked first,
 * with the rules of the API's own POST (the same schemas), each entry's station against the directory, and no id
 * twice; one fault and nothing is stored, and the answer names every faulty row. Then each entry is created or
 * replaced, with its change in the audit trail; an entry that is already as the file says is left alone, so sending
 * the same file again changes nothing. A help point new to the directory gets its api_key, answered this once.
 * Webhook channels are never imported (a URL is a secret): an entry replaced keeps its channel.
 */
type Deps = Pick<Dependencies, 'directory' | 'now'> & DistrictSource;

/** A city has tens of stations and teams and a few thousand hot spots at most. */
export const MAX_IMPORT_ENTRIES = 2_000;
/** Entries written at once (each is its own transaction with its audit entry). */
const WRITES_IN_FLIGHT = 8;

type Raw = Record<string, unknown>;
interface Row { where: string; raw: Raw }
type Entry = Station | Team | HelpPoint | HotSpot;

const ID_FIELD: Record<ImportKind, string> = { station: 'stationId', team: 'teamId', help_point: 'helpPointId', hot_spot: 'hotSpotId' };
const SCHEMA = { station: StationInput, team: TeamInput, help_point: HelpPointInput, hot_spot: HotSpotInput } as const;

// ─── Reading the file ────────────────────────────────────────────────────────────────────────────────────────

const number = (text: string) => (text === '' ? undefined : Number(text));
const list = (text: string) => text.split(/[;；、|]/).map((item) => item.trim()).filter(Boolean);
const truth = (text: string) => (/^(true|yes|1|是|在岗)$/i.test(text) ? true : /^(false|no|0|否|不在岗)$/i.test(text) ? false : text);

/** A CSV row as the body the API's POST takes: empty cells are absent, lat/lon make the location. */
function fromCsv(kind: ImportKind, cells: Record<string, string>): Raw {
  const raw: Raw = {};
  for (const [column, value] of Object.entries(cells)) {
    const text = value.trim();
    if (text === '' || column === 'lat' || column === 'lon') continue;
    if (column === 'districts' || column === 'members') raw[column] = list(text);
    else if (column === 'beds' || column === 'radiusM') raw[column] = number(text);
    else if (column === 'onDuty') raw[column] = truth(text);
    else if (column === 'area') {
      try {
        raw.area = JSON.parse(text);
      } catch {
        raw.area = text;
      }
    } else raw[column] = text;
  }
  if ((cells.lat ?? '').trim() !== '' || (cells.lon ?? '').trim() !== '') raw.location = { lat: number(cells.lat?.trim() ?? ''), lon: number(cells.lon?.trim() ?? '') };
  if (kind === 'team' && raw.onDuty === undefined) raw.onDuty = false;
  return raw;
}

function csvRows(kind: ImportKind, text: string): Row[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: false });
  } catch (error) {
    throw invalid(`the CSV cannot be read: ${(error as Error).message}`, [{ path: 'body', message: 'not CSV with a header row' }]);
  }
  const header = Object.keys(records[0] ?? {});
  const missing = [ID_FIELD[kind], 'name', 'lat', 'lon'].filter((column) => records.length && !header.includes(column));
  if (missing.length) throw invalid(`the CSV's header lacks ${missing.join(', ')}`, missing.map((column) => ({ path: `header.${column}`, message: 'is a required column' })));
  // Row 1 is the header: the first entry is row 2, as a spreadsheet numbers it.
  return records.map((cells, index) => ({ where: `row ${index + 2}`, raw: fromCsv(kind, cells) }));
}

function geoJsonRows(kind: ImportKind, text: string): Row[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(`the body is not valid JSON: ${(error as Error).message}`, [{ path: 'body', message: 'not JSON' }]);
  }
  const collection = json as { type?: unknown; features?: unknown };
  if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    throw invalid('send a GeoJSON FeatureCollection', [{ path: 'body.type', message: 'must be FeatureCollection with features' }]);
  }
  return collection.features.map((feature: { id?: unknown; geometry?: { type?: string; coordinates?: unknown }; properties?: Raw | null }, index) => {
    const raw: Raw = { ...(feature?.properties ?? {}) };
    if (feature?.id !== undefined && raw[ID_FIELD[kind]] === undefined) raw[ID_FIELD[kind]] = String(feature.id);
    const geometry = feature?.geometry;
    if (geometry?.type === 'Point' && Array.isArray(geometry.coordinates)) {
      const [lon, lat] = geometry.coordinates as unknown[];
      raw.location = { lat, lon };
    } else if (kind === 'station' && (geometry?.type === 'Polygon' || geometry?.type === 'MultiPolygon')) {
      // A station drawn as its area: where the station itself stands comes from its properties.
      raw.area = geometry;
      if (raw.lat !== undefined || raw.lon !== undefined) raw.location = { lat: raw.lat, lon: raw.lon };
      delete raw.lat;
      delete raw.lon;
    }
    return { where: `feature ${index}`, raw };
  });
}

export function rowsOf(kind: ImportKind, mediaType: string, text: string): Row[] {
  const rows = mediaType === 'text/csv' ? csvRows(kind, text) : geoJsonRows(kind, text);
  if (rows.length === 0) throw invalid('the file holds no entries', [{ path: 'body', message: 'is empty' }]);
  if (rows.length > MAX_IMPORT_ENTRIES) throw invalid(`at most ${MAX_IMPORT_ENTRIES} entries per import; split the file`, [{ path: 'body', message: `has ${rows.length} entries` }]);
  return rows;
}

// ─── Checking and writing ────────────────────────────────────────────────────────────────────────────────────

const idOf = (kind: ImportKind, entry: Entry) => String((entry as unknown as Raw)[ID_FIELD[kind]]);

/** What the entry becomes: the file's fields over what the directory keeps beyond them (a channel, a key). */
function merged(kind: ImportKind, parsed: Raw, before: Entry | undefined): Entry {
  if (kind === 'hot_spot') {
    const { location, ...rest } = parsed as z.output<typeof HotSpotInput>;
    return { ...rest, hotSpotId: rest.hotSpotId!, location: { lat: location.lat, lon: location.lon } } as HotSpot;
  }
  const kept: Raw = {};
  const previous = before as Raw | undefined;
  if (previous?.notify) kept.notify = previous.notify;
  if (previous?.apiKeyHash) kept.apiKeyHash = previous.apiKeyHash;
  return { ...parsed, ...kept } as unknown as Entry;
}

export interface ImportOutcome {
  kind: ImportKind;
  dryRun: boolean;
  created: number;
  replaced: number;
  unchanged: number;
  items: { id: string; what: 'created' | 'replaced' | 'unchanged' }[];
  /** New help points' api_keys, answered this once. */
  apiKeys?: { helpPointId: string; apiKey: string }[];
}

export async function importDirectory(
  deps: Deps,
  input: { kind: ImportKind; mediaType: string; text: string; dryRun: boolean; actor: Actor },
): Promise<ImportOutcome> {
  const { kind } = input;
  const rows = rowsOf(kind, input.mediaType, input.text);
  const [existing, stations] = await Promise.all([deps.directory.list(kind), kind === 'team' || kind === 'help_point' ? deps.directory.list('station') : Promise.resolve([])]);
  const before = new Map((existing as Entry[]).map((entry) => [idOf(kind, entry), entry]));
  const stationIds = new Set(stations.map((s) => s.stationId));
  const errors: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  const planned: { id: string; entry: Entry; previous?: Entry; fields?: string[] }[] = [];
  for (const { where, raw } of rows) {
    const parsed = SCHEMA[kind].safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ path: [where, ...issue.path.map(String)].join('.'), message: issue.message });
      continue;
    }
    let data = parsed.data as Raw;
    if (kind === 'station') {
      try {
        data = await withDistrictArea(deps, data as { districts?: string[] }, `${where}.districts`);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        errors.push(...error.details);
        continue;
      }
    }
    const id = data[ID_FIELD[kind]];
    if (typeof id !== 'string') {
      errors.push({ path: `${where}.${ID_FIELD[kind]}`, message: 'an imported entry names its id, so that importing again replaces it' });
      continue;
    }
    if (seen.has(id)) {
      errors.push({ path: `${where}.${ID_FIELD[kind]}`, message: `${id} is in the file twice` });
      continue;
    }
    seen.add(id);
    if ((kind === 'team' || kind === 'help_point') && !stationIds.has(String(data.stationId))) {
      errors.push({ path: `${where}.stationId`, message: `station ${String(data.stationId)} is not in the directory: import the stations first` });
      continue;
    }
    const previous = before.get(id);
    const entry = merged(kind, data, previous);
    planned.push({ id, entry, ...(previous ? { previous, fields: changedFields(previous, entry) } : {}) });
  }
  if (errors.length) throw invalid(`${errors.length} fault(s) in the file; nothing was stored`, errors.slice(0, 200));

  const items = planned.map(({ id, fields }) => ({
    id, what: !fields ? 'created' as const : fields.length === 0 ? 'unchanged' as const : 'replaced' as const,
  }));
  const outcome: ImportOutcome = {
    kind, dryRun: input.dryRun,
    created: items.filter((i) => i.what === 'created').length,
    replaced: items.filter((i) => i.what === 'replaced').length,
    unchanged: items.filter((i) => i.what === 'unchanged').length,
    items,
  };
  if (input.dryRun) return outcome;

  const apiKeys: { helpPointId: string; apiKey: string }[] = [];
  const at = deps.now().toISOString();
  const work = planned.filter(({ fields }) => fields?.length !== 0);
  for (let start = 0; start < work.length; start += WRITES_IN_FLIGHT) {
    await Promise.all(work.slice(start, start + WRITES_IN_FLIGHT).map(async ({ id, entry, previous, fields }) => {
      const change: DirectoryChange = { at, sub: input.actor.sub, kind, id, what: 'imported', ...(fields ? { fields } : {}) };
      if (kind === 'help_point') {
        const helpPoint = entry as HelpPoint;
        if (!previous) {
          const apiKey = newApiKey();
          await deps.directory.putHelpPoint({ ...helpPoint, apiKeyHash: apiKeyHash(apiKey) }, change, 'new');
          apiKeys.push({ helpPointId: id, apiKey });
        } else {
          await deps.directory.putHelpPoint(helpPoint, change, 'existing');
        }
        return;
      }
      await deps.directory.writeAudited(kind, entry as Station & Team & HotSpot, previous ? 'replace' : 'create', change);
    }));
  }
  return { ...outcome, ...(kind === 'help_point' ? { apiKeys: apiKeys.sort((a, b) => a.helpPointId.localeCompare(b.helpPointId)) } : {}) };
}
