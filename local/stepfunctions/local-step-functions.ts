import '#local/stepfunctions/polyfills';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type RunOptions,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';

/**
 * A local Step Functions service (Standard workflows) around the aws-local-stepfunctions interpreter.
 * It adds what the interpreter lacks: the service API (executions, idempotent starts, stop), real task-token
 * callbacks (.waitForTaskToken, SendTaskSuccess/Failure/Heartbeat, HeartbeatSeconds) and AWS's task defaults.
 */

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /**
   * State transitions so far, as Standard workflows bill them: one for every state entered (the start state, a
   * Choice, a Succeed or Fail, each state inside a Map or Parallel) and one more for every Retry that re-enters a
   * state. Not an AWS field; final once the status has left RUNNING.
   */
  stateTransitions: number;
}

export type ExecutionListItem = Pick<
  ExecutionDescription,
  'executionArn' | 'stateMachineArn' | 'name' | 'status' | 'startDate' | 'stopDate'
>;

export interface LocalStepFunctionsOptions {
  /** Runs the Lambda handler behind a function name or ARN with a JSON payload; a thrown error's `name` is its errorType. */
  invokeLambda: (functionArn: string, payload: unknown) => Promise<unknown>;
  /** Handlers for other Task resources, keyed by the exact Resource ARN (including any .sync/.waitForTaskToken suffix). */
  serviceIntegrations?: Record<string, (params: unknown) => Promise<unknown>>;
  /** Multiplies fixed durations in the definitions (see registerStateMachine); below 1 runs workflows faster. */
  timeScale?: number;
  log?: (msg: string) => void;
  onExecutionEnd?: (execution: ExecutionDescription) => void;
}

export interface RegisterStateMachineOptions {
  /** What `$$.Execution.RoleArn` resolves to. */
  roleArn?: string;
}

/** An error of the Step Functions API, carrying the AWS error code the SDK turns into `err.name`. */
export class SfnServiceError extends Error {
  readonly httpStatus = 400;

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type Run = ReturnType<StateMachine['run']>;

// Node's setTimeout fires after 1 ms for anything above 2^31-1 ms, and the interpreter uses plain setTimeout.
const MAX_TIMER_MS = 2_147_483_647;
const MAX_TIMER_SECONDS = Math.floor(MAX_TIMER_MS / 1000);
// Added to a task's Parameters so the interpreter and our handlers see TimeoutSecondsPath/HeartbeatSecondsPath
// resolved against the state input (AWS semantics); the handlers strip them before calling anything.
const TIMEOUT_PARAM = '__localSfnTimeoutSeconds';
const HEARTBEAT_PARAM = '__localSfnHeartbeatSeconds';
const MAX_LIST_RESULTS = 1000;
const DEFAULT_LIST_RESULTS = 100;

const LAMBDA_FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/;
const LAMBDA_INVOKE = /^arn:aws[a-z-]*:states:::lambda:invoke$/;
const LAMBDA_INVOKE_CALLBACK = /^arn:aws[a-z-]*:states:::lambda:invoke\.waitForTaskToken$/;
const STATE_MACHINE_ARN = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):stateMachine:([A-Za-z0-9_-]{1,80})$/;
// AWS refuses whitespace, brackets, wildcards, these punctuation marks and control characters in names.
const INVALID_NAME_CHARS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

type TaskKind = 'lambda-function' | 'lambda-invoke' | 'callback' | 'integration';

interface TaskPlan {
  stateName: string;
  resource: string;
  kind: TaskKind;
  /** For 'callback' and 'integration': what starts the work with the task's parameters. */
  start?: (params: Json) => Promise<unknown>;
  /** Fixed, already scaled. Undefined when the state has none or takes it from a path. */
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

interface StateMachineBlueprint {
  arn: string;
  name: string;
  partition: string;
  region: string;
  account: string;
  roleArn: string;
  machine: StateMachine;
  tasks: Map<string, TaskPlan>;
  waitOverridesMs: Record<string, number>;
  /** Parallel/Map state name → every Task state nested anywhere inside it. */
  nestedTasks: Map<string, Set<string>>;
}

interface ExecutionRecord extends ExecutionDescription {
  abort: () => void;
  openTokens: Set<string>;
  /** Resolves with null when the execution ends; every task result races it (see taskHandlers). */
  ended: Promise<null>;
  release: () => void;
}

interface OpenTask {
  token: string;
  execution: ExecutionRecord;
  stateName: string;
  openedAt: number;
  heartbeatMs?: number;
  heartbeatTimer?: NodeJS.Timeout;
  deadlineTimer?: NodeJS.Timeout;
  resolve: (output: Json) => void;
  reject: (error: Error) => void;
}

export class LocalStepFunctions {
  onExecutionEnd?: (execution: ExecutionDescription) => void;

  private readonly invokeLambda: LocalStepFunctionsOptions['invokeLambda'];
  private readonly serviceIntegrations: Record<string, (params: unknown) => Promise<unknown>>;
  private readonly timeScale: number;
  private readonly log: (msg: string) => void;
  private readonly stateMachines = new Map<string, StateMachineBlueprint>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly openTasks = new Map<string, OpenTask>();
  // Tokens whose task ended: AWS answers TaskTimedOut for them rather than TaskDoesNotExist.
  private readonly closedTokens = new Set<string>();
  // What the interpreter puts at $$.Task.Token; each callback task swaps it for its own fresh token.
  private readonly tokenPlaceholder = `LOCAL_SFN_TASK_TOKEN_${randomUUID()}`;

  constructor(options: LocalStepFunctionsOptions) {
    const timeScale = options.timeScale ?? 1;
    if (!Number.isFinite(timeScale) || timeScale <= 0) {
      throw new Error(`timeScale must be a positive number, got ${timeScale}`);
    }
    this.invokeLambda = options.invokeLambda;
    this.serviceIntegrations = options.serviceIntegrations ?? {};
    this.timeScale = timeScale;
    this.log = options.log ?? (() => {});
    this.onExecutionEnd = options.onExecutionEnd;
  }

  /**
   * Validates a plain ASL definition and prepares it to run. Time scaling applies to fixed durations only:
   * Wait `Seconds`, task `TimeoutSeconds` and `HeartbeatSeconds`, Retry `IntervalSeconds` and `MaxDelaySeconds`,
   * and the machine's `TimeoutSeconds`, which may become fractional seconds (the interpreter accepts them once
   * validation has passed on the original).
   * Values read through paths (SecondsPath, TimestampPath, TimeoutSecondsPath, HeartbeatSecondsPath) come from
   * our handlers, which compute them already scaled, so they are used as they are.
   */
  registerStateMachine(arn: string, definition: object, options: RegisterStateMachineOptions = {}): void {
    const arnParts = STATE_MACHINE_ARN.exec(arn);
    if (!arnParts) throw new Error(`Not a state machine ARN: ${arn}`);
    const [, partition = 'aws', region = '', account = '', name = ''] = arnParts;

    // Throws with the validator's findings; the patched copy below is not re-validated.
    new StateMachine(definition as StateMachineDefinition);

    const patched = structuredClone(definition) as JsonObject;
    const tasks = new Map<string, TaskPlan>();
    const waitOverridesMs: Record<string, number> = {};
    const nestedTasks = new Map<string, Set<string>>();
    const seen = new Set<string>();

    walkStates(patched, (stateName, state, enclosing) => {
      if (seen.has(stateName)) {
        throw new Error(`State name "${stateName}" is used twice in ${arn}; local handlers are keyed by state name`);
      }
      seen.add(stateName);
      if (state['Type'] === 'Parallel' || state['Type'] === 'Map') nestedTasks.set(stateName, new Set());
      if (state['Type'] === 'Wait' && typeof state['Seconds'] === 'number') {
        waitOverridesMs[stateName] = this.scaledMs(state['Seconds']);
      }
      if (Array.isArray(state['Retry'])) this.scaleRetryIntervals(state['Retry']);
      if (state['Type'] !== 'Task') return;
      for (const outer of enclosing) nestedTasks.get(outer)?.add(stateName);
      tasks.set(stateName, this.planTask(stateName, state));
    });
    if (typeof patched['TimeoutSeconds'] === 'number') {
      patched['TimeoutSeconds'] = this.scaledSeconds(patched['TimeoutSeconds']);
    }

    const machine = new StateMachine(patched as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });
    const roleArn = options.roleArn ?? `arn:${partition}:iam::${account}:role/${name}-local`;
    this.stateMachines.set(arn, {
      arn, name, partition, region, account, roleArn, machine, tasks, waitOverridesMs, nestedTasks,
    });
    if ([...tasks.values()].some((task) => task.kind === 'callback')) void heartbeatTimeoutErrorClass();
  }

  async startExecution(request: {
    stateMachineArn: string;
    name?: string;
    input?: string;
  }): Promise<{ executionArn: string; startDate: Date }> {
    const blueprint = this.stateMachines.get(request.stateMachineArn);
    if (!blueprint) {
      throw new SfnServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${request.stateMachineArn}'`);
    }
    const name = request.name ?? randomUUID();
    if (name.length < 1 || name.length > 80 || INVALID_NAME_CHARS.test(name)) {
      throw new SfnServiceError('InvalidName', `Invalid Name: '${name}'`);
    }
    const input = request.input ?? '{}';
    let parsedInput: Json;
    try {
      parsedInput = JSON.parse(input) as Json;
    } catch {
      throw new SfnServiceError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${input}'`);
    }

    const executionArn = `arn:${blueprint.partition}:states:${blueprint.region}:${blueprint.account}:execution:${blueprint.name}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // Standard workflows: the same name and input while running is the same request, answered the same way.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: existing.startDate };
      }
      throw new SfnServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }

    let release = () => {};
    const ended = new Promise<null>((resolve) => {
      release = () => resolve(null);
    });
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: blueprint.arn,
      name,
      status: 'RUNNING',
      startDate: new Date(),
      input,
      abort: () => {},
      openTokens: new Set(),
      ended,
      release,
      stateTransitions: 0,
    };
    this.executions.set(executionArn, record);
    this.log(`[sfn] ${blueprint.name}/${name} started`);

    const run = blueprint.machine.run(parsedInput, {
      overrides: {
        taskResourceLocalHandlers: this.taskHandlers(blueprint, record),
        waitTimeOverrides: blueprint.waitOverridesMs,
      },
      context: {
        Execution: {
          Id: executionArn,
          Name: name,
          StartTime: record.startDate.toISOString(),
          Input: parsedInput,
          RoleArn: blueprint.roleArn,
        },
        StateMachine: { Id: blueprint.arn, Name: blueprint.name },
        Task: { Token: this.tokenPlaceholder },
      },
    });
    record.abort = run.abort;
    // The first task starts inside run(); a Lambda that stopped its own execution there found no abort yet.
    if (record.status !== 'RUNNING') run.abort();
    const following = this.followEvents(blueprint, record, run.eventLogs).catch((error: unknown) => {
      this.log(`[sfn] ${name}: reading the interpreter's events failed: ${asError(error).message}`);
    });
    // The interpreter closes its event log as the result settles; finishing after the log is read makes the
    // transition count final by the time anyone sees the execution end.
    run.result.then(
      (output) => following.then(() => this.finish(record, { status: 'SUCCEEDED', output: JSON.stringify(output ?? null) })),
      (error: unknown) => following.then(() => this.finish(record, executionFailure(error))),
    );
    return { executionArn, startDate: record.startDate };
  }

  async describeExecution(request: { executionArn: string }): Promise<ExecutionDescription> {
    return describe(this.execution(request.executionArn));
  }

  async listExecutions(request: {
    stateMachineArn: string;
    statusFilter?: ExecutionStatus;
    maxResults?: number;
    nextToken?: string;
  }): Promise<{ executions: ExecutionListItem[]; nextToken?: string }> {
    if (!this.stateMachines.has(request.stateMachineArn)) {
      throw new SfnServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${request.stateMachineArn}'`);
    }
    const maxResults = request.maxResults || DEFAULT_LIST_RESULTS;
    if (maxResults < 0 || maxResults > MAX_LIST_RESULTS) {
      throw new SfnServiceError('ValidationException', `maxResults must be between 0 and ${MAX_LIST_RESULTS}`);
    }
    const offset = request.nextToken ? decodePageToken(request.nextToken, request.stateMachineArn) : 0;
    // Newest first, as AWS lists them; insertion order breaks ties between starts in the same millisecond.
    const matching = [...this.executions.values()]
      .filter((e) => e.stateMachineArn === request.stateMachineArn)
      .filter((e) => !request.statusFilter || e.status === request.statusFilter)
      .reverse()
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
    const page = matching.slice(offset, offset + maxResults).map(({ executionArn, stateMachineArn, name, status, startDate, stopDate }) =>
      withoutUndefined({ executionArn, stateMachineArn, name, status, startDate, stopDate }),
    );
    const nextOffset = offset + maxResults;
    return withoutUndefined({
      executions: page,
      nextToken: nextOffset < matching.length ? encodePageToken(request.stateMachineArn, nextOffset) : undefined,
    });
  }

  async stopExecution(request: { executionArn: string; error?: string; cause?: string }): Promise<{ stopDate: Date }> {
    const record = this.execution(request.executionArn);
    if (record.status === 'RUNNING') {
      this.finish(record, { status: 'ABORTED', error: request.error, cause: request.cause });
      record.abort();
    }
    return { stopDate: record.stopDate ?? new Date() };
  }

  async sendTaskSuccess(request: { taskToken: string; output: string }): Promise<Record<string, never>> {
    const task = this.openTask(request.taskToken);
    let output: Json;
    try {
      output = JSON.parse(request.output) as Json;
    } catch {
      throw new SfnServiceError('InvalidOutput', `Invalid Output: '${request.output}'`);
    }
    this.closeTask(task, 'succeeded');
    task.resolve(output);
    return {};
  }

  async sendTaskFailure(request: { taskToken: string; error?: string; cause?: string }): Promise<Record<string, never>> {
    const task = this.openTask(request.taskToken);
    this.closeTask(task, 'failed');
    task.reject(namedError(request.error || 'States.TaskFailed', request.cause ?? ''));
    return {};
  }

  async sendTaskHeartbeat(request: { taskToken: string }): Promise<Record<string, never>> {
    const task = this.openTask(request.taskToken);
    this.armHeartbeat(task);
    return {};
  }

  /** Aborts every running execution (executions are in memory only; the runtime rebuilds them after a restart). */
  async close(): Promise<void> {
    for (const record of this.executions.values()) {
      if (record.status !== 'RUNNING') continue;
      this.finish(record, { status: 'ABORTED', error: 'States.Runtime', cause: 'The local Step Functions service was closed' });
      record.abort();
    }
  }

  private planTask(stateName: string, state: JsonObject): TaskPlan {
    const resource = String(state['Resource']);
    const parameters = asObject(state['Parameters']);
    const plan: TaskPlan = { stateName, resource, kind: 'integration' };

    if (LAMBDA_FUNCTION_ARN.test(resource)) {
      plan.kind = 'lambda-function';
    } else if (LAMBDA_INVOKE.test(resource)) {
      plan.kind = 'lambda-invoke';
    } else if (LAMBDA_INVOKE_CALLBACK.test(resource)) {
      plan.kind = 'callback';
      plan.start = (params) => this.callLambdaInvoke(params);
    } else if (this.serviceIntegrations[resource]) {
      const integration = this.serviceIntegrations[resource];
      plan.kind = resource.endsWith('.waitForTaskToken') ? 'callback' : 'integration';
      plan.start = (params) => integration(params);
    } else {
      throw new Error(
        `State "${stateName}" uses Resource "${resource}", which the local Step Functions service cannot run: ` +
          'pass a handler for it in the serviceIntegrations option',
      );
    }
    if (plan.kind === 'callback' && !parameters) {
      throw new Error(`State "${stateName}" waits for a task token but has no Parameters to pass $$.Task.Token in`);
    }

    if (typeof state['TimeoutSeconds'] === 'number') {
      plan.timeoutSeconds = this.scaledSeconds(state['TimeoutSeconds']);
      state['TimeoutSeconds'] = plan.timeoutSeconds;
    } else if (typeof state['TimeoutSecondsPath'] === 'string') {
      // The interpreter resolves TimeoutSecondsPath against the Parameters output, AWS against the state input.
      if (parameters) {
        parameters[`${TIMEOUT_PARAM}.$`] = state['TimeoutSecondsPath'];
        state['TimeoutSecondsPath'] = `$.${TIMEOUT_PARAM}`;
      }
    } else {
      // Standard workflows have no task timeout by default; the interpreter would otherwise use 60 s.
      state['TimeoutSeconds'] = MAX_TIMER_SECONDS;
    }

    if (typeof state['HeartbeatSeconds'] === 'number') {
      plan.heartbeatSeconds = this.scaledSeconds(state['HeartbeatSeconds']);
    } else if (typeof state['HeartbeatSecondsPath'] === 'string' && parameters) {
      parameters[`${HEARTBEAT_PARAM}.$`] = state['HeartbeatSecondsPath'];
    }
    if ('HeartbeatSeconds' in state || 'HeartbeatSecondsPath' in state) {
      aliasHeartbeatTimeout(state);
    }
    return plan;
  }

  /** Handlers for one execution, so each callback token knows the execution it belongs to. */
  private taskHandlers(blueprint: StateMachineBlueprint, record: ExecutionRecord): TaskHandlers {
    const handlers: TaskHandlers = {};
    for (const plan of blueprint.tasks.values()) {
      handlers[plan.stateName] = (input) => {
        // A Retry can re-enter a task after an abort; nothing may be invoked for an execution that has ended.
        if (record.status !== 'RUNNING') return null;
        // After an abort the interpreter still awaits the running task, and its timeout timer (up to 24.8 days)
        // keeps Node alive; settling every task when the execution ends lets it finish. The null goes nowhere.
        const result = Promise.race([this.runTask(plan, record, input as Json), record.ended]);
        // The interpreter drops this promise when it fails before racing it (a bad TimeoutSecondsPath value).
        result.catch(() => {});
        return result;
      };
    }
    return handlers;
  }

  private runTask(plan: TaskPlan, record: ExecutionRecord, input: Json): Promise<Json> {
    const inputObject = asObject(input);
    const timeoutSeconds = plan.timeoutSeconds ?? numberOrUndefined(inputObject?.[TIMEOUT_PARAM]);
    const heartbeatSeconds = plan.heartbeatSeconds ?? numberOrUndefined(inputObject?.[HEARTBEAT_PARAM]);
    const params = inputObject ? withoutKeys(inputObject, [TIMEOUT_PARAM, HEARTBEAT_PARAM]) : input;

    switch (plan.kind) {
      case 'lambda-function':
        return callSafely(() => this.invokeLambda(plan.resource, toJson(params))).then(toJson, (error: unknown) => {
          throw lambdaFunctionError(error);
        });
      case 'lambda-invoke':
        return this.callLambdaInvoke(params).then((payload) => ({
          ExecutedVersion: '$LATEST',
          Payload: payload,
          StatusCode: 200,
        }));
      case 'integration':
        return callSafely(() => plan.start!(params)).then(toJson);
      case 'callback':
        return this.waitForTaskToken(plan, record, params, timeoutSeconds, heartbeatSeconds);
    }
  }

  private callLambdaInvoke(params: Json): Promise<Json> {
    const request = asObject(params);
    const functionName = request?.['FunctionName'];
    if (typeof functionName !== 'string') {
      return Promise.reject(namedError('States.Runtime', 'lambda:invoke needs a FunctionName string in Parameters'));
    }
    const payload = request?.['Payload'] ?? {};
    return callSafely(() => this.invokeLambda(functionName, toJson(payload))).then(toJson, (error: unknown) => {
      throw lambdaFunctionError(error);
    });
  }

  private waitForTaskToken(
    plan: TaskPlan,
    record: ExecutionRecord,
    params: Json,
    timeoutSeconds: number | undefined,
    heartbeatSeconds: number | undefined,
  ): Promise<Json> {
    const token = randomBytes(48).toString('base64url');
    const task: OpenTask = {
      token, execution: record, stateName: plan.stateName, openedAt: Date.now(), resolve: () => {}, reject: () => {},
    };
    const promise = new Promise<Json>((resolve, reject) => Object.assign(task, { resolve, reject }));
    this.openTasks.set(token, task);
    record.openTokens.add(token);

    if (timeoutSeconds !== undefined) {
      // Armed synchronously, before the interpreter arms its own timer for the same delay, so the token is
      // already invalid when the interpreter raises States.Timeout.
      task.deadlineTimer = setTimeout(() => this.closeTask(task, 'timed out'), Math.min(timeoutSeconds * 1000, MAX_TIMER_MS));
    }
    if (heartbeatSeconds !== undefined) {
      task.heartbeatMs = Math.min(heartbeatSeconds * 1000, MAX_TIMER_MS);
      this.armHeartbeat(task);
    }

    const paramsWithToken = replacePlaceholder(params, this.tokenPlaceholder, token);
    // The starter's result is ignored: only SendTaskSuccess/Failure complete the task. Its failure fails the task.
    callSafely(() => plan.start!(paramsWithToken)).catch((error: unknown) => {
      if (!this.openTasks.has(token)) return;
      this.closeTask(task, 'failed to start');
      task.reject(asError(error));
    });
    return promise;
  }

  private armHeartbeat(task: OpenTask): void {
    if (task.heartbeatMs === undefined) return;
    clearTimeout(task.heartbeatTimer);
    task.heartbeatTimer = setTimeout(() => {
      this.closeTask(task, 'missed its heartbeat');
      void heartbeatTimeoutErrorClass().then((HeartbeatTimeout) => task.reject(new HeartbeatTimeout()));
    }, task.heartbeatMs);
  }

  private openTask(taskToken: string): OpenTask {
    if (typeof taskToken !== 'string' || taskToken.length === 0) {
      throw new SfnServiceError('InvalidToken', 'Invalid Token: taskToken is required');
    }
    const task = this.openTasks.get(taskToken);
    if (task) return task;
    if (this.closedTokens.has(taskToken)) {
      throw new SfnServiceError('TaskTimedOut', 'Task Timed Out: Provided task does not exist anymore');
    }
    throw new SfnServiceError('TaskDoesNotExist', 'Task Does Not Exist: Provided task token is unknown');
  }

  /** Makes a token invalid without settling its task; callers settle it when the task itself has an outcome. */
  private closeTask(task: OpenTask, reason: string): void {
    if (!this.openTasks.delete(task.token)) return;
    clearTimeout(task.deadlineTimer);
    clearTimeout(task.heartbeatTimer);
    task.execution.openTokens.delete(task.token);
    this.closedTokens.add(task.token);
    this.log(`[sfn] ${task.execution.name}/${task.stateName}: task token ${reason}`);
  }

  private closeAllTasksOf(record: ExecutionRecord, reason: string): void {
    for (const token of [...record.openTokens]) {
      const task = this.openTasks.get(token);
      if (task) this.closeTask(task, reason);
    }
  }

  /**
   * Reads the interpreter's event log: counts the state transitions, and settles abandoned callback tasks.
   * When a Parallel or Map state ends (a branch failed, a Catch moved on), the interpreter aborts its branches
   * and the tasks waiting inside them are abandoned. Tasks opened from that millisecond on may belong to a
   * Retry of the same state, so they are left alone. Settling them lets the aborted branch finish.
   */
  private async followEvents(blueprint: StateMachineBlueprint, record: ExecutionRecord, events: Run['eventLogs']): Promise<void> {
    for await (const event of events) {
      // Nested states of a Map or Parallel are forwarded to this log too, so they are counted as AWS counts them.
      if (event.type === 'StateEntered' || event.type === 'StateRetried') record.stateTransitions += 1;
      if (event.type !== 'StateExited' && event.type !== 'StateFailed') continue;
      const nested = blueprint.nestedTasks.get(event.state.name);
      if (!nested) continue;
      for (const token of [...record.openTokens]) {
        const task = this.openTasks.get(token);
        if (!task || !nested.has(task.stateName) || task.openedAt >= event.timestamp) continue;
        this.closeTask(task, `abandoned when ${event.state.name} ended`);
        task.resolve(null);
      }
    }
  }

  private finish(
    record: ExecutionRecord,
    outcome: { status: Exclude<ExecutionStatus, 'RUNNING'>; output?: string; error?: string; cause?: string },
  ): void {
    if (record.status !== 'RUNNING') return;
    Object.assign(record, withoutUndefined(outcome), { stopDate: new Date() });
    this.closeAllTasksOf(record, `ended with the execution (${outcome.status})`);
    record.release();
    const detail = outcome.error ? `: ${outcome.error} ${outcome.cause ?? ''}` : '';
    this.log(`[sfn] ${record.name} ${outcome.status}${detail}`);
    try {
      this.onExecutionEnd?.(describe(record));
    } catch (error) {
      this.log(`[sfn] onExecutionEnd threw: ${asError(error).message}`);
    }
  }

  private execution(executionArn: string): ExecutionRecord {
    const record = this.executions.get(executionArn);
    if (!record) throw new SfnServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return record;
  }

  /**
   * The interpreter sleeps IntervalSeconds × BackoffRate^n (capped at MaxDelaySeconds) between attempts, fractions
   * included; its retryIntervalOverrides would drop the backoff, so the retriers themselves are scaled.
   */
  private scaleRetryIntervals(retriers: Json[]): void {
    for (const retrier of retriers) {
      const rule = asObject(retrier);
      if (!rule) continue;
      // Written out when absent (AWS's default is 1 s), so the default scales like the others.
      rule['IntervalSeconds'] = this.scaledSeconds(typeof rule['IntervalSeconds'] === 'number' ? rule['IntervalSeconds'] : 1);
      if (typeof rule['MaxDelaySeconds'] === 'number') rule['MaxDelaySeconds'] = this.scaledSeconds(rule['MaxDelaySeconds']);
    }
  }

  private scaledSeconds(seconds: number): number {
    return Math.min(Math.max(seconds * this.timeScale, 0.001), MAX_TIMER_SECONDS);
  }

  private scaledMs(seconds: number): number {
    return Math.min(seconds * 1000 * this.timeScale, MAX_TIMER_MS);
  }
}

function walkStates(
  definition: JsonObject,
  visit: (stateName: string, state: JsonObject, enclosing: string[]) => void,
  enclosing: string[] = [],
): void {
  for (const [stateName, value] of Object.entries(asObject(definition['States']) ?? {})) {
    const state = asObject(value);
    if (!state) continue;
    visit(stateName, state, enclosing);
    const inner = [...enclosing, stateName];
    if (state['Type'] === 'Parallel' && Array.isArray(state['Branches'])) {
      for (const branch of state['Branches']) {
        const branchDefinition = asObject(branch);
        if (branchDefinition) walkStates(branchDefinition, visit, inner);
      }
    }
    if (state['Type'] === 'Map') {
      const processor = asObject(state['ItemProcessor']) ?? asObject(state['Iterator']);
      if (processor) walkStates(processor, visit, inner);
    }
  }
}

// AWS matches a heartbeat timeout with States.Timeout too; the interpreter matches names exactly.
function aliasHeartbeatTimeout(state: JsonObject): void {
  for (const field of ['Retry', 'Catch']) {
    const rules = state[field];
    if (!Array.isArray(rules)) continue;
    for (const rule of rules) {
      const errors = asObject(rule)?.['ErrorEquals'];
      if (Array.isArray(errors) && errors.includes('States.Timeout') && !errors.includes('States.HeartbeatTimeout')) {
        errors.push('States.HeartbeatTimeout');
      }
    }
  }
}

let heartbeatTimeoutClass: Promise<new () => Error> | undefined;

/**
 * The interpreter keeps States.TaskFailed from matching only instances of its (unexported) StatesTimeoutError,
 * as AWS does for timeouts. A heartbeat timeout must behave the same, so we borrow that class from a 1 ms probe.
 */
function heartbeatTimeoutErrorClass(): Promise<new () => Error> {
  heartbeatTimeoutClass ??= (async () => {
    const probe = new StateMachine(
      {
        StartAt: 'Probe',
        States: { Probe: { Type: 'Task', Resource: 'arn:aws:lambda:local:000000000000:function:probe', TimeoutSeconds: 0.001, End: true } },
      },
      { validationOptions: { noValidate: true } },
    );
    const run = probe.run(null, {
      overrides: { taskResourceLocalHandlers: { Probe: () => new Promise<never>(() => {}) } },
    });
    let StatesTimeoutError: new () => Error = Error;
    try {
      await run.result;
    } catch (error) {
      const cause = error instanceof ExecutionError ? error.cause : undefined;
      if (cause instanceof Error && cause.name === 'States.Timeout') {
        StatesTimeoutError = cause.constructor as new () => Error;
      }
    }
    return class HeartbeatTimeout extends StatesTimeoutError {
      constructor() {
        super();
        this.name = 'States.HeartbeatTimeout';
        this.message = 'The task did not send a heartbeat within HeartbeatSeconds';
      }
    };
  })();
  return heartbeatTimeoutClass;
}

function executionFailure(error: unknown): {
  status: Exclude<ExecutionStatus, 'RUNNING' | 'SUCCEEDED'>;
  error?: string;
  cause?: string;
} {
  if (error instanceof ExecutionAbortedError) return { status: 'ABORTED' };
  if (error instanceof ExecutionTimeoutError) {
    return { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution ran longer than its TimeoutSeconds' };
  }
  const cause = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : asError(error);
  return { status: 'FAILED', error: cause.name, cause: cause.message };
}

/**
 * Lambda reports a function error as errorType (the thrown error's name) plus a JSON cause; Step Functions
 * matches Retry/Catch on errorType and puts {errorMessage, errorType, trace} in Cause, so we do the same.
 */
function lambdaFunctionError(error: unknown): Error {
  const thrown = asError(error);
  const errorType = thrown.name || 'Error';
  const trace = (thrown.stack ?? '').split('\n').slice(1).map((line) => line.trim());
  return namedError(errorType, JSON.stringify({ errorMessage: thrown.message, errorType, trace }));
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function callSafely<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}

// Lambda payloads cross a JSON boundary in AWS: no shared references, Dates become strings, undefined is null.
function toJson(value: unknown): Json {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json);
}

function replacePlaceholder(value: Json, placeholder: string, token: string): Json {
  if (typeof value === 'string') return value.includes(placeholder) ? value.split(placeholder).join(token) : value;
  if (Array.isArray(value)) return value.map((item) => replacePlaceholder(item, placeholder, token));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replacePlaceholder(item, placeholder, token)]));
  }
  return value;
}

function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function numberOrUndefined(value: Json | undefined): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function withoutKeys(object: JsonObject, keys: string[]): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

function withoutUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

function describe(record: ExecutionRecord): ExecutionDescription {
  const { executionArn, stateMachineArn, name, status, startDate, stopDate, input, output, error, cause, stateTransitions } = record;
  return withoutUndefined({ executionArn, stateMachineArn, name, status, startDate, stopDate, input, output, error, cause, stateTransitions });
}

function encodePageToken(stateMachineArn: string, offset: number): string {
  return Buffer.from(JSON.stringify({ stateMachineArn, offset })).toString('base64url');
}

function decodePageToken(token: string, stateMachineArn: string): number {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { stateMachineArn?: unknown; offset?: unknown };
    if (decoded.stateMachineArn === stateMachineArn && Number.isInteger(decoded.offset) && (decoded.offset as number) >= 0) {
      return decoded.offset as number;
    }
  } catch {
    // Falls through to the AWS error below.
  }
  throw new SfnServiceError('InvalidToken', 'Invalid Token: nextToken was not issued for this listing');
}
