import type { StackTemplate } from './synthesize';

export const LOCAL_REGION = 'local';
export const LOCAL_ACCOUNT = '000000000000';

/**
 * Resolves CloudFormation intrinsic functions to the values the local engines use. Resources get deterministic
 * physical names (CloudFormation would add a random suffix), so data found under DATA_DIR still matches next start.
 */
export class TemplateResolver {
  private readonly exports = new Map<string, { stack: StackTemplate; value: unknown }>();

  constructor(stacks: StackTemplate[]) {
    for (const stack of stacks) {
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        if (output.Export) this.exports.set(String(this.resolve(stack, output.Export.Name)), { stack, value: output.Value });
      }
    }
  }

  resolve(stack: StackTemplate, value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(stack, v));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [fn, arg] = entries[0]!;
      switch (fn) {
        case 'Ref': return this.ref(stack, String(arg));
        case 'Fn::GetAtt': {
          const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
          return this.getAtt(stack, String(id), String(attribute));
        }
        case 'Fn::Join': {
          const [separator, parts] = arg as [string, unknown[]];
          return (this.resolve(stack, parts) as unknown[]).join(separator);
        }
        case 'Fn::Sub': return this.sub(stack, arg);
        case 'Fn::ImportValue': {
          const name = String(this.resolve(stack, arg));
          const exported = this.exports.get(name);
          if (!exported) throw new Error(`template imports '${name}', which no stack exports`);
          return this.resolve(exported.stack, exported.value);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number, unknown];
          return (this.resolve(stack, list) as unknown[])[Number(index)];
        }
        case 'Fn::Split': {
          const [separator, source] = arg as [string, unknown];
          return String(this.resolve(stack, source)).split(separator);
        }
        default:
          if (fn.startsWith('Fn::')) throw new Error(`intrinsic ${fn} is not supported by the local runtime`);
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(stack, v)]));
  }

  private resource(stack: StackTemplate, logicalId: string) {
    const resource = stack.template.Resources[logicalId];
    if (!resource) throw new Error(`${stack.stackName} has no resource '${logicalId}'`);
    return resource;
  }

  /** The deterministic local name of a resource: its own name property if set, else stack and logical id. */
  physicalName(stack: StackTemplate, logicalId: string): string {
    const resource = this.resource(stack, logicalId);
    const props = resource.Properties ?? {};
    const own = { 'AWS::DynamoDB::Table': 'TableName', 'AWS::S3::Bucket': 'BucketName', 'AWS::Lambda::Function': 'FunctionName', 'AWS::StepFunctions::StateMachine': 'StateMachineName' }[resource.Type];
    if (own && props[own] !== undefined) return String(this.resolve(stack, props[own]));
    const generated = `${stack.stackName}-${logicalId}`;
    return resource.Type === 'AWS::S3::Bucket' ? generated.toLowerCase().replace(/[^a-z0-9.-]/g, '-').slice(0, 63) : generated;
  }

  arn(stack: StackTemplate, logicalId: string): string {
    const name = this.physicalName(stack, logicalId);
    switch (this.resource(stack, logicalId).Type) {
      case 'AWS::DynamoDB::Table': return `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${name}`;
      case 'AWS::S3::Bucket': return `arn:aws:s3:::${name}`;
      case 'AWS::Lambda::Function': return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
      case 'AWS::StepFunctions::StateMachine': return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;
      default: return `arn:aws:local:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${logicalId}`;
    }
  }

  private ref(stack: StackTemplate, name: string): unknown {
    switch (name) {
      case 'AWS::Region': return LOCAL_REGION;
      case 'AWS::AccountId': return LOCAL_ACCOUNT;
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return stack.stackName;
      case 'AWS::NoValue': return undefined;
    }
    const type = this.resource(stack, name).Type;
    if (type === 'AWS::StepFunctions::StateMachine') return this.arn(stack, name);
    if (['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::Lambda::Function'].includes(type)) return this.physicalName(stack, name);
    return `local-${name}`;
  }

  private getAtt(stack: StackTemplate, logicalId: string, attribute: string): unknown {
    if (attribute === 'Arn') return this.arn(stack, logicalId);
    if (attribute === 'Name') return this.physicalName(stack, logicalId);
    return `local-${logicalId}-${attribute}`;
  }

  private sub(stack: StackTemplate, arg: unknown): string {
    const [text, variables] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}];
    return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (name in variables) return String(this.resolve(stack, variables[name]));
      if (name.includes('.') && !name.startsWith('AWS::')) {
        const [id, attribute] = name.split('.');
        return String(this.getAtt(stack, id!, attribute!));
      }
      return String(this.ref(stack, name));
    });
  }
}
