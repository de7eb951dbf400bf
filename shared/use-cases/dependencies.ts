import { dynamoDocumentClient, s3Client, sfnClient, snsClient } from '../adapters/aws-clients';
import { S3UploadBucket, type UploadBucket } from '../adapters/upload-bucket';
import { type CaseWorkflow, StepFunctionsCaseWorkflow } from '../adapters/case-workflow';
import { type NotificationChannels, SnsNotificationTopic, WebhookChatRobot } from '../adapters/notification-channels';
import type { Notifier } from '../adapters/notifier';
import { StepFunctionsNotifier } from '../adapters/step-functions-notifier';
import { settings } from '../settings';
import { AccessLogStore } from '../store/access-log-store';
import { CaseStore } from '../store/case-store';
import { DirectoryStore } from '../store/directory-store';
import { IdempotencyStore } from '../store/idempotency-store';
import { LandingStore } from '../store/landing-store';
import { NotificationStore } from '../store/notification-store';
import { RetentionStore } from '../store/retention-store';
import { StatsStore } from '../store/stats-store';
import { UploadStore } from '../store/upload-store';
import { WeatherStore } from '../store/weather-store';
import { type DetectionIdLookup, DynamoDetectionIdLookup } from './ingest-detections';

/** What the use cases need from the outside world; tests build it against the local engines. */
export interface Dependencies {
  cases: CaseStore;
  accessLog: AccessLogStore;
  retentionStore: RetentionStore;
  directory: DirectoryStore;
  idempotency: IdempotencyStore;
  uploads: UploadStore;
  landings: LandingStore;
  detectionIds: DetectionIdLookup;
  bucket: UploadBucket;
  workflow: CaseWorkflow;
  notifications: NotificationStore;
  weather: WeatherStore;
  stats: StatsStore;
  notifier: Notifier;
  channels: NotificationChannels;
  now: () => Date;
  timeScale: number;
  ackMinutes: typeof settings.ackMinutes;
  correlation: typeof settings.correlation;
  unverifiedLeadHours: number;
  disposal: typeof settings.disposal;
  /** Beyond this many metres from the case, an arrival is marked far on the timeline (the phone asks first). */
  arrivalCheckM: number;
  quotas: typeof settings.quotas;
  retention: typeof settings.retention;
}

/** The production wiring, from the function's environment. */
export function dependenciesFromEnvironment(): Dependencies {
  const db = dynamoDocumentClient();
  const table = settings.tableName;
  const topicArn = settings.notifyTopicArn;
  return {
    cases: new CaseStore(db, table),
    accessLog: new AccessLogStore(db, table, () => settings.accessLogDays),
    retentionStore: new RetentionStore(db, table),
    directory: new DirectoryStore(db, table),
    idempotency: new IdempotencyStore(db, table),
    uploads: new UploadStore(db, table),
    landings: new LandingStore(db, table),
    detectionIds: new DynamoDetectionIdLookup(db, table),
    bucket: new S3UploadBucket(s3Client(), () => settings.uploadsBucket),
    workflow: new StepFunctionsCaseWorkflow(sfnClient(), () => settings.caseWorkflowArn),
    notifications: new NotificationStore(db, table),
    weather: new WeatherStore(db, table),
    stats: new StatsStore(db, table),
    notifier: new StepFunctionsNotifier(sfnClient(), () => settings.notificationDeliveryArn),
    channels: { chatRobot: new WebhookChatRobot(), ...(topicArn ? { topic: new SnsNotificationTopic(snsClient(), topicArn) } : {}) },
    now: () => new Date(),
    timeScale: settings.timeScale,
    ackMinutes: settings.ackMinutes,
    correlation: settings.correlation,
    unverifiedLeadHours: settings.unverifiedLeadHours,
    disposal: settings.disposal,
    arrivalCheckM: settings.arrivalCheckM,
    quotas: settings.quotas,
    retention: settings.retention,
  };
}
