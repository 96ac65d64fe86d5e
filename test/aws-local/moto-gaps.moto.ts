/**
 * Where moto's Step Functions interpreter is not AWS, each pinned by a run that shows it.
 * The harness works around the first three (rewrite.ts, worker.ts, moto-run.ts); the
 * others are why some ASL semantics are checked elsewhere (see README.md): the Glue table
 * optimizer calls of `managed: true` tables are checked against the Glue service model
 * (test/asl/glue-optimizer-model.test.ts) and in the simulator instead.
 * When one of these starts failing, moto changed: update README.md and the workaround.
 */
import { CancelTaskExecutionCommand, CreateTaskCommand, CreateLocationS3Command, DescribeTaskExecutionCommand, StartTaskExecutionCommand } from '@aws-sdk/client-datasync';
import { CreateTableOptimizerCommand, GlueClient } from '@aws-sdk/client-glue';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineCommand, ListExecutionsCommand, RedriveExecutionCommand, SendTaskFailureCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { CreateScheduleCommand, CreateScheduleGroupCommand, GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { describe, expect, inject, it } from 'vitest';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { clientsFor } from './clients.ts';

const REGION = 'ap-southeast-2';
let n = 0;

/** Creates a state machine from `states` and runs it once with `input` to the end. */
async function run(states: Record<string, unknown>, input: unknown = {}): Promise<{ status?: string; error?: string; cause?: string; output?: unknown; executionArn?: string }> {
  const { sfn } = clientsFor(inject('motoEndpoint'), REGION);
  const name = `gap-${++n}`;
  const definition = JSON.stringify({ StartAt: Object.keys(states)[0], States: states });
  const sm = await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: 'arn:aws:iam::123456789012:role/gap' }));
  const ex = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, name: 'run', input: JSON.stringify(input) }));
  for (let i = 0; i < 200; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: ex.executionArn }));
    if (d.status !== 'RUNNING') return { status: d.status, error: d.error, cause: d.cause, output: d.output ? JSON.parse(d.output) : undefined, executionArn: ex.executionArn };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('still running');
}

describe('moto gaps', () => {
  it('$$.Execution.StartTime is not an ISO string (AWS: "2026-11-25T06:00:00.123Z"), so string intrinsics over it fail', async () => {
    const r = await run({ P: { Type: 'Pass', Parameters: { 'ds.$': "States.ArrayGetItem(States.StringSplit($$.Execution.StartTime, 'T'), 0)" }, End: true } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toMatch(/datetime/);
  });

  it('$$.State.EnteredTime is a string, with microseconds and +00:00 (the harness uses it for StartTime)', async () => {
    const r = await run({ P: { Type: 'Pass', Parameters: { 't.$': '$$.State.EnteredTime' }, End: true } });
    expect(r.status).toBe('SUCCEEDED');
    expect((r.output as { t: string }).t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/);
  });

  it('aws-sdk:s3:getObject hands the ASL a stream as Body (AWS: the text), so States.StringToJson($.Body) fails', async () => {
    const { s3 } = clientsFor(inject('motoEndpoint'), REGION);
    await s3.send(new CreateBucketCommand({ Bucket: 'gap-bucket', CreateBucketConfiguration: { LocationConstraint: REGION } }));
    await s3.send(new PutObjectCommand({ Bucket: 'gap-bucket', Key: 'r.json', Body: '{"a":1}' }));
    const r = await run({
      Get: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:getObject', Parameters: { Bucket: 'gap-bucket', Key: 'r.json' }, ResultSelector: { 'r.$': 'States.StringToJson($.Body)' }, End: true },
    });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toMatch(/StreamingChecksumBody/);
  });

  it('StringMatches matches like fnmatch: "?" is one character (AWS: only "*" is special), so moto cannot catch ?-patterns', async () => {
    const r = await run({
      C: { Type: 'Choice', Choices: [{ Variable: '$.v', StringMatches: 'a?c', Next: 'Matched' }], Default: 'NotMatched' },
      Matched: { Type: 'Succeed' },
      NotMatched: { Type: 'Fail', Error: 'NotMatched' },
    }, { v: 'abc' });
    expect(r.status).toBe('SUCCEEDED');
  });

  it('emr-serverless:startJobRun.sync is not an integration moto runs', async () => {
    const r = await run({
      Job: { Type: 'Task', Resource: 'arn:aws:states:::emr-serverless:startJobRun.sync', Parameters: { ApplicationId: 'x', ExecutionRoleArn: 'arn:aws:iam::123456789012:role/x', JobDriver: { SparkSubmit: { EntryPoint: 's3://b/e.py' } } }, End: true },
    }).catch((e: Error) => ({ status: 'REJECTED', error: e.name, cause: e.message }));
    expect(r.status).not.toBe('SUCCEEDED');
  });

  it('an aws-sdk task error is named after the API action, not the service (AWS: DataSync.InvalidRequestException)', async () => {
    const r = await run({ S: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:datasync:startTaskExecution', Parameters: { TaskArn: 'arn:aws:datasync:ap-southeast-2:123456789012:task/task-00000000000000000' }, End: true } });
    expect(r.status).toBe('FAILED');
    expect(r.error).not.toBe('DataSync.InvalidRequestException');
    expect(r.error).toMatch(/InvalidRequestException$/);
  });

  it('aws-sdk:sfn:* hands its PascalCase parameters to botocore as they are (AWS: the SDK call), so describeExecution and listTagsForResource fail: the worker answers them', async () => {
    const describe = await run({ D: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sfn:describeExecution', Parameters: { ExecutionArn: 'arn:aws:states:ap-southeast-2:123456789012:execution:gap-x:y' }, End: true } });
    expect(describe).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(describe.cause).toMatch(/'ExecutionArn'/);
    const tags = await run({ T: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sfn:listTagsForResource', Parameters: { ResourceArn: 'arn:aws:states:ap-southeast-2:123456789012:stateMachine:gap-x' }, End: true } });
    expect(tags).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(tags.cause).toMatch(/'ResourceArn'/);
  });

  it('aws-sdk:ssm:getParametersByPath puts a datetime in the output it cannot serialize (AWS: the parameters), so the dispatcher cannot read routes natively: the worker answers it', async () => {
    const { ssm } = clientsFor(inject('motoEndpoint'), REGION);
    await ssm.send(new PutParameterCommand({ Name: '/gap/after/a/b', Type: 'String', Value: '{}', Overwrite: true }));
    const r = await run({ G: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:ssm:getParametersByPath', Parameters: { Path: '/gap/after/a' }, End: true } }).catch((e: Error) => ({ status: 'ERROR', error: e.name, cause: e.message }));
    expect(r.status).not.toBe('SUCCEEDED');
  });

  it('an execution whose result is a string has that string as its output (AWS: its JSON text), so the bus of moto-run.ts encodes it', async () => {
    // Not through run(): it parses the output as JSON, which is the point here.
    const { sfn } = clientsFor(inject('motoEndpoint'), REGION);
    const definition = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: '2026-11-29T020000Z restarted', End: true } } });
    const sm = await sfn.send(new CreateStateMachineCommand({ name: `gap-${++n}`, definition, roleArn: 'arn:aws:iam::123456789012:role/gap' }));
    const ex = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, name: 'run', input: '{}' }));
    let d = await sfn.send(new DescribeExecutionCommand({ executionArn: ex.executionArn }));
    for (let i = 0; i < 200 && d.status === 'RUNNING'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      d = await sfn.send(new DescribeExecutionCommand({ executionArn: ex.executionArn }));
    }
    expect(d.status).toBe('SUCCEEDED');
    expect(d.output).toBe('2026-11-29T020000Z restarted');
  });

  it('a DynamoDB putItem task outputs {} — no ConsumedCapacity (as AWS)', async () => {
    const { dynamodb } = clientsFor(inject('motoEndpoint'), REGION);
    await dynamodb.send(new CreateTableCommand({ TableName: 'gap-table', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
    const r = await run({ Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'gap-table', Item: { pk: { S: 'a' } } }, End: true } });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({});
  });

  it('SendTaskFailure on a small sqs waitForTaskToken task reaches its Catch with the error given (the EMR tasks of compiled workflows end in States.Runtime instead: emr-failure cases)', async () => {
    const { sqs, sfn } = clientsFor(inject('motoEndpoint'), REGION);
    const q = await sqs.send(new CreateQueueCommand({ QueueName: 'gap-queue' }));
    const done = run({
      Wait: {
        Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: q.QueueUrl, MessageBody: { 'token.$': '$$.Task.Token' } },
        Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 1 }],
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Caught' }], End: true,
      },
      Caught: { Type: 'Pass', End: true },
    });
    let token: string | undefined;
    for (let i = 0; i < 50 && !token; i++) {
      const m = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.QueueUrl, WaitTimeSeconds: 1 }));
      token = m.Messages?.[0] ? (JSON.parse(m.Messages[0].Body ?? '{}') as { token: string }).token : undefined;
    }
    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'EMRServerless.JobRunFailed', cause: 'x' }));
    const r = await done;
    expect(r.status).toBe('SUCCEEDED');
    expect((r.output as { error: { Error: string } }).error.Error).toBe('EMRServerless.JobRunFailed');
  });

  it('states:startExecution hands its PascalCase parameters to botocore as they are, so it fails with States.Runtime (AWS: starts the execution)', async () => {
    const { sfn } = clientsFor(inject('motoEndpoint'), REGION);
    const target = await sfn.send(new CreateStateMachineCommand({ name: `gap-target-${++n}`, definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }), roleArn: 'arn:aws:iam::123456789012:role/gap' }));
    const r = await run({
      S: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution', Parameters: { StateMachineArn: target.stateMachineArn, Name: 'child', Input: { a: 1 } }, End: true },
    });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toMatch(/StateMachineArn/);
  });

  it("a Distributed Map's run succeeds without running its item processor (AWS: one child execution per item), so the backfill machine of backfill --detach is not run on moto: backfill --status is tested there with the runs started by name", async () => {
    // On AWS each item's child execution fails with Item.Ran, and so does the Map.
    const r = await run(
      {
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Fail',
            States: { Fail: { Type: 'Fail', Error: 'Item.Ran', Cause: 'the item processor ran' } },
          },
          End: true,
        },
      },
      { items: [1, 2] },
    );
    expect(r.status).toBe('SUCCEEDED');
  });

  it('a Fail state whose ErrorPath gives a States.* name fails with States.Runtime (AWS: the execution fails with that error)', async () => {
    const r = await run({ F: { Type: 'Fail', ErrorPath: '$.e', CausePath: '$.c' } }, { e: 'States.Runtime', c: 'x' });
    expect(r.status).toBe('FAILED');
    expect(r.cause).toMatch(/MUST NOT begin with the prefix 'States\.'/);
  });

  it('States.Format with escaped braces fails (AWS: \\{ and \\} are literal braces)', async () => {
    const r = await run({ P: { Type: 'Pass', Parameters: { 'v.$': "States.Format('a\\{b\\}{}', $.x)" }, End: true } }, { x: 'c' });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
  });

  it('a DataSync task execution runs INITIALIZING → PREPARING → TRANSFERRING → VERIFYING → SUCCESS, one step per describe; ARNs name account 111222333444', async () => {
    const { datasync } = clientsFor(inject('motoEndpoint'), REGION);
    const loc = await datasync.send(new CreateLocationS3Command({ S3BucketArn: 'arn:aws:s3:::gap-bucket', Subdirectory: '/x', S3Config: { BucketAccessRoleArn: 'arn:aws:iam::123456789012:role/x' } }));
    const task = await datasync.send(new CreateTaskCommand({ SourceLocationArn: loc.LocationArn, DestinationLocationArn: loc.LocationArn }));
    expect(task.TaskArn).toMatch(/:111222333444:task\//);
    const ex = await datasync.send(new StartTaskExecutionCommand({ TaskArn: task.TaskArn }));
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) seen.push(String((await datasync.send(new DescribeTaskExecutionCommand({ TaskExecutionArn: ex.TaskExecutionArn }))).Status));
    expect(seen).toEqual(['INITIALIZING', 'PREPARING', 'TRANSFERRING', 'VERIFYING', 'SUCCESS', 'SUCCESS']);
    // ERROR only by cancelling, and without the Result (ErrorCode, ErrorDetail) AWS reports.
    const again = await datasync.send(new StartTaskExecutionCommand({ TaskArn: task.TaskArn }));
    await datasync.send(new CancelTaskExecutionCommand({ TaskExecutionArn: again.TaskExecutionArn }));
    const failed = await datasync.send(new DescribeTaskExecutionCommand({ TaskExecutionArn: again.TaskExecutionArn }));
    expect(failed.Status).toBe('ERROR');
    expect(failed.Result).toBeUndefined();
  });

  it('CreateScheduleGroup of a name that exists replaces the group and drops its schedules (AWS: ConflictException)', async () => {
    const { scheduler } = clientsFor(inject('motoEndpoint'), REGION);
    const target = { Arn: 'arn:aws:lambda:ap-southeast-2:123456789012:function:f', RoleArn: 'arn:aws:iam::123456789012:role/r' };
    await scheduler.send(new CreateScheduleGroupCommand({ Name: 'gap-group' }));
    await scheduler.send(new CreateScheduleCommand({ Name: 's', GroupName: 'gap-group', ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: target }));
    await scheduler.send(new CreateScheduleGroupCommand({ Name: 'gap-group' }));
    await expect(scheduler.send(new GetScheduleCommand({ Name: 's', GroupName: 'gap-group' }))).rejects.toThrow(/does not exist/);
  });

  it('RedriveExecution is not implemented (AWS: restarts a failed execution from its failed state), so lakestep retry is checked with a mocked client (test/cli/retry.test.ts)', async () => {
    const { sfn } = clientsFor(inject('motoEndpoint'), REGION);
    const r = await run({ F: { Type: 'Fail', Error: 'Gap.Failed', Cause: 'to redrive' } });
    expect(r.status).toBe('FAILED');
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: r.executionArn }));
    // Nor does DescribeExecution say whether it could be redriven (AWS: redriveCount 0, redriveStatus REDRIVABLE).
    expect(d.redriveCount).toBeUndefined();
    expect(d.redriveStatus).toBeUndefined();
    // The SDK call fails on moto's HTML error page (an unimplemented action raises in the server).
    await expect(sfn.send(new RedriveExecutionCommand({ executionArn: r.executionArn }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
    // The same raw request to an action moto implements is answered: the 500 is the action's.
    const raw = (action: string) =>
      fetch(inject('motoEndpoint'), {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': `AWSStepFunctions.${action}`,
          Authorization: `AWS4-HMAC-SHA256 Credential=test/20261125/${REGION}/states/aws4_request, SignedHeaders=host, Signature=0`,
        },
        body: JSON.stringify({ executionArn: r.executionArn }),
      });
    expect((await raw('DescribeExecution')).status).toBe(200);
    const redrive = await raw('RedriveExecution');
    expect(redrive.status).toBe(500);
    expect(await redrive.text()).toContain('Internal Server Error');
  });

  it("an Express machine runs like a Standard one: it takes a .sync task, and its executions are execution ARNs that are listed and described (AWS: refused, StateMachineTypeNotSupported), so what Express refuses is checked with LocalStack's analyser (express-dispatcher.moto.ts)", async () => {
    const { sfn } = clientsFor(inject('motoEndpoint'), REGION);
    const definition = JSON.stringify({ StartAt: 'Job', States: { Job: { Type: 'Task', Resource: 'arn:aws:states:::emr-serverless:startJobRun.sync', Parameters: {}, Next: 'Done' }, Done: { Type: 'Succeed' } } });
    const sm = await sfn.send(new CreateStateMachineCommand({ name: 'gap-express', definition, roleArn: 'arn:aws:iam::123456789012:role/gap', type: 'EXPRESS' }));
    expect((await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: sm.stateMachineArn }))).type).toBe('EXPRESS');
    const ex = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, input: '{}' }));
    // AWS: arn:aws:states:<region>:<account>:express:<machine>:<name>:<id>.
    expect(ex.executionArn).toContain(':execution:gap-express:');
    expect((await sfn.send(new ListExecutionsCommand({ stateMachineArn: sm.stateMachineArn }))).executions).toHaveLength(1);
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: ex.executionArn }))).resolves.toMatchObject({ stateMachineArn: sm.stateMachineArn });
  });

  it('Glue has no table optimizers: CreateTableOptimizer answers an HTTP 500 page, and the aws-sdk:glue:createTableOptimizer task fails with States.Runtime (AWS: creates it)', async () => {
    const optimizer = { CatalogId: '123456789012', DatabaseName: 'gap_db', TableName: 'gap_table', Type: 'retention' as const, TableOptimizerConfiguration: { roleArn: 'arn:aws:iam::123456789012:role/opt', enabled: true } };
    const glue = new GlueClient({ endpoint: inject('motoEndpoint'), region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 });
    const err = await glue.send(new CreateTableOptimizerCommand(optimizer)).then(() => undefined, (e: { $metadata?: { httpStatusCode?: number } }) => e);
    expect(err?.$metadata?.httpStatusCode).toBe(500);
    const r = await run({ T: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:glue:createTableOptimizer', Parameters: optimizer, End: true } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
  });
});
