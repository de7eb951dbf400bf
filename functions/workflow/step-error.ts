/**
 * An error a workflow's state machine catches by name (CaseNotFound, PersonNotFound, InvalidStepInput); anything else
 * a step throws is retried by the task's Retry policy.
 */
export class StepError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}
