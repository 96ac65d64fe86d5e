import { afterAll, describe, expect, it } from 'vitest';
import { DataSync } from '../../src/simulator/services/datasync.ts';
import { DynamoDb } from '../../src/simulator/services/dynamodb.ts';
import { S3Store } from '../../src/simulator/services/s3.ts';
import type { TaskCall, TaskHandler } from '../../src/simulator/services/types.ts';

const call = (handlers: Record<string, TaskHandler>, resource: string, input: unknown): unknown => {
  const handler = handlers[resource];
  if (!handler) throw new Error(`no handler for ${resource}`);
  const c: TaskCall = { resource, input, stateName: 'S', executionArn: 'arn:exec', now: 0 };
  return handler(c);
};
const errorOf = (fn: () => unknown): { name: string; message: string } => {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('did not throw');
};

describe('DynamoDB integration (dynalite through @aws-sdk/client-dynamodb)', () => {
  const ddb = 'arn:aws:states:::dynamodb:';
  const stores: DynamoDb[] = [];
  const store = (schemas: Record<string, string[]> = {}): DynamoDb => {
    const s = new DynamoDb(schemas);
    stores.push(s);
    return s;
  };
  afterAll(async () => {
    for (const s of stores) await s.close();
  });
  const asyncError = async (promise: unknown): Promise<{ name: string; message: string }> => {
    try {
      await promise;
    } catch (e) {
      return e as Error;
    }
    throw new Error('did not throw');
  };

  it('ADDs to a string set atomically and returns UPDATED_NEW', async () => {
    const gates = store({ gates: ['pk'] });
    const addUpstream = async (upstream: string) =>
      ((await call(gates.handlers, `${ddb}updateItem`, {
        TableName: 'gates',
        Key: { pk: { S: 'orders-upserts#2026-01-01' } },
        UpdateExpression: 'ADD #done :u',
        ExpressionAttributeNames: { '#done': 'done' },
        ExpressionAttributeValues: { ':u': { SS: [upstream] } },
        ReturnValues: 'UPDATED_NEW',
      })) as { Attributes: Record<string, unknown> }).Attributes;
    expect(await addUpstream('a')).toEqual({ done: { SS: ['a'] } });
    expect(await addUpstream('b')).toEqual({ done: { SS: ['a', 'b'] } });
    expect(await addUpstream('b')).toEqual({ done: { SS: ['a', 'b'] } });
    // Concurrent ADDs of the other upstreams: exactly one of them sees the complete set.
    const complete = await Promise.all(['c', 'd'].map(addUpstream));
    expect(complete.map((a) => (a.done as { SS: string[] }).SS.length).sort()).toEqual([3, 4]);
  });

  it('refuses an older watermark with ConditionalCheckFailedException and keeps the item', async () => {
    const wm = store();
    const advance = async (value: string, returnValues = 'ALL_NEW') =>
      (await call(wm.handlers, `${ddb}updateItem`, {
        TableName: 'watermarks',
        Key: { pk: { S: 'orders' } },
        UpdateExpression: 'SET #v = :v',
        ConditionExpression: 'attribute_not_exists(#v) OR #v < :v',
        ExpressionAttributeNames: { '#v': 'value' },
        ExpressionAttributeValues: { ':v': { S: value } },
        ReturnValues: returnValues,
      })) as { Attributes?: unknown };
    expect((await advance('2026-01-02')).Attributes).toEqual({ pk: { S: 'orders' }, value: { S: '2026-01-02' } });
    const err = await asyncError(advance('2026-01-01'));
    expect(err.name).toBe('DynamoDB.ConditionalCheckFailedException');
    expect(err.message).toMatch(/conditional request failed/);
    expect((await advance('2026-01-03', 'ALL_OLD')).Attributes).toEqual({ pk: { S: 'orders' }, value: { S: '2026-01-02' } });
    expect((await advance('2026-01-04', 'NONE')).Attributes).toBeUndefined();
    expect(await call(wm.handlers, `${ddb}getItem`, { TableName: 'watermarks', Key: { pk: { S: 'orders' } } })).toMatchObject({
      Item: { value: { S: '2026-01-04' } },
    });
    expect(await wm.snapshot()).toEqual({ watermarks: [{ pk: { S: 'orders' }, value: { S: '2026-01-04' } }] });
  });

  it('puts with a condition and returns nothing for an absent item', async () => {
    const runs = store({ runs: ['pk', 'sk'] });
    const put = { TableName: 'runs', Item: { pk: { S: 'wf' }, sk: { S: 'r1' }, status: { S: 'SUCCEEDED' } }, ConditionExpression: 'attribute_not_exists(pk)' };
    await call(runs.handlers, `${ddb}putItem`, put);
    expect((await asyncError(call(runs.handlers, `${ddb}putItem`, put))).name).toBe('DynamoDB.ConditionalCheckFailedException');
    expect(await call(runs.handlers, `${ddb}getItem`, { TableName: 'runs', Key: { pk: { S: 'wf' }, sk: { S: 'r2' } } })).not.toHaveProperty('Item');
    expect((await asyncError(call(runs.handlers, `${ddb}updateItem`, { TableName: 'runs', Key: { pk: { S: 'wf' }, sk: { S: 'r1' } }, UpdateExpression: 'SET = :x' }))).name).toBe(
      'DynamoDB.AmazonDynamoDBException',
    );
  });

  it('refuses a Key without the table key, as DynamoDB does', async () => {
    const runs = store({ runs: ['pk', 'sk'] });
    const err = await asyncError(call(runs.handlers, `${ddb}getItem`, { TableName: 'runs', Key: { pk: { S: 'wf' } } }));
    expect(err).toMatchObject({ name: 'DynamoDB.AmazonDynamoDBException', message: expect.stringMatching(/key element does not match the schema/) });
  });
});

describe('DataSync integration', () => {
  const ds = 'arn:aws:states:::aws-sdk:datasync:';
  const task = 'arn:aws:datasync:eu-west-1:123456789012:task/task-0123456789abcdef0';

  it('progresses one status per describe call and refuses a concurrent execution of the task', () => {
    const service = new DataSync(() => ({ extraPolls: 1 }));
    const { TaskExecutionArn } = call(service.handlers, `${ds}startTaskExecution`, { TaskArn: task }) as { TaskExecutionArn: string };
    expect(TaskExecutionArn).toMatch(/^arn:aws:datasync:.*\/execution\/exec-[0-9a-f]{17}$/);
    const err = errorOf(() => call(service.handlers, `${ds}startTaskExecution`, { TaskArn: task }));
    expect(err.name).toBe('DataSync.InvalidRequestException');
    const statuses: string[] = [];
    for (let i = 0; i < 7; i++) statuses.push((call(service.handlers, `${ds}describeTaskExecution`, { TaskExecutionArn }) as { Status: string }).Status);
    expect(statuses).toEqual(['QUEUED', 'LAUNCHING', 'PREPARING', 'TRANSFERRING', 'TRANSFERRING', 'VERIFYING', 'SUCCESS']);
    expect(() => call(service.handlers, `${ds}startTaskExecution`, { TaskArn: task })).not.toThrow();
  });

  it('queues a run of the same task with another Includes filter until the earlier run ends, and refuses the same filter twice', () => {
    const service = new DataSync(() => ({}));
    const start = (value: string) => call(service.handlers, `${ds}startTaskExecution`, { TaskArn: task, Includes: [{ FilterType: 'SIMPLE_PATTERN', Value: value }] }) as { TaskExecutionArn: string };
    const status = (arn: string) => (call(service.handlers, `${ds}describeTaskExecution`, { TaskExecutionArn: arn }) as { Status: string }).Status;
    const a = start('/orders').TaskExecutionArn;
    const b = start('/order_lines').TaskExecutionArn;
    expect(errorOf(() => start('/order_lines')).name).toBe('DataSync.InvalidRequestException');
    expect(errorOf(() => call(service.handlers, `${ds}startTaskExecution`, { TaskArn: task })).name).toBe('DataSync.InvalidRequestException');
    const seen: string[][] = [];
    for (let i = 0; i < 12; i++) seen.push([status(a), status(b)]);
    // b stays QUEUED while a runs, then runs itself.
    const aDone = seen.findIndex(([x]) => x === 'SUCCESS');
    expect(seen.slice(0, aDone).every(([, y]) => y === 'QUEUED')).toBe(true);
    expect(seen.at(-1)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(service.executions.map((e) => e.includes)).toEqual(['/orders', '/order_lines']);
  });

  it('ends in ERROR with the error code and detail in Result', () => {
    const service = new DataSync(() => ({ status: 'ERROR', errorCode: 'OpNotSupp', errorDetail: 'disk gone' }));
    const { TaskExecutionArn } = call(service.handlers, `${ds}startTaskExecution`, { TaskArn: task }) as { TaskExecutionArn: string };
    let last: { Status: string; Result: Record<string, string> } | undefined;
    for (let i = 0; i < 5; i++) last = call(service.handlers, `${ds}describeTaskExecution`, { TaskExecutionArn }) as never;
    expect(last?.Status).toBe('ERROR');
    expect(last?.Result).toMatchObject({ ErrorCode: 'OpNotSupp', ErrorDetail: 'disk gone' });
  });
});

describe('S3 integration', () => {
  it('returns the body or NoSuchKey', () => {
    const s3 = new S3Store();
    s3.put('s3://b/k.json', '{"a":1}');
    expect(call(s3.handlers, 'arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'b', Key: 'k.json' })).toMatchObject({ Body: '{"a":1}' });
    expect(errorOf(() => call(s3.handlers, 'arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'b', Key: 'nope' })).name).toBe('S3.NoSuchKeyException');
  });
});
