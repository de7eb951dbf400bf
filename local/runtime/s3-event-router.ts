import { randomUUID } from 'node:crypto';
import type { S3Event } from '#local/engines/s3-local';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '#local/template/intrinsics';
import type { LocalModel } from '#local/template/local-model';
import type { LambdaHost } from './lambda-host';

/** Lambda's asynchronous invocation retries a failed event twice, with a pause between attempts. */
const ASYNC_RETRIES = 2;
const RETRY_DELAY_MS = 1000;

/** Does an EventBridge pattern match an event? The subset our rules use: exact values, prefix, nested objects. */
export function matchesPattern(pattern: unknown, value: unknown): boolean {
  // EventBridge matches an array in the event if any of its elements matches.
  if (Array.isArray(value)) return value.some((element) => matchesPattern(pattern, element));
  if (Array.isArray(pattern)) {
    return pattern.some((candidate) => {
      if (candidate !== null && typeof candidate === 'object') {
        const rule = candidate as Record<string, unknown>;
        if (typeof rule.prefix === 'string') return typeof value === 'string' && value.startsWith(rule.prefix);
        if (typeof rule.suffix === 'string') return typeof value === 'string' && value.endsWith(rule.suffix);
        if (rule.exists !== undefined) return (value !== undefined) === rule.exists;
        return false;
      }
      return candidate === value;
    });
  }
  if (pattern !== null && typeof pattern === 'object') {
    if (value === null || typeof value !== 'object') return false;
    return Object.entries(pattern as Record<string, unknown>)
      .every(([key, sub]) => matchesPattern(sub, (value as Record<string, unknown>)[key]));
  }
  return pattern === value;
}

/**
 * Hands objects that land in a local bucket to the functions the cloud would trigger: the bucket sends
 * "Object Created" to EventBridge, and the template's rules pick the targets.
 */
export class S3EventRouter {
  constructor(private readonly model: LocalModel, private readonly lambdas: LambdaHost, private readonly log: (line: string) => void) {}

  deliver(event: S3Event): void {
    for (const record of event.Records) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      const bucket = this.model.buckets.find((b) => b.name === record.s3.bucket.name);
      if (!bucket?.eventBridge) continue;
      const detail = {
        version: '0',
        bucket: { name: record.s3.bucket.name },
        // EventBridge carries the key decoded, unlike S3's own notifications.
        object: { key: decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')), size: record.s3.object.size, etag: record.s3.object.eTag, sequencer: record.s3.object.sequencer },
        'request-id': randomUUID(),
        requester: LOCAL_ACCOUNT,
        reason: record.eventName === 'ObjectCreated:Post' ? 'PostObject' : record.eventName === 'ObjectCreated:Copy' ? 'CopyObject' : 'PutObject',
      };
      const bridged = {
        version: '0', id: randomUUID(), 'detail-type': 'Object Created', source: 'aws.s3', account: LOCAL_ACCOUNT,
        time: record.eventTime, region: LOCAL_REGION, resources: [`arn:aws:s3:::${record.s3.bucket.name}`], detail,
      };
      for (const rule of this.model.eventRules) {
        if (!matchesPattern(rule.pattern, bridged)) continue;
        for (const target of rule.targetArns) void this.invokeWithRetries(target, bridged, rule.logicalId);
      }
    }
  }

  private async invokeWithRetries(target: string, event: unknown, rule: string) {
    for (let attempt = 0; attempt <= ASYNC_RETRIES; attempt += 1) {
      try {
        await this.lambdas.invoke(target, event);
        return;
      } catch (error) {
        this.log(`[s3-events] ${rule} → ${target} failed (attempt ${attempt + 1}): ${(error as Error).message}`);
        if (attempt < ASYNC_RETRIES) await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * (attempt + 1)));
      }
    }
  }
}
