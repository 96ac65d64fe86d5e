/**
 * What a compiled definition needs before it runs on moto, and nothing else:
 * EMR Serverless and S3 getObject tasks become `sqs:sendMessage.waitForTaskToken`
 * messages answered by the worker (worker.ts) — and so do `states:startExecution` tasks, `$$.Execution.StartTime` becomes
 * `$$.State.EnteredTime` (see README.md: moto gaps), waits shrink to nothing and retry
 * intervals to a second (moto waits in real time), and Map states run one item at a time.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
 */
import type { StateMachineDefinition } from '../../src/index.ts';

type Json = Record<string, unknown>;

/** The optimized Step Functions integration that starts another execution (a join's downstream start). */
export const STATES_START_EXECUTION = 'arn:aws:states:::states:startExecution';

/**
 * Resources the worker answers: EMR Serverless (moto's interpreter has no such integration),
 * `aws-sdk:s3:getObject` (moto hands the ASL the response stream instead of the text) and
 * `states:startExecution` (moto passes its PascalCase parameters to botocore as they are:
 * `States.Runtime` "KeyError 'StateMachineArn'").
 */
export function isWorkerResource(resource: unknown): resource is string {
  return (
    typeof resource === 'string' &&
    (/^arn:aws:states:::emr-serverless:startJobRun(\.sync)?$/.test(resource) ||
      resource.startsWith('arn:aws:states:::aws-sdk:emrserverless:') ||
      resource === 'arn:aws:states:::aws-sdk:s3:getObject' ||
      resource.startsWith('arn:aws:states:::aws-sdk:sfn:') ||
      resource.startsWith('arn:aws:states:::aws-sdk:ssm:') ||
      resource === STATES_START_EXECUTION)
  );
}

export interface RewriteOptions {
  /** URL of the SQS queue the EMR worker polls. */
  queueUrl: string;
  /** Literal strings to replace everywhere (e.g. DataSync task ARNs named in specs → moto's). */
  replace?: Map<string, string>;
}

/** The moto variant of a definition with placeholders already substituted. */
export function forMoto(definition: StateMachineDefinition, options: RewriteOptions): StateMachineDefinition {
  // moto gap: its $$.Execution.StartTime is a Python datetime, not the ISO string AWS gives
  // (string intrinsics fail with States.Runtime, DynamoDB writes cannot serialize it).
  let text = JSON.stringify(definition).split('$$.Execution.StartTime').join('$$.State.EnteredTime');
  for (const [from, to] of options.replace ?? []) text = text.split(from).join(to);
  const copy = JSON.parse(text) as Json;
  rewriteStates(copy.States as Record<string, Json>, options);
  return copy as unknown as StateMachineDefinition;
}

function rewriteStates(states: Record<string, Json>, options: RewriteOptions): void {
  for (const state of Object.values(states)) {
    if (state.Type === 'Task' && isWorkerResource(state.Resource)) {
      state.Parameters = {
        QueueUrl: options.queueUrl,
        MessageBody: { resource: state.Resource, 'token.$': '$$.Task.Token', 'execution.$': '$$.Execution.Id', 'state.$': '$$.State.Name', input: state.Parameters ?? {} },
      };
      state.Resource = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
    }
    if (state.Type === 'Wait') {
      for (const k of ['SecondsPath', 'Timestamp', 'TimestampPath']) delete state[k];
      state.Seconds = 0;
    }
    for (const retrier of (state.Retry as Json[] | undefined) ?? []) {
      retrier.IntervalSeconds = 1;
      retrier.BackoffRate = 1;
      delete retrier.MaxDelaySeconds;
      delete retrier.JitterStrategy;
    }
    // One iteration at a time: task calls come in the simulator's order, and one DataSync task never runs twice at once.
    if (state.Type === 'Map' && state.MaxConcurrency !== undefined) state.MaxConcurrency = 1;
    const processor = (state.ItemProcessor ?? state.Iterator) as Json | undefined;
    if (processor) rewriteStates(processor.States as Record<string, Json>, options);
    for (const branch of (state.Branches as Json[] | undefined) ?? []) rewriteStates(branch.States as Record<string, Json>, options);
  }
}

/** State name → Resource of every Task state, Map and Parallel bodies included. */
export function taskResources(definition: StateMachineDefinition): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (states: Record<string, Json>): void => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task') out.set(name, String(state.Resource));
      const processor = (state.ItemProcessor ?? state.Iterator) as Json | undefined;
      if (processor) walk(processor.States as Record<string, Json>);
      for (const branch of (state.Branches as Json[] | undefined) ?? []) walk(branch.States as Record<string, Json>);
    }
  };
  walk((definition as unknown as Json).States as Record<string, Json>);
  return out;
}

/**
 * The states of every polling loop: a cycle of states (by `Next`, `Default`, `Choices` and `Catch`) with a
 * `Wait` in it, Map and Parallel bodies included. How often such a loop goes round depends on when the
 * service it polls answers done (moto's DataSync at once, the simulator's after its simulated transfer), so
 * the states entered are compared without them.
 */
export function pollingStates(definition: StateMachineDefinition): Set<string> {
  const out = new Set<string>();
  const scope = (states: Record<string, Json>): void => {
    const next = (s: Json): string[] =>
      [s.Next, s.Default, ...((s.Choices as Json[] | undefined) ?? []).map((c) => c.Next), ...((s.Catch as Json[] | undefined) ?? []).map((c) => c.Next)].filter((n): n is string => typeof n === 'string');
    // A state is on a cycle through a Wait when that Wait reaches it and it reaches the Wait.
    const reach = (from: string): Set<string> => {
      const seen = new Set<string>();
      const todo = [...next(states[from]!)];
      while (todo.length) {
        const n = todo.pop()!;
        if (seen.has(n) || !states[n]) continue;
        seen.add(n);
        todo.push(...next(states[n]!));
      }
      return seen;
    };
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Wait') {
        const fromWait = reach(name);
        if (!fromWait.has(name)) continue;
        for (const s of fromWait) if (reach(s).has(name)) out.add(s);
      }
      const processor = (state.ItemProcessor ?? state.Iterator) as Json | undefined;
      if (processor) scope(processor.States as Record<string, Json>);
      for (const branch of (state.Branches as Json[] | undefined) ?? []) scope(branch.States as Record<string, Json>);
    }
  };
  scope((definition as unknown as Json).States as Record<string, Json>);
  return out;
}
