import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildRescueApp } from '#infra/rescue-app';

/**
 * The AWS Solutions rule pack of cdk-nag over both stacks: no finding is left, and every one acknowledged says why,
 * next to the resource it is about (Validations.of(...).acknowledge in infra/). Warnings count as findings here.
 */
describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unexplained in either stack', () => {
    const { app } = buildRescueApp({ skipBundling: true });
    app.synth();
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}: ${v.description}`));
    expect(findings).toEqual([]);
  });

  it('still finds what it should (the check is live): a bucket without access logs in a bare app', async () => {
    const { Bucket } = await import('aws-cdk-lib/aws-s3');
    const { Stack } = await import('aws-cdk-lib');
    const app = new App();
    new Bucket(new Stack(app, 'Bare'), 'Plain');
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toContain('AwsSolutions-S1');
  });
});
