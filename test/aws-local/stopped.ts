/** Waiting for an execution moto runs to end (it runs them in the background). */
import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';

/** The status the execution ends with, polled every 100 ms for at most 10 s. */
export async function stoppedStatus(client: SFNClient, executionArn: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const { status } = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (status !== 'RUNNING') return status!;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${executionArn} still running`);
}
