// Every test process talks to local engines only: a fixed region and dummy credentials, and no Node 20 nag.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_REGION = 'local';
// s3rver accepts only this pair (S3_LOCAL_CREDENTIALS); DynamoDB Local accepts any.
process.env.AWS_ACCESS_KEY_ID ??= 'S3RVER';
process.env.AWS_SECRET_ACCESS_KEY ??= 'S3RVER';
