import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * SDK clients, built once per process. In the cloud they use the function's role and region; the local runtime
 * points them at the local engines with *_ENDPOINT variables, and nothing else differs.
 */
const endpoint = (name: string) => process.env[name] || undefined;

let documentClient: DynamoDBDocumentClient | undefined;
let s3: S3Client | undefined;
let sfn: SFNClient | undefined;
let sns: SNSClient | undefined;

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= createDocumentClient(endpoint('DYNAMODB_ENDPOINT'));
  return documentClient;
}

export function createDocumentClient(dynamoEndpoint?: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ ...(dynamoEndpoint ? { endpoint: dynamoEndpoint } : {}) }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function s3Client(): S3Client {
  s3 ??= createS3Client(endpoint('S3_ENDPOINT'));
  return s3;
}

export function createS3Client(s3Endpoint?: string): S3Client {
  return new S3Client({
    ...(s3Endpoint ? { endpoint: s3Endpoint, forcePathStyle: true } : {}),
    // With the SDK's default checksums a streamed body reaches s3rver with aws-chunked framing inside the object.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export function sfnClient(): SFNClient {
  const sfnEndpoint = endpoint('SFN_ENDPOINT');
  sfn ??= new SFNClient({ ...(sfnEndpoint ? { endpoint: sfnEndpoint } : {}) });
  return sfn;
}

export function snsClient(): SNSClient {
  const snsEndpoint = endpoint('SNS_ENDPOINT');
  sns ??= new SNSClient({ ...(snsEndpoint ? { endpoint: snsEndpoint } : {}) });
  return sns;
}

let cognito: CognitoIdentityProviderClient | undefined;

/**
 * The members' user pool: the token trigger's question, devices' app clients and members' invitations. Locally the
 * issuer answers the few calls these make (local/runtime/local-cognito.ts) at COGNITO_ENDPOINT.
 */
export function cognitoClient(): CognitoIdentityProviderClient {
  const cognitoEndpoint = endpoint('COGNITO_ENDPOINT');
  cognito ??= new CognitoIdentityProviderClient({ ...(cognitoEndpoint ? { endpoint: cognitoEndpoint } : {}) });
  return cognito;
}
