import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm, AlarmStatusWidget, ComparisonOperator, Dashboard, GraphWidget, MathExpression, Metric, SingleValueWidget, Stats, TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE, SERVICE_NAME } from '#shared/adapters/observability';

export interface OperationsProps {
  api: HttpApi;
  /** The state machines whose failed executions are a case, a person or a message left behind. */
  workflows: Record<string, StateMachine>;
}

/** Minutes a red case may wait unacknowledged before an operator is called (the ladder's two first rungs). */
export const OLDEST_RED_ALERT_MINUTES = 20;

/**
 * What the duty room's operators watch: a dashboard of the night's figures and the deployment's health, and alarms
 * on what must never go unnoticed (each in the README's runbook), sent to an operations topic that their phones
 * and mailboxes subscribe to.
 */
export class Operations extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Street rescue operations alarms',
      masterKey: Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    const figure = (name: string, statistic: string = Stats.SUM) => new Metric({
      namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { service: SERVICE_NAME }, statistic, period: Duration.minutes(5),
    });
    const alarm = (alarmId: string, description: string, metric: Metric | MathExpression, threshold = 1, evaluationPeriods = 1) => {
      const made = new Alarm(this, alarmId, {
        alarmDescription: `${description} See the README's runbook: ${alarmId}.`,
        metric, threshold, evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      made.addAlarmAction(new SnsAction(this.topic));
      this.alarms.push(made);
      return made;
    };

    for (const [name, machine] of Object.entries(props.workflows)) {
      alarm(`${name}ExecutionsFailed`, `An execution of the ${name} state machine failed: its case, person or message is no longer driven by it until the reconciler resumes it.`,
        machine.metricFailed({ period: Duration.minutes(5), statistic: Stats.SUM }));
    }
    alarm('NotificationsGivenUp', 'A notification was given up after its last retry: someone was not told of a case.', figure(METRIC.notificationsFailed));
    alarm('ApiServerErrors', 'The API answered 5xx: a bug or an outage (a 5xx is never an answer the API means to give).',
      props.api.metricServerError({ period: Duration.minutes(5), statistic: Stats.SUM }));
    alarm('LambdaThrottles', 'Lambda throttled invocations in this account: requests or workflow steps are waiting or failing.',
      new Metric({ namespace: 'AWS/Lambda', metricName: 'Throttles', statistic: Stats.SUM, period: Duration.minutes(5) }));
    alarm('RedAlertUnacknowledged', `A red case has waited ${OLDEST_RED_ALERT_MINUTES} minutes or more with nobody taking it.`,
      figure(METRIC.oldestRedAlertMinutes, Stats.MAXIMUM), OLDEST_RED_ALERT_MINUTES);
    alarm('DeadExecutionsFound', 'The reconciler found cases or people whose workflow was not running and started it again.', figure(METRIC.deadExecutionsFound));

    const bySource = new MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},service,source} MetricName="${METRIC.casesOpened}"', 'Sum', 300)`,
      label: '', period: Duration.minutes(5),
    });
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${SERVICE_NAME}-duty-room`, defaultInterval: Duration.hours(12) });
    this.dashboard.addWidgets(
      new TextWidget({ markdown: '# Street rescue: the night and the deployment\nAlarms go to the operations topic; each has a runbook entry in the README.', width: 24, height: 2 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Cases opened, by source', left: [bySource], width: 8 }),
      new GraphWidget({ title: 'Alerts and escalations', left: [figure(METRIC.alertsSent), figure(METRIC.escalations)], width: 8 }),
      new GraphWidget({
        title: 'Minutes to acknowledge',
        left: [figure(METRIC.minutesToAcknowledge, 'p50'), figure(METRIC.minutesToAcknowledge, 'p90'), figure(METRIC.minutesToAcknowledge, Stats.MAXIMUM)],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new SingleValueWidget({ title: 'Oldest red case waiting (minutes)', metrics: [figure(METRIC.oldestRedAlertMinutes, Stats.MAXIMUM)], width: 6 }),
      new GraphWidget({ title: 'Notifications given up, quota refusals', left: [figure(METRIC.notificationsFailed), figure(METRIC.quotaRefusals)], width: 6 }),
      new GraphWidget({
        title: 'Workflow executions failed',
        left: Object.values(props.workflows).map((m) => m.metricFailed({ period: Duration.minutes(5), statistic: Stats.SUM })),
        width: 6,
      }),
      new GraphWidget({
        title: 'API: requests, 4xx, 5xx',
        left: [props.api.metricCount({ statistic: Stats.SUM }), props.api.metricClientError({ statistic: Stats.SUM }), props.api.metricServerError({ statistic: Stats.SUM })],
        right: [props.api.metricLatency({ statistic: 'p90' })],
        width: 6,
      }),
    );
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }));
  }
}
