/**
 * Errors of the operator commands. Each carries a stable code and the exit code
 * the CLI should return (2 for usage errors, 1 otherwise), so the command layer
 * prints `message` and exits without inspecting the text.
 */
export type OpsErrorCode =
  | 'USAGE'
  | 'UNKNOWN_USE_CASE'
  | 'UNKNOWN_WORKFLOW'
  | 'QUARANTINED'
  | 'STATE_MACHINE_NOT_FOUND'
  | 'NO_FREE_EXECUTION_NAME'
  | 'MANIFEST_MISSING'
  | 'MANIFEST_INVALID'
  | 'EXECUTION_NOT_FOUND'
  | 'DEPLOYED_STACKS_UNREADABLE';

const USAGE_CODES: ReadonlySet<OpsErrorCode> = new Set(['USAGE', 'UNKNOWN_USE_CASE', 'UNKNOWN_WORKFLOW']);

export class OpsError extends Error {
  override readonly name = 'OpsError';
  readonly exitCode: 1 | 2;

  constructor(
    readonly code: OpsErrorCode,
    message: string,
  ) {
    super(message);
    this.exitCode = USAGE_CODES.has(code) ? 2 : 1;
  }
}

/** The error name of an AWS SDK v3 service exception (`ExecutionAlreadyExists`, …). */
export function awsErrorName(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'name' in err && typeof err.name === 'string') return err.name;
  return undefined;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
