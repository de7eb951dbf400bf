/**
 * How every function is bundled (infra/constructs/rescue-function.ts), shared with `npm run bench:cold-start` so the
 * benchmark measures what is deployed: esbuild, ESM for Node 24, minified, with the SDK inside (its version pinned by
 * our lock file, not by whatever the runtime ships), except the credential providers the SDK loads only when the
 * environment has no credentials. A Lambda function always has them in its environment, so those are never loaded
 * there (and would resolve to the runtime's own SDK if they were); left out, each bundle is ~60 kB smaller.
 */
export const LAZY_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
];

export const BUNDLING = {
  target: 'node24',
  minify: true,
  mainFields: ['module', 'main'],
  externalModules: LAZY_CREDENTIAL_PROVIDERS,
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
} as const;
