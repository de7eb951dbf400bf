// Every test process talks to local engines only: a fixed region and dummy credentials, and no Node 20 nag.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// No CloudWatch to read the embedded metric format; test/unit/adapters/observability.test.ts turns it on for itself.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_REGION = 'local';
// s3rver accepts only this pair (S3_LOCAL_CREDENTIALS); DynamoDB Local accepts any.
process.env.AWS_ACCESS_KEY_ID ??= 'S3RVER';
process.env.AWS_SECRET_ACCESS_KEY ??= 'S3RVER';
