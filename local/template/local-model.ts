import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { CORSRule } from '@aws-sdk/client-s3';
import { ENTRY_METADATA } from '#infra/constructs/rescue-function';
import { PAGES_BUCKET_METADATA } from '#infra/web-hosting';
import { TemplateResolver } from './intrinsics';
import type { StackTemplate } from './synthesize';

export interface LocalTable {
  logicalId: string;
  create: CreateTableCommandInput;
  ttlAttribute?: string;
}

export interface LocalBucket {
  logicalId: string;
  name: string;
  cors: CORSRule[];
  eventBridge: boolean;
}

export interface LocalFunction {
  logicalId: string;
  arn: string;
  name: string;
  /** Handler module relative to the repository root. */
  entry: string;
  handlerExport: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
}

export interface LocalRoute {
  method: string;
  /** API Gateway path template, e.g. /v1/cases/{caseId}. */
  path: string;
  authorization: 'JWT' | 'CUSTOM' | 'NONE';
  functionArn: string;
  /** A Lambda authorizer's function (payload 2.0, simple responses), for a CUSTOM route. */
  authorizerArn?: string;
}

export interface LocalStateMachine {
  arn: string;
  name: string;
  definition: Record<string, unknown>;
}

export interface LocalEventRule {
  logicalId: string;
  pattern: Record<string, unknown>;
  targetArns: string[];
}

/** A rule that fires on a schedule rather than on matching events. */
export interface LocalSchedule {
  logicalId: string;
  /** As written in the template, e.g. `rate(5 minutes)`. */
  expression: string;
  everyMs: number;
  targetArns: string[];
}

export interface LocalCors {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAge?: number;
}

/** Everything the local runtime runs, as read from the synthesized templates. */
export interface LocalModel {
  tables: LocalTable[];
  buckets: LocalBucket[];
  functions: Map<string, LocalFunction>;
  routes: LocalRoute[];
  stateMachines: LocalStateMachine[];
  eventRules: LocalEventRule[];
  schedules: LocalSchedule[];
  cors?: LocalCors;
}

type Props = Record<string, any>;

const TABLE_PROPERTIES_DYNAMODB_LOCAL_UNDERSTANDS = [
  'TableName', 'KeySchema', 'AttributeDefinitions', 'GlobalSecondaryIndexes', 'LocalSecondaryIndexes', 'BillingMode',
  'ProvisionedThroughput', 'StreamSpecification',
];

const RATE_UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** The period of a `rate(n unit)` schedule. Cron schedules are refused: the local runtime would only guess at them. */
export function scheduleIntervalMs(expression: string, ruleId: string): number {
  const match = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression.trim());
  const count = Number(match?.[1]);
  if (!match || !(count > 0)) {
    throw new Error(`rule ${ruleId}: the local runtime runs only rate(n minutes|hours|days) schedules, not '${expression}'`);
  }
  return count * RATE_UNIT_MS[match[2]!]!;
}

export function localModelFrom(stacks: StackTemplate[]): LocalModel {
  const resolver = new TemplateResolver(stacks);
  const model: LocalModel = { tables: [], buckets: [], functions: new Map(), routes: [], stateMachines: [], eventRules: [], schedules: [] };
  const integrations = new Map<string, string>();
  const authorizers = new Map<string, string>();
  const eventBridgeBuckets = new Set<string>();

  for (const stack of stacks) {
    const resolve = (value: unknown) => resolver.resolve(stack, value);
    for (const [logicalId, resource] of Object.entries(stack.template.Resources)) {
      const props = (resource.Properties ?? {}) as Props;
      switch (resource.Type) {
        case 'AWS::DynamoDB::Table': {
          const create: Props = { TableName: resolver.physicalName(stack, logicalId) };
          for (const key of TABLE_PROPERTIES_DYNAMODB_LOCAL_UNDERSTANDS) {
            if (key !== 'TableName' && props[key] !== undefined) create[key] = resolve(props[key]);
          }
          const ttl = props.TimeToLiveSpecification as Props | undefined;
          model.tables.push({
            logicalId,
            create: create as CreateTableCommandInput,
            ...(ttl?.Enabled ? { ttlAttribute: String(ttl.AttributeName) } : {}),
          });
          break;
        }
        case 'AWS::S3::Bucket': {
          // The pages' bucket: locally the runtime serves web/dist itself (local/runtime/web-pages.ts).
          if (resource.Metadata?.[PAGES_BUCKET_METADATA]) break;
          const rules = ((props.CorsConfiguration as Props | undefined)?.CorsRules ?? []) as Props[];
          model.buckets.push({
            logicalId,
            name: resolver.physicalName(stack, logicalId),
            cors: rules.map((rule) => ({
              AllowedMethods: rule.AllowedMethods, AllowedOrigins: rule.AllowedOrigins, AllowedHeaders: rule.AllowedHeaders,
              ExposeHeaders: rule.ExposedHeaders, MaxAgeSeconds: rule.MaxAge,
            })),
            eventBridge: Boolean((props.NotificationConfiguration as Props | undefined)?.EventBridgeConfiguration),
          });
          break;
        }
        case 'AWS::Lambda::Function': {
          const entry = resource.Metadata?.[ENTRY_METADATA];
          // Functions the CDK adds for itself (custom resources) have no entry and do not run locally.
          if (typeof entry !== 'string') break;
          const variables = resolve((props.Environment as Props | undefined)?.Variables ?? {}) as Record<string, unknown>;
          const fn: LocalFunction = {
            logicalId,
            arn: resolver.arn(stack, logicalId),
            name: resolver.physicalName(stack, logicalId),
            entry,
            handlerExport: String(props.Handler ?? 'index.handler').split('.').at(-1)!,
            environment: Object.fromEntries(Object.entries(variables).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])),
            timeoutSeconds: Number(props.Timeout ?? 3),
          };
          model.functions.set(fn.arn, fn);
          break;
        }
        case 'AWS::ApiGatewayV2::Integration':
          integrations.set(logicalId, String(resolve(props.IntegrationUri)));
          break;
        case 'AWS::ApiGatewayV2::Authorizer': {
          if (props.AuthorizerType !== 'REQUEST') break;
          // arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations
          const uri = String(resolve(props.AuthorizerUri));
          const functionArn = /\/functions\/(.+)\/invocations$/.exec(uri)?.[1];
          if (!functionArn) throw new Error(`authorizer ${logicalId}: no Lambda function in ${uri}`);
          if (props.AuthorizerPayloadFormatVersion !== '2.0' || props.EnableSimpleResponses !== true) {
            throw new Error(`authorizer ${logicalId}: the local runtime runs Lambda authorizers with payload 2.0 and simple responses only`);
          }
          authorizers.set(logicalId, functionArn);
          break;
        }
        case 'AWS::ApiGatewayV2::Api': {
          const cors = props.CorsConfiguration as Props | undefined;
          if (cors) {
            model.cors = {
              allowOrigins: cors.AllowOrigins ?? [], allowMethods: cors.AllowMethods ?? [], allowHeaders: cors.AllowHeaders ?? [],
              exposeHeaders: cors.ExposeHeaders ?? [], ...(cors.MaxAge !== undefined ? { maxAge: Number(cors.MaxAge) } : {}),
            };
          }
          break;
        }
        case 'AWS::StepFunctions::StateMachine': {
          const definition = props.DefinitionString !== undefined ? JSON.parse(String(resolve(props.DefinitionString))) : resolve(props.Definition);
          model.stateMachines.push({ arn: resolver.arn(stack, logicalId), name: resolver.physicalName(stack, logicalId), definition });
          break;
        }
        case 'Custom::S3BucketNotifications': {
          // How the CDK switches on a bucket's EventBridge notifications: a custom resource, not a bucket property.
          const config = props.NotificationConfiguration as Props | undefined;
          if (config?.EventBridgeConfiguration) eventBridgeBuckets.add(String(resolve(props.BucketName)));
          break;
        }
        case 'AWS::Events::Rule': {
          const targets = ((props.Targets ?? []) as Props[]).map((target) => String(resolve(target.Arn)));
          if (props.EventPattern !== undefined) {
            model.eventRules.push({ logicalId, pattern: resolve(props.EventPattern) as Record<string, unknown>, targetArns: targets });
          }
          if (props.ScheduleExpression !== undefined && props.State !== 'DISABLED') {
            const expression = String(resolve(props.ScheduleExpression));
            model.schedules.push({ logicalId, expression, everyMs: scheduleIntervalMs(expression, logicalId), targetArns: targets });
          }
          break;
        }
      }
    }
    // Routes point at integrations by "integrations/<id>"; resolve after all integrations of the stack are known.
    for (const resource of Object.values(stack.template.Resources)) {
      if (resource.Type !== 'AWS::ApiGatewayV2::Route') continue;
      const props = resource.Properties as Props;
      const [method, path] = String(props.RouteKey).split(' ') as [string, string];
      const target = props.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
      const integrationId = target['Fn::Join'][1][1].Ref;
      const functionArn = integrations.get(integrationId);
      if (!functionArn) throw new Error(`route ${props.RouteKey} has no Lambda integration`);
      if (props.AuthorizationType === 'CUSTOM') {
        const authorizerArn = authorizers.get(String((props.AuthorizerId as { Ref: string }).Ref));
        if (!authorizerArn) throw new Error(`route ${props.RouteKey} names an authorizer the template does not have`);
        model.routes.push({ method, path, authorization: 'CUSTOM', functionArn, authorizerArn });
      } else {
        model.routes.push({ method, path, authorization: props.AuthorizationType === 'JWT' ? 'JWT' : 'NONE', functionArn });
      }
    }
  }
  for (const bucket of model.buckets) {
    if (eventBridgeBuckets.has(bucket.name)) bucket.eventBridge = true;
  }
  for (const { functionArn, authorizerArn, method, path } of model.routes) {
    if (!model.functions.has(functionArn)) throw new Error(`route ${method} ${path} targets ${functionArn}, which has no local entry`);
    if (authorizerArn && !model.functions.has(authorizerArn)) throw new Error(`route ${method} ${path} is authorized by ${authorizerArn}, which has no local entry`);
  }
  return model;
}
