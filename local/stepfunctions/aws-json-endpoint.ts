import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { SfnServiceError, type ExecutionStatus, type LocalStepFunctions } from '#local/stepfunctions/local-step-functions';

/**
 * The AWS JSON 1.0 protocol that @aws-sdk/client-sfn speaks: POST /, `x-amz-target: AWSStepFunctions.<Action>`,
 * a JSON body, timestamps as epoch seconds, errors as HTTP 400 `{ "__type": code, "message" }` (the SDK reads
 * `__type` first and turns it into `err.name`). Signatures are not checked: this only ever listens locally.
 */

const TARGET_PREFIX = 'AWSStepFunctions.';
const MAX_BODY_BYTES = 1024 * 1024;
const EXECUTION_STATUSES: ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

type Body = Record<string, unknown>;

const actions: Record<string, (service: LocalStepFunctions, body: Body) => Promise<object>> = {
  StartExecution: (service, body) =>
    service.startExecution({
      stateMachineArn: requiredString(body, 'stateMachineArn'),
      name: optionalString(body, 'name'),
      input: optionalString(body, 'input'),
    }),
  DescribeExecution: (service, body) => service.describeExecution({ executionArn: requiredString(body, 'executionArn') }),
  ListExecutions: (service, body) =>
    service.listExecutions({
      stateMachineArn: requiredString(body, 'stateMachineArn'),
      statusFilter: optionalStatus(body),
      maxResults: optionalNumber(body, 'maxResults'),
      nextToken: optionalString(body, 'nextToken'),
    }),
  StopExecution: (service, body) =>
    service.stopExecution({
      executionArn: requiredString(body, 'executionArn'),
      error: optionalString(body, 'error'),
      cause: optionalString(body, 'cause'),
    }),
  SendTaskSuccess: (service, body) =>
    service.sendTaskSuccess({ taskToken: requiredString(body, 'taskToken'), output: requiredString(body, 'output') }),
  SendTaskFailure: (service, body) =>
    service.sendTaskFailure({
      taskToken: requiredString(body, 'taskToken'),
      error: optionalString(body, 'error'),
      cause: optionalString(body, 'cause'),
    }),
  SendTaskHeartbeat: (service, body) => service.sendTaskHeartbeat({ taskToken: requiredString(body, 'taskToken') }),
};

export async function handleStepFunctionsRequest(
  service: LocalStepFunctions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const target = req.headers['x-amz-target'];
    const actionName = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const action = req.method === 'POST' ? actions[actionName] : undefined;
    if (!action) {
      await drain(req);
      throw new SfnServiceError('UnknownOperationException', `Unknown operation: ${String(target ?? req.method)}`);
    }
    const result = await action(service, await readJsonBody(req));
    send(res, 200, toWire(result));
  } catch (error) {
    if (error instanceof SfnServiceError) {
      send(res, error.httpStatus, { __type: error.code, message: error.message });
    } else {
      send(res, 500, { __type: 'InternalFailure', message: error instanceof Error ? error.message : String(error) });
    }
  }
}

async function readJsonBody(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new SfnServiceError('ValidationException', 'Request body is too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new SfnServiceError('SerializationException', 'Request body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SfnServiceError('SerializationException', 'Request body must be a JSON object');
  }
  return body as Body;
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _chunk of req) {
    // Read and discarded so the connection can be reused.
  }
}

function send(res: ServerResponse, status: number, body: object): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(payload);
}

// The JSON protocols carry timestamps as epoch seconds (fractions allowed).
function toWire(value: unknown): object {
  return toWireValue(value) as object;
}

function toWireValue(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWireValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toWireValue(item)]));
  }
  return value;
}

function requiredString(body: Body, field: string): string {
  const value = body[field];
  if (typeof value !== 'string') {
    throw new SfnServiceError('ValidationException', `1 validation error detected: '${field}' must be a string`);
  }
  return value;
}

function optionalString(body: Body, field: string): string | undefined {
  return body[field] === undefined || body[field] === null ? undefined : requiredString(body, field);
}

function optionalNumber(body: Body, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new SfnServiceError('ValidationException', `1 validation error detected: '${field}' must be an integer`);
  }
  return value;
}

function optionalStatus(body: Body): ExecutionStatus | undefined {
  const value = optionalString(body, 'statusFilter');
  if (value !== undefined && !EXECUTION_STATUSES.includes(value as ExecutionStatus)) {
    throw new SfnServiceError('ValidationException', `1 validation error detected: 'statusFilter' must be one of ${EXECUTION_STATUSES.join(', ')}`);
  }
  return value as ExecutionStatus | undefined;
}
