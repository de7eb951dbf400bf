import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';

/**
 * What the deployment tells its operators: structured logs (Powertools Logger, JSON, with the request's and the
 * case's ids appended where they are known) and the duty room's figures as CloudWatch metrics in the embedded metric
 * format (Powertools Metrics: printed with the logs, no API call). The dashboard and alarms of the CDK app
 * (`infra/operations.ts`) read these names. Locally the figures are off (`POWERTOOLS_METRICS_DISABLED`).
 */
export const SERVICE_NAME = 'street-rescue';
export const METRICS_NAMESPACE = 'StreetRescue';

export const logger = new Logger({ serviceName: SERVICE_NAME });
/**
 * Most requests count nothing, and Powertools warns of every one that does (even with metrics off): that line would
 * be most of the logs. Its other warnings (a bad dimension) go to the Logger.
 */
const metricsLogger = {
  debug: logger.debug.bind(logger),
  info: logger.info.bind(logger),
  warn: (message: string) => {
    if (!message.startsWith('No application metrics to publish')) logger.warn(message);
  },
  error: logger.error.bind(logger),
};
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, logger: metricsLogger });

/** The figures, by name: the CDK app's dashboard and alarms use the same. */
export const METRIC = {
  casesOpened: 'CasesOpened',
  alertsSent: 'AlertsSent',
  escalations: 'Escalations',
  minutesToAcknowledge: 'MinutesToAcknowledge',
  notificationsFailed: 'NotificationsFailed',
  quotaRefusals: 'QuotaRefusals',
  deadExecutionsFound: 'DeadExecutionsFound',
  oldestRedAlertMinutes: 'OldestRedAlertUnacknowledgedMinutes',
} as const;

/** A case opened, by what opened it (a sighting's source, a device's kind). */
export function countCaseOpened(source: string): void {
  const single = metrics.singleMetric();
  single.addDimension('source', source);
  single.addMetric(METRIC.casesOpened, MetricUnit.Count, 1);
}

/** The alerts and escalations among messages going out (after the change that made them is stored). */
export function countAlerts(notifications: ReadonlyArray<{ kind: string }>): void {
  const alerts = notifications.filter((n) => n.kind === 'alert' || n.kind === 'revisit').length;
  const escalations = notifications.filter((n) => n.kind === 'escalation').length;
  if (alerts) metrics.addMetric(METRIC.alertsSent, MetricUnit.Count, alerts);
  if (escalations) metrics.addMetric(METRIC.escalations, MetricUnit.Count, escalations);
}
export const recordMinutesToAcknowledge = (minutes: number) => metrics.addMetric(METRIC.minutesToAcknowledge, MetricUnit.NoUnit, Math.max(0, minutes));
export const countNotificationFailed = () => metrics.addMetric(METRIC.notificationsFailed, MetricUnit.Count, 1);
export const countQuotaRefusal = () => metrics.addMetric(METRIC.quotaRefusals, MetricUnit.Count, 1);
export const countDeadExecutions = (n: number) => metrics.addMetric(METRIC.deadExecutionsFound, MetricUnit.Count, n);
export const recordOldestRedAlert = (minutes: number) => metrics.addMetric(METRIC.oldestRedAlertMinutes, MetricUnit.NoUnit, Math.max(0, minutes));

/**
 * What every function's middy chain uses: the Lambda context on every log line (request id, function, cold start),
 * keys added for an invocation dropped after it, and the invocation's figures written when it ends, even on error.
 */
export const observed = () => [injectLambdaContext(logger, { resetKeys: true }), logMetrics(metrics)];
