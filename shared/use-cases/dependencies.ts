import { dynamoDocumentClient, s3Client, sfnClient } from '../adapters/aws-clients';
import { S3UploadBucket, type UploadBucket } from '../adapters/upload-bucket';
import { type CaseWorkflow, StepFunctionsCaseWorkflow } from '../adapters/case-workflow';
import { settings } from '../settings';
import { CaseStore } from '../store/case-store';
import { DirectoryStore } from '../store/directory-store';
import { IdempotencyStore } from '../store/idempotency-store';
import { UploadStore } from '../store/upload-store';
import { type DetectionIdLookup, DynamoDetectionIdLookup } from './ingest-detections';

/** What the use cases need from the outside world; tests build it against the local engines. */
export interface Dependencies {
  cases: CaseStore;
  directory: DirectoryStore;
  idempotency: IdempotencyStore;
  uploads: UploadStore;
  detectionIds: DetectionIdLookup;
  bucket: UploadBucket;
  workflow: CaseWorkflow;
  now: () => Date;
  timeScale: number;
  ackMinutes: typeof settings.ackMinutes;
  correlation: typeof settings.correlation;
  unverifiedLeadHours: number;
}

/** The production wiring, from the function's environment. */
export function dependenciesFromEnvironment(): Dependencies {
  const db = dynamoDocumentClient();
  const table = settings.tableName;
  return {
    cases: new CaseStore(db, table),
    directory: new DirectoryStore(db, table),
    idempotency: new IdempotencyStore(db, table),
    uploads: new UploadStore(db, table),
    detectionIds: new DynamoDetectionIdLookup(db, table),
    bucket: new S3UploadBucket(s3Client(), () => settings.uploadsBucket),
    workflow: new StepFunctionsCaseWorkflow(sfnClient(), () => settings.caseWorkflowArn),
    now: () => new Date(),
    timeScale: settings.timeScale,
    ackMinutes: settings.ackMinutes,
    correlation: settings.correlation,
    unverifiedLeadHours: settings.unverifiedLeadHours,
  };
}
