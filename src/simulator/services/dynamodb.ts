/**
 * DynamoDB behind the optimized integrations `arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem`:
 * an in-memory store in the low-level attribute-value format, with condition and
 * update expressions and `ReturnValues`.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
 */
import { taskError } from '../errors.ts';
import { ExpressionError } from '../dynamodb/lexer.ts';
import { applyUpdate, evaluateCondition, type Values } from '../dynamodb/evaluate.ts';
import { parseCondition, parseUpdate } from '../dynamodb/parser.ts';
import { clone, isAttributeValue, type Item } from '../dynamodb/values.ts';
import { machineOf, type Problems } from '../problems.ts';
import { record, str, type TaskCall, type TaskHandler } from './types.ts';

const PREFIX = 'arn:aws:states:::dynamodb:';

export class DynamoDbStore {
  private readonly tables = new Map<string, Map<string, Item>>();
  private requests = 0;

  /** @param keySchemas key attribute names per table; tables without one use the `Key`s seen, then a guess. */
  constructor(
    private readonly keySchemas: Record<string, string[]> = {},
    private readonly problems?: Problems,
  ) {}

  /** Items of every table, in insertion order. */
  snapshot(): Record<string, Item[]> {
    return Object.fromEntries([...this.tables.entries()].map(([name, items]) => [name, [...items.values()].map(clone)]));
  }

  getItem(table: string, key: Item): Item | undefined {
    const item = this.table(table).get(this.keyString(table, key));
    return item && clone(item);
  }

  /** Stores an item as is (for scenario seeds). */
  putItem(table: string, item: Item): void {
    this.table(table).set(this.keyString(table, this.keyOf(table, item)), clone(item));
  }

  readonly handlers: Record<string, TaskHandler> = {
    [`${PREFIX}getItem`]: (call) => this.guard(call, (p, table) => {
      const item = this.getItem(table, keyParam(p));
      return this.respond(item ? { Item: item } : {});
    }),
    [`${PREFIX}putItem`]: (call) => this.guard(call, (p, table) => {
      const item = itemParam(p.Item, 'Item');
      const key = this.keyOf(table, item);
      const old = this.getItem(table, key);
      this.check(p, old);
      this.table(table).set(this.keyString(table, key), clone(item));
      return this.respond(p.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {});
    }),
    [`${PREFIX}deleteItem`]: (call) => this.guard(call, (p, table) => {
      const key = keyParam(p);
      const old = this.getItem(table, key);
      this.check(p, old);
      this.table(table).delete(this.keyString(table, key));
      return this.respond(p.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {});
    }),
    [`${PREFIX}updateItem`]: (call) => this.guard(call, (p, table) => {
      const key = keyParam(p);
      const old = this.getItem(table, key);
      this.check(p, old);
      const expression = str(p.UpdateExpression);
      if (!expression) throw new ExpressionError('UpdateExpression is required');
      const actions = parseUpdate(expression, names(p));
      const { item, updated } = applyUpdate(actions, old ?? clone(key), values(p));
      this.table(table).set(this.keyString(table, key), item);
      const pick = (from: Item | undefined): Item =>
        Object.fromEntries(updated.filter((n) => from?.[n] !== undefined).map((n) => [n, clone(from?.[n])])) as Item;
      const returned: Record<string, Item | undefined> = {
        ALL_NEW: clone(item),
        ALL_OLD: old,
        UPDATED_NEW: pick(item),
        UPDATED_OLD: old && pick(old),
      };
      const mode = str(p.ReturnValues) ?? 'NONE';
      const attributes = returned[mode];
      return this.respond(attributes && Object.keys(attributes).length ? { Attributes: attributes } : {});
    }),
  };

  private guard(call: TaskCall, body: (params: Record<string, unknown>, table: string) => unknown): unknown {
    const params = this.attributeValues(call);
    const table = str(params.TableName);
    try {
      if (!table) throw new ExpressionError('TableName is required');
      return body(params, table);
    } catch (error) {
      if (error instanceof ExpressionError || error instanceof Error && /document path|attribute value/i.test(error.message)) {
        throw taskError('DynamoDB.AmazonDynamoDBException', `${error.message} (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException)`);
      }
      throw error;
    }
  }

  /**
   * `Item`, `Key` and `ExpressionAttributeValues` hold attribute values (`{"S": …}`). A bare
   * string there (`"sk.$": "States.Format(…)"` instead of `"sk": {"S.$": …}`) is rejected by
   * DynamoDB; unless strict, the simulator reports it and reads it as `{"S": …}`.
   */
  private attributeValues(call: TaskCall): Record<string, unknown> {
    const params = record(call.input);
    let out = params;
    for (const field of ['Item', 'Key', 'ExpressionAttributeValues']) {
      const map = params[field];
      if (typeof map !== 'object' || map === null || Array.isArray(map)) continue;
      const bare = Object.entries(map).filter(([, v]) => typeof v === 'string');
      if (bare.length === 0) continue;
      for (const [name] of bare) {
        const text = `${machineOf(call.executionArn)}: state "${call.stateName}" passes ${field}.${name} to DynamoDB as a bare string, not an attribute value ({"S": …}): DynamoDB rejects the request`;
        this.problems?.report(text);
        if (!this.problems || this.problems.strict) {
          throw taskError('DynamoDB.AmazonDynamoDBException', `${text} (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: SerializationException)`);
        }
      }
      out = { ...out, [field]: Object.fromEntries(Object.entries(map).map(([k, v]) => [k, typeof v === 'string' ? { S: v } : v])) };
    }
    return out;
  }

  private check(params: Record<string, unknown>, existing: Item | undefined): void {
    const expression = str(params.ConditionExpression);
    if (!expression) return;
    if (!evaluateCondition(parseCondition(expression, names(params)), existing ?? {}, values(params))) {
      this.requests++;
      throw taskError(
        'DynamoDB.ConditionalCheckFailedException',
        `The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: ${requestId(this.requests)}; Proxy: null)`,
      );
    }
  }

  private respond(body: Record<string, unknown>): Record<string, unknown> {
    this.requests++;
    return {
      ...body,
      SdkHttpMetadata: { HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: requestId(this.requests) },
    };
  }

  private table(name: string): Map<string, Item> {
    let table = this.tables.get(name);
    if (!table) {
      table = new Map();
      this.tables.set(name, table);
    }
    return table;
  }

  /** The key attributes of `item`, by the table's schema (learned from `Key` parameters if not given). */
  private keyOf(table: string, item: Item): Item {
    const schema = this.keySchemas[table] ?? guessKey(item);
    const key: Item = {};
    for (const name of schema) {
      const v = item[name];
      if (v === undefined) throw new ExpressionError(`One of the required keys was not given a value: ${name}`);
      key[name] = v;
    }
    return key;
  }

  private keyString(table: string, key: Item): string {
    if (!this.keySchemas[table]) this.keySchemas[table] = Object.keys(key).sort();
    return JSON.stringify(Object.keys(key).sort().map((k) => [k, key[k]]));
  }
}

/** Without a known schema: `pk`/`sk`-style names if present, else the first attribute. */
function guessKey(item: Item): string[] {
  const conventional = Object.keys(item).filter((k) => /^(pk|sk|PK|SK|id)$/.test(k));
  return conventional.length ? conventional : Object.keys(item).slice(0, 1);
}

function keyParam(params: Record<string, unknown>): Item {
  return itemParam(params.Key, 'Key');
}

function itemParam(value: unknown, what: string): Item {
  const item = record(value);
  for (const [name, v] of Object.entries(item)) {
    if (!isAttributeValue(v)) throw new ExpressionError(`Invalid attribute value in ${what}.${name}: ${JSON.stringify(v)}`);
  }
  if (Object.keys(item).length === 0) throw new ExpressionError(`${what} is required`);
  return item as Item;
}

function names(params: Record<string, unknown>): Record<string, string> {
  return record(params.ExpressionAttributeNames) as Record<string, string>;
}

function values(params: Record<string, unknown>): Values {
  return itemParam(params.ExpressionAttributeValues ?? { ':__none': { NULL: true } }, 'ExpressionAttributeValues');
}

function requestId(n: number): string {
  return `SIM${String(n).padStart(29, '0')}`;
}
