import { Template } from 'aws-cdk-lib/assertions';
import type { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_METADATA } from '#infra/constructs/rescue-function';
import { buildRescueApp } from '#infra/rescue-app';
import { asArray, type CfnResource, joinedWithRefs, referencedId, resourceById, resourcesOfType } from './template-queries';

const ENTRY = 'functions/maintenance/reconcile.ts';

interface Statement {
  Effect: string;
  Action?: string | string[];
  Resource?: unknown;
}

let api: Template;
let reconcilerId: string;
let reconciler: CfnResource;
let stateMachineName: string;

/** Every Allow statement of the policies attached to the reconciler's role. */
const reconcilerStatements = (): Statement[] => {
  const roleId = referencedId(reconciler.Properties?.Role);
  return resourcesOfType(api, 'AWS::IAM::Policy')
    .filter(([, p]) => asArray(p.Properties?.Roles).some((r) => referencedId(r) === roleId))
    .flatMap(([, p]) => asArray(p.Properties?.PolicyDocument?.Statement) as Statement[])
    .filter((s) => s.Effect === 'Allow');
};
const resourcesAllowing = (action: string) =>
  reconcilerStatements().filter((s) => asArray(s.Action).includes(action)).flatMap((s) => asArray(s.Resource).map(joinedWithRefs));
const arnPrefix = 'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}';

beforeAll(() => {
  const { stateless } = buildRescueApp({ skipBundling: true });
  api = Template.fromStack(stateless);
  const functions = resourcesOfType(api, 'AWS::Lambda::Function').filter(([, fn]) => fn.Metadata?.[ENTRY_METADATA] === ENTRY);
  expect(functions, `one function runs ${ENTRY}`).toHaveLength(1);
  [[reconcilerId, reconciler]] = functions as [[string, CfnResource]];
  const caseWorkflowId = stateless.getLogicalId(stateless.caseWorkflow.stateMachine.node.defaultChild as CfnStateMachine);
  stateMachineName = String(resourceById(api, caseWorkflowId).Properties?.StateMachineName);
});

describe('workflow reconciler', () => {
  it('runs every five minutes from an EventBridge schedule, without retries (the next pass makes good a missed one)', () => {
    const rules = resourcesOfType(api, 'AWS::Events::Rule')
      .filter(([, rule]) => asArray(rule.Properties?.Targets).some((t: { Arn: unknown }) => referencedId(t.Arn) === reconcilerId));
    expect(rules).toHaveLength(1);
    const [ruleId, rule] = rules[0]!;
    expect(rule.Properties).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED' });
    expect(rule.Properties?.EventPattern).toBeUndefined();
    expect(rule.Properties?.Targets[0].RetryPolicy).toMatchObject({ MaximumRetryAttempts: 0 });

    const permissions = resourcesOfType(api, 'AWS::Lambda::Permission')
      .filter(([, p]) => referencedId(p.Properties?.FunctionName) === reconcilerId);
    expect(permissions.map(([, p]) => p.Properties)).toEqual([
      expect.objectContaining({ Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] } }),
    ]);
  });

  it('is a house function with a timeout shorter than its schedule', () => {
    expect(reconciler.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    expect(reconciler.Properties?.Timeout).toBeLessThan(5 * 60);
  });

  it('knows the case and person workflows and the notification delivery, and may start executions of these, nothing else', () => {
    const workflowArn = `${arnPrefix}:stateMachine:${stateMachineName}`;
    const personArn = `${arnPrefix}:stateMachine:${stateMachineName.replace(/case-workflow$/, 'person-workflow')}`;
    const deliveryArn = `${arnPrefix}:stateMachine:${stateMachineName.replace(/case-workflow$/, 'notification-delivery')}`;
    expect(joinedWithRefs(reconciler.Properties?.Environment?.Variables?.CASE_WORKFLOW_ARN)).toBe(workflowArn);
    expect(joinedWithRefs(reconciler.Properties?.Environment?.Variables?.PERSON_WORKFLOW_ARN)).toBe(personArn);
    expect(joinedWithRefs(reconciler.Properties?.Environment?.Variables?.NOTIFICATION_DELIVERY_ARN)).toBe(deliveryArn);
    expect(resourcesAllowing('states:StartExecution').sort()).toEqual([workflowArn, personArn, deliveryArn].sort());
  });

  it('may describe executions of the case and person workflows only (execution ARNs, not the state machine ARNs)', () => {
    expect(resourcesAllowing('states:DescribeExecution').sort()).toEqual([
      `${arnPrefix}:execution:${stateMachineName}:*`, `${arnPrefix}:execution:${stateMachineName.replace(/case-workflow$/, 'person-workflow')}:*`,
    ].sort());
  });

  it('reads and writes the table through the grant that names it', () => {
    expect(reconciler.Properties?.Environment?.Variables?.TABLE_NAME).toBeDefined();
    const dynamo = reconcilerStatements().filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')));
    const actions = dynamo.flatMap((s) => asArray(s.Action));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem']));
    // The status index is read, so the grant must reach the table's indexes.
    expect(JSON.stringify(dynamo.map((s) => s.Resource))).toContain('/index/gsi2');
  });
});
