import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { S3_LOCAL_CREDENTIALS, startS3Local, type S3Event, type S3Local } from '#local/engines/s3-local';

// DynamoDB Local (-sharedDb) accepts any key pair; s3rver only its own, so one pair serves both.
const credentials = S3_LOCAL_CREDENTIALS;

/** The DynamoDB Local that test/support/global-setup.ts started for this run. */
export function dynamoEndpoint(): string {
  return inject('dynamoEndpoint');
}

export function testDynamoClient(endpoint = dynamoEndpoint()): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'local', credentials });
}

/** Settings every client of s3rver needs (see /work/shared/local-stack-facts.md). */
export function testS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'local',
    credentials,
    forcePathStyle: true,
    // With the SDK defaults a streamed body is stored with its aws-chunked framing.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** An s3rver for the current test file; S3 events are delivered in-process, so each file needs its own. */
export function startTestS3(onEvent?: (event: S3Event) => void): Promise<S3Local> {
  return startS3Local(onEvent ? { onEvent } : {});
}
