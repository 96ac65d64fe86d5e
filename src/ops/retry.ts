/**
 * `lakestep retry <use-case>/<dag> --execution NAME`: redrive a failed, timed-out or
 * aborted Standard execution from the state that failed. The execution keeps its name,
 * input and succeeded states (so its logical date and data interval stay those of the
 * run); only the failed and not yet run states run again. Step Functions refuses a
 * redrive of an execution that did not fail, that ended over 14 days ago, or that
 * already made 1,000 redrives; `DescribeExecution` says so beforehand (`redriveStatus`,
 * `redriveStatusReason`), so the command explains instead of failing on the call.
 *
 * A retry differs from `run --rerun`: that starts a new, named attempt of the whole run.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
 */
import { DescribeExecutionCommand, RedriveExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { isoSeconds } from './dates.ts';
import { awsErrorName, errorMessage, OpsError } from './errors.ts';
import { findExecution } from './logs.ts';
import type { WorkflowTarget } from './resolve.ts';

export interface RetryResult {
  ref: string;
  execution: string;
  executionArn: string;
  /** Status before the command. */
  status: string;
  redriven: boolean;
  /** Redrives of the execution after the command (1 after its first). */
  redriveCount: number;
  /** When this redrive started (ISO, seconds). */
  redriveDate?: string;
  /** Why it was not redriven. */
  reason?: string;
}

export async function retryExecution(client: SFNClient, target: WorkflowTarget, name: string): Promise<RetryResult> {
  const found = await findExecution(client, target, name);
  const d = await client.send(new DescribeExecutionCommand({ executionArn: found.executionArn }));
  const status = d.status ?? found.status;
  const base = { ref: target.ref, execution: found.name, executionArn: found.executionArn, status, redriveCount: d.redriveCount ?? 0 };
  const refused = (reason: string): RetryResult => ({ ...base, redriven: false, reason });
  if (status === 'RUNNING' || status === 'PENDING_REDRIVE') return refused(status === 'RUNNING' ? 'it is running' : 'a redrive of it is starting');
  if (status === 'SUCCEEDED') return refused(`it succeeded: \`lakestep run ${target.ref} --date <logical date> --rerun\` starts a new attempt`);
  if (d.redriveStatus === 'NOT_REDRIVABLE') return refused(`Step Functions cannot redrive it${d.redriveStatusReason ? `: ${d.redriveStatusReason}` : ''}`);
  // A later attempt of the same run (`run --rerun`, `backfill --reprocess`) took over from this one: redriven, this one
  // would run the date a second time beside it.
  const later = await laterAttempt(client, found.executionArn, found.name);
  if (later) return refused(`attempt ${later.attempt} of this run exists (${later.name}, ${later.status}): retry that one, or \`lakestep run ${target.ref} --date <logical date> --rerun\` starts the next`);
  try {
    const r = await client.send(new RedriveExecutionCommand({ executionArn: found.executionArn }));
    return { ...base, redriven: true, redriveCount: base.redriveCount + 1, ...(r.redriveDate ? { redriveDate: isoSeconds(r.redriveDate) } : {}) };
  } catch (err) {
    // Between the describe and the redrive the execution may have become unredrivable.
    if (awsErrorName(err) === 'ExecutionNotRedrivable') return refused(`Step Functions cannot redrive it: ${errorMessage(err)}`);
    if (awsErrorName(err) === 'ExecutionDoesNotExist') throw new OpsError('EXECUTION_NOT_FOUND', `${target.ref} has no execution "${name}"`);
    throw err;
  }
}

/** The attempt after `name` (`<run>_a<N+1>`), when Step Functions has it. */
async function laterAttempt(client: SFNClient, executionArn: string, name: string): Promise<{ attempt: number; name: string; status: string } | undefined> {
  const m = /^(.*?)(?:_a(\d+))?$/.exec(name)!;
  const attempt = (m[2] === undefined ? 1 : Number(m[2])) + 1;
  const next = `${m[1]}_a${attempt}`;
  try {
    const d = await client.send(new DescribeExecutionCommand({ executionArn: `${executionArn.slice(0, executionArn.length - name.length)}${next}` }));
    return { attempt, name: next, status: d.status ?? 'UNKNOWN' };
  } catch (err) {
    if (awsErrorName(err) === 'ExecutionDoesNotExist') return undefined;
    throw err;
  }
}
