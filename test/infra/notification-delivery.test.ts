import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnTopic } from 'aws-cdk-lib/aws-sns';
import type { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_METADATA } from '#infra/constructs/rescue-function';
import { buildRescueApp } from '#infra/rescue-app';
import { type Definition, definitionOf, placeholderArn, validateAsl } from './state-machine-definitions';
import { asArray, type CfnResource, expectLike, joinedWithRefs, referencedId, resourceById, resourcesOf, resourcesOfType } from './template-queries';

let api: Template;
let resources: Record<string, CfnResource>;
let stackName: string;
let machineId: string;
let topicId: string;
let deliverId: string;
/** Functions that write notifications with a case change, and so start their delivery. */
let dispatcherIds: string[];
let definition: Definition;

/** The statements of the policies attached to a function's role. */
function statementsOf(functionId: string): { Effect: string; Action: string | string[]; Resource: unknown }[] {
  const roleId = referencedId(resourceById(api, functionId).Properties?.Role);
  return resourcesOfType(api, 'AWS::IAM::Policy')
    .filter(([, p]) => asArray(p.Properties?.Roles).some((r) => referencedId(r) === roleId))
    .flatMap(([, p]) => asArray(p.Properties?.PolicyDocument?.Statement));
}

const environmentOf = (functionId: string) => resourceById(api, functionId).Properties?.Environment?.Variables ?? {};

beforeAll(() => {
  const { stateless } = buildRescueApp({ skipBundling: true });
  api = Template.fromStack(stateless);
  resources = resourcesOf(api);
  stackName = stateless.stackName;
  const delivery = stateless.notificationDelivery;
  machineId = stateless.getLogicalId(delivery.stateMachine.node.defaultChild as CfnStateMachine);
  topicId = stateless.getLogicalId(delivery.topic.node.defaultChild as CfnTopic);
  deliverId = stateless.getLogicalId(delivery.steps.node.defaultChild as CfnFunction);
  dispatcherIds = ['functions/workflow/case-steps.ts', 'functions/api/take-case-action.ts'].map((entry) => Object.entries(resources)
    .find(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.[ENTRY_METADATA] === entry)![0]);
  definition = definitionOf(resourceById(api, machineId), resources);
});

describe('the notification topic', () => {
  it('is encrypted with the AWS-managed SNS key', () => {
    expect(joinedWithRefs(resourceById(api, topicId).Properties?.KmsMasterKeyId)).toMatch(/:alias\/aws\/sns$/);
  });

  it('is an output of the stack, for operators to subscribe phones and mailboxes to', () => {
    expect(api.findOutputs('NotificationTopicArn').NotificationTopicArn?.Value).toEqual({ Ref: topicId });
  });

  it('refuses publishing without TLS', () => {
    const policies = resourcesOfType(api, 'AWS::SNS::TopicPolicy').filter(([, p]) => asArray(p.Properties?.Topics).some((t) => referencedId(t) === topicId));
    const statements = policies.flatMap(([, p]) => asArray(p.Properties?.PolicyDocument?.Statement));
    expect(statements).toEqual(expect.arrayContaining([expect.objectContaining({
      Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    })]));
  });
});

describe('the notification-delivery state machine', () => {
  it('is a Standard state machine named after the stack, with logging and tracing', () => {
    expectLike(resourceById(api, machineId).Properties, {
      StateMachineName: `${stackName}-notification-delivery`,
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
    });
  });

  it('is valid ASL', () => {
    const result = validateAsl(definition);
    expect(result.isValid, result.errorsText('\n')).toBe(true);
  });

  it('starts by invoking the deliver function with the notification from the execution input', () => {
    const deliver = definition.States[definition.StartAt]!;
    expect(definition.StartAt).toBe('Deliver');
    expect(deliver.Resource).toBe(placeholderArn(deliverId));
    expect(resourceById(api, deliverId).Metadata?.[ENTRY_METADATA]).toBe('functions/notifications/deliver.ts');
    expect(deliver.Parameters).toEqual({ step: 'deliver', 'caseId.$': '$.caseId', 'notificationId.$': '$.notificationId' });
    expect(definition.States[deliver.Next!]?.Type).toBe('Succeed');
  });

  it('retries DeliveryFailed with backoff (15 s doubling, six times) and Lambda service errors', () => {
    const retry = definition.States.Deliver!.Retry ?? [];
    expect(retry.find((r) => r.ErrorEquals.includes('DeliveryFailed'))).toEqual({
      ErrorEquals: ['DeliveryFailed'], IntervalSeconds: 15, BackoffRate: 2, MaxAttempts: 6,
    });
    expect(retry.flatMap((r) => r.ErrorEquals)).toEqual(expect.arrayContaining(['Lambda.ServiceException', 'Lambda.SdkClientException']));
    // A catch-all retrier listed before DeliveryFailed's would take its errors with another backoff.
    const first = retry.findIndex((r) => r.ErrorEquals.some((e) => e === 'DeliveryFailed' || e === 'States.TaskFailed' || e === 'States.ALL'));
    expect(retry[first]?.ErrorEquals).toEqual(['DeliveryFailed']);
  });

  it('gives up after the last attempt: GiveUp marks the notification failed, and the execution fails', () => {
    const catchAll = definition.States.Deliver!.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
    const giveUp = definition.States[catchAll?.Next ?? '(no catch-all)']!;
    expect(giveUp.Resource).toBe(definition.States.Deliver!.Resource);
    expect(giveUp.Parameters).toMatchObject({ step: 'give_up' });
    expect(definition.States[giveUp.Next!]).toMatchObject({ Type: 'Fail', Error: 'DeliveryFailed' });
  });
});

describe('grants', () => {
  it('let the case steps and case actions start deliveries, and tell them which state machine (NOTIFICATION_DELIVERY_ARN)', () => {
    const arn = `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:${stackName}-notification-delivery`;
    for (const id of dispatcherIds) {
      expect(joinedWithRefs(environmentOf(id).NOTIFICATION_DELIVERY_ARN), id).toBe(arn);
      const starts = statementsOf(id).filter((s) => s.Effect === 'Allow' && asArray(s.Action).includes('states:StartExecution'));
      expect(starts.map((s) => asArray(s.Resource).map(joinedWithRefs)), id).toContainEqual([arn]);
    }
  });

  it('let the deliver function publish to the topic, and tell it which (NOTIFY_TOPIC_ARN)', () => {
    expect(referencedId(environmentOf(deliverId).NOTIFY_TOPIC_ARN)).toBe(topicId);
    const publishes = statementsOf(deliverId).filter((s) => s.Effect === 'Allow' && asArray(s.Action).includes('sns:Publish'));
    expect(publishes.map((s) => referencedId(s.Resource))).toEqual([topicId]);
  });

  it('give no other function the topic', () => {
    const withTopic = resourcesOfType(api, 'AWS::Lambda::Function')
      .filter(([, fn]) => fn.Properties?.Environment?.Variables?.NOTIFY_TOPIC_ARN !== undefined).map(([id]) => id);
    expect(withTopic).toEqual([deliverId]);
  });
});
