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
