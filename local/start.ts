import '#local/quiet-sdk';
import path from 'node:path';
import { LocalEngineError } from '#local/engines/errors';
import { assertPortFree } from '#local/engines/ports';
import { LocalStack } from '#local/runtime/local-stack';
import { REPO_ROOT } from '#infra/constructs/rescue-function';

/** `npm start`: the whole system on this machine (contract, "Local mode"). */
const port = Number(process.env.PORT ?? 3000);
const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(REPO_ROOT, '.data'));
const timeScale = Number(process.env.TIME_SCALE ?? 1);
const log = (line: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);

if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`PORT must be a port number, got '${process.env.PORT}'`);
if (!(timeScale > 0)) fail(`TIME_SCALE must be a positive number, got '${process.env.TIME_SCALE}'`);

function fail(message: string): never {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

try {
  await assertPortFree(port, 'the API', `Another \`npm start\` may be running; stop it, or choose another port: PORT=${port + 1} npm start`);
  log(`starting the local stack (data in ${dataDir}${timeScale !== 1 ? `, TIME_SCALE=${timeScale}` : ''})`);
  const stack = await LocalStack.start({ port, dataDir, timeScale, loadDemo: true, log });

  const shutdown = async (signal: string) => {
    log(`${signal}: stopping`);
    const forced = setTimeout(() => process.exit(1), 10_000);
    await stack.stop();
    clearTimeout(forced);
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  const u = stack.url;
  console.log(`
  Street rescue patrol — local stack is up

  Pages        ${u}/  (coordinator ${u}/coordinator, station ${u}/station, patrol ${u}/patrol)
  API          ${u}            (health: ${u}/health)
  DynamoDB     ${stack.endpoints.dynamodb}  (DynamoDB Local, data in ${path.join(dataDir, 'dynamodb')})
  S3           ${stack.endpoints.s3}  (s3rver, data in ${path.join(dataDir, 's3')})
  Workflows    ${stack.endpoints.stepFunctions}  (Step Functions API, aws-local-stepfunctions)

  Get a token (roles: patrol, station, coordinator, device, admin):
    TOKEN=$(curl -s -X POST ${u}/v1/dev/token -H 'content-type: application/json' \\
      -d '{"role":"patrol","sub":"li.wei","teamId":"team-01"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')

  Report a sighting, then see the cases:
    curl -s -X POST ${u}/v1/sightings -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
      -H 'Idempotency-Key: first-report' \\
      -d '{"observedAt":"'$(date -Iseconds)'","location":{"lat":28.6829,"lon":115.8579},"place":{"type":"bridge"},"people":[{"ageGroup":"elderly"}]}'
    curl -s ${u}/v1/cases -H "authorization: Bearer $TOKEN"

  Take the case (the workflow then waits for the arrival, then the outcome):
    curl -s -X POST ${u}/v1/cases/<caseId>/actions -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
      -d '{"type":"acknowledge"}'

  Watch everything happen (Server-Sent Events), and what team-02's chat robot received:
    curl -N "${u}/v1/events/stream?access_token=$TOKEN"
    curl -s ${u}/local/chat-robot/team-02

  Ctrl-C stops everything; data stays in ${dataDir}.
`);
} catch (error) {
  if (error instanceof LocalEngineError) fail(error.message);
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') fail(`port ${port} is taken: stop what uses it, or run PORT=${port + 1} npm start`);
  console.error(error);
  fail('the local stack did not start (details above)');
}
