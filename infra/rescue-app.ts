import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Tags } from 'aws-cdk-lib';
import { z } from 'zod';
import { WebConfig } from '#shared/contract/web-config';
import { loadCity } from './city';
import { REPO_ROOT } from './constructs/rescue-function';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';
import type { WebHostingSettings } from './web-hosting';

export interface RescueAppOptions {
  /** Skip esbuild bundling: the local runtime and the tests need the template, not the Lambda bundles. */
  skipBundling?: boolean;
  outdir?: string;
  context?: Record<string, unknown>;
}

export interface RescueApp {
  app: App;
  stateful: StatefulStack;
  stateless: StatelessStack;
}

/**
 * The whole deployment. Context (cdk.json or -c): `stage` names the stacks (default "StreetRescue"),
 * `allowedOrigins` (comma-separated, default "*") for browser uploads and API calls, `timeScale` (default 1), `city`
 * (the city's file, infra/city.ts) and the pages' settings (see webSettings).
 */
export function buildRescueApp(options: RescueAppOptions = {}): RescueApp {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: {
      // The CLI hands cdk.json's context to the app itself; an in-process synth (local runtime, tests) reads it here.
      ...(process.env.CDK_CONTEXT_JSON ? {} : cdkJsonContext()),
      ...(options.skipBundling ? { 'aws:cdk:bundling-stacks': [] } : {}),
      ...options.context,
    },
  });
  const stage = String(app.node.tryGetContext('stage') ?? 'StreetRescue');
  const origins = String(app.node.tryGetContext('allowedOrigins') ?? '*').split(',').map((o) => o.trim()).filter(Boolean);
  const timeScale = Number(app.node.tryGetContext('timeScale') ?? 1);
  if (!(timeScale > 0)) throw new Error(`context timeScale must be a positive number, got ${timeScale}`);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const web = webSettings(app, stage);
  const reserved = app.node.tryGetContext('workflowReservedConcurrency') as unknown;
  const workflowReservedConcurrency = reserved === undefined ? undefined : Number(reserved);
  if (workflowReservedConcurrency !== undefined && !(workflowReservedConcurrency >= 0)) {
    throw new Error(`context workflowReservedConcurrency must be 0 or more, got ${String(reserved)}`);
  }

  const stateful = new StatefulStack(app, `${stage}-Data`, { env, stage, uploadOrigins: origins, description: 'Street rescue patrol: case table and uploads bucket' });
  const stateless = new StatelessStack(app, `${stage}-Api`, {
    env, table: stateful.table, stage, apiOrigins: origins, timeScale, web,
    ...(workflowReservedConcurrency !== undefined ? { workflowReservedConcurrency } : {}),
    description: 'Street rescue patrol: API, functions, identity, the case workflow and the pages',
  });
  // The uploads bucket is imported by name (uploadsExports), which CloudFormation does not order by itself.
  stateless.addStackDependency(stateful);
  Tags.of(app).add('project', 'street-rescue-patrol');
  Tags.of(app).add('stage', stage);
  return { app, stateful, stateless };
}

/** The pages' settings from context: `authDomainPrefix`, `webDevOrigin`, `mapTileUrl`, `mapTileCrs`, `mapTileAttribution`. */
function webSettings(app: App, stage: string): WebHostingSettings {
  const text = (key: string) => {
    const value = app.node.tryGetContext(key) as unknown;
    return value === undefined || value === '' ? undefined : String(value);
  };
  const map = WebConfig.shape.map.safeParse({ tileUrl: text('mapTileUrl'), tileCrs: text('mapTileCrs'), attribution: text('mapTileAttribution') });
  if (!map.success) throw new Error(`context mapTileUrl, mapTileCrs (gcj02 or wgs84), mapTileAttribution: ${z.prettifyError(map.error)}`);
  const authDomainPrefix = text('authDomainPrefix');
  if (authDomainPrefix !== undefined && !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(authDomainPrefix)) {
    throw new Error(`context authDomainPrefix must be lower-case letters, digits and hyphens (at most 63), got '${authDomainPrefix}'`);
  }
  const devOrigin = text('webDevOrigin');
  if (devOrigin !== undefined && !/^https?:\/\/[^/]+$/.test(devOrigin)) {
    throw new Error(`context webDevOrigin must be an origin such as http://localhost:5173, got '${devOrigin}'`);
  }
  const city = loadCity(text('city'));
  return { stage, map: map.data, city, ...(authDomainPrefix ? { authDomainPrefix } : {}), ...(devOrigin ? { devOrigin } : {}) };
}

export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}
