import { Template } from 'aws-cdk-lib/assertions';
import type { CfnTopic } from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRescueApp } from '#infra/rescue-app';
import { OLDEST_RED_ALERT_MINUTES } from '#infra/operations';
import { METRIC, METRICS_NAMESPACE } from '#shared/adapters/observability';
import { referencedId, resourcesOfType } from './template-queries';

/** The duty room's dashboard and the alarms an operator is called for, all sent to the operations topic. */
let api: Template;
let topicId: string;

beforeAll(() => {
  const { stateless } = buildRescueApp({ skipBundling: true });
  api = Template.fromStack(stateless);
  topicId = stateless.getLogicalId(stateless.operations.topic.node.defaultChild as CfnTopic);
});

const alarms = () => resourcesOfType(api, 'AWS::CloudWatch::Alarm').map(([id, r]) => ({ id, props: r.Properties ?? {} }));
const alarmOn = (namespace: string, metricName: string) => alarms().filter((a) => a.props.Namespace === namespace && a.props.MetricName === metricName);

describe('operations', () => {
  it('alarms on failed executions of each state machine (case, person, notification delivery)', () => {
    const failed = alarmOn('AWS/States', 'ExecutionsFailed');
    expect(failed).toHaveLength(3);
    for (const a of failed) expect(a.props).toMatchObject({ Statistic: 'Sum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it("alarms on notifications given up, 5xx, throttling, a red case waiting, and dead executions the reconciler found", () => {
    expect(alarmOn(METRICS_NAMESPACE, METRIC.notificationsFailed)).toHaveLength(1);
    expect(alarmOn('AWS/ApiGateway', '5xx')).toHaveLength(1);
    expect(alarmOn('AWS/Lambda', 'Throttles')).toHaveLength(1);
    expect(alarmOn(METRICS_NAMESPACE, METRIC.deadExecutionsFound)).toHaveLength(1);
    const [red] = alarmOn(METRICS_NAMESPACE, METRIC.oldestRedAlertMinutes);
    expect(red!.props).toMatchObject({ Statistic: 'Maximum', Threshold: OLDEST_RED_ALERT_MINUTES });
    // Quiet nights send no data: that is not an alarm.
    for (const a of alarms()) expect(a.props.TreatMissingData, a.id).toBe('notBreaching');
  });

  it('sends every alarm to the operations topic, which is encrypted and takes TLS only', () => {
    for (const a of alarms()) {
      expect((a.props.AlarmActions as unknown[]).map(referencedId), a.id).toEqual([topicId]);
      expect(String(a.props.AlarmDescription), a.id).toContain('runbook');
    }
    const topic = resourcesOfType(api, 'AWS::SNS::Topic').find(([id]) => id === topicId)?.[1];
    expect(topic?.Properties?.KmsMasterKeyId).toBeDefined();
    const policies = resourcesOfType(api, 'AWS::SNS::TopicPolicy').filter(([, p]) => (p.Properties?.Topics as unknown[]).some((t) => referencedId(t) === topicId));
    expect(JSON.stringify(policies)).toContain('aws:SecureTransport');
  });

  it("has a dashboard with the night's figures, the deployment's health and every alarm", () => {
    const dashboards = resourcesOfType(api, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]![1].Properties?.DashboardBody);
    for (const name of [METRIC.casesOpened, METRIC.alertsSent, METRIC.escalations, METRIC.minutesToAcknowledge, METRIC.oldestRedAlertMinutes, METRIC.quotaRefusals]) {
      expect(body, name).toContain(name);
    }
    expect(body).toContain('ExecutionsFailed');
    expect(body).toContain('5xx');
    expect(body).toContain('alarm');
  });
});
