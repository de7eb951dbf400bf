import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildRescueApp } from '#infra/rescue-app';

export interface StackTemplate {
  stackName: string;
  template: CloudFormationTemplate;
}

export interface CloudFormationTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

/**
 * Synthesizes the CDK app in-process, without bundling the functions: the local runtime reads what would be deployed
 * (tables, buckets, routes, the state machine) from the templates instead of describing any of it a second time.
 */
export async function synthesizeTemplates(context: Record<string, unknown> = {}): Promise<StackTemplate[]> {
  const outdir = await mkdtemp(path.join(tmpdir(), 'rescue-synth-'));
  try {
    const { app } = buildRescueApp({ skipBundling: true, outdir, context });
    const assembly = app.synth();
    return assembly.stacks.map((stack) => ({ stackName: stack.stackName, template: stack.template as CloudFormationTemplate }));
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}
