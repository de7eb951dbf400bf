import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRescueApp } from '#infra/rescue-app';
import { AWAITED_STATUS, WORKFLOW_PHASES } from '#shared/domain/disposal';
import { type Definition, definitionOf, placeholderArn, type State, validateAsl } from './state-machine-definitions';
import { asArray, type CfnResource, expectLike, referencedId, resourceById, resourcesOf } from './template-queries';

const WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** The step name the case-steps function is asked to run, whether invoked directly or through lambda:invoke. */
const stepOf = (state: State) => {
  const params = state.Parameters ?? {};
  return (params.step ?? (params.Payload as Record<string, unknown> | undefined)?.step) as string | undefined;
};

/** Where in a Parameters object a field is bound (`name.$`) to the given path. */
function pathsBoundTo(parameters: unknown, boundPath: string, at = ''): string[] {
  if (parameters === null || typeof parameters !== 'object') return [];
  return Object.entries(parameters as Record<string, unknown>).flatMap(([key, value]) => (key.endsWith('.$') && value === boundPath
    ? [`${at}${key}`]
    : pathsBoundTo(value, boundPath, `${at}${key}.`)));
}

let machine: CfnResource;
let resources: Record<string, CfnResource>;
let definition: Definition;

beforeAll(() => {
  const { stateless } = buildRescueApp({ skipBundling: true });
  const template = Template.fromStack(stateless);
  resources = resourcesOf(template);
  machine = resourceById(template, stateless.getLogicalId(stateless.caseWorkflow.stateMachine.node.defaultChild as CfnStateMachine));
  definition = definitionOf(machine, resources);
});

const statesOf = () => Object.entries(definition.States);
const stateNamed = (name: string | undefined): State => {
  const state = name === undefined ? undefined : definition.States[name];
  if (!state) throw new Error(`no state named ${String(name)}`);
  return state;
};
const findStep = (step: string) => {
  const found = statesOf().filter(([, s]) => s.Type === 'Task' && stepOf(s) === step);
  expect(found.map(([name]) => name), `Task states running step '${step}'`).toHaveLength(1);
  return found[0]!;
};

describe('case workflow state machine', () => {
  it('is a Standard workflow that logs everything and is traced', () => {
    expectLike(machine.Properties, {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: {
        Level: 'ALL',
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } }],
      },
      TracingConfiguration: { Enabled: true },
    });
    const logGroupId = referencedId(machine.Properties?.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn);
    expect(resources[logGroupId ?? '']?.Type).toBe('AWS::Logs::LogGroup');
  });

  it('calls only functions defined in the stack', () => {
    const arns = JSON.stringify(definition).match(/arn:aws:lambda:[^"]*/g) ?? [];
    expect(arns.length).toBeGreaterThan(0);
    for (const arn of arns) {
      const id = arn.slice(placeholderArn('').length);
      expect(resources[id]?.Type, arn).toBe('AWS::Lambda::Function');
    }
  });

  it('starts by loading the case and then routes on the phase its recorded status puts it in', () => {
    const [loadName, load] = findStep('load');
    expect(definition.StartAt).toBe(loadName);
    const router = stateNamed(load.Next);
    expect(router.Type).toBe('Choice');
    for (const rule of router.Choices ?? []) expect(rule.Variable).toBe('$.phase');
    // Every phase phaseOf can return is routed somewhere; an unknown one fails loudly instead of ending quietly.
    expect((router.Choices ?? []).map((rule) => rule.StringEquals).sort()).toEqual([...WORKFLOW_PHASES].sort());
    expect(stateNamed(router.Default).Type).toBe('Fail');
    const routedTo = (phase: string) => stateNamed(router.Choices?.find((rule) => rule.StringEquals === phase)?.Next);
    expect(routedTo('superseded').Type).toBe('Succeed');
    expect(routedTo('done').Type).toBe('Succeed');
    expect(stepOf(routedTo('triage'))).toBe('triage');
    expect(stepOf(routedTo('dispose'))).toBe('dispose');
  });

  // Each wait, what it waits on, and the step its deadline leads to.
  const WAITS: [phase: keyof typeof AWAITED_STATUS, state: string, onDeadline: string][] = [
    ['await_verification', 'AwaitVerification', 'expire'],
    ['await_acknowledgement', 'AwaitAcknowledgement', 'escalate'],
    ['await_arrival', 'AwaitArrival', 'overdue'],
    ['await_outcome', 'AwaitOutcome', 'overdue'],
    ['await_intake', 'AwaitIntake', 'overdue'],
    ['await_discharge', 'AwaitDischarge', 'overdue'],
    ['await_revisit', 'AwaitRevisit', 'revisit'],
  ];

  it('has exactly one task-token wait per awaiting phase', () => {
    const waits = statesOf().filter(([, s]) => s.Resource === WAIT_FOR_TOKEN).map(([name]) => name);
    expect(waits.sort()).toEqual(WAITS.map(([, state]) => state).sort());
  });

  it.each(WAITS)('%s: %s holds a task token until the stored deadline, then runs %s', (phase, stateName, onDeadline) => {
    const wait = stateNamed(stateName);
    expect(pathsBoundTo(wait.Parameters, '$$.Task.Token'), 'no parameter is bound to $$.Task.Token').not.toEqual([]);
    expect((wait.Parameters?.Payload as Record<string, unknown>).status).toBe(AWAITED_STATUS[phase]);
    expect(wait.TimeoutSecondsPath).toBe('$.waitSeconds');
    // The wait keeps its input (the case and the execution's generation) for the next LoadCase.
    expect((wait as { ResultPath?: unknown }).ResultPath).toBeNull();
    const [stepName] = findStep(onDeadline);
    const onTimeout = (wait.Catch ?? []).filter((c) => c.ErrorEquals.includes('States.Timeout'));
    expect(onTimeout.map((c) => c.Next)).toEqual([stepName]);
    const [loadName, load] = findStep('load');
    expect(wait.Next).toBe(loadName);
    // A resumed execution must be able to get back into the wait from the router.
    expect(stateNamed(load.Next).Choices?.find((rule) => rule.StringEquals === phase)?.Next).toBe(stateName);
  });

  it('sends every step that changes the case straight back to the router with the phase it left the case in', () => {
    const [, load] = findStep('load');
    for (const step of ['alert', 'escalate', 'expire', 'overdue', 'dispose', 'revisit']) {
      expect(findStep(step)[1].Next, step).toBe(load.Next);
    }
    expect(stateNamed(findStep('triage')[1].Next)).toBe(findStep('alert')[1]);
  });

  it('passes the execution generation to every step, so a superseded execution changes nothing', () => {
    for (const [name, state] of statesOf().filter(([, s]) => s.Type === 'Task')) {
      expect(pathsBoundTo(state.Parameters, '$.generation'), name).not.toEqual([]);
    }
  });

  it('retries every Task state', () => {
    const tasks = statesOf().filter(([, s]) => s.Type === 'Task');
    expect(tasks.length).toBeGreaterThan(0);
    for (const [name, task] of tasks) {
      const retrying = asArray(task.Retry).filter((r) => (r.MaxAttempts ?? 3) > 0);
      expect(retrying.length, `${name} has no retrier that retries`).toBeGreaterThan(0);
    }
  });

  it('is valid Amazon States Language', () => {
    // The validator writes defaults (QueryLanguage) into what it is given.
    const result = validateAsl(structuredClone(definition));
    expect(result.isValid, result.errorsText('\n')).toBe(true);
  });
});
