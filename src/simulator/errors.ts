/**
 * Errors raised to the state machine. `aws-local-stepfunctions` matches an error's
 * `name` against `ErrorEquals` and reports `message` as the `Cause` of a Catch
 * output (and `cause` in history events), so both carry the cause text.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
export class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause, { cause });
    this.name = name;
  }
}

/** An error named like the real integration reports it (`DynamoDB.ConditionalCheckFailedException`). */
export function taskError(name: string, cause: string): TaskError {
  return new TaskError(name, cause);
}

/**
 * The simulation would run more executions than its limit (`maxExecutions`, a guard
 * against rules that start each other in a loop): raised before anything runs when the
 * scenario's own starts and schedules already pass it, else when the limit is reached.
 * `exitCode` 1: the CLI prints the message, without a stack.
 */
export class SimulationLimitError extends Error {
  readonly exitCode = 1;
  constructor(
    readonly limit: number,
    /**
     * Executions the scenario queued before anything ran (starts and schedule fires), when that is what passed the
     * limit; `'more'` when the simulator stopped queueing there (a window of years never queues all its fires).
     */
    readonly queued?: number | 'more',
  ) {
    super(limitMessage(limit, queued));
    this.name = 'SimulationLimitError';
  }
}

function limitMessage(limit: number, queued: number | 'more' | undefined): string {
  const max = limit.toLocaleString('en-US');
  if (queued === undefined) {
    return `The simulation passed ${max} executions, its limit: do rules start each other in a loop? (Raise the limit with --max-executions when the scenario really runs that many.)`;
  }
  const what = '(its starts and the schedules over its window)';
  const starts = queued === 'more' ? `more than the simulator's limit of ${max} executions ${what}` : `${queued.toLocaleString('en-US')} executions ${what}, more than the simulator's limit of ${max}`;
  return `The scenario starts ${starts}, before anything it triggers: simulate a part of the platform (--use-case NAME, repeatable), a shorter window (a scenario file), or raise the limit (--max-executions N).`;
}
