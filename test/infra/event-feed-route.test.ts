import { Template } from 'aws-cdk-lib/assertions';
import type { CfnApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_METADATA } from '#infra/constructs/rescue-function';
import { buildRescueApp } from '#infra/rescue-app';
import { asArray, expectLike, joinedWithRefs, referencedId, resourceById, resourcesOfType } from './template-queries';

let api: Template;
let httpApiId: string;

beforeAll(() => {
  const { stateless } = buildRescueApp({ skipBundling: true });
  api = Template.fromStack(stateless);
  httpApiId = stateless.getLogicalId(stateless.api.node.defaultChild as CfnApi);
});

describe('the live event feed in the cloud', () => {
  it('is GET /v1/events behind the JWT authorizer, served by its own function that may only read the table', () => {
    const [route] = resourcesOfType(api, 'AWS::ApiGatewayV2::Route').filter(([, r]) => r.Properties?.RouteKey === 'GET /v1/events');
    expect(route, 'no route GET /v1/events').toBeDefined();
    const props = route![1].Properties!;
    expect(props.AuthorizationType).toBe('JWT');
    const authorizer = resourceById(api, referencedId(props.AuthorizerId) ?? '(no authorizer)');
    expectLike(authorizer.Properties, { AuthorizerType: 'JWT', ApiId: { Ref: httpApiId } });

    const integrationId = /^integrations\/\$\{(.+)\}$/.exec(joinedWithRefs(props.Target))?.[1];
    const integration = resourceById(api, integrationId ?? '(no integration)');
    const fnId = referencedId(integration.Properties?.IntegrationUri) ?? '(no function)';
    const fn = resourceById(api, fnId);
    expect(fn.Metadata?.[ENTRY_METADATA]).toBe('functions/api/list-events.ts');
    expect(fn.Properties?.Environment?.Variables?.TABLE_NAME).toBeDefined();

    const roleId = referencedId(fn.Properties?.Role);
    const actions = resourcesOfType(api, 'AWS::IAM::Policy')
      .filter(([, p]) => asArray(p.Properties?.Roles).some((r) => referencedId(r) === roleId))
      .flatMap(([, p]) => asArray(p.Properties?.PolicyDocument?.Statement) as { Action?: string | string[] }[])
      .flatMap((s) => asArray(s.Action));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:BatchGetItem']));
    expect(actions.filter((a) => /^dynamodb:(Put|Update|Delete|BatchWrite|TransactWrite)/.test(a))).toEqual([]);
  });

  it('has no streaming route: API Gateway HTTP APIs do not stream, so the pages poll', () => {
    const keys = resourcesOfType(api, 'AWS::ApiGatewayV2::Route').map(([, r]) => String(r.Properties?.RouteKey));
    expect(keys.filter((k) => k.includes('/v1/events/stream'))).toEqual([]);
  });
});
