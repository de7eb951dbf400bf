import '#local/stepfunctions/polyfills';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DevMemberTokenRequest, DevTokenRequest } from '#shared/contract/schemas';
import { ROLES, type Role } from '#shared/contract/vocabulary';
import { validationProblem } from '#shared/http/api-handler';
import { problem } from '#shared/http/problem';
import { createDocumentClient, createS3Client } from '#shared/adapters/aws-clients';
import { dependenciesFromEnvironment } from '#shared/use-cases/dependencies';
import { reconcileWorkflows } from '#shared/use-cases/reconcile-workflows';
import { REPO_ROOT } from '#infra/constructs/rescue-function';
import { DEFAULT_CITY_FILE, loadCity } from '#infra/city';
import { cdkJsonContext } from '#infra/rescue-app';
import { startDynamoDbLocal, type DynamoDbLocal } from '#local/engines/dynamodb-local';
import { findFreePort } from '#local/engines/ports';
import { S3_LOCAL_CREDENTIALS, startS3Local, type S3Local } from '#local/engines/s3-local';
import { handleStepFunctionsRequest } from '#local/stepfunctions/aws-json-endpoint';
import { LocalStepFunctions } from '#local/stepfunctions/local-step-functions';
import { localModelFrom, type LocalModel } from '#local/template/local-model';
import { type StackTemplate, synthesizeTemplates } from '#local/template/synthesize';
import { LocalApiGateway } from './api-gateway';
import { LocalChatRobots } from './chat-robot';
import { loadDemoOnce } from './demo';
import { LambdaHost } from './lambda-host';
import { EventStream } from './event-stream';
import { LocalCognito } from './local-cognito';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, LocalIssuer } from './local-issuer';
import { serveTokenRequest } from './token-endpoint';
import { ensureBuckets, ensureTables } from './local-resources';
import { S3EventRouter } from './s3-event-router';
import { LocalScheduler } from './scheduler';
import { localWebConfig, WebPages } from './web-pages';
import { sendJson, sendProblem } from './http-replies';

export interface LocalStackOptions {
  /** Port of the API and pages; 0 picks a free one. */
  port: number;
  host?: string;
  /** Where DynamoDB Local, S3 and the token key keep their data. Absent: nothing survives stop(). */
  dataDir?: string;
  /** Multiplies every workflow deadline and wait. */
  timeScale?: number;
  /** Names the stacks, and so the tables and buckets; lets test files share one DynamoDB Local. */
  stage?: string;
  /** Use this DynamoDB Local instead of starting one (tests start one per run). */
  dynamoEndpoint?: string;
  loadDemo?: boolean;
  log?: (line: string) => void;
  /** Fixed ports for the engines (0 or absent: free ones). A restart within one process reuses the last ones. */
  enginePorts?: { s3?: number; stepFunctions?: number; cognito?: number };
  /** Already synthesized templates (tests synthesize once per file); by default the CDK app is synthesized now. */
  templates?: StackTemplate[];
  /** The built pages served at `/` (default web/dist, what `npm run build:web` writes). */
  webDist?: string;
  /** The city's file (default: cdk.json's context `city`). */
  cityFile?: string;
}

const cityFileOfContext = () => {
  const named = cdkJsonContext().city;
  return typeof named === 'string' && named ? named : DEFAULT_CITY_FILE;
};

const readBody = (req: IncomingMessage, limit: number) => new Promise<Buffer>((resolve, reject) => {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    // Keep reading past the limit (so the client sees our answer) but stop storing.
    if (size <= limit + 1) chunks.push(chunk);
  });
  req.on('end', () => resolve(Buffer.concat(chunks)));
  req.on('error', reject);
});

/**
 * The whole system on one machine: the synthesized templates run against DynamoDB Local, s3rver and the local
 * Step Functions service, with the same handlers the CDK deploys.
 */
export class LocalStack {
  private ready = false;
  /** The workflows of the open cases coming back after a start (see start); stop waits for it. */
  private resuming: Promise<void> = Promise.resolve();
  private readonly stopResuming = new AbortController();
  private readonly chatRobots = new LocalChatRobots();
  private stopping?: Promise<void>;

  private constructor(
    readonly url: string,
    readonly model: LocalModel,
    readonly stepFunctions: LocalStepFunctions,
    readonly lambdas: LambdaHost,
    readonly issuer: LocalIssuer,
    readonly cognito: LocalCognito,
    readonly endpoints: { dynamodb: string; s3: string; stepFunctions: string },
    readonly enginePorts: { s3: number; stepFunctions: number; cognito: number },
    private readonly servers: Server[],
    private readonly engines: { dynamo?: DynamoDbLocal; s3: S3Local },
    private readonly scheduler: LocalScheduler,
    private readonly events: EventStream,
  ) {}

  static async start(options: LocalStackOptions): Promise<LocalStack> {
    const log = options.log ?? (() => undefined);
    const host = options.host ?? '127.0.0.1';
    const timeScale = options.timeScale ?? 1;
    const stacks = options.templates ?? await synthesizeTemplates({ timeScale, ...(options.stage ? { stage: options.stage } : {}) });
    const model = localModelFrom(stacks);
    // Checked before any engine starts: a bad MAP_TILE_CRS is the person's to fix, not a half-started stack's.
    // The city cdk.json's context names, as the CDK app deploys it (infra/city.ts).
    const city = loadCity(options.cityFile ?? cityFileOfContext());
    const pages = new WebPages(options.webDist ?? path.join(REPO_ROOT, 'web', 'dist'), localWebConfig(process.env, city), city);
    log(`read ${model.tables.length} table(s), ${model.buckets.length} bucket(s), ${model.functions.size} function(s), ${model.routes.length} route(s), ${model.stateMachines.length} state machine(s) from the CDK app`);

    let lambdas: LambdaHost | undefined;
    let s3Events: S3EventRouter | undefined;
    const [dynamo, s3] = await Promise.all([
      options.dynamoEndpoint ? Promise.resolve(undefined)
        : startDynamoDbLocal({ ...(options.dataDir ? { dataDir: path.join(options.dataDir, 'dynamodb') } : {}) }),
      startS3Local({
        ...(options.enginePorts?.s3 ? { port: options.enginePorts.s3 } : {}),
        ...(options.dataDir ? { dataDir: path.join(options.dataDir, 's3') } : {}),
        onEvent: (event) => s3Events?.deliver(event),
      }),
    ]);
    const dynamoEndpoint = options.dynamoEndpoint ?? dynamo!.endpoint;
    try {
      Object.assign(process.env, {
        AWS_REGION: 'local',
        AWS_ACCESS_KEY_ID: S3_LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3_LOCAL_CREDENTIALS.secretAccessKey,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        DYNAMODB_ENDPOINT: dynamoEndpoint,
        S3_ENDPOINT: s3.endpoint,
      });
      const dynamoClient = new DynamoDBClient({ endpoint: dynamoEndpoint });
      const s3Client = createS3Client(s3.endpoint);
      await Promise.all([ensureTables(dynamoClient, model.tables), ensureBuckets(s3Client, model.buckets)]);
      dynamoClient.destroy();
      s3Client.destroy();

      lambdas = new LambdaHost(model.functions, REPO_ROOT);
      const stepFunctions = new LocalStepFunctions({
        invokeLambda: (arn, payload) => lambdas!.invoke(arn, payload),
        timeScale,
        log: (message) => log(`[workflow] ${message}`),
        onExecutionEnd: (execution) => {
          if (execution.status !== 'SUCCEEDED' && execution.status !== 'ABORTED') {
            log(`[workflow] ${execution.name} ${execution.status}: ${execution.error ?? ''} ${execution.cause ?? ''}`);
          }
        },
      });
      for (const machine of model.stateMachines) stepFunctions.registerStateMachine(machine.arn, machine.definition);
      const sfnServer = createServer((req, res) => void handleStepFunctionsRequest(stepFunctions, req, res));
      await new Promise<void>((resolve, reject) => {
        sfnServer.once('error', reject);
        sfnServer.listen(options.enginePorts?.stepFunctions ?? 0, '127.0.0.1', resolve);
      });
      const sfnEndpoint = `http://127.0.0.1:${(sfnServer.address() as AddressInfo).port}`;
      process.env.SFN_ENDPOINT = sfnEndpoint;
      // The user pool's admin calls (devices' app clients, members' invitations), answered by the local mirror.
      const cognito = await LocalCognito.open(options.dataDir);
      const cognitoServer = createServer((req, res) => void readBody(req, 1024 * 1024).then((body) => cognito.handle(req, res, body)));
      await new Promise<void>((resolve, reject) => {
        cognitoServer.once('error', reject);
        cognitoServer.listen(options.enginePorts?.cognito ?? 0, '127.0.0.1', resolve);
      });
      // Before the functions load: a module may build its SDK client at load (the token trigger does).
      process.env.COGNITO_ENDPOINT = `http://127.0.0.1:${(cognitoServer.address() as AddressInfo).port}`;
      Object.assign(process.env, LambdaHost.environmentOf(model.functions.values()));
      // No SNS engine locally: messages bound for the topic stay in the outbox (the stored notification).
      delete process.env.NOTIFY_TOPIC_ARN;
      await lambdas.loadAll();
      s3Events = new S3EventRouter(model, lambdas, log);

      const issuer = await LocalIssuer.open(options.dataDir);
      // The template resolves the cloud's key from Secrets Manager at deployment; here it is the issuer's, kept with it.
      process.env.CURSOR_KEY = issuer.secretFor('cursor-key');
      const gateway = new LocalApiGateway(model.routes, model.cors, lambdas, issuer);
      const port = options.port === 0 ? await findFreePort() : options.port;
      const url = `http://${host}:${port}`;
      // What the template points at the cloud's user pool, pointed at the local issuer: the Callers authorizer verifies
      // its tokens, the directory makes devices' clients at the mirror, and devices get tokens at /oauth2/token here.
      Object.assign(process.env, {
        TOKEN_ISSUER: LOCAL_ISSUER,
        TOKEN_JWKS: JSON.stringify({ keys: [issuer.publicJwk] }),
        MEMBER_CLIENT_IDS: LOCAL_AUDIENCE,
        DEVICE_TOKEN_URL: `${url}/oauth2/token`,
        // The deployed function carries a copy of the city's outline; locally it is the repository's file.
        ...(city.outlineFile ? { CITY_OUTLINE_FILE: city.outlineFile } : {}),
      });
      let stack: LocalStack | undefined;
      const api = createServer((req, res) => {
        void (async () => {
          try {
            const body = await readBody(req, 10 * 1024 * 1024);
            if (await stack!.serveLocalEndpoints(req, res, body)) return;
            if (await gateway.handle(req, res, body)) return;
            // The pages come last: an API route or a local endpoint always wins over a page of the same path.
            if (pages.handle(req, res)) return;
            sendProblem(res, problem('not-found', `nothing at ${req.method} ${new URL(req.url ?? '/', url).pathname}`));
          } catch (error) {
            log(`[api] ${(error as Error).stack ?? error}`);
            if (!res.headersSent) sendProblem(res, problem('internal-error', 'the local runtime failed; see its log'));
            else res.end();
          }
        })();
      });
      await new Promise<void>((resolve, reject) => {
        api.once('error', reject);
        api.listen(port, host, () => resolve());
      });
      stack = new LocalStack(url, model, stepFunctions, lambdas, issuer, cognito,
        { dynamodb: dynamoEndpoint, s3: s3.endpoint, stepFunctions: sfnEndpoint },
        { s3: s3.port, stepFunctions: (sfnServer.address() as AddressInfo).port, cognito: (cognitoServer.address() as AddressInfo).port },
        [api, sfnServer, cognitoServer], { ...(dynamo ? { dynamo } : {}), s3 },
        new LocalScheduler(model.schedules, { invoke: (arn, event) => lambdas!.invoke(arn, event), timeScale, log }),
        EventStream.fromEnvironment(issuer, log));

      const deps = dependenciesFromEnvironment();
      // The demo first: a start that crashed while loading the past nights finishes them (closed) before the
      // reconciler looks for open cases, so that last week's cases never get a live workflow.
      if (options.loadDemo) {
        const db = createDocumentClient(dynamoEndpoint);
        const loaded = await loadDemoOnce(db, process.env.TABLE_NAME!, deps, url);
        if (loaded) log(`loaded the demo: ${loaded.summary}`);
      }
      // Executions live in memory here: after a restart every open case is missing one, and this brings them back, in
      // the background (the nearest deadline first): the API answers meanwhile, and an action or report on a case
      // whose execution is not back yet is kept on the case, where the execution finds it.
      stack.resuming = reconcileWorkflows(deps, { signal: stack.stopResuming.signal }).then((figures) => {
        if (figures.started || figures.resumed) log(`resumed the workflows of ${figures.started + figures.resumed} open case(s)`);
      }, (error: unknown) => log(`[reconciler] ${(error as Error).stack ?? error}`));
      stack.scheduler.start();
      stack.ready = true;
      return stack;
    } catch (error) {
      await Promise.allSettled([dynamo?.stop(), s3.stop()]);
      throw error;
    }
  }

  private async serveLocalEndpoints(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean> {
    const pathname = new URL(req.url ?? '/', this.url).pathname;
    if (this.chatRobots.handle(req, res, body, pathname)) return true;
    if (await this.events.serve(req, res)) return true;
    if (pathname === '/health' && req.method === 'GET') {
      sendJson(res, this.ready ? 200 : 503, {
        status: this.ready ? 'ok' : 'starting',
        engines: { dynamodb: this.endpoints.dynamodb, s3: this.endpoints.s3, stepFunctions: this.endpoints.stepFunctions },
        tables: this.model.tables.map((t) => t.create.TableName),
        buckets: this.model.buckets.map((b) => b.name),
        stateMachines: this.model.stateMachines.map((m) => m.arn),
      });
      return true;
    }
    if (pathname === '/oauth2/token' && req.method === 'POST') {
      await serveTokenRequest(req, res, body, this.cognito, this.issuer);
      return true;
    }
    if (pathname === '/.well-known/jwks.json' && req.method === 'GET') {
      sendJson(res, 200, { keys: [this.issuer.publicJwk] });
      return true;
    }
    if (pathname === '/v1/dev/token' && req.method === 'POST') {
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8') || 'null');
      } catch (error) {
        sendProblem(res, problem('malformed-json', `the body is not valid JSON: ${(error as Error).message}`));
        return true;
      }
      if (json !== null && typeof json === 'object' && 'username' in json) {
        // A member invited through the API: their group, team and station as the invitation set them.
        const asked = DevMemberTokenRequest.safeParse(json);
        if (!asked.success) {
          sendProblem(res, validationProblem(asked.error, 'body'));
          return true;
        }
        const member = this.cognito.member(asked.data.username);
        const role = member?.groups.find((g): g is Role => (ROLES as readonly string[]).includes(g));
        if (!member || !role) {
          sendProblem(res, problem('not-found', `no enabled member ${asked.data.username} with a role in the local user pool (invite one with POST /v1/members)`));
          return true;
        }
        const { sub, name, 'custom:teamId': teamId, 'custom:stationId': stationId } = member.attributes;
        sendJson(res, 200, {
          token: await this.issuer.issue({
            role, sub: sub!, ...(name ? { name } : {}), ...(teamId ? { teamId } : {}), ...(stationId ? { stationId } : {}),
            ...(asked.data.expiresInSeconds ? { expiresInSeconds: asked.data.expiresInSeconds } : {}),
          }),
        });
        return true;
      }
      const parsed = DevTokenRequest.safeParse(json);
      if (!parsed.success) {
        sendProblem(res, validationProblem(parsed.error, 'body'));
        return true;
      }
      sendJson(res, 200, { token: await this.issuer.issue(parsed.data) });
      return true;
    }
    return false;
  }

  async stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.ready = false;
      this.stopResuming.abort();
      await this.resuming;
      // Open event streams end first: the servers below would otherwise wait on them.
      await this.events.close();
      await this.scheduler.stop();
      await this.stepFunctions.close();
      await Promise.all(this.servers.map((server) => new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })));
      await Promise.allSettled([this.engines.s3.stop(), this.engines.dynamo?.stop()]);
    })();
    return this.stopping;
  }
}
