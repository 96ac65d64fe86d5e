/**
 * Static facts about a state machine definition, gathered once per machine: the Task
 * and Wait states at every depth (Map item processors, Parallel branches) and the
 * DynamoDB key attributes its tasks use. State names are unique across a whole state
 * machine in Step Functions, so a name identifies a state.
 * @see https://states-language.net/spec.html
 */
import type { State, StateMachineDefinition, TaskState, WaitState } from '../asl/types.ts';

export interface DefinitionIndex {
  tasks: Map<string, TaskState>;
  waits: Map<string, WaitState>;
  /** Every state by name (for the timeline: its type). */
  states: Map<string, State>;
  /** DynamoDB table → key attribute names, from the `Key` parameters of its tasks. */
  keySchemas: Record<string, string[]>;
}

export function indexDefinition(definition: StateMachineDefinition): DefinitionIndex {
  const index: DefinitionIndex = { tasks: new Map(), waits: new Map(), states: new Map(), keySchemas: {} };
  const visit = (states: Record<string, State>): void => {
    for (const [name, state] of Object.entries(states)) {
      if (index.states.has(name)) throw new Error(`State name "${name}" is used twice; Step Functions requires unique state names`);
      index.states.set(name, state);
      if (state.Type === 'Task') {
        index.tasks.set(name, state);
        const p = state.Parameters ?? {};
        if (state.Resource.startsWith('arn:aws:states:::dynamodb:') && typeof p.TableName === 'string' && isObject(p.Key)) {
          index.keySchemas[p.TableName] = Object.keys(p.Key).sort();
        }
      } else if (state.Type === 'Wait') index.waits.set(name, state);
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
