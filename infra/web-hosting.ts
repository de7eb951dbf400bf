import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AccessLevel, AllowedMethods, CachePolicy, Distribution, Function as CloudFrontFunction, FunctionCode, FunctionEventType,
  FunctionRuntime, HeadersFrameOption, HeadersReferrerPolicy, HttpVersion, OriginProtocolPolicy, OriginRequestPolicy,
  ResponseHeadersPolicy, ViewerProtocolPolicy, type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  OAuthScope, type UserPool, type UserPoolClient, UserPoolClientIdentityProvider, type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { z } from 'zod';
import { CITY_OUTLINE_PATH, cityShown } from '#shared/contract/city';
import type { WebConfig } from '#shared/contract/web-config';
import type { City } from './city';
import { REPO_ROOT } from './constructs/rescue-function';
import { ID_TOKEN_VALIDITY, MEMBER_WRITABLE_ATTRIBUTES } from './identity';

/** CloudFormation metadata on the pages' bucket: the local runtime serves web/dist itself and makes no such bucket. */
export const PAGES_BUCKET_METADATA = 'rescue:pages-bucket';

/** The paths the API answers; everything else is the pages. */
export const API_PATH_PATTERNS = ['/v1/*', '/open311/*', '/openapi.json'] as const;

/**
 * Viewer-request function of the pages' behavior (cloudfront-js-2.0): a path whose last segment has no extension is a
 * client-side route (`/coordinator`, `/station/…`), so the app shell answers it; files pass unchanged.
 */
export const SPA_REWRITE_CODE = `function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

export interface WebHostingSettings {
  /** Names the default sign-in domain prefix (with the account). */
  stage: string;
  /** Context `authDomainPrefix`: the managed sign-in domain's prefix, unique in the region. */
  authDomainPrefix?: string;
  /** Context `webDevOrigin` (e.g. http://localhost:5173): a Vite dev server that may sign in against this pool too. */
  devOrigin?: string;
  /** Context `mapTileUrl`, `mapTileCrs`, `mapTileAttribution`, handed to the pages in config.json. */
  map: z.input<typeof WebConfig>['map'];
  /** The built pages; default web/dist (`npm run build:web`). */
  distDir?: string;
  /** Context `city`: the city's name, centre, districts and outline for the pages (infra/city.ts). */
  city: City;
}

export interface WebHostingProps extends WebHostingSettings {
  api: HttpApi;
  userPool: UserPool;
}

/**
 * The pages in the cloud: web/dist in a private bucket behind CloudFront, with the API on the same origin (`/v1/*`,
 * `/open311/*`, `/openapi.json` go to the HTTP API uncached), so the pages need no CORS; and their sign-in, Cognito's
 * managed login with the authorization code grant and PKCE through an app client of their own.
 */
export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly signInDomain: UserPoolDomain;
  /** The pages' app client; the API's JWT authorizer must accept its tokens. */
  readonly signInClient: UserPoolClient;
  readonly url: string;
  /** What config.json tells the pages. */
  readonly config: z.input<typeof WebConfig>;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // Everything here is rebuilt from git by `npm run build:web`: nothing to keep when the stack goes.
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    (this.bucket.node.defaultChild as CfnBucket).addMetadata(PAGES_BUCKET_METADATA, true);
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'It holds only the built pages, the same for everyone and no personal data; only CloudFront reads it (OAC), and every API call is in the HTTP API\'s access log.',
    });

    const chosen = props.authDomainPrefix ?? props.stage.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
    // Cognito refuses prefixes with these words; say so at synth, not an hour into a deployment.
    if (/aws|amazon|cognito/.test(chosen)) throw new Error(`the sign-in domain prefix '${chosen}' may not contain aws, amazon or cognito; set context authDomainPrefix`);
    // The account makes the default unique in the region, as Cognito requires of every prefix.
    const domainPrefix = props.authDomainPrefix ?? `${chosen}-${stack.account}`;
    // The classic hosted UI works on every Cognito feature plan with no branding resource to keep.
    this.signInDomain = props.userPool.addDomain('SignInDomain', { cognitoDomain: { domainPrefix } });

    const rewrite = new CloudFrontFunction(this, 'SpaRewrite', {
      comment: 'Client-side routes (no file extension) get the app shell, /index.html',
      code: FunctionCode.fromInline(SPA_REWRITE_CODE),
      runtime: FunctionRuntime.JS_2_0,
    });
    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Street rescue pages: HSTS, CSP, no framing, no sniffing',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(this.signInDomain.baseUrl()), override: true },
      },
    });

    const apiBehavior: BehaviorOptions = {
      origin: new HttpOrigin(`${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      }),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      // Uncached, so the Authorization header may go to the API with everything else the caller sent.
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: securityHeaders,
    };
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Street rescue patrol pages and API (${props.stage})`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        // Read only: a missing file answers 403 rather than 404, which is the price of never letting a listing through.
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket, { originAccessLevels: [AccessLevel.READ] }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        functionAssociations: [{ function: rewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
        responseHeadersPolicy: securityHeaders,
      },
      additionalBehaviors: Object.fromEntries(API_PATH_PATTERNS.map((pattern) => [pattern, apiBehavior])),
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
    const distributionReasons: Record<string, string> = {
      'AwsSolutions-CFR1': 'Members travel and a province may span borders of no interest to a geo list; the API authorises every request.',
      'AwsSolutions-CFR2': 'A WAF web ACL for CloudFront lives in us-east-1 and is priced per rule; the API throttles at its stage and the pages are static. A bureau may attach one.',
      'AwsSolutions-CFR3': 'Standard logging needs an ACL-enabled bucket; the pages are static and public, and every API call is in the HTTP API\'s access log.',
      'AwsSolutions-CFR4': 'The default *.cloudfront.net certificate fixes the minimum TLS version; a custom domain with its own certificate (TLSv1.2_2021) is a deployment choice.',
    };
    for (const [id, reason] of Object.entries(distributionReasons)) Validations.of(this.distribution).acknowledge({ id, reason });

    const redirectUrls = [`${this.url}/sign-in`, ...(props.devOrigin ? [`${props.devOrigin.replace(/\/+$/, '')}/sign-in`] : [])];
    // A public client (no secret, the pages cannot keep one): code grant only, which the pages redeem with PKCE.
    this.signInClient = props.userPool.addClient('Pages', {
      generateSecret: false,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        // The admin scope lets a member enrol their own authenticator app (AssociateSoftwareToken) from the pages.
        scopes: [OAuthScope.OPENID, OAuthScope.PROFILE, OAuthScope.COGNITO_ADMIN],
        callbackUrls: redirectUrls,
        logoutUrls: redirectUrls,
      },
      writeAttributes: MEMBER_WRITABLE_ATTRIBUTES,
      idTokenValidity: ID_TOKEN_VALIDITY,
      refreshTokenValidity: Duration.days(30),
      preventUserExistenceErrors: true,
    });

    const config: z.input<typeof WebConfig> = this.config = {
      auth: {
        mode: 'cognito',
        region: stack.region,
        userPoolId: props.userPool.userPoolId,
        clientId: this.signInClient.userPoolClientId,
        domain: this.signInDomain.baseUrl(),
      },
      // API Gateway HTTP APIs do not stream: the pages poll GET /v1/events.
      live: 'poll',
      apiBase: '',
      map: props.map,
      city: cityShown(props.city.config),
    };
    const outline = props.city.outlineFile ? [Source.data(CITY_OUTLINE_PATH.slice(1), readFileSync(props.city.outlineFile, 'utf8'))] : [];
    this.deployPages(props.distDir ?? path.join(REPO_ROOT, 'web', 'dist'), [Source.jsonData('config.json', config), ...outline]);
  }

  /**
   * Hashed assets first, kept for good (a browser holding the previous index.html still finds its files), then
   * index.html, the service worker, config.json and the city's outline, always revalidated, then the CDN's copy is invalidated.
   */
  private deployPages(distDir: string, generated: ReturnType<typeof Source.jsonData>[]) {
    const built = existsSync(path.join(distDir, 'index.html'));
    if (!built && Stack.of(this).bundlingRequired) {
      throw new Error(`the pages are not built: ${path.join(distDir, 'index.html')} is missing. Run \`npm run build:web\` first (\`npm run synth\` and \`npm run deploy\` do it).`);
    }
    // Made first, so that the deployment handler's shared layer lives here and the dependency below makes no cycle.
    const assets = built && existsSync(path.join(distDir, 'assets')) ? new BucketDeployment(this, 'HashedAssets', {
      sources: [Source.asset(path.join(distDir, 'assets'))],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'assets/',
      prune: false,
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
      memoryLimit: 512,
    }) : undefined;
    const pages = new BucketDeployment(this, 'Pages', {
      // Without a build (tests, the local runtime's synth skip bundling), a placeholder keeps the template whole.
      sources: [built ? Source.asset(distDir, { exclude: ['assets'] }) : Source.data('index.html', PLACEHOLDER_PAGE), ...generated],
      destinationBucket: this.bucket,
      // Deleting what the build no longer has, except the hashed assets of earlier builds.
      exclude: ['assets/*'],
      prune: true,
      cacheControl: [CacheControl.noCache()],
      memoryLimit: 512,
      distribution: this.distribution,
      distributionPaths: ['/*'],
    });
    if (assets) pages.node.addDependency(assets);
    this.acknowledgeDeploymentHandler();
  }

  /** The pages are copied by a function CDK provides (one per stack, beside this construct), with CDK's own grants. */
  private acknowledgeDeploymentHandler() {
    const stack = Stack.of(this);
    const pagesBucket = stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    const findings = [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-L1',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      `AwsSolutions-IAM5[Resource::<${pagesBucket}.Arn>/*]`,
      ...['s3:List*', 's3:GetObject*', 's3:GetBucket*', 's3:DeleteObject*', 's3:Abort*'].map((action) => `AwsSolutions-IAM5[Action::${action}]`),
    ];
    for (const handler of stack.node.children.filter((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'))) {
      for (const id of findings) {
        Validations.of(handler).acknowledge({
          id,
          reason: "CDK's BucketDeployment handler (runtime, role and grants are CDK's): it copies the built pages from the CDK asset bucket into the pages bucket at deployment, and invalidates the CDN; it never runs otherwise.",
        });
      }
    }
  }
}

/**
 * What the pages may load: their own files, the sign-in domain (the code-for-token exchange), AWS endpoints (the
 * presigned S3 uploads), any https image (map tiles, case photos by presigned URL); inline styles for the map.
 */
function contentSecurityPolicy(signInDomain: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "font-src 'self' data:",
    `connect-src 'self' ${signInDomain} https://*.${Aws.URL_SUFFIX}`,
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    `form-action 'self' ${signInDomain}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join('; ');
}

const PLACEHOLDER_PAGE = `<!doctype html><meta charset="utf-8"><title>Street rescue patrol</title>
<p>The pages were not built when this was deployed. Run <code>npm run deploy</code>, which builds them first.</p>`;
