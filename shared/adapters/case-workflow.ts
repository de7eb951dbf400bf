import {
  ExecutionAlreadyExists, type SFNClient, SendTaskSuccessCommand, StartExecutionCommand, TaskDoesNotExist, TaskTimedOut,
} from '@aws-sdk/client-sfn';

/** The case workflow as the use cases see it: start one for a case, and finish a wait on a case. */
export interface CaseWorkflow {
  start(caseId: string, generation: number): Promise<void>;
  completeWait(token: string, output: { caseId: string }): Promise<'completed' | 'gone'>;
}

export const workflowInput = (caseId: string) => ({ caseId });

/**
 * One execution per case and generation. The name makes a repeated start harmless: Step Functions Standard returns
 * the running execution for the same name and input, and refuses a finished one, which is what we want too.
 */
export const executionName = (caseId: string, generation: number) => `${caseId}-g${generation}`;

export class StepFunctionsCaseWorkflow implements CaseWorkflow {
  constructor(private readonly sfn: SFNClient, private readonly stateMachineArn: () => string) {}

  async start(caseId: string, generation: number) {
    try {
      await this.sfn.send(new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn(),
        name: executionName(caseId, generation),
        input: JSON.stringify(workflowInput(caseId)),
      }));
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
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
