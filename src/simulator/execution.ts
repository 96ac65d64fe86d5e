/**
 * Runs one execution in `aws-local-stepfunctions`: installs a handler per Task state
 * name that dispatches on the state's `Resource`, sets all waits and retry intervals
 * to zero real time while advancing the execution's simulated clock, and turns the
 * library's event log into timeline entries.
 * @see https://github.com/nibble-4bits/aws-local-stepfunctions#readme
 */
import './polyfill.ts';
import './jsonpath-scalars.ts';
import { ExecutionAbortedError, ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import type { Retrier, StateMachineDefinition, WaitState } from '../asl/types.ts';
import { runnerDefinition, type DefinitionIndex } from './definition.ts';
import { taskError } from './errors.ts';
import { readPath } from './input-transformer.ts';
import { evaluateTemplate, type EvalContext } from './payload.ts';
import type { TaskHandler } from './services/types.ts';
import type { ExecutionStatus, Fault, TimelineEntry, Trigger } from './types.ts';

/** One execution of a simulated state machine. */
export interface Execution {
  ref: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  arn: string;
  input: unknown;
  trigger: Trigger;
  status: ExecutionStatus | 'PENDING';
  output: unknown;
  error: string | null;
  cause: string | null;
  startTime: number;
  stopTime: number | null;
  /** Simulated now of this execution, epoch milliseconds. */
  clock: number;
  transitions: number;
  faultCalls: Map<string, number>;
  /** For a failed execution: the first state that raised the error it ended with (a Fail state re-raising a caught error names the state it came from). */
  failedState?: string;
}

export interface CompiledMachine {
  ref: string;
  definition: StateMachineDefinition;
  index: DefinitionIndex;
  runner: StateMachine;
}

export interface RunEnvironment {
  services: Record<string, TaskHandler>;
  faults: Record<string, Fault>;
  delays: Record<string, number>;
  timeline: (entry: Omit<TimelineEntry, 'time' | 'workflow' | 'execution'>, at: number) => void;
  /**
   * Resolves when this execution's task may act at its simulated now: the simulator
   * lets the execution with the earliest clock act first, so a run reads what
   * others wrote at earlier simulated times only.
   */
  gate: () => Promise<void>;
  /** Deterministic sequence for `States.UUID` and `States.MathRandom`. */
  next: () => number;
}

/** Simulated seconds a call takes when the scenario gives no delay. */
const DEFAULT_SECONDS: Record<string, number> = {
  'arn:aws:states:::emr-serverless:startJobRun.sync': 300,
};

/**
 * Runners by definition text: the library's validation (asl-validator) compiles its JSON schemas on
 * every call, ~120 ms a definition, so each definition is built and validated once per process.
 */
const runners = new Map<string, { runner: StateMachine; validated: boolean }>();

/** Definition texts known to pass the library's validation (kept across processes by the CLI, src/cli/asl-verdicts.ts). */
export interface ValidDefinitions {
  has(text: string): boolean;
  add(text: string): void;
}

export function compileMachine(ref: string, definition: StateMachineDefinition, index: DefinitionIndex, validate: boolean, known?: ValidDefinitions): CompiledMachine {
  const key = JSON.stringify(definition);
  let cached = runners.get(key);
  if (!cached) {
    const runnable = runnerDefinition(structuredClone(definition));
    cached = { runner: new StateMachine(runnable as never, { validationOptions: { noValidate: true } }), validated: false };
    runners.set(key, cached);
  }
  if (validate && !cached.validated) {
    if (!known?.has(key)) {
      // The validator mutates what it checks: validate a copy. It throws on an invalid definition.
      new StateMachine(structuredClone(definition) as never);
      known?.add(key);
    }
    cached.validated = true;
  }
  return { ref, definition, index, runner: cached.runner };
}

/** Each state's wait and retry interval as none (simulated time passes in the event log instead), once per machine. */
const zeros = new WeakMap<DefinitionIndex, Record<string, number>>();
function zeroWaits(index: DefinitionIndex): Record<string, number> {
  let zero = zeros.get(index);
  if (!zero) zeros.set(index, (zero = Object.fromEntries([...index.states.keys()].map((n) => [n, 0]))));
  return zero;
}

const macrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function runExecution(machine: CompiledMachine, exec: Execution, env: RunEnvironment): Promise<void> {
  const { index, definition } = machine;
  const timeoutMs = definition.TimeoutSeconds ? definition.TimeoutSeconds * 1000 : undefined;
  let timedOut = false;
  let abort = (): void => {};
  const checkTimeout = (): void => {
    if (timeoutMs !== undefined && !timedOut && exec.clock - exec.startTime > timeoutMs) {
      timedOut = true;
      exec.clock = exec.startTime + timeoutMs;
      abort();
    }
  };

  const startIso = new Date(exec.startTime).toISOString();
  // `$$.State.RetryCount` and `EnteredTime`: from the event log (a retry does not enter the state again).
  const retries = new Map<string, number>();
  const enteredAt = new Map<string, number>();
  const evalContext = (state: string, entered: number, task?: { Token: string }): EvalContext => ({
    context: {
      Execution: {
        Id: exec.arn,
        Name: exec.name,
        StartTime: startIso,
        SimulatedStartTime: startIso,
        Input: exec.input,
        SimulatedInput: exec.input,
        RoleArn: `arn:aws:iam::123456789012:role/${exec.stateMachineName}`,
        RedriveCount: 0,
      },
      StateMachine: { Id: exec.stateMachineArn, Name: exec.stateMachineName },
      State: { Name: state, EnteredTime: new Date(enteredAt.get(state) ?? entered).toISOString(), RetryCount: retries.get(state) ?? 0 },
      ...(task ? { Task: task } : {}),
    },
    next: env.next,
  });

  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  // Map iterations (and Parallel branches) call tasks concurrently: one task of this
  // execution acts at a time, so it waits for its turn only once.
  let turn: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(f: () => Promise<T>): Promise<T> => {
    const r = turn.then(f);
    turn = r.catch(() => undefined);
    return r;
  };
  for (const [name, task] of index.tasks) {
    handlers[name] = (rawInput) => oneAtATime(async () => {
      // Let the event log catch up so the clock already holds this state's entry.
      await macrotask();
      // Only callback tasks have `$$.Task.Token` (AWS: "available only … with .waitForTaskToken").
      const token = task.Resource.endsWith('.waitForTaskToken') ? { Token: `${exec.arn}/${name}/${env.next()}` } : undefined;
      const ctx = evalContext(name, exec.clock, token);
      const input = task.Parameters ? evaluateTemplate(task.Parameters, rawInput, ctx) : rawInput;
      const fault = env.faults[name];
      const used = exec.faultCalls.get(name) ?? 0;
      const failing = fault !== undefined && (fault.times === 'always' || used < (fault.times ?? 1));
      // A failing call takes only the scenario's delay; a service's typical duration applies to calls that go through.
      const seconds = env.delays[name] ?? (failing ? 0 : (DEFAULT_SECONDS[task.Resource] ?? 0));
      exec.clock += seconds * 1000;
      checkTimeout();
      // Timed out during the call: the execution is over, and its call neither waits for its turn nor reaches the service.
      if (timedOut) throw taskError('States.Timeout', 'The execution timed out during this call (simulated)');
      if (task.TimeoutSeconds !== undefined && seconds > task.TimeoutSeconds) {
        throw taskError('States.Timeout', `Task timed out after ${task.TimeoutSeconds} seconds (simulated)`);
      }
      if (failing) {
        exec.faultCalls.set(name, used + 1);
        throw taskError(fault.error, fault.cause ?? `Simulated fault ${used + 1} of state "${name}"`);
      }
      const service = env.services[task.Resource];
      if (!service) throw taskError('States.Runtime', `The simulator has no emulation of ${task.Resource}`);
      await env.gate();
      const result = await service({ resource: task.Resource, input, stateName: name, executionArn: exec.arn, now: exec.clock });
      return task.ResultSelector ? evaluateTemplate(task.ResultSelector, result, ctx) : result;
    });
  }
  for (const [name, pass] of index.passes) {
    const readsClock = index.clockPasses.has(name);
    handlers[name] = async (input) => {
      if (readsClock) await macrotask();
      if (pass.Parameters) return evaluateTemplate(pass.Parameters, input, evalContext(name, exec.clock));
      return 'Result' in pass ? structuredClone(pass.Result) : input;
    };
  }
  const zero = zeroWaits(index);

  exec.status = 'RUNNING';
  const run = machine.runner.run(exec.input as never, {
    overrides: { taskResourceLocalHandlers: handlers as never, waitTimeOverrides: zero, retryIntervalOverrides: zero },
    context: {
      Execution: {
        Id: exec.arn,
        Name: exec.name,
        RoleArn: `arn:aws:iam::123456789012:role/${exec.stateMachineName}`,
        RedriveCount: 0,
        SimulatedStartTime: new Date(exec.startTime).toISOString(),
        SimulatedInput: exec.input as never,
      },
      StateMachine: { Id: exec.stateMachineArn, Name: exec.stateMachineName },
    },
  });
  abort = run.abort;

  const lastError = new Map<string, { error: string; cause: unknown }>();
  const failures: { state: string; error: string }[] = [];
  const consume = (async () => {
    for await (const ev of run.eventLogs) {
      // Past the timeout the execution is over: the library, whose waits take no real time, may already have gone
      // on to the next states before the abort lands; on AWS they are never entered.
      if (timedOut || !('state' in ev)) continue;
      const state = ev.state.name;
      const stateType = index.states.get(state)?.Type ?? ev.state.type;
      const base = { state, stateType, ...('index' in ev && ev.index !== undefined ? { details: { iteration: ev.index } } : {}) };
      switch (ev.type) {
        case 'StateEntered': {
          exec.transitions++;
          retries.set(state, 0);
          enteredAt.set(state, exec.clock);
          const wait = index.waits.get(state);
          if (wait) {
            const until = waitUntil(wait, ev.state.input, exec.clock);
            env.timeline({ ...base, kind: 'entered', details: { ...base.details, seconds: (until - exec.clock) / 1000 } }, exec.clock);
            exec.clock = until;
            checkTimeout();
          } else env.timeline({ ...base, kind: 'entered' }, exec.clock);
          break;
        }
        case 'StateExited':
          env.timeline({ ...base, kind: 'succeeded' }, exec.clock);
          break;
        case 'StateFailed':
          lastError.set(state, { error: ev.Error, cause: ev.Cause });
          failures.push({ state, error: ev.Error });
          env.timeline({ ...base, kind: 'failed', details: { ...base.details, error: ev.Error, cause: String(ev.Cause) } }, exec.clock);
          break;
        case 'StateRetried':
          retries.set(state, ev.retry.attempt);
          exec.clock += backoffMs(ev.retry.retrier as Retrier, ev.retry.attempt);
          checkTimeout();
          if (!timedOut) env.timeline({ ...base, kind: 'retried', details: { ...base.details, attempt: ev.retry.attempt } }, exec.clock);
          break;
        case 'StateCaught':
          env.timeline({ ...base, kind: 'caught', details: { ...base.details, error: lastError.get(state)?.error, next: ev.catch.catcher.Next } }, exec.clock);
          break;
      }
    }
  })();

  try {
    exec.output = await run.result;
    exec.status = 'SUCCEEDED';
  } catch (error) {
    if (error instanceof ExecutionAbortedError) {
      exec.status = timedOut ? 'TIMED_OUT' : 'ABORTED';
      if (timedOut) {
        exec.error = 'States.Timeout';
        exec.cause = `The execution ran longer than its TimeoutSeconds (${definition.TimeoutSeconds}).`;
      }
    } else {
      const inner = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : (error as Error);
      exec.status = 'FAILED';
      exec.error = inner.name;
      exec.cause = inner.message;
    }
  }
  await consume;
  if (exec.status === 'FAILED') exec.failedState = (failures.find((f) => f.error === exec.error) ?? failures.at(-1))?.state;
  exec.stopTime = exec.clock;
}

/** Simulated end of a Wait state entered at `now` with `input`. */
export function waitUntil(wait: WaitState, rawInput: unknown, now: number): number {
  const input = wait.InputPath ? readPath(rawInput, wait.InputPath) : rawInput;
  if (wait.Seconds !== undefined) return now + wait.Seconds * 1000;
  if (wait.SecondsPath) return now + Number(readPath(input, wait.SecondsPath) ?? 0) * 1000;
  const stamp = wait.Timestamp ?? (wait.TimestampPath ? String(readPath(input, wait.TimestampPath)) : undefined);
  const at = stamp ? Date.parse(stamp) : NaN;
  return Number.isNaN(at) ? now : Math.max(now, at);
}

/** Retry interval before attempt `attempt` (1-based), without jitter. */
export function backoffMs(retrier: Retrier, attempt: number): number {
  const seconds = (retrier.IntervalSeconds ?? 1) * Math.pow(retrier.BackoffRate ?? 2, Math.max(0, attempt - 1));
  return Math.min(seconds, retrier.MaxDelaySeconds ?? Infinity) * 1000;
}
