/**
 * Attempts of a run: the first is named after its logical date, the N-th `<name>_aN`.
 * What an operator start does with a run depends on its attempts: a run without one
 * starts; a running one is left alone; a finished one is skipped unless asked to
 * reprocess it (`failed`: when its latest attempt failed; `all`: always), which starts
 * the next attempt. Attempts are found with `DescribeExecution`, never by starting.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 */
import { executionArnOf } from '../naming.ts';
import { describeExisting, FAILED_STATUSES, type ExecutionApi, type ExecutionInfo } from '../starter/executions.ts';
import { attemptName, type PlannedRun } from './plan.ts';

export type Reprocess = 'none' | 'failed' | 'all';
export const REPROCESS: readonly Reprocess[] = ['none', 'failed', 'all'];

/** Highest attempt looked for (names up to `_a<MAX>`). */
export const MAX_ATTEMPTS = 100;

export type Decision =
  | { action: 'run'; attempt: number; name: string; because?: string }
  | { action: 'skip'; attempt: number; name: string; because: string; failed: boolean };

/** The existing attempts of a run, in order. */
export async function attemptsOf(api: ExecutionApi, machineArn: string, p: PlannedRun): Promise<ExecutionInfo[]> {
  const out: ExecutionInfo[] = [];
  for (let n = 1; n <= MAX_ATTEMPTS; n++) {
    const found = await api.describe(executionArnOf(machineArn, attemptName(p, n)));
    if (!found) return out;
    out.push(found);
  }
  return out;
}

/** What to do with a run given its attempts. */
export function decide(p: PlannedRun, attempts: readonly ExecutionInfo[], reprocess: Reprocess): Decision {
  const last = attempts.at(-1);
  const n = attempts.length;
  if (!last) return { action: 'run', attempt: 1, name: attemptName(p, 1) };
  const failed = FAILED_STATUSES.has(last.status);
  const name = attemptName(p, n);
  if (last.status === 'RUNNING') return { action: 'skip', attempt: n, name, because: describeExisting(last), failed: false };
  if (reprocess === 'all' || (reprocess === 'failed' && failed)) {
    return { action: 'run', attempt: n + 1, name: attemptName(p, n + 1), because: `attempt ${n} ${describeExisting(last).replace(/^already ran /, 'ran ')}` };
  }
  return { action: 'skip', attempt: n, name, because: describeExisting(last), failed };
}
