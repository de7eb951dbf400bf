import { dynamoDocumentClient, s3Client, sfnClient, snsClient } from '../adapters/aws-clients';
import { S3UploadBucket, type UploadBucket } from '../adapters/upload-bucket';
import { type CaseWorkflow, StepFunctionsCaseWorkflow } from '../adapters/case-workflow';
import { type NotificationChannels, SnsNotificationTopic, WebhookChatRobot } from '../adapters/notification-channels';
import type { Notifier } from '../adapters/notifier';
import { StepFunctionsNotifier } from '../adapters/step-functions-notifier';
import { settings } from '../settings';
import { AccessLogStore } from '../store/access-log-store';
import { CampaignStore } from '../store/campaign-store';
import { PeopleStore } from '../store/people-store';
import { CaseStore } from '../store/case-store';
import { DirectoryStore } from '../store/directory-store';
import { IdempotencyStore } from '../store/idempotency-store';
import { LandingStore } from '../store/landing-store';
import { NotificationStore } from '../store/notification-store';
import { RetentionStore } from '../store/retention-store';
import { StatsStore } from '../store/stats-store';
import { UploadStore } from '../store/upload-store';
import { WeatherStore } from '../store/weather-store';
import { type DetectionIdLookup, DynamoDetectionIdLookup } from '../store/detection-id-lookup';

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
  campaign: CampaignStore;
  people: PeopleStore;
  /** The workflow that keeps each person's deadlines: one execution per person and generation. */
  personWorkflow: CaseWorkflow;
  personRules: typeof settings.personRules;
  notifier: Notifier;
  channels: NotificationChannels;
  now: () => Date;
  timeScale: number;
  ackMinutes: typeof settings.ackMinutes;
  coldWave: typeof settings.coldWave;
  correlation: typeof settings.correlation;
  unverifiedLeadHours: number;
  disposal: typeof settings.disposal;
  /** Beyond this many metres from the case, an arrival is marked far on the timeline (the phone asks first). */
  arrivalCheckM: number;
  quotas: typeof settings.quotas;
  retention: typeof settings.retention;
  campaignRules: typeof settings.campaignRules;
  reserveRules: typeof settings.reserveRules;
  coverageRules: typeof settings.coverageRules;
}

/**
 * The production wiring, from the function's environment, in parts: a function builds only the parts its use cases
 * use, so that its bundle carries only those SDK clients (esbuild drops the parts nobody calls; see
 * `npm run bench:cold-start`). Everything lives in the table; the rest is one AWS service each.
 */
export type TableDependencies = Omit<Dependencies, 'bucket' | 'workflow' | 'personWorkflow' | 'notifier' | 'channels'>;

/** The stores of the single table and the settings: DynamoDB only. */
export function tableDependencies(): TableDependencies {
  const db = dynamoDocumentClient();
  const table = settings.tableName;
  return {
    cases: new CaseStore(db, table),
    accessLog: new AccessLogStore(db, table, () => settings.accessLogDays),
    retentionStore: new RetentionStore(db, table),
    directory: new DirectoryStore(db, table),
    idempotency: new IdempotencyStore(db, table),
    uploads: new UploadStore(db, table),
    landings: new LandingStore(db, table),
    detectionIds: new DynamoDetectionIdLookup(db, table),
    notifications: new NotificationStore(db, table),
    weather: new WeatherStore(db, table),
    stats: new StatsStore(db, table),
    campaign: new CampaignStore(db, table),
    people: new PeopleStore(db, table),
    personRules: settings.personRules,
    now: () => new Date(),
    timeScale: settings.timeScale,
    ackMinutes: settings.ackMinutes,
    coldWave: settings.coldWave,
    correlation: settings.correlation,
    unverifiedLeadHours: settings.unverifiedLeadHours,
    disposal: settings.disposal,
    arrivalCheckM: settings.arrivalCheckM,
    quotas: settings.quotas,
    retention: settings.retention,
    campaignRules: settings.campaignRules,
    reserveRules: settings.reserveRules,
    coverageRules: settings.coverageRules,
  };
}

/** The uploads bucket: S3. */
export const uploadBucket = (): Pick<Dependencies, 'bucket'> => ({ bucket: new S3UploadBucket(s3Client(), () => settings.uploadsBucket) });

/** The case workflow: Step Functions. */
export const caseWorkflow = (): Pick<Dependencies, 'workflow'> =>
  ({ workflow: new StepFunctionsCaseWorkflow(sfnClient(), () => settings.caseWorkflowArn) });

/** The person workflow: Step Functions, its executions named and started as the case workflow's are. */
export const personWorkflow = (): Pick<Dependencies, 'personWorkflow'> =>
  ({ personWorkflow: new StepFunctionsCaseWorkflow(sfnClient(), () => settings.personWorkflowArn, (personId, generation) => ({ personId, generation })) });

/** The notification delivery workflow: Step Functions. */
export const notifier = (): Pick<Dependencies, 'notifier'> =>
  ({ notifier: new StepFunctionsNotifier(sfnClient(), () => settings.notificationDeliveryArn) });

/** Where messages go: the chat robot's webhook, and SNS when a topic is set. */
export function notificationChannels(): Pick<Dependencies, 'channels'> {
  const topicArn = settings.notifyTopicArn;
  return { channels: { chatRobot: new WebhookChatRobot(), ...(topicArn ? { topic: new SnsNotificationTopic(snsClient(), topicArn) } : {}) } };
}

/** All of it: for the local runtime's own uses and for tests; a function builds only its parts. */
export function dependenciesFromEnvironment(): Dependencies {
  return { ...tableDependencies(), ...uploadBucket(), ...caseWorkflow(), ...personWorkflow(), ...notifier(), ...notificationChannels() };
}
