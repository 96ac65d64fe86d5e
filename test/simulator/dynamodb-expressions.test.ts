/**
 * Condition and update expressions through the simulator's DynamoDB integration, which
 * hands them to dynalite: what these tests pin is DynamoDB's behaviour as the state
 * machines rely on it (watermarks never backwards, the join's `ADD` to a string set,
 * `ReturnValues`), and that the integration reports errors as Step Functions does.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Item } from '../../src/simulator/attribute-values.ts';
import { DynamoDb } from '../../src/simulator/services/dynamodb.ts';

const ITEM: Item = {
  pk: { S: 'orders' },
  watermark: { S: '2026-01-02T00:00:00Z' },
  count: { N: '5' },
  done: { SS: ['a', 'b'] },
  meta: { M: { tags: { L: [{ S: 'x' }, { S: 'y' }] } } },
  ok: { BOOL: true },
};

const VALUES: Item = {
  ':newer': { S: '2026-01-03T00:00:00Z' },
  ':older': { S: '2026-01-01T00:00:00Z' },
  ':same': { S: '2026-01-02T00:00:00Z' },
  ':five': { N: '5' },
  ':ten': { N: '10' },
  ':two': { N: '2' },
  ':one': { N: '1' },
  ':prefix': { S: '2026-' },
  ':b': { S: 'b' },
  ':y': { S: 'y' },
  ':bool': { S: 'BOOL' },
};

const stores: DynamoDb[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
});

/** A fresh DynamoDB with `ITEM` in table `things`. */
function store(item: Item = ITEM): DynamoDb {
  const ddb = new DynamoDb({ things: ['pk'] });
  ddb.seed('things', item);
  stores.push(ddb);
  return ddb;
}

let n = 0;
async function call(ddb: DynamoDb, action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const handler = ddb.handlers[`arn:aws:states:::dynamodb:${action}`]!;
  return (await handler({ resource: action, input: { TableName: 'things', ...input }, stateName: 'S', executionArn: `arn:aws:states:eu-west-1:1:execution:m:e${++n}`, now: 0 })) as Record<string, unknown>;
}

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('did not throw');
}

/** Only the placeholders an expression uses: DynamoDB rejects unused ones. */
const valuesFor = (expression: string): Item => Object.fromEntries(Object.entries(VALUES).filter(([k]) => new RegExp(`${k}(?![A-Za-z0-9_])`).test(expression)));

describe('condition expressions', () => {
  const ddb = store();
  it.each([
    ['attribute_exists(watermark)', true],
    ['attribute_not_exists(watermark)', false],
    ['attribute_not_exists(absent_attr)', true],
    ['watermark < :newer', true],
    ['watermark < :older', false],
    ['watermark >= :same AND #count = :five', true],
    ['watermark > :newer OR #count <> :five', false],
    ['NOT (watermark > :newer) AND attribute_exists(pk)', true],
    ['size(done) = :two', true],
    ['size(meta.tags) > :five', false],
    ['#count BETWEEN :two AND :five', true],
    ['#count IN (:two, :five)', true],
    ['begins_with(watermark, :prefix)', true],
    ['contains(done, :b)', true],
    ['meta.tags[1] = :y', true],
    ['attribute_type(ok, :bool)', true],
    ['#count < :ten', true],
    ['absent_attr = :five', false],
  ])('%s → %s', async (condition, holds) => {
    const names = condition.includes('#count') ? { ExpressionAttributeNames: { '#count': 'count' } } : {};
    // The condition is evaluated against the seeded item; putting the same item back leaves the table as it was.
    const values = valuesFor(condition);
    const put = call(ddb, 'putItem', { Item: ITEM, ConditionExpression: condition, ...names, ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}) });
    if (holds) await expect(put).resolves.toMatchObject({ SdkHttpMetadata: { HttpStatusCode: 200 } });
    else expect((await errorOf(put)).name).toBe('DynamoDB.ConditionalCheckFailedException');
  });

  it('a refused condition is DynamoDB.ConditionalCheckFailedException with the cause text of the integration', async () => {
    const err = await errorOf(call(ddb, 'updateItem', { Key: { pk: { S: 'orders' } }, UpdateExpression: 'SET watermark = :older', ConditionExpression: 'watermark < :older', ExpressionAttributeValues: valuesFor(':older') }));
    expect(err).toMatchObject({ name: 'DynamoDB.ConditionalCheckFailedException', message: expect.stringMatching(/^The conditional request failed \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException/) });
  });

  it('rejects an expression value the expression does not use, as DynamoDB does', async () => {
    const err = await errorOf(call(ddb, 'updateItem', { Key: { pk: { S: 'orders' } }, UpdateExpression: 'SET note = :b', ExpressionAttributeValues: { ':b': { S: 'b' }, ':unused': { S: 'x' } } }));
    expect(err).toMatchObject({ name: 'DynamoDB.AmazonDynamoDBException', message: expect.stringMatching(/unused in expressions: keys: \{:unused\}.*Error Code: ValidationException/) });
  });

  it('rejects a reserved word as an attribute name, and an unused name placeholder, as DynamoDB does', async () => {
    const reserved = await errorOf(call(ddb, 'updateItem', { Key: { pk: { S: 'orders' } }, UpdateExpression: 'SET count = :one', ExpressionAttributeValues: valuesFor(':one') }));
    expect(reserved.message).toMatch(/reserved keyword: count/);
    const unused = await errorOf(call(ddb, 'updateItem', { Key: { pk: { S: 'orders' } }, UpdateExpression: 'SET note = :one', ExpressionAttributeNames: { '#n': 'note' }, ExpressionAttributeValues: valuesFor(':one') }));
    expect(unused.message).toMatch(/ExpressionAttributeNames unused in expressions: keys: \{#n\}/);
  });

  it('rejects malformed expressions and undefined placeholders', async () => {
    for (const input of [
      { UpdateExpression: 'SET = :b', ExpressionAttributeValues: valuesFor(':b') },
      { UpdateExpression: 'SET #nope = :b', ExpressionAttributeValues: valuesFor(':b') },
      { UpdateExpression: 'SET note = :undefined' },
    ]) {
      expect((await errorOf(call(ddb, 'updateItem', { Key: { pk: { S: 'orders' } }, ...input }))).name).toBe('DynamoDB.AmazonDynamoDBException');
    }
  });
});

describe('update expressions', () => {
  const update = async (expression: string, returnValues = 'ALL_NEW', extra: Record<string, unknown> = {}) =>
    (await call(store(), 'updateItem', {
      Key: { pk: { S: 'orders' } },
      UpdateExpression: expression,
      ...(expression.includes('#count') ? { ExpressionAttributeNames: { '#count': 'count' } } : {}),
      ExpressionAttributeValues: { ...valuesFor(expression), ...(extra as Item) },
      ReturnValues: returnValues,
    })).Attributes as Item | undefined;

  it('SETs with if_not_exists and arithmetic, reading the old item; UPDATED_NEW returns the updated attributes only', async () => {
    const updated = await update('SET #count = #count + :one, first_seen = if_not_exists(first_seen, :newer), remaining = if_not_exists(#count, :one) - :one', 'UPDATED_NEW');
    expect(updated).toEqual({ count: { N: '6' }, first_seen: { S: '2026-01-03T00:00:00Z' }, remaining: { N: '4' } });
  });

  it('ADDs numbers and string-set members, creating absent attributes', async () => {
    const next = await update('ADD done :c, #count :two, fresh :one', 'ALL_NEW', { ':c': { SS: ['b', 'c'] } });
    expect(next?.done).toEqual({ SS: ['a', 'b', 'c'] });
    expect(next?.count).toEqual({ N: '7' });
    expect(next?.fresh).toEqual({ N: '1' });
  });

  it('REMOVEs and DELETEs, and combines clauses', async () => {
    const next = await update('REMOVE ok, meta.tags[0] SET note = :b DELETE done :a', 'ALL_NEW', { ':a': { SS: ['a'] } });
    expect(next?.ok).toBeUndefined();
    expect(next?.meta).toEqual({ M: { tags: { L: [{ S: 'y' }] } } });
    expect(next?.done).toEqual({ SS: ['b'] });
    expect(next?.note).toEqual({ S: 'b' });
  });

  it('ALL_OLD and UPDATED_OLD return the item before the update; NONE returns no Attributes', async () => {
    expect(await update('SET #count = :ten', 'UPDATED_OLD')).toEqual({ count: { N: '5' } });
    expect((await update('SET #count = :ten', 'ALL_OLD'))?.watermark).toEqual(ITEM.watermark);
    expect(await update('SET #count = :ten', 'NONE')).toBeUndefined();
  });

  it('refuses type errors', async () => {
    await expect(update('SET watermark = watermark + :one')).rejects.toMatchObject({ name: 'DynamoDB.AmazonDynamoDBException', message: expect.stringMatching(/incorrect data type/) });
    await expect(update('ADD watermark :one')).rejects.toMatchObject({ name: 'DynamoDB.AmazonDynamoDBException', message: expect.stringMatching(/incorrect data type/) });
  });
});
