import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CityConfig } from '#shared/contract/city';
import { REPO_ROOT } from './constructs/rescue-function';

/** The demo's city: what cdk.json's context `city` names out of the box. */
export const DEFAULT_CITY_FILE = 'config/cities/nanchang.json';

export interface City {
  config: CityConfig;
  /** The outline's file, absolute, when the city has one. */
  outlineFile?: string;
}

/** The offset of a zone from UTC, in minutes, at an instant. */
function offsetMinutes(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

/**
 * Reads and checks a city's file (relative to the repository root): its shape, a time zone the system counts in,
 * and an outline that exists. Every refusal names the file and what to change.
 */
export function loadCity(file: string = DEFAULT_CITY_FILE): City {
  const absolute = path.resolve(REPO_ROOT, file);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(absolute, 'utf8'));
  } catch (error) {
    throw new Error(`the city file ${file} (context city) cannot be read as JSON: ${(error as Error).message}`);
  }
  const parsed = CityConfig.safeParse(json);
  if (!parsed.success) throw new Error(`the city file ${file} is not valid:\n${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: config.timeZone });
  } catch {
    throw new Error(`the city file ${file}: timeZone '${config.timeZone}' is not an IANA time zone`);
  }
  // Nights (18:00–06:00), days and reports are counted in China Standard Time throughout the system and its contract.
  const year = new Date().getUTCFullYear();
  for (const at of [new Date(Date.UTC(year, 0, 15)), new Date(Date.UTC(year, 6, 15))]) {
    if (offsetMinutes(config.timeZone, at) !== 480) {
      throw new Error(`the city file ${file}: timeZone '${config.timeZone}' is not at UTC+8 all year; nights and reports are counted in China Standard Time only today (README, "Limits")`);
    }
  }
  if (!config.outline) return { config };
  const outlineFile = path.resolve(REPO_ROOT, config.outline.file);
  if (!existsSync(outlineFile)) throw new Error(`the city file ${file}: its outline ${config.outline.file} does not exist (run npm ci, or correct the path)`);
  return { config, outlineFile };
}
