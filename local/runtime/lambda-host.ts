import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { LocalFunction } from '#local/template/local-model';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** A function timed out, as Lambda reports it. */
export class LambdaTimeout extends Error {
  override name = 'Sandbox.Timedout';
}

/**
 * Runs the functions of the template in this process: the same handler modules the CDK bundles, imported from
 * their entry files, each call given a Lambda-like context and cut off at the function's timeout.
 */
export class LambdaHost {
  private readonly handlers = new Map<string, Promise<Handler>>();

  constructor(private readonly functions: Map<string, LocalFunction>, private readonly repoRoot: string) {}

  /**
   * The environment the functions run with. Locally they share one process, so a variable two functions set to
   * different values would be a silent bug: it is refused instead.
   */
  static environmentOf(functions: Iterable<LocalFunction>): Record<string, string> {
    const merged: Record<string, string> = {};
    for (const fn of functions) {
      for (const [name, value] of Object.entries(fn.environment)) {
        if (name in merged && merged[name] !== value) {
          throw new Error(`functions disagree on ${name} ('${merged[name]}' vs '${value}' in ${fn.name}); the local runtime shares one environment`);
        }
        merged[name] = value;
      }
    }
    return merged;
  }

  definition(functionArn: string): LocalFunction {
    const fn = this.functions.get(functionArn) ?? [...this.functions.values()].find((f) => f.name === functionArn);
    if (!fn) throw new Error(`no local function ${functionArn}`);
    return fn;
  }

  async invoke(functionArn: string, event: unknown): Promise<unknown> {
    const fn = this.definition(functionArn);
    const handler = await this.load(fn);
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    const requestId = randomUUID();
    const context = {
      awsRequestId: requestId,
      functionName: fn.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: fn.arn,
      memoryLimitInMB: '512',
      logGroupName: `/aws/lambda/${fn.name}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    } satisfies Context;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LambdaTimeout(`${fn.name} timed out after ${fn.timeoutSeconds} s (request ${requestId})`)), fn.timeoutSeconds * 1000);
    });
    try {
      return await Promise.race([handler(event, context), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Imports every handler now, so a broken module shows at start-up rather than on the first request. */
  async loadAll(): Promise<void> {
    await Promise.all([...this.functions.values()].map((fn) => this.load(fn)));
  }

  private load(fn: LocalFunction): Promise<Handler> {
    let loading = this.handlers.get(fn.entry);
    if (!loading) {
      loading = import(pathToFileURL(path.join(this.repoRoot, fn.entry)).href).then((module) => {
        const handler = module[fn.handlerExport];
        if (typeof handler !== 'function') throw new Error(`${fn.entry} does not export '${fn.handlerExport}'`);
        return handler as Handler;
      });
      this.handlers.set(fn.entry, loading);
    }
    return loading;
  }
}
