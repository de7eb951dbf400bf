import type { WebConfig } from '#shared/contract/web-config';

export type { WebConfig };

let loaded: Promise<WebConfig> | undefined;
/** The last settings fetched: a patrol phone opened without signal starts with them instead of not at all. */
const LAST_CONFIG_KEY = 'srp.config';

/** The deployment's settings (GET /config.json), fetched once per page load; the last good copy when offline. */
export function loadConfig(): Promise<WebConfig> {
  loaded ??= fetchConfig().catch((error: unknown) => {
    const last = localStorage.getItem(LAST_CONFIG_KEY);
    if (!last) throw error;
    return JSON.parse(last) as WebConfig;
  });
  return loaded;
}

async function fetchConfig(): Promise<WebConfig> {
  const res = await fetch('/config.json', { cache: 'no-cache' });
  if (!res.ok) throw new Error(`GET /config.json answered ${res.status}`);
  const raw = (await res.json()) as WebConfig;
  const config = { ...raw, apiBase: raw.apiBase ?? '', map: { ...raw.map, tileCrs: raw.map?.tileCrs ?? 'gcj02' } };
  localStorage.setItem(LAST_CONFIG_KEY, JSON.stringify(config));
  return config;
}
