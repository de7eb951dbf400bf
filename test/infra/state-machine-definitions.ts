import { createRequire } from 'node:module';
import type { CfnResource } from './template-queries';

// asl-validator 4 is CommonJS (`module.exports = validator`) and ships no type declarations.
type AslValidator = (definition: unknown) => { isValid: boolean; errorsText: (separator?: string) => string };
export const validateAsl = createRequire(import.meta.url)('asl-validator') as AslValidator;

export interface Retrier { ErrorEquals: string[]; IntervalSeconds?: number; BackoffRate?: number; MaxAttempts?: number }
export interface Catcher { ErrorEquals: string[]; Next: string }
export interface ChoiceRule { Variable?: string; Next: string; [comparison: string]: unknown }
export interface State {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Next?: string;
  Retry?: Retrier[];
  Catch?: Catcher[];
  Choices?: ChoiceRule[];
  Default?: string;
  TimeoutSecondsPath?: string;
  Error?: string;
}
export interface Definition { StartAt: string; States: Record<string, State> }

export const placeholderArn = (logicalId: string) => `arn:aws:lambda:us-east-1:123456789012:function:${logicalId}`;

/**
 * Turns a synthesized `DefinitionString` into plain ASL: each function ARN (`Fn::GetAtt [id, Arn]`) becomes a
 * placeholder ARN named by the function's logical id, and the partition becomes `aws`. Anything else is refused, so a
 * new intrinsic in the definition shows up here instead of as a silently wrong ARN.
 */
export function resolveDefinition(value: unknown, resources: Record<string, CfnResource>): string {
  if (typeof value === 'string') return value;
  const v = (value ?? {}) as Record<string, unknown>;
  const join = v['Fn::Join'];
  if (Array.isArray(join)) return (join[1] as unknown[]).map((part) => resolveDefinition(part, resources)).join(String(join[0]));
  const att = v['Fn::GetAtt'];
  if (Array.isArray(att) && att[1] === 'Arn' && resources[String(att[0])]?.Type === 'AWS::Lambda::Function') return placeholderArn(String(att[0]));
  if (v.Ref === 'AWS::Partition') return 'aws';
  throw new Error(`unexpected intrinsic in the definition: ${JSON.stringify(value)}`);
}

/** The plain ASL of a state machine resource of the template. */
export const definitionOf = (machine: CfnResource, resources: Record<string, CfnResource>): Definition =>
  JSON.parse(resolveDefinition(machine.Properties?.DefinitionString, resources)) as Definition;
