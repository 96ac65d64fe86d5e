/**
 * The watch machine of `max_duration` (src/asl/watch.ts) on moto's interpreter: compiled from
 * the example (orders-upserts, 45m), its wait shortened to 2 s, watching one execution that is
 * still running and one that has ended. Only the running one notifies, once, on the topic;
 * the watched execution is not stopped. (The agreement cases leave watch executions out:
 * moto's Waits take no time there, so a watch's outcome would differ for timing alone.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { compileExamplePlatform, type PlatformBuild } from '../simulator/platform.ts';
import { clientsFor } from './clients.ts';

const REGION = 'ca-central-1';
const ROLE = 'arn:aws:iam::123456789012:role/watch';
let build: PlatformBuild;
beforeAll(() => {
  build = compileExamplePlatform();
});

async function finished(executionArn: string) {
  const { sfn } = clientsFor(inject('motoEndpoint'), REGION);
  for (let i = 0; i < 300; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('still running');
}

describe('watch machine on moto', () => {
  it('notifies once for a run still going at max_duration, not for one that ended, and stops neither', async () => {
    const { sfn, sns, sqs } = clientsFor(inject('motoEndpoint'), REGION);
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'watch-topic' }))).TopicArn!;
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'watch-notes' }))).QueueUrl!;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queueArn }));

    const w = build.manifest.useCases.find((u) => u.name === 'orders')!.workflows.find((x) => x.name === 'orders-upserts')!;
    const text = readFileSync(join(build.dir, w.watch!.definition), 'utf8').replaceAll('${NotificationTopicArn}', topic);
    const definition = JSON.parse(text) as { States: Record<string, { Type: string; Seconds?: number }> };
    expect(definition.States['Wait max_duration']!.Seconds).toBe(2700);
    definition.States['Wait max_duration']!.Seconds = 2;
    // moto gap (pinned below): its aws-sdk integrations hand the ASL's PascalCase parameters to
    // botocore as they are and return botocore's camelCase response, so the describe is given
    // in botocore's spelling; everything else runs as compiled.
    const describe = definition.States['Describe run'] as unknown as { Parameters: unknown; ResultSelector: unknown };
    expect(describe).toMatchObject({ Parameters: { 'ExecutionArn.$': '$.execution_arn' }, ResultSelector: { 'status.$': '$.Status' } });
    const asCompiled = JSON.stringify(definition);
    describe.Parameters = { 'executionArn.$': '$.execution_arn' };
    describe.ResultSelector = { 'status.$': '$.status' };
    const watch = await sfn.send(new CreateStateMachineCommand({ name: w.watch!.stateMachineName, definition: JSON.stringify(definition), roleArn: ROLE }));
    const compiled = await sfn.send(new CreateStateMachineCommand({ name: `${w.watch!.stateMachineName}-as-compiled`, definition: asCompiled, roleArn: ROLE }));

    const machine = (name: string, states: Record<string, unknown>) =>
      sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify({ StartAt: Object.keys(states)[0], States: states }), roleArn: ROLE }));
    const slow = await machine('watched-slow', { Work: { Type: 'Wait', Seconds: 8, End: true } });
    const fast = await machine('watched-fast', { Work: { Type: 'Pass', End: true } });
    const slowRun = await sfn.send(new StartExecutionCommand({ stateMachineArn: slow.stateMachineArn, name: 'run-slow' }));
    const fastRun = await sfn.send(new StartExecutionCommand({ stateMachineArn: fast.stateMachineArn, name: 'run-fast' }));
    expect((await finished(fastRun.executionArn!)).status).toBe('SUCCEEDED');

    const watchOf = (arn: string, name: string) =>
      sfn.send(new StartExecutionCommand({ stateMachineArn: watch.stateMachineArn, name, input: JSON.stringify({ execution_arn: arn, execution: name }) }));
    const watches = [await watchOf(slowRun.executionArn!, 'run-slow'), await watchOf(fastRun.executionArn!, 'run-fast')];
    for (const x of watches) {
      const d = await finished(x.executionArn!);
      expect([d.status, d.error, d.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
    }
    // The slow run was watched while running and runs on to its end.
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: slowRun.executionArn }))).status).toBe('RUNNING');
    expect((await finished(slowRun.executionArn!)).status).toBe('SUCCEEDED');

    // The gap: as compiled, moto's describe fails with KeyError 'ExecutionArn' (AWS: describes the execution).
    const gap = await sfn.send(new StartExecutionCommand({ stateMachineArn: compiled.stateMachineArn, name: 'gap', input: JSON.stringify({ execution_arn: fastRun.executionArn, execution: 'run-fast' }) }));
    const g = await finished(gap.executionArn!);
    expect([g.status, g.error, g.cause]).toEqual(['FAILED', 'States.Runtime', "An error occurred while executing the state 'Describe run' (entered at the event id #6). 'ExecutionArn'"]);

    const notes: { Subject?: string; Message?: string }[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      if (!Messages.length) break;
      notes.push(...Messages.map((m) => JSON.parse(m.Body ?? '{}') as { Subject?: string; Message?: string }));
    }
    expect(notes.map((n) => [n.Subject, n.Message])).toEqual([
      ['lakestep orders/orders-upserts: run longer than 45m', 'lakestep orders/orders-upserts: execution run-slow is still running after max_duration 45m. It was not stopped; lakestep status orders/orders-upserts shows it.'],
    ]);
  });
});
