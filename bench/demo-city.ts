import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEMO_HELP_POINTS, DEMO_STATIONS, DEMO_TEAMS } from '#local/runtime/demo';
import { LocalStack } from '#local/runtime/local-stack';
import { settings } from '#shared/settings';
import { DirectoryStore } from '#shared/store/directory-store';

/**
 * A fresh local stack in this process (in-memory DynamoDB Local, port 0) with the demo city's stations, teams and help
 * points in its directory (the access policy checks members against it), and dev tokens for whoever a benchmark needs.
 */
export async function startDemoCity() {
  const stack = await LocalStack.start({ port: 0, log: () => undefined });
  const directory = new DirectoryStore(DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.endpoints.dynamodb })), settings.tableName);
  for (const station of DEMO_STATIONS) await directory.put('station', station);
  for (const team of DEMO_TEAMS) await directory.put('team', team);
  for (const helpPoint of DEMO_HELP_POINTS) await directory.putHelpPoint(helpPoint);
  const token = async (claims: Record<string, string>) => ((await (await fetch(`${stack.url}/v1/dev/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(claims),
  })).json()) as { token: string }).token;
  return { stack, token };
}

/** Writes a benchmark's result to bench/results/<name>-<date>.json, where the README says the figures are. */
export async function writeResult(name: string, result: unknown) {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${name}-${new Date().toISOString().slice(0, 10)}.json`), `${JSON.stringify(result, null, 2)}\n`);
}
