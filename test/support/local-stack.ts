import { randomUUID } from 'node:crypto';
import { DEMO_HELP_POINTS, DEMO_HOT_SPOTS, DEMO_STATIONS, DEMO_TEAMS } from '#local/runtime/demo';
import { LocalStack } from '#local/runtime/local-stack';
import { createDocumentClient } from '#shared/adapters/aws-clients';
import { CaseStore } from '#shared/store/case-store';
import { DirectoryStore } from '#shared/store/directory-store';
import { type StackTemplate, synthesizeTemplates } from '#local/template/synthesize';
import { dynamoEndpoint } from './engines';

/**
 * A whole local stack for one test file, on the run's shared DynamoDB Local. A stage of its own gives the file its
 * own table and bucket names, so files running in parallel never see each other's cases.
 */
export async function synthesizeForTest(options: { timeScale?: number } = {}) {
  const stage = `T${randomUUID().slice(0, 8)}`;
  const templates = await synthesizeTemplates({ stage, timeScale: options.timeScale ?? 1 });
  return { stage, templates };
}

export function startTestStack(
  templates: StackTemplate[],
  options: { timeScale?: number; dataDir?: string; restartOf?: LocalStack; webDist?: string } = {},
) {
  return LocalStack.start({
    port: 0,
    templates,
    dynamoEndpoint: dynamoEndpoint(),
    timeScale: options.timeScale ?? 1,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.webDist ? { webDist: options.webDist } : {}),
    // Handlers imported by the first stack keep their SDK clients, as a Lambda container would: same endpoints.
    ...(options.restartOf ? { enginePorts: options.restartOf.enginePorts } : {}),
    log: process.env.DEBUG_STACK ? (line) => console.log(line) : undefined,
  });
}

/**
 * The demo city's directory (its station, teams, help point and hot spots) in the stack's table, as `npm start` loads it, so
 * the workflow has somebody to alert; returns the case store for checks on what the API does not show.
 */
export async function loadDemoDirectory(): Promise<CaseStore> {
  const db = createDocumentClient(dynamoEndpoint());
  const directory = new DirectoryStore(db, process.env.TABLE_NAME!);
  for (const station of DEMO_STATIONS) await directory.put('station', station);
  for (const team of DEMO_TEAMS) await directory.put('team', team);
  for (const helpPoint of DEMO_HELP_POINTS) await directory.putHelpPoint(helpPoint);
  for (const hotSpot of DEMO_HOT_SPOTS) await directory.put('hot_spot', hotSpot);
  return new CaseStore(db, process.env.TABLE_NAME!);
}

/** A client of the local API as an outside caller sees it: HTTP, JSON, bearer tokens. */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async token(claims: { role: string; sub: string; teamId?: string; stationId?: string; deviceId?: string }): Promise<string> {
    const response = await fetch(`${this.baseUrl}/v1/dev/token`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(claims),
    });
    if (response.status !== 200) throw new Error(`dev token: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { token: string }).token;
  }

  /** Every case, following the cursor page by page, as a client would. */
  async allCases(token: string): Promise<{ caseId: string; status: string }[]> {
    const cases: { caseId: string; status: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.call('GET', `/v1/cases?limit=500${cursor ? `&cursor=${cursor}` : ''}`, { token });
      cases.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return cases;
  }

  async call(method: string, path: string, options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method, headers, ...(options.rawBody !== undefined ? { body: options.rawBody } : options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) as any : undefined };
  }
}

/**
 * Each call is a different place (about 500 m apart, walking east), so tests that mean separate cases get them;
 * reports meant for one place pass the same `location`.
 */
let nextPlace = 0;
export const uniquePlace = () => {
  nextPlace += 1;
  return { lat: 28.6829, lon: 115.8579 + nextPlace * 0.005, accuracyM: 12 };
};

export const sightingBody = (overrides: Record<string, unknown> = {}) => ({
  observedAt: new Date(Date.now() - 60_000).toISOString(),
  location: uniquePlace(),
  place: { type: 'bridge', name: '八一大桥 north ramp' },
  people: [{ ageGroup: 'elderly', sex: 'male', conditions: ['inadequate_clothing', 'ill'] }],
  note: 'sleeping under the ramp, responsive',
  ...overrides,
});

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
