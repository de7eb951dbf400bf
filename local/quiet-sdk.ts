// Imported first by the local entry points: the SDK warns about Node 20 when it loads, before any code of ours runs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Locally there is no CloudWatch to read the embedded metric format: the figures stay off (the logs stay on).
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
