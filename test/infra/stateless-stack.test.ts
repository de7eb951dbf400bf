import fs from 'node:fs';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { CfnUserPool } from 'aws-cdk-lib/aws-cognito';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_METADATA, REPO_ROOT, RescueFunction } from '#infra/constructs/rescue-function';
import { buildRescueApp } from '#infra/rescue-app';
import { pathsOf, ROUTES } from '#shared/api/routes';
import { DEVICE_RESOURCE_SERVER } from '#shared/domain/device-auth';
import {
  asArray, type CfnResource, expectLike, joinedWithRefs, referencedId, resourceById, resourcesOf, resourcesOfType,
} from './template-queries';

let api: Template;
let data: Template;
let userPoolId: string;
let httpApiId: string;
let tableId: string;
/** Logical ids of the functions made by the house construct. */
let houseFunctionIds: string[];

beforeAll(() => {
  const { stateful, stateless } = buildRescueApp({ skipBundling: true });
  api = Template.fromStack(stateless);
  data = Template.fromStack(stateful);
  userPoolId = stateless.getLogicalId(stateless.userPool.node.defaultChild as CfnUserPool);
  httpApiId = stateless.getLogicalId(stateless.api.node.defaultChild as CfnApi);
  tableId = stateful.getLogicalId(stateful.table.node.defaultChild as CfnTable);
  houseFunctionIds = stateless.node.findAll()
    .filter((c): c is RescueFunction => c instanceof RescueFunction)
    .map((fn) => stateless.getLogicalId(fn.node.defaultChild as CfnFunction));
});

const routeKey = (spec: { method: string; path: string }) => `${spec.method} ${spec.path}`;
const routes = () => resourcesOfType(api, 'AWS::ApiGatewayV2::Route').map(([id, r]) => ({ id, props: r.Properties ?? {} }));

describe('identity', () => {
  it("has a group for each people's role, none for devices (each device is an app client of its own)", () => {
    const groups = resourcesOfType(api, 'AWS::Cognito::UserPoolGroup');
    expect(groups.map(([, g]) => g.Properties?.GroupName).sort()).toEqual(['admin', 'coordinator', 'patrol', 'station']);
    for (const [, group] of groups) expect(referencedId(group.Properties?.UserPoolId)).toBe(userPoolId);
  });

  it('lets only administrators create members (no self sign-up)', () => {
    expectLike(resourceById(api, userPoolId).Properties, { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
  });

  it('carries the custom attributes the handlers read: teamId, stationId, deviceId, which nobody can change later', () => {
    const schema = asArray(resourceById(api, userPoolId).Properties?.Schema) as { Name: string; AttributeDataType: string; Mutable?: boolean }[];
    for (const name of ['teamId', 'stationId', 'deviceId']) {
      expect(schema.find((a) => a.Name === name), `custom attribute ${name}`).toMatchObject({ AttributeDataType: 'String', Mutable: false });
    }
  });

  it('makes the API a resource server of the pool, with a scope for each thing a device sends', () => {
    const servers = resourcesOfType(api, 'AWS::Cognito::UserPoolResourceServer').map(([, r]) => r.Properties ?? {});
    expect(servers).toHaveLength(1);
    expect(servers[0]!.Identifier).toBe(DEVICE_RESOURCE_SERVER);
    expect(referencedId(servers[0]!.UserPoolId)).toBe(userPoolId);
    expect((asArray(servers[0]!.Scopes) as { ScopeName: string }[]).map((scope) => scope.ScopeName).sort())
      .toEqual(['detections:write', 'uploads:write', 'warnings:write', 'weather:write']);
  });

  it("lets the directory make and delete this pool's app clients and invite and disable its members, nothing else, and tells it where devices get tokens", () => {
    const fn = functionServing('CreateDevice');
    const statements = policyStatementsOf(fn.id);
    const cognito = statements.filter((s) => asArray(s.Action).some((a) => String(a).startsWith('cognito-idp:')));
    expect(cognito.flatMap((s) => asArray(s.Action)).sort()).toEqual([
      'cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminCreateUser', 'cognito-idp:AdminDisableUser', 'cognito-idp:AdminGetUser', 'cognito-idp:AdminUserGlobalSignOut',
      'cognito-idp:CreateUserPoolClient', 'cognito-idp:DeleteUserPoolClient',
    ]);
    for (const statement of cognito) expect(asArray(statement.Resource).map((r) => JSON.stringify(r))).toEqual([JSON.stringify({ 'Fn::GetAtt': [userPoolId, 'Arn'] })]);
    const variables = fn.resource.Properties?.Environment?.Variables ?? {};
    expect(referencedId(variables.USER_POOL_ID)).toBe(userPoolId);
    expect(joinedWithRefs(variables.DEVICE_TOKEN_URL)).toMatch(/^https:\/\/.*\/oauth2\/token$/);
    // The city's outline travels with it: a station naming its districts gets their boundaries as its area.
    expect(variables).toMatchObject({ CITY_OUTLINE_FILE: '/var/task/city-outline.geojson', CITY_OUTLINE_CRS: 'gcj02' });
  });

  it('lets no app client write a custom attribute', () => {
    const clients = resourcesOfType(api, 'AWS::Cognito::UserPoolClient').map(([, c]) => c.Properties ?? {});
    expect(clients.length).toBeGreaterThanOrEqual(2);
    for (const client of clients) {
      const writable = asArray(client.WriteAttributes) as string[];
      expect(writable.length, 'an explicit list (none means all writable)').toBeGreaterThan(0);
      expect(writable.filter((a) => a.startsWith('custom:'))).toEqual([]);
    }
  });
});

describe('HTTP API', () => {
  it('requires a JWT on every route except those ROUTES declares public, and the devices\' routes, which the Callers function authorizes', () => {
    const all = routes();
    expect(all.length).toBeGreaterThan(0);
    const publicKeys = new Set(ROUTES.filter((r) => (r.access as unknown) === 'public').flatMap((r) => pathsOf(r).map(routeKey)));
    const deviceKeys = new Set(ROUTES.filter((r) => 'deviceScope' in r).flatMap((r) => pathsOf(r).map(routeKey)));
    expect([...deviceKeys].sort()).toEqual(['GET /v1/uploads/{uploadId}', 'POST /v1/detections', 'POST /v1/uploads', 'POST /v1/warnings', 'POST /v1/weather']);
    for (const { props } of all) {
      if (publicKeys.has(props.RouteKey)) {
        expect(props.AuthorizationType, props.RouteKey).toBe('NONE');
        expect(props.AuthorizerId, props.RouteKey).toBeUndefined();
      } else if (deviceKeys.has(props.RouteKey)) {
        expect(props.AuthorizationType, props.RouteKey).toBe('CUSTOM');
        const authorizer = resourceById(api, referencedId(props.AuthorizerId) ?? '(missing AuthorizerId)');
        expectLike(authorizer.Properties, {
          AuthorizerType: 'REQUEST', ApiId: { Ref: httpApiId }, AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true,
          // No cached answer: a revoked device is refused on its very next call.
          AuthorizerResultTtlInSeconds: 0, IdentitySource: ['$request.header.Authorization'],
        });
        const fnId = /functions\/\$\{(.+)\.Arn\}\/invocations$/.exec(joinedWithRefs(authorizer.Properties?.AuthorizerUri))?.[1];
        expect(resourceById(api, fnId ?? '(no function)').Metadata?.[ENTRY_METADATA]).toBe('functions/identity/authorize.ts');
      } else {
        expect(props.AuthorizationType, props.RouteKey).toBe('JWT');
        const authorizer = resourceById(api, referencedId(props.AuthorizerId) ?? '(missing AuthorizerId)');
        expect(authorizer.Type).toBe('AWS::ApiGatewayV2::Authorizer');
        expectLike(authorizer.Properties, { AuthorizerType: 'JWT', ApiId: { Ref: httpApiId } });
      }
    }
  });

  it('checks JWTs against the Cognito user pool and its app client', () => {
    const authorizers = resourcesOfType(api, 'AWS::ApiGatewayV2::Authorizer').filter(([, a]) => a.Properties?.AuthorizerType === 'JWT');
    expect(authorizers.length).toBeGreaterThan(0);
    for (const [id, authorizer] of authorizers) {
      const jwt = authorizer.Properties?.JwtConfiguration ?? {};
      expect(joinedWithRefs(jwt.Issuer), id).toBe(`https://cognito-idp.\${AWS::Region}.amazonaws.com/\${${userPoolId}}`);
      const audience = asArray(jwt.Audience);
      expect(audience.length, id).toBeGreaterThan(0);
      for (const entry of audience) {
        const client = resourceById(api, referencedId(entry) ?? '(audience is not a reference)');
        expect(client.Type).toBe('AWS::Cognito::UserPoolClient');
        expect(referencedId(client.Properties?.UserPoolId)).toBe(userPoolId);
      }
    }
  });

  it.each(ROUTES.flatMap((spec) => pathsOf(spec).map((p) => [routeKey(p), spec] as const)))('has exactly one route for %s, served by its entry module', (key, spec) => {
    const matching = routes().filter((r) => r.props.RouteKey === key);
    expect(matching).toHaveLength(1);
    const target = joinedWithRefs(matching[0]!.props.Target);
    const integrationId = /^integrations\/\$\{(.+)\}$/.exec(target)?.[1];
    const integration = resourceById(api, integrationId ?? `(target ${target})`);
    const fn = resourceById(api, referencedId(integration.Properties?.IntegrationUri) ?? '(integration has no function)');
    expect(fn.Metadata?.[ENTRY_METADATA]).toBe(spec.entry);
  });

  it('has no route for the local-only token endpoint, nor a catch-all that would reach it', () => {
    const keys = routes().map((r) => String(r.props.RouteKey));
    expect(keys.filter((k) => /\s\/v1\/dev(\/|$)/.test(k))).toEqual([]);
    expect(keys.filter((k) => k === '$default' || k.includes('{proxy+}'))).toEqual([]);
  });

  it('answers CORS preflight for the methods and headers the API uses', () => {
    const cors = resourceById(api, httpApiId).Properties?.CorsConfiguration;
    expect(cors, 'no CorsConfiguration on the HTTP API').toBeDefined();
    expect(asArray(cors.AllowOrigins).length).toBeGreaterThan(0);
    const methods = asArray<string>(cors.AllowMethods);
    for (const method of new Set(ROUTES.map((r) => r.method))) expect(methods).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^(${method}|\\*)$`))]));
    // Headers a browser client sends: the bearer token, JSON bodies, and the idempotency key api-handler reads.
    const headers = asArray<string>(cors.AllowHeaders).map((h) => h.toLowerCase());
    for (const header of ['authorization', 'content-type', 'idempotency-key']) expect(headers.includes(header) || headers.includes('*'), header).toBe(true);
  });
});

describe('functions made by the house construct', () => {
  const houseFunctions = () => houseFunctionIds.map((id) => [id, resourceById(api, id)] as const);

  it('include one per route module and the workflow steps, all marked with their entry module', () => {
    // Routes naming one module share its function (apiRoutes); the case and person workflows have a steps function each.
    expect(houseFunctionIds.length).toBeGreaterThanOrEqual(new Set(ROUTES.map((r) => r.entry)).size + 2);
    const marked = resourcesOfType(api, 'AWS::Lambda::Function').filter(([, fn]) => fn.Metadata?.[ENTRY_METADATA] !== undefined).map(([id]) => id);
    expect(marked.sort()).toEqual([...houseFunctionIds].sort());
  });

  it('run Node.js 24 on arm64 with active X-Ray tracing', () => {
    for (const [id, fn] of houseFunctions()) {
      expectLike(fn.Properties, { Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } }, id);
    }
  });

  it('log to their own log group with a retention period', () => {
    for (const [id, fn] of houseFunctions()) {
      const logGroup = resourceById(api, referencedId(fn.Properties?.LoggingConfig?.LogGroup) ?? `(${id} has no log group)`);
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties?.RetentionInDays, id).toBeGreaterThan(0);
    }
  });

  it('name an entry module that exists in the repository', () => {
    for (const [id, fn] of houseFunctions()) {
      const entry = fn.Metadata?.[ENTRY_METADATA];
      expect(typeof entry, id).toBe('string');
      expect(fs.existsSync(path.join(REPO_ROOT, String(entry))), `${id}: ${String(entry)}`).toBe(true);
    }
  });

  it('give the upload processor the memory a thermal frame needs, and the grants its hot spots need to become cases', () => {
    const [id, fn] = houseFunctions().find(([, f]) => f.Metadata?.[ENTRY_METADATA] === 'functions/uploads/object-created.ts')!;
    expect(fn.Properties?.MemorySize, id).toBeGreaterThanOrEqual(1024);
    expect(fn.Properties?.Timeout, id).toBeGreaterThanOrEqual(60);
    // Detections open cases: the case workflow is started and alerts are dispatched from here.
    expect(Object.keys(fn.Properties?.Environment?.Variables ?? {})).toEqual(expect.arrayContaining(['TABLE_NAME', 'UPLOADS_BUCKET', 'CASE_WORKFLOW_ARN']));
    const roleId = referencedId(fn.Properties?.Role);
    const actions = resourcesOfType(api, 'AWS::IAM::Policy')
      .filter(([, p]) => asArray(p.Properties?.Roles).some((r) => referencedId(r) === roleId))
      .flatMap(([, p]) => asArray(p.Properties?.PolicyDocument?.Statement) as PolicyStatement[])
      .flatMap((s) => asArray(s.Action));
    expect(actions).toEqual(expect.arrayContaining(['states:StartExecution']));
  });

  it('may use the table (TABLE_NAME) only with a DynamoDB grant on that table', () => {
    const policies = resourcesOfType(api, 'AWS::IAM::Policy');
    const withTable = houseFunctions().filter(([, fn]) => fn.Properties?.Environment?.Variables?.TABLE_NAME !== undefined);
    expect(withTable.length).toBeGreaterThan(0);
    for (const [id, fn] of withTable) {
      const roleId = referencedId(fn.Properties?.Role);
      const statements = policies
        .filter(([, p]) => asArray(p.Properties?.Roles).some((r) => referencedId(r) === roleId))
        .flatMap(([, p]) => asArray(p.Properties?.PolicyDocument?.Statement) as PolicyStatement[]);
      const onTable = statements.filter((s) => s.Effect === 'Allow'
        && asArray(s.Action).some((a) => a.startsWith('dynamodb:'))
        // Cross-stack, the table ARN arrives as an import whose export name carries the table's logical id.
        && JSON.stringify(s.Resource).includes(tableId));
      expect(onTable.length, `${id} has TABLE_NAME but no dynamodb grant on ${tableId}`).toBeGreaterThan(0);
    }
  });
});

interface PolicyStatement {
  Effect: string;
  Action?: string | string[];
  Resource?: unknown;
}

/** Allow statements that grant everything, a whole data service, or data actions on every resource. */
function overlyBroadStatements(resources: Record<string, CfnResource>): string[] {
  const documents: [string, unknown][] = [];
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') documents.push([id, resource.Properties?.PolicyDocument]);
    if (resource.Type === 'AWS::IAM::Role') {
      for (const inline of asArray(resource.Properties?.Policies) as { PolicyDocument: unknown }[]) documents.push([id, inline.PolicyDocument]);
    }
  }
  const problems: string[] = [];
  for (const [id, document] of documents) {
    for (const statement of asArray((document as { Statement?: PolicyStatement[] } | undefined)?.Statement)) {
      if (statement.Effect !== 'Allow') continue;
      const actions = asArray(statement.Action);
      const resourcesOfStatement = asArray(statement.Resource as unknown);
      const onData = actions.filter((a) => /^(dynamodb|s3):/.test(a));
      if (actions.includes('*')) problems.push(`${id}: Action '*'`);
      if (actions.some((a) => a === 'dynamodb:*' || a === 's3:*')) problems.push(`${id}: ${actions.join(',')}`);
      // Resource '*' stays legitimate for actions without resource scoping (the CDK's X-Ray and log-delivery grants).
      if (resourcesOfStatement.includes('*') && onData.length > 0) problems.push(`${id}: ${onData.join(',')} on Resource '*'`);
    }
  }
  return problems;
}

describe('IAM', () => {
  it('the broad-grant check catches what it is meant to catch', () => {
    const policy = (Statement: PolicyStatement[]): CfnResource => ({ Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement } } });
    expect(overlyBroadStatements({
      Xray: policy([{ Effect: 'Allow', Action: ['xray:PutTraceSegments'], Resource: '*' }]),
      Scoped: policy([{ Effect: 'Allow', Action: ['dynamodb:GetItem', 's3:GetObject*'], Resource: { 'Fn::GetAtt': ['T', 'Arn'] } }]),
    })).toEqual([]);
    expect(overlyBroadStatements({ A: policy([{ Effect: 'Allow', Action: '*', Resource: { Ref: 'X' } }]) })).toHaveLength(1);
    expect(overlyBroadStatements({ B: policy([{ Effect: 'Allow', Action: 'dynamodb:*', Resource: { Ref: 'X' } }]) })).toHaveLength(1);
    expect(overlyBroadStatements({ C: policy([{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['*'] }]) })).toHaveLength(1);
  });

  it('no policy in either stack grants everything, a whole data service, or data actions on every resource', () => {
    const policies = [api, data].flatMap((t) => resourcesOfType(t, 'AWS::IAM::Policy'));
    expect(policies.length).toBeGreaterThan(0);
    expect(overlyBroadStatements(resourcesOf(api))).toEqual([]);
    expect(overlyBroadStatements(resourcesOf(data))).toEqual([]);
  });
});

/** The house function serving a route, and the statements of its role's policies. */
function functionServing(routeId: string): { id: string; resource: CfnResource } {
  const entry = ROUTES.find((r) => r.id === routeId)!.entry;
  const id = houseFunctionIds.find((fnId) => resourceById(api, fnId).Metadata?.[ENTRY_METADATA] === entry)!;
  return { id, resource: resourceById(api, id) };
}
function policyStatementsOf(functionId: string): PolicyStatement[] {
  const roleId = referencedId(resourceById(api, functionId).Properties?.Role);
  return resourcesOfType(api, 'AWS::IAM::Policy')
    .filter(([, p]) => asArray(p.Properties?.Roles).some((r) => referencedId(r) === roleId))
    .flatMap(([, p]) => asArray(p.Properties?.PolicyDocument?.Statement) as PolicyStatement[]);
}
