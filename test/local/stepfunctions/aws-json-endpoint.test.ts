import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, stateMachineArn } from './harness';

const MACHINE = stateMachineArn('pass-through');

let harness: Awaited<ReturnType<typeof startHarness>>;

beforeAll(async () => {
  harness = await startHarness({});
  harness.service.registerStateMachine(MACHINE, { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } });
});

afterAll(async () => {
  await harness?.stop();
});

function post(target: string | undefined, body: string) {
  return fetch(harness.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', ...(target ? { 'x-amz-target': target } : {}) },
    body,
  });
}

describe('AWS JSON 1.0 endpoint', () => {
  it('answers with epoch-second timestamps', async () => {
    const response = await post('AWSStepFunctions.StartExecution', JSON.stringify({ stateMachineArn: MACHINE, name: 'raw-1' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    const body = (await response.json()) as { executionArn: string; startDate: number };
    expect(body.executionArn).toBe('arn:aws:states:local:000000000000:execution:pass-through:raw-1');
    expect(typeof body.startDate).toBe('number');
    expect(Math.abs(body.startDate - Date.now() / 1000)).toBeLessThan(5);
  });

  it('reports errors as 400 with __type and message', async () => {
    const response = await post('AWSStepFunctions.DescribeExecution', JSON.stringify({ executionArn: 'arn:aws:states:local:000000000000:execution:pass-through:none' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: 'ExecutionDoesNotExist', message: expect.stringContaining('none') });
  });

  it('refuses unknown actions, missing targets, bad JSON and missing fields', async () => {
    const unknown = await post('AWSStepFunctions.CreateActivity', '{}');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ __type: 'UnknownOperationException' });

    expect(await (await post(undefined, '{}')).json()).toMatchObject({ __type: 'UnknownOperationException' });
    expect(await (await post('AWSStepFunctions.StartExecution', '{nope')).json()).toMatchObject({ __type: 'SerializationException' });
    expect(await (await post('AWSStepFunctions.SendTaskSuccess', '{"output":"{}"}')).json()).toMatchObject({
      __type: 'ValidationException',
    });
  });
});
