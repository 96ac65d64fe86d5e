/**
 * Static facts about a state machine definition, gathered once per machine: the Task
 * and Wait states at every depth (Map item processors, Parallel branches) and the
 * DynamoDB key attributes its tasks use. State names are unique across a whole state
 * machine in Step Functions, so a name identifies a state.
 * @see https://states-language.net/spec.html
 */
import type { PassState, State, StateMachineDefinition, TaskState, WaitState } from '../asl/types.ts';
import { faithfulChoice } from './choice.ts';

export interface DefinitionIndex {
  tasks: Map<string, TaskState>;
  /** Pass states: the simulator evaluates them (see `runnerDefinition`). */
  passes: Map<string, PassState>;
  /** The Pass states whose `Parameters` read `$$.State` (the state's entered time): evaluated once the clock holds it. */
  clockPasses: Set<string>;
  waits: Map<string, WaitState>;
  /** Every state by name (for the timeline: its type). */
  states: Map<string, State>;
  /** DynamoDB table → key attribute names (partition key first, as `Key` parameters list them). */
  keySchemas: Record<string, string[]>;
}

/**
 * Thrown for a definition the simulator cannot run faithfully: `aws-local-stepfunctions`
 * ignores `"QueryLanguage": "JSONata"` and would evaluate its states as JSONPath.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */
export class UnsupportedDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedDefinitionError';
  }
}

export function indexDefinition(definition: StateMachineDefinition): DefinitionIndex {
  if ((definition as { QueryLanguage?: string }).QueryLanguage === 'JSONata') {
    throw new UnsupportedDefinitionError('The simulator runs JSONPath definitions only; this one sets "QueryLanguage": "JSONata"');
  }
  const index: DefinitionIndex = { tasks: new Map(), passes: new Map(), clockPasses: new Set(), waits: new Map(), states: new Map(), keySchemas: {} };
  const visit = (states: Record<string, State>): void => {
    for (const [name, state] of Object.entries(states)) {
      if (index.states.has(name)) throw new Error(`State name "${name}" is used twice; Step Functions requires unique state names`);
      index.states.set(name, state);
      if ((state as { QueryLanguage?: string }).QueryLanguage === 'JSONata') {
        throw new UnsupportedDefinitionError(`State "${name}" sets "QueryLanguage": "JSONata"; the simulator runs JSONPath states only`);
      }
      if (state.Type === 'Task') {
        index.tasks.set(name, state);
        const p = state.Parameters ?? {};
        if (state.Resource.startsWith('arn:aws:states:::dynamodb:') && typeof p.TableName === 'string' && isObject(p.Key)) {
          index.keySchemas[p.TableName] = Object.keys(p.Key);
        }
      } else if (state.Type === 'Pass') {
        index.passes.set(name, state);
        if (JSON.stringify(state.Parameters ?? null).includes('$$.State')) index.clockPasses.add(name);
      }
      else if (state.Type === 'Wait') index.waits.set(name, state);
      else if (state.Type === 'Map') visit(state.ItemProcessor.States);
      else if (state.Type === 'Parallel') for (const branch of state.Branches) visit(branch.States);
    }
  };
  visit(definition.States);
  return index;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `aws-local-stepfunctions` sets `$$.Execution.StartTime` to the wall clock and
 * `$$.Execution.Input` to a Map iteration's item inside item processors. Paths to them
 * are pointed at context fields the simulator fills with the simulated start time and
 * the execution's real input.
 */
export function rewriteContextPaths<T>(definition: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return v
        .replace(/\$\$\.Execution\.StartTime(?![A-Za-z0-9_])/g, '$$$$.Execution.SimulatedStartTime')
        .replace(/\$\$\.Execution\.Input(?![A-Za-z0-9_])/g, '$$$$.Execution.SimulatedInput');
    }
    if (Array.isArray(v)) return v.map(walk);
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(definition) as T;
}

/** Resource of the Task states that stand in for Pass states in the runner's definition. */
export const PASS_RESOURCE = 'arn:aws:states:::lakestep-simulator:pass';

/**
 * The definition `aws-local-stepfunctions` runs: Task states without `Parameters` and
 * `ResultSelector`, Pass states turned into Task states of `PASS_RESOURCE` (keeping
 * `InputPath`, `ResultPath`, `OutputPath`, `Next`/`End`), and Choice rules rewritten to
 * evaluate as in AWS (see choice.ts). The simulator's task handlers
 * evaluate the payload templates themselves (see payload.ts); the library still does
 * the control flow, InputPath, ResultPath, OutputPath, Retry and Catch.
 */
export function runnerDefinition<T>(definition: T): T {
  const rewriteStates = (states: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(states).map(([name, s]) => [name, rewriteState(s as State)]));
  const rewriteState = (state: State): unknown => {
    if (state.Type === 'Task') {
      const { Parameters: _p, ResultSelector: _r, ...rest } = state;
      return rest;
    }
    if (state.Type === 'Pass') {
      const { Parameters: _p, Result: _r, Type: _t, ...rest } = state;
      return { ...rest, Type: 'Task', Resource: PASS_RESOURCE };
    }
    if (state.Type === 'Choice') return faithfulChoice(state as never);
    if (state.Type === 'Map') return { ...state, ItemProcessor: { ...state.ItemProcessor, States: rewriteStates(state.ItemProcessor.States) } };
    if (state.Type === 'Parallel') return { ...state, Branches: state.Branches.map((b) => ({ ...b, States: rewriteStates(b.States) })) };
    return state;
  };
  const d = definition as unknown as StateMachineDefinition;
  return { ...d, States: rewriteStates(d.States as Record<string, unknown>) } as unknown as T;
}
