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

async function replay(send: DynamoDbSend): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const [operation, input] of STEPS) {
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
});
