/**
 * The simulator's DynamoDB requests handed to dynalite's store directly
 * (src/simulator/services/dynamodb-local.ts) and sent to its HTTP handler without the AWS SDK
 * (src/simulator/services/dynamodb-wire.ts), against the same requests through
 * `@aws-sdk/client-dynamodb` (the bench's baseline transport): each on its own dynalite, the
 * same operations give the same response bodies and the same error codes and messages.
 */
import dynalite from 'dynalite';
import { describe, expect, it } from 'vitest';
import { sdkClient } from '../../bench/baseline/dynamodb-sdk.ts';
import { localClient } from '../../src/simulator/services/dynamodb-local.ts';
import { DynamoDbError, wireClient, type DynamoDbSend } from '../../src/simulator/services/dynamodb-wire.ts';

const TABLE = 'watermarks';
const key = { pk: { S: 'orders' }, sk: { S: 'daily' } };

/** Operations a Step Functions integration or the simulator sends, errors included. */
const STEPS: [string, Record<string, unknown>][] = [
  ['CreateTable', { TableName: TABLE, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] }],
  ['DescribeTable', { TableName: TABLE }],
  ['GetItem', { TableName: TABLE, Key: key }],
  ['PutItem', { TableName: TABLE, Item: { ...key, at: { N: '10' }, tags: { SS: ['a', 'b'] }, doc: { M: { x: { L: [{ BOOL: true }, { NULL: true }] } } } } }],
  ['UpdateItem', { TableName: TABLE, Key: key, UpdateExpression: 'SET #at = :v', ConditionExpression: '#at < :v', ExpressionAttributeNames: { '#at': 'at' }, ExpressionAttributeValues: { ':v': { N: '20' } }, ReturnValues: 'ALL_NEW' }],
  ['UpdateItem', { TableName: TABLE, Key: key, UpdateExpression: 'SET #at = :v', ConditionExpression: '#at < :v', ExpressionAttributeNames: { '#at': 'at' }, ExpressionAttributeValues: { ':v': { N: '5' } } }],
  ['UpdateItem', { TableName: TABLE, Key: key, UpdateExpression: 'SET #at = :v', ExpressionAttributeNames: { '#at': 'at', '#unused': 'x' }, ExpressionAttributeValues: { ':v': { N: '5' } } }],
  ['UpdateItem', { TableName: TABLE, Key: key, UpdateExpression: 'SET at = :v', ExpressionAttributeValues: { ':v': { N: '5' } } }],
  ['GetItem', { TableName: TABLE, Key: key, ConsistentRead: true }],
  ['GetItem', { TableName: 'missing', Key: key }],
  ['PutItem', { TableName: TABLE, Item: { pk: { S: 'x' } } }],
  ['DeleteItem', { TableName: TABLE, Key: key, ReturnValues: 'ALL_OLD' }],
  ['Scan', { TableName: TABLE }],
];

/**
 * The same requests sent again and again, as a run sends them (the local client keeps what it
 * checked of each request's text): each must act on the store as it stands, not as it stood
 * the first time — the update builds a new item on the request's `Key` and evaluates its
 * `SET` values into the parsed expression, so a request handed on twice would carry the
 * first call's item and values.
 */
const counter = { pk: { S: 'orders' }, sk: { S: 'runs' } };
const count: [string, Record<string, unknown>] = ['UpdateItem', { TableName: TABLE, Key: counter, UpdateExpression: 'SET #n = if_not_exists(#n, :zero) + :one ADD #seen :one', ExpressionAttributeNames: { '#n': 'n', '#seen': 'seen' }, ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' } }, ReturnValues: 'ALL_NEW' }];
const drop: [string, Record<string, unknown>] = ['DeleteItem', { TableName: TABLE, Key: counter, ReturnValues: 'ALL_OLD' }];
const proto = { pk: { S: 'orders' }, sk: { S: 'proto' } };
const REPEATED: [string, Record<string, unknown>][] = [
  STEPS[0]!,
  ['DescribeTable', { TableName: TABLE }],
  count, count, count, drop, count, count,
  // An own attribute `__proto__`, as a request parsed from JSON has it (an object literal would set the prototype).
  ['PutItem', { TableName: TABLE, Item: JSON.parse('{"pk":{"S":"orders"},"sk":{"S":"proto"},"__proto__":{"S":"own"}}') as Record<string, unknown> }],
  ['UpdateItem', { TableName: TABLE, Key: proto, UpdateExpression: 'SET #p = :v', ExpressionAttributeNames: { '#p': '__proto__' }, ExpressionAttributeValues: { ':v': { S: 'set' } }, ReturnValues: 'ALL_NEW' }],
  ['UpdateItem', { TableName: TABLE, Key: proto, UpdateExpression: 'SET #p = :v', ExpressionAttributeNames: { '#p': '__proto__' }, ExpressionAttributeValues: { ':v': { S: 'set' } }, ReturnValues: 'ALL_NEW' }],
  ['GetItem', { TableName: TABLE, Key: proto }],
  ['UpdateItem', { TableName: TABLE, Key: counter, UpdateExpression: 'SET at = :v', ExpressionAttributeValues: { ':v': { N: '5' } } }],
  ['UpdateItem', { TableName: TABLE, Key: counter, UpdateExpression: 'SET at = :v', ExpressionAttributeValues: { ':v': { N: '5' } } }],
  drop, drop,
];

async function replay(send: DynamoDbSend, steps = STEPS): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const [operation, input] of steps) {
    try {
      let body = await send(operation, input);
      // A new table becomes ACTIVE after a turn of the event loop, as the simulator waits for it.
      while (operation === 'DescribeTable' && (body.Table as { TableStatus: string }).TableStatus !== 'ACTIVE') {
        await new Promise((resolve) => setTimeout(resolve, 1));
        body = await send(operation, input);
      }
      // Table descriptions carry creation times.
      out.push(operation === 'CreateTable' || operation === 'DescribeTable' ? Object.keys(body) : body);
    } catch (e) {
      if (!(e instanceof DynamoDbError)) throw e;
      out.push({ code: e.code, message: e.message });
    }
  }
  return out;
}

describe('DynamoDB wire client', () => {
  it('answers every operation as the AWS SDK client reads the same responses', async () => {
    const wire = await replay(wireClient(dynalite({ createTableMs: 0 })));
    const sdk = await replay(sdkClient(dynalite({ createTableMs: 0 }), 'eu-west-1'));
    const local = await replay(localClient({ createTableMs: 0 }));
    expect(wire).toEqual(sdk);
    expect(local).toEqual(sdk);
    // The errors are there to compare: a failed condition, three validation errors, a missing table.
    expect(wire.filter((r) => typeof r === 'object' && r !== null && 'code' in r).map((r) => (r as { code: string }).code)).toEqual([
      'ConditionalCheckFailedException',
      'ValidationException',
      'ValidationException',
      'ResourceNotFoundException',
      'ValidationException',
    ]);
  });

  it('acts on the store as it stands when the same request comes again', async () => {
    // The HTTP handler checks every request it receives (the SDK client would drop an attribute named `__proto__`).
    const wire = await replay(wireClient(dynalite({ createTableMs: 0 })), REPEATED);
    const local = await replay(localClient({ createTableMs: 0 }), REPEATED);
    expect(local).toEqual(wire);
    const counts = local.filter((r): r is { Attributes: { n: { N: string }; sk: { S: string } } } => (r as { Attributes?: { sk?: { S: string } } }).Attributes?.sk?.S === 'runs' && 'n' in (r as { Attributes: object }).Attributes);
    expect(counts.map((r) => [r.Attributes.n.N, (r.Attributes as unknown as { seen: { N: string } }).seen.N])).toEqual([
      ['1', '1'], ['2', '2'], ['3', '3'], ['3', '3'], ['1', '1'], ['2', '2'], ['2', '2'],
    ]);
    // A reserved word is refused each time it is sent, not only the first.
    expect(local.slice(-4, -2)).toEqual([
      { code: 'ValidationException', message: expect.stringContaining('reserved keyword') },
      { code: 'ValidationException', message: expect.stringContaining('reserved keyword') },
    ]);
    const item = local.find((r) => (r as { Item?: unknown }).Item) as { Item: Record<string, unknown> };
    expect(Object.getOwnPropertyDescriptor(item.Item, '__proto__')?.value).toEqual({ S: 'set' });
  });
});
