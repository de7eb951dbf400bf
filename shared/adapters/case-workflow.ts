import {
  DescribeExecutionCommand, ExecutionAlreadyExists, ExecutionDoesNotExist, type SFNClient, SendTaskSuccessCommand,
  StartExecutionCommand, TaskDoesNotExist, TaskTimedOut,
} from '@aws-sdk/client-sfn';

/** Where the execution of one case generation stands: still working, never started, or over (how and when). */
export type WorkflowExecution =
  | { state: 'running' }
  | { state: 'missing' }
  | { state: 'ended'; status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED'; stoppedAt: string; error?: string };

/** The case workflow as the use cases see it: start one for a case, see whether it lives, and finish a wait on a case. */
export interface CaseWorkflow {
  start(caseId: string, generation: number): Promise<void>;
  describe(caseId: string, generation: number): Promise<WorkflowExecution>;
  completeWait(token: string, output: { caseId: string }): Promise<'completed' | 'gone'>;
}

/** The generation tells an execution apart from a newer one for the same case, which supersedes it. */
export const workflowInput = (caseId: string, generation: number) => ({ caseId, generation });

/**
 * One execution per case and generation. The name makes a repeated start harmless: Step Functions Standard returns
 * the running execution for the same name and input, and refuses a finished one, which is what we want too.
 */
export const executionName = (caseId: string, generation: number) => `${caseId}-g${generation}`;

export class StepFunctionsCaseWorkflow implements CaseWorkflow {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: () => string,
    /** The execution's input (another workflow of the same kind, such as a person's, names its subject otherwise). */
    private readonly inputOf: (id: string, generation: number) => Record<string, unknown> = workflowInput,
  ) {}

  async start(caseId: string, generation: number) {
    try {
      await this.sfn.send(new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn(),
        name: executionName(caseId, generation),
        input: JSON.stringify(this.inputOf(caseId, generation)),
      }));
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  async describe(caseId: string, generation: number): Promise<WorkflowExecution> {
    // An execution's ARN is its state machine's with `execution` for `stateMachine` and the name appended.
    const executionArn = `${this.stateMachineArn().replace(':stateMachine:', ':execution:')}:${executionName(caseId, generation)}`;
    try {
      const execution = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
      const status = execution.status;
      // A failed execution waiting to be redriven is not over yet; nor is one whose status went unreported.
      if (status === 'RUNNING' || status === 'PENDING_REDRIVE' || status === undefined) return { state: 'running' };
      return {
        state: 'ended', status, stoppedAt: (execution.stopDate ?? new Date()).toISOString(), ...(execution.error ? { error: execution.error } : {}),
      };
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return { state: 'missing' };
      throw error;
    }
  }

  async completeWait(token: string, output: { caseId: string }) {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
      return 'completed';
    } catch (error) {
      // The wait already ended (timed out into an escalation, or the execution was replaced): nothing to finish.
      if (error instanceof TaskDoesNotExist || error instanceof TaskTimedOut) return 'gone';
      throw error;
    }
  }
}
