/**
 * What an emulated service sees of one task invocation.
 */
export interface TaskCall {
  /** The task's `Resource` after placeholder substitution. */
  resource: string;
  /** The effective parameters (after InputPath, Parameters, paths and intrinsic functions). */
  input: unknown;
  /** State name, for the timeline. */
  stateName: string;
  /** Execution the call belongs to. */
  executionArn: string;
  /** Simulated time of the call, epoch milliseconds. */
  now: number;
}

/** One emulated integration: the result the task state receives, or a thrown `TaskError`. */
export type TaskHandler = (call: TaskCall) => unknown | Promise<unknown>;

export function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
