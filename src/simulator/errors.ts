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
