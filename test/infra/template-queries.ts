import { Match, type Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';

/** One resource of a synthesized template; property bags stay loose because CloudFormation's shapes vary by type. */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, any>;
  Metadata?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: string[];
}

export function resourcesOf(template: Template): Record<string, CfnResource> {
  return template.toJSON().Resources as Record<string, CfnResource>;
}

export function resourcesOfType(template: Template, type: string): [string, CfnResource][] {
  return Object.entries(resourcesOf(template)).filter(([, r]) => r.Type === type);
}

export function resourceById(template: Template, logicalId: string): CfnResource {
  const resource = resourcesOf(template)[logicalId];
  if (!resource) throw new Error(`template has no resource '${logicalId}'`);
  return resource;
}

/** `Match.objectLike` against one value, failing with the matcher's own explanation of the mismatch. */
export function expectLike(actual: unknown, pattern: Record<string, unknown>, label = ''): void {
  const result = Match.objectLike(pattern).test(actual);
  expect(result.hasFailed(), result.hasFailed() ? `${label} ${result.renderMismatch()}`.trim() : label).toBe(false);
}

/** The logical id a `{ Ref }` or `{ Fn::GetAtt }` points at, or undefined for anything else. */
export function referencedId(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref;
  const att = v['Fn::GetAtt'];
  if (Array.isArray(att) && typeof att[0] === 'string') return att[0];
  return undefined;
}

/**
 * Flattens an `Fn::Join` (or a plain string) with every `Ref` shown as `${Name}` and every `Fn::GetAtt` as
 * `${Name.Attribute}`, e.g. `https://x.${AWS::Region}/${Pool}`.
 */
export function joinedWithRefs(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.Ref === 'string') return `\${${v.Ref}}`;
    const att = v['Fn::GetAtt'];
    if (Array.isArray(att)) return `\${${att.join('.')}}`;
    const join = v['Fn::Join'];
    if (Array.isArray(join)) return (join[1] as unknown[]).map(joinedWithRefs).join(String(join[0]));
  }
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
