import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRescueApp } from '#infra/rescue-app';

/** What `cdk synth` does with infra/app.ts, in-process: the whole assembly, not one stack's template. */
let byDefault: CloudAssembly;
let pilot: CloudAssembly;

beforeAll(() => {
  byDefault = buildRescueApp({ skipBundling: true }).app.synth();
  pilot = buildRescueApp({ skipBundling: true, context: { stage: 'Pilot' } }).app.synth();
});

const stackNames = (assembly: CloudAssembly) => assembly.stacks.map((s) => s.stackName).sort();
const errorsOf = (assembly: CloudAssembly) => assembly.stacks.flatMap((s) => s.messages.filter((m) => m.level === 'error'));

describe('synthesized app', () => {
  it('has exactly the data and API stacks of the default stage, without errors', () => {
    expect(stackNames(byDefault)).toEqual(['StreetRescue-Api', 'StreetRescue-Data']);
    expect(errorsOf(byDefault)).toEqual([]);
  });

  it('names the stacks after the stage given in context', () => {
    expect(stackNames(pilot)).toEqual(['Pilot-Api', 'Pilot-Data']);
    expect(errorsOf(pilot)).toEqual([]);
  });

  it('deploys the API stack after the data stack it imports from', () => {
    const apiStack = pilot.getStackByName('Pilot-Api');
    expect(apiStack.dependencies.map((d) => d.id)).toContain('Pilot-Data');
  });
});
