import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SFNClient } from '@aws-sdk/client-sfn';
import { handleStepFunctionsRequest } from '#local/stepfunctions/aws-json-endpoint';
import { LocalStepFunctions, type LocalStepFunctionsOptions } from '#local/stepfunctions/local-step-functions';

export const ACCOUNT = '000000000000';
export const REGION = 'local';
export const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
export const stateMachineArn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;

export interface LambdaCall {
  functionArn: string;
  payload: unknown;
}

export type FakeLambda = (payload: Record<string, unknown>) => unknown;

/**
 * A LocalStepFunctions served over node:http and a real SFNClient pointed at it. The Lambdas are plain
 * in-memory functions keyed by function ARN; every call is recorded.
 */
export async function startHarness(
  lambdas: Record<string, FakeLambda>,
  options: Omit<LocalStepFunctionsOptions, 'invokeLambda'> = {},
) {
  const calls: LambdaCall[] = [];
  const service = new LocalStepFunctions({
    ...options,
    invokeLambda: async (arn, payload) => {
      calls.push({ functionArn: arn, payload });
      const lambda = lambdas[arn];
      if (!lambda) throw Object.assign(new Error(`Function not found: ${arn}`), { name: 'ResourceNotFoundException' });
      return lambda(payload as Record<string, unknown>);
    },
  });
  const server: Server = createServer((req, res) => void handleStepFunctionsRequest(service, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sfn = new SFNClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

  return {
    service,
    sfn,
    endpoint,
    calls,
    async stop() {
      await service.close();
      sfn.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls until `probe` returns something other than undefined. */
export async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Nothing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
