/**
 * The schedule starter's Lambda entry point (bundled by infra/platform/schedule-starter.ts):
 * each schedule invokes it with {@link ScheduledStart}; it starts the workflow's run
 * of that scheduled time under its deterministic name (src/starter/scheduled.ts).
 * A failed start throws, so the invocation is retried and finally lands in the
 * dead-letter queue.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { startScheduledRun, type ScheduledStart, type ScheduledStartResult } from '../../src/starter/scheduled.ts';
import { sfnExecutions } from '../../src/starter/sfn.ts';

const executions = sfnExecutions(new SFNClient({}));

export async function handler(event: ScheduledStart): Promise<ScheduledStartResult> {
  const result = await startScheduledRun(executions, event);
  console.log(JSON.stringify({ workflow: event.state_machine_arn, ...result }));
  return result;
}
