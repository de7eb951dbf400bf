import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { CachePolicy, type CfnDistribution, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { type CfnUserPool, type CfnUserPoolClient, UserPool } from 'aws-cdk-lib/aws-cognito';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCity } from '#infra/city';
import { buildRescueApp } from '#infra/rescue-app';
import { API_PATH_PATTERNS, PAGES_BUCKET_METADATA, WebHosting } from '#infra/web-hosting';
import { WebConfig } from '#shared/contract/web-config';
import { asArray, type CfnResource, expectLike, joinedWithRefs, referencedId, resourceById, resourcesOfType } from './template-queries';

let api: Template;
let assemblyDir: string;
let ids: { bucket: string; distribution: string; pagesClient: string; userPool: string; httpApi: string };

beforeAll(() => {
  const { app, stateless } = buildRescueApp({ skipBundling: true });
  assemblyDir = app.synth().directory;
  api = Template.fromStack(stateless);
  const id = (c: { node: { defaultChild?: unknown } }) => stateless.getLogicalId(c.node.defaultChild as CfnBucket);
  ids = {
    bucket: id(stateless.web.bucket),
    distribution: id(stateless.web.distribution),
    pagesClient: stateless.getLogicalId(stateless.web.signInClient.node.defaultChild as CfnUserPoolClient),
    userPool: stateless.getLogicalId(stateless.userPool.node.defaultChild as CfnUserPool),
    httpApi: id(stateless.api),
  };
});

const distributionConfig = () => resourceById(api, ids.distribution).Properties?.DistributionConfig as CfnDistribution.DistributionConfigProperty & Record<string, any>;
const originById = (originId: string) => asArray(distributionConfig().Origins as any[]).find((o) => o.Id === originId);
const deployments = (template: Template) => resourcesOfType(template, 'Custom::CDKBucketDeployment');

/** The viewer-request function's code, run as CloudFront Functions would run it on one request. */
function viewerRequest(uri: string): string {
  const [, fn] = resourcesOfType(api, 'AWS::CloudFront::Function')[0]!;
  const handler = new Function(`${fn.Properties?.FunctionCode}\nreturn handler;`)() as (event: unknown) => { uri: string };
  return handler({ request: { uri, method: 'GET', querystring: {}, headers: {}, cookies: {} } }).uri;
}

/**
 * config.json as the deployment writes it: the file staged with the assembly, with each deploy-time marker replaced
 * by a readable stand-in for what it refers to (`ref-<logical id>`).
 */
function deployedConfig(template: Template, dir: string): Record<string, any> {
  for (const [, deployment] of deployments(template)) {
    const keys = asArray<string>(deployment.Properties?.SourceObjectKeys);
    for (const [index, key] of keys.entries()) {
      const file = path.join(dir, `asset.${key.replace(/\.zip$/, '')}`, 'config.json');
      if (!existsSync(file)) continue;
      const markers = (asArray(deployment.Properties?.SourceMarkers)[index] ?? {}) as Record<string, { Ref: string }>;
      let text = readFileSync(file, 'utf8');
      for (const [marker, value] of Object.entries(markers)) text = text.replaceAll(marker, standIn(value.Ref));
      return JSON.parse(text);
    }
  }
  throw new Error('no deployment carries a config.json');
}
const standIn = (ref: string) => `ref-${ref.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}`;

describe('the pages bucket', () => {
  it('is private: all public access blocked, SSL enforced, marked so the local runtime leaves it out', () => {
    const bucket = resourceById(api, ids.bucket);
    expectLike(bucket.Properties, {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    expect(bucket.Metadata?.[PAGES_BUCKET_METADATA]).toBe(true);
    expect(bucket.DeletionPolicy).toBe('Delete');
    expect(bucket.Properties?.WebsiteConfiguration).toBeUndefined();
  });

  it('is read only by this distribution through origin access control', () => {
    const [, policy] = resourcesOfType(api, 'AWS::S3::BucketPolicy').find(([, p]) => referencedId(p.Properties?.Bucket) === ids.bucket)!;
    const statements = asArray(policy.Properties?.PolicyDocument?.Statement) as Record<string, any>[];
    expect(statements.find((s) => s.Effect === 'Deny')).toMatchObject({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    const toCloudFront = statements.filter((s) => s.Effect === 'Allow' && s.Principal?.Service === 'cloudfront.amazonaws.com');
    expect(toCloudFront).toHaveLength(1);
    expect(asArray(toCloudFront[0]!.Action)).toEqual(['s3:GetObject']);
    expect(joinedWithRefs(toCloudFront[0]!.Condition.StringEquals['AWS:SourceArn'])).toMatch(new RegExp(`:distribution/\\$\\{${ids.distribution}\\}$`));
    // Nobody else but the CDK's own empty-the-bucket-on-delete handler.
    for (const s of statements.filter((st) => st.Effect === 'Allow' && st !== toCloudFront[0])) {
      expect(JSON.stringify(s.Principal)).toMatch(/AutoDeleteObjects/);
    }

    const s3Origin = originById(distributionConfig().DefaultCacheBehavior.TargetOriginId)!;
    expect(referencedId(s3Origin.DomainName)).toBe(ids.bucket);
    const oac = resourceById(api, referencedId(s3Origin.OriginAccessControlId)!);
    expectLike(oac.Properties, { OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' } });
  });
});

describe('the distribution', () => {
  it('serves the pages over HTTPS, cached, with security headers and the client-side route rewrite', () => {
    const behavior = distributionConfig().DefaultCacheBehavior;
    expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(behavior.CachePolicyId).toBe(CachePolicy.CACHING_OPTIMIZED.cachePolicyId);
    expect(asArray(behavior.FunctionAssociations)).toEqual([expect.objectContaining({ EventType: 'viewer-request' })]);
    const headers = resourceById(api, referencedId(behavior.ResponseHeadersPolicyId)!).Properties?.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers).toMatchObject({
      StrictTransportSecurity: { Override: true }, ContentTypeOptions: { Override: true }, FrameOptions: { FrameOption: 'DENY' },
    });
    expect(joinedWithRefs(headers.ContentSecurityPolicy.ContentSecurityPolicy)).toContain("frame-ancestors 'none'");
  });

  it.each(API_PATH_PATTERNS)('sends %s to the HTTP API, uncached, every method, the caller\'s headers but Host', (pattern) => {
    const behavior = asArray(distributionConfig().CacheBehaviors as any[]).find((b) => b.PathPattern === pattern);
    expect(behavior, pattern).toBeDefined();
    expect(behavior.CachePolicyId).toBe(CachePolicy.CACHING_DISABLED.cachePolicyId);
    expect(behavior.OriginRequestPolicyId).toBe(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId);
    expect([...behavior.AllowedMethods].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(behavior.FunctionAssociations).toBeUndefined();
    const origin = originById(behavior.TargetOriginId)!;
    expect(joinedWithRefs(origin.DomainName)).toBe(`\${${ids.httpApi}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}`);
    expect(origin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
  });

  it.each([
    ['/', '/index.html'],
    ['/coordinator', '/index.html'],
    ['/station/01JH8ZQ4', '/index.html'],
    ['/sign-in', '/index.html'],
    ['/assets/x.js', '/assets/x.js'],
    ['/assets/index-BbbnFSQC.css', '/assets/index-BbbnFSQC.css'],
    ['/sw.js', '/sw.js'],
    ['/config.json', '/config.json'],
  ])('the viewer-request function sends %s to %s', (uri, expected) => {
    expect(viewerRequest(uri)).toBe(expected);
  });
});

describe('sign-in for the pages', () => {
  it('has a managed sign-in domain on the members pool', () => {
    const domains = resourcesOfType(api, 'AWS::Cognito::UserPoolDomain').map(([, d]) => d.Properties ?? {});
    expect(domains).toHaveLength(1);
    expect(referencedId(domains[0]!.UserPoolId)).toBe(ids.userPool);
    expect(joinedWithRefs(domains[0]!.Domain)).toBe('streetrescue-${AWS::AccountId}');
  });

  it('requires an authenticator of station, coordinator and admin members: TOTP offered, and a token trigger that can read the pool', () => {
    const pool = resourceById(api, ids.userPool).Properties!;
    expect(pool.MfaConfiguration).toBe('OPTIONAL');
    expect(pool.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    const trigger = resourceById(api, referencedId(pool.LambdaConfig?.PreTokenGeneration) ?? '(no pre-token trigger)');
    expect(trigger.Metadata?.['rescue:entry']).toBe('functions/identity/pre-token-generation.ts');
    const triggerRole = referencedId(trigger.Properties?.Role);
    const policies = resourcesOfType(api, 'AWS::IAM::Policy');
    const statementsOf = (own: boolean) => policies
      .filter(([, p]) => asArray(p.Properties!.Roles).some((r) => referencedId(r) === triggerRole) === own)
      .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[])
      .filter((s) => asArray(s.Action).includes('cognito-idp:AdminGetUser'));
    // The trigger reads the pool (any pool of the account: the pool names the trigger, so not back); anyone else who
    // reads a member (the directory, completing an invitation) names this pool.
    expect(statementsOf(true)).toHaveLength(1);
    for (const other of statementsOf(false)) expect(other.Resource).toEqual({ 'Fn::GetAtt': [ids.userPool, 'Arn'] });
  });

  it('gives the pages a public client: code grant only (redeemed with PKCE), openid, profile and enrolling an authenticator, back to /sign-in', () => {
    const client = resourceById(api, ids.pagesClient).Properties!;
    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect([...client.AllowedOAuthScopes].sort()).toEqual(['aws.cognito.signin.user.admin', 'openid', 'profile']);
    // At most an hour (the pages renew it with the refresh token, and revoke that at sign-out); revocation on.
    expect(client.IdTokenValidity).toBeLessThanOrEqual(60);
    expect(client.EnableTokenRevocation ?? true).toBe(true);
    expect(client.TokenValidityUnits.IdToken).toBe('minutes');
    const signIn = `https://\${${ids.distribution}.DomainName}/sign-in`;
    expect(asArray(client.CallbackURLs).map(joinedWithRefs)).toEqual([signIn]);
    expect(asArray(client.LogoutURLs).map(joinedWithRefs)).toEqual([signIn]);
  });

  it('is accepted by the API\'s JWT authorizer', () => {
    const authorizers = resourcesOfType(api, 'AWS::ApiGatewayV2::Authorizer').filter(([, a]) => a.Properties?.AuthorizerType === 'JWT');
    expect(authorizers).toHaveLength(1);
    expect(asArray(authorizers[0]![1].Properties?.JwtConfiguration?.Audience).map(referencedId)).toContain(ids.pagesClient);
  });

  it('lets a Vite dev server sign in only when context webDevOrigin names it', () => {
    const { stateless } = buildRescueApp({ skipBundling: true, context: { webDevOrigin: 'http://localhost:5173', authDomainPrefix: 'rescue-pilot' } });
    const template = Template.fromStack(stateless);
    const id = stateless.getLogicalId(stateless.web.signInClient.node.defaultChild as CfnUserPoolClient);
    expect(JSON.stringify(resourceById(template, id).Properties?.CallbackURLs)).toContain('"http://localhost:5173/sign-in"');
    expect(resourcesOfType(template, 'AWS::Cognito::UserPoolDomain')[0]![1].Properties?.Domain).toBe('rescue-pilot');
    expect(JSON.stringify(resourceById(api, ids.pagesClient).Properties)).not.toContain('localhost');
  });
});

describe('config.json', () => {
  it('tells the pages to sign in with Cognito through the pages client and to poll, and is a valid WebConfig', () => {
    const config = deployedConfig(api, assemblyDir);
    expect(config).toMatchObject({
      auth: {
        mode: 'cognito',
        region: standIn('AWS::Region'),
        userPoolId: standIn(ids.userPool),
        clientId: standIn(ids.pagesClient),
      },
      live: 'poll',
      apiBase: '',
      map: { tileCrs: 'gcj02' },
    });
    expect(config.auth.domain).toMatch(/^https:\/\/ref-[a-z0-9-]+\.auth\.ref-aws-region\.amazoncognito\.com$/);
    expect(WebConfig.safeParse(config).success).toBe(true);
  });

  it('carries the map tiles given in context', () => {
    const { app, stateless } = buildRescueApp({
      skipBundling: true,
      context: { mapTileUrl: 'https://tiles.example/{z}/{x}/{y}.png', mapTileCrs: 'wgs84', mapTileAttribution: '© example' },
    });
    const dir = app.synth().directory;
    expect(deployedConfig(Template.fromStack(stateless), dir).map).toEqual({
      tileUrl: 'https://tiles.example/{z}/{x}/{y}.png', tileCrs: 'wgs84', attribution: '© example',
    });
    expect(() => buildRescueApp({ skipBundling: true, context: { mapTileCrs: 'bd09' } })).toThrow(/mapTileCrs/);
  });
});

describe('outputs', () => {
  it('name the pages\' URL, their bucket and the sign-in domain', () => {
    const outputs = api.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(joinedWithRefs(outputs.WebUrl!.Value)).toBe(`https://\${${ids.distribution}.DomainName}`);
    expect(referencedId(outputs.WebBucketName!.Value)).toBe(ids.bucket);
    expect(joinedWithRefs(outputs.AuthDomain!.Value)).toMatch(/^https:\/\/\$\{.+\}\.auth\.\$\{AWS::Region\}\.amazoncognito\.com$/);
  });
});

describe('what gets deployed', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'web-hosting-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The construct alone in a stack of its own, with the pages built (or not) in `distDir`. */
  function hosting(distDir: string, skipBundling: boolean) {
    const app = new App({ outdir: path.join(dir, `out-${Math.random().toString(36).slice(2)}`), context: skipBundling ? { 'aws:cdk:bundling-stacks': [] } : {} });
    const stack = new Stack(app, 'Pages');
    new WebHosting(stack, 'Web', {
      api: new HttpApi(stack, 'Api'), userPool: new UserPool(stack, 'Pool'), stage: 'Test', map: {}, distDir, city: loadCity(),
    });
    return { template: Template.fromStack(stack), assembly: app.synth().directory };
  }

  it('refuses to deploy pages that were never built, saying how to build them', () => {
    expect(() => hosting(path.join(dir, 'missing'), false)).toThrow(/npm run build:web/);
  });

  it('deploys a placeholder page when bundling is skipped and nothing is built', () => {
    const { template, assembly } = hosting(path.join(dir, 'missing'), true);
    const all = deployments(template);
    expect(all).toHaveLength(1);
    const staged = asArray<string>(all[0]![1].Properties?.SourceObjectKeys).map((k) => path.join(assembly, `asset.${k.replace(/\.zip$/, '')}`));
    expect(staged.some((d) => existsSync(path.join(d, 'index.html')) && readFileSync(path.join(d, 'index.html'), 'utf8').includes('not built'))).toBe(true);
  });

  it('keeps hashed assets for a year and everything else revalidated, then invalidates the CDN', () => {
    const dist = path.join(dir, 'dist');
    mkdirSync(path.join(dist, 'assets'), { recursive: true });
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>');
    writeFileSync(path.join(dist, 'sw.js'), 'self.skipWaiting()');
    writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    const { template } = hosting(dist, false);
    const all = deployments(template).map(([id, r]) => ({ id, props: r.Properties ?? {}, resource: r as CfnResource }));
    expect(all).toHaveLength(2);
    const assets = all.find((d) => d.props.DestinationBucketKeyPrefix === 'assets/')!;
    const pages = all.find((d) => d !== assets)!;
    expect(assets.props).toMatchObject({ Prune: false, SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' } });
    expect(pages.props).toMatchObject({ Prune: true, Exclude: ['assets/*'], SystemMetadata: { 'cache-control': 'no-cache' }, DistributionPaths: ['/*'] });
    expect(pages.props.DistributionId).toBeDefined();
    expect(asArray(pages.resource.DependsOn)).toContain(assets.id);
  });
});
