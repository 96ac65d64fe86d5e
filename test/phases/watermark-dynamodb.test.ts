/**
 * The compiled watermark states against real DynamoDB semantics (dynalite, through
 * the AWS SDK): a watermark never moves backwards, numbers compare as numbers
 * (`1000` after `999`), timestamps as fixed-width strings, and a first-run read
 * (value '') does not block the first advance.
 */
import { CreateTableCommand, DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSpecs } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';

type Json = Record<string, unknown>;
type State = Json & { Type: string; Parameters?: Json; Choices?: { Variable: string; StringMatches: string; Next: string }[]; Default?: string; Next?: string };

const TABLE = 'lakestep-watermarks';
const server = dynalite({ createTableMs: 0 });
let db: DynamoDBClient;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  db = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await db.send(new CreateTableCommand({ TableName: TABLE, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
});
afterAll(async () => {
  db?.destroy();
  await new Promise((resolve) => server.close(resolve));
});

/** The compiled migration's Map item states (they carry the watermark advance). */
const result = compile(readSpecs('specs'), { lakestepVersion: '0.0.0-test' });
const migration = JSON.parse(result.files.get('orders/orders-migration.asl.json')!) as { States: Record<string, State & { ItemProcessor?: { States: Record<string, State> } }> };
const item = Object.values(migration.States).find((s) => s.ItemProcessor)!.ItemProcessor!.States;
const readState = [...result.files]
  .filter(([p]) => p.endsWith('.asl.json'))
  .flatMap(([, text]) => Object.values((JSON.parse(text) as { States: Record<string, State> }).States))
  .find((s) => String(s.Parameters?.UpdateExpression ?? '').includes('if_not_exists') && (s.Parameters?.ExpressionAttributeNames as Json)?.['#v'] === 'value')!;
/** The ingestion's guard read of the orders table's migration mark (src/phases/migration-guard.ts). */
const ingestion = JSON.parse(result.files.get('orders/orders-ingestion.asl.json')!) as { States: Record<string, State & { ResultSelector?: Json }> };
const markRead = ingestion.States['Read migration mark raw_orders.orders']!;

/** Resolves `.$` parameters the way Step Functions does for the paths these states use. */
function resolve(node: unknown, input: Json): unknown {
  if (Array.isArray(node)) return node.map((n) => resolve(n, input));
  if (!node || typeof node !== 'object') return node === '${WatermarksTable}' ? TABLE : node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k.endsWith('.$')) out[k.slice(0, -2)] = lookup(String(v), input);
    else out[k] = resolve(v, input);
  }
  return out;
}
function lookup(path: string, input: Json): unknown {
  if (path === '$$.State.EnteredTime') return '2026-11-25T00:00:00Z';
  // `States.Format('<text>{}', <path>)`, the form of the Map's item keys; `\` escapes a character of the text.
  const format = /^States\.Format\('((?:[^'\\]|\\.)*)', (\$[\w.]+)\)$/.exec(path);
  if (format) return format[1]!.replace(/\\(.)|\{\}/g, (m, escaped?: string) => escaped ?? String(lookup(format[2]!, input)));
  if (path === '$$.Execution.Id') return 'arn:aws:states:eu-west-1:1:execution:m:e';
  return path.slice(2).split('.').reduce<unknown>((v, k) => (v as Json)[k], input);
}
/** `StringMatches` with `*` as the only wildcard. */
const matches = (value: string, pattern: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);

async function send(state: State, input: Json): Promise<'written' | 'kept'> {
  try {
    await db.send(new UpdateItemCommand(resolve(state.Parameters, input) as never));
    return 'written';
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return 'kept';
    throw e;
  }
}

/** The item of table `name` in the watermarks table, as the Map's states compute it. */
const keyOf = (name: string) => String(lookup(String((item['Mark table migrated']!.Parameters as { Key: { pk: Json } }).Key.pk['S.$']), { table: { name } }));

/** Runs the compiled "Advance table watermark" Choice and the task it picks, for table `name`. */
async function advance(name: string, value: string): Promise<'written' | 'kept'> {
  const choice = item['Advance table watermark']!;
  const input = { table: { name }, job: { result: { watermarks: { watermark: value } } } };
  const rule = choice.Choices![0]!;
  const next = matches(String(lookup(rule.Variable, input)), rule.StringMatches) ? rule.Next : choice.Default!;
  return send(item[next]!, input);
}
async function stored(name: string): Promise<string | undefined> {
  const r = await db.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: keyOf(name) } }, ConsistentRead: true }));
  return r.Item?.value?.S;
}

describe('watermark advance on DynamoDB semantics', () => {
  it('compares numeric watermarks as numbers: 1000 follows 999, 998 is ignored', async () => {
    expect(await advance('n1', '999')).toBe('written');
    expect(await advance('n1', '1000')).toBe('written');
    expect(await advance('n1', '998')).toBe('kept');
    expect(await advance('n1', '1000')).toBe('kept');
    expect(await stored('n1')).toBe('1000');
  });

  it('the string comparison alone would refuse 1000 after 999 (why numbers get type N)', async () => {
    const stringTask = item['Advance table watermark (timestamp)']!;
    const input = (v: string) => ({ table: { name: 's1' }, job: { result: { watermarks: { watermark: v } } } });
    expect(await send(stringTask, input('999'))).toBe('written');
    expect(await send(stringTask, input('1000'))).toBe('kept');
    expect(await stored('s1')).toBe('999');
  });

  it('compares timestamps as fixed-width strings and never moves backwards', async () => {
    expect(await advance('t1', '2026-11-25T00:00:00.000000Z')).toBe('written');
    expect(await advance('t1', '2026-11-24T23:59:59.999999Z')).toBe('kept');
    expect(await advance('t1', '2026-11-25T00:00:00.000001Z')).toBe('written');
    expect(await stored('t1')).toBe('2026-11-25T00:00:00.000001Z');
  });

  it("a first-run read ('' stored) does not block the first numeric or timestamp advance", async () => {
    for (const [key, value] of [['r1', '42'], ['r2', '2026-11-25T00:00:00.000000Z']] as const) {
      await db.send(new UpdateItemCommand({ ...(resolve(readState.Parameters, {}) as object), Key: { pk: { S: keyOf(key) } } } as never));
      expect(await stored(key)).toBe('');
      expect(await advance(key, value)).toBe('written');
      expect(await stored(key)).toBe(value);
    }
  });

  it("the guard reads '' until the migration's mark, then the mark; neither touches the watermark", async () => {
    const key = 'orders';
    // The guard's static key and the one the migration's Map computes name the same item.
    expect(keyOf(key)).toBe((markRead.Parameters as { Key: { pk: { S: string } } }).Key.pk.S);
    expect(keyOf(key)).toBe('migration/raw_orders.orders');
    const readMark = async (): Promise<unknown> => {
      const r = await db.send(new UpdateItemCommand(resolve(markRead.Parameters, {}) as never));
      // The state's ResultSelector: `$.Attributes.migrated_at.S`.
      expect(markRead.ResultSelector).toEqual({ 'value.$': '$.Attributes.migrated_at.S' });
      return r.Attributes?.migrated_at?.S;
    };
    expect(await readMark()).toBe('');
    expect(await advance(key, '2026-11-24T00:00:00.000000Z')).toBe('written');
    expect(await readMark()).toBe('');
    expect(await send(item['Mark table migrated']!, { table: { name: key } })).toBe('written');
    expect(await readMark()).toBe('2026-11-25T00:00:00Z');
    expect(await stored(key)).toBe('2026-11-24T00:00:00.000000Z');
  });
});
