/**
 * DynamoDB behind the optimized integrations `arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem`.
 * The calls go to dynalite, a DynamoDB implementation running in this process on an
 * in-memory LevelDB, as DynamoDB's JSON requests (./dynamodb-wire.ts): condition and update expressions,
 * `ReturnValues` and request validation are DynamoDB's, not the simulator's. Tables are
 * created on first use with the key the state machines' `Key` parameters name.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
 * @see https://github.com/architect/dynalite#readme
 */
import type { Server } from 'node:http';
import dynalite from 'dynalite';
import { typeOf, type Item } from '../attribute-values.ts';
import { taskError } from '../errors.ts';
import { localClient } from './dynamodb-local.ts';
import { DynamoDbError, type DynamoDbSend } from './dynamodb-wire.ts';
import { machineOf, type Problems } from '../problems.ts';
import { record, str, type TaskCall, type TaskHandler } from './types.ts';

const PREFIX = 'arn:aws:states:::dynamodb:';

/** The DynamoDB operation of each integration. */
const OPERATIONS = {
  getItem: 'GetItem',
  putItem: 'PutItem',
  updateItem: 'UpdateItem',
  deleteItem: 'DeleteItem',
} as const;

type Action = keyof typeof OPERATIONS;

/** How requests reach dynalite's HTTP server (default: no server, its store directly: localClient); the bench passes its baseline here. */
export type DynamoDbTransport = (server: Server, region: string) => DynamoDbSend;

/** Parameters Step Functions passes on to DynamoDB (anything else in `Parameters` is an error there too). */
const PASSED = [
  'TableName', 'Key', 'Item', 'ConditionExpression', 'UpdateExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues',
  'ReturnValues', 'ReturnConsumedCapacity', 'ReturnItemCollectionMetrics', 'ReturnValuesOnConditionCheckFailure', 'ProjectionExpression',
  'ConsistentRead',
];

/** A seeded item DynamoDB refused (`seed` is `<table>[<i>]`, the i-th item seeded into that table). */
export class SeedError extends Error {
  constructor(
    readonly seed: string,
    override readonly cause: DynamoDbError,
  ) {
    super(`${seed}: DynamoDB refuses it: ${cause.code}: ${cause.message}`);
    this.name = 'SeedError';
  }
}

export class DynamoDb {
  private server: Server | undefined;
  private client: Promise<DynamoDbSend> | undefined;
  private readonly tables = new Map<string, Promise<void>>();
  private readonly seeds: { table: string; item: Item }[] = [];
  private requests = 0;

  /** @param keySchemas key attribute names per table, partition key first; a table without one uses `pk`/`sk`/`id` or its first attribute. */
  constructor(
    private readonly keySchemas: Record<string, string[]> = {},
    private readonly problems?: Problems,
    private readonly region = 'eu-west-1',
    private readonly transport?: DynamoDbTransport,
  ) {}

  /** Key schemas of tables not known yet (those a machine's `Key` parameters tell, as its machine is first run). */
  learn(keySchemas: Record<string, string[]>): void {
    for (const [table, key] of Object.entries(keySchemas)) this.keySchemas[table] ??= key;
  }

  /** Stores `item` before anything runs (scenario seeds), unconditionally. */
  seed(table: string, item: Item): void {
    this.seeds.push({ table, item });
  }

  /** Stores the seeds now (else on the first call): one DynamoDB refuses is a {@link SeedError}. */
  async storeSeeds(): Promise<void> {
    if (this.seeds.length > 0 || this.client) await this.connect();
  }

  /** Items of every table used, tables and items in a stable order (by table name, then by key). */
  async snapshot(): Promise<Record<string, Item[]>> {
    const out: Record<string, Item[]> = {};
    if (!this.client && this.seeds.length === 0) return out;
    const client = await this.connect();
    for (const table of [...this.tables.keys()].sort()) {
      await this.tables.get(table);
      const items: Item[] = [];
      let start: unknown;
      do {
        const page = await client('Scan', { TableName: table, ...(start ? { ExclusiveStartKey: start } : {}) });
        items.push(...((page.Items ?? []) as Item[]));
        start = page.LastEvaluatedKey;
      } while (start);
      const key = this.schema(table, items[0] ?? {});
      out[table] = items.sort((a, b) => keyText(a, key).localeCompare(keyText(b, key)));
    }
    return out;
  }

  /** Stops the in-process DynamoDB. */
  async close(): Promise<void> {
    this.client = undefined;
    // The server never listened, so there is nothing to stop; the in-memory store goes with it.
    this.server = undefined;
  }

  readonly handlers: Record<string, TaskHandler> = Object.fromEntries(
    (Object.keys(OPERATIONS) as Action[]).map((action) => [`${PREFIX}${action}`, (call: TaskCall) => this.call(action, call)]),
  );

  private async call(action: Action, call: TaskCall): Promise<unknown> {
    const params = this.attributeValues(call);
    const table = str(params.TableName) ?? '';
    const client = await this.connect();
    const input = Object.fromEntries(Object.entries(params).filter(([k]) => PASSED.includes(k)));
    const unknown = Object.keys(params).filter((k) => !PASSED.includes(k));
    this.requests++;
    try {
      await this.table(table, record(params.Key ?? params.Item) as Item);
      if (unknown.length) throw validation(`The parameters ${unknown.join(', ')} are not part of the ${action} request`);
      const body = await client(OPERATIONS[action], input);
      return { ...body, SdkHttpMetadata: { HttpStatusCode: 200 }, SdkResponseMetadata: { RequestId: requestId(this.requests) } };
    } catch (error) {
      throw integrationError(error, this.requests);
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

  /** The client, starting dynalite and storing the seeds on first use. */
  private connect(): Promise<DynamoDbSend> {
    this.client ??= (async () => {
      const options = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };
      let client: DynamoDbSend;
      if (this.transport) {
        // dynalite's HTTP server is never bound to a port: its request listener gets the requests directly.
        this.server = dynalite(options);
        client = this.transport(this.server, this.region);
      } else client = localClient(options);
      const seen = new Map<string, number>();
      for (const { table, item } of this.seeds.splice(0)) {
        const i = seen.get(table) ?? 0;
        seen.set(table, i + 1);
        try {
          await this.table(table, item, client);
          await client('PutItem', { TableName: table, Item: item });
        } catch (e) {
          throw e instanceof DynamoDbError ? new SeedError(`${table}[${i}]`, e) : e;
        }
      }
      return client;
    })();
    return this.client;
  }

  /** Creates `name` on first use, its key typed like the attributes of `sample`. */
  private table(name: string, sample: Item, given?: DynamoDbSend): Promise<void> {
    let created = this.tables.get(name);
    if (!created) {
      created = (async () => {
        const client = given ?? (await this.connect());
        const key = this.schema(name, sample);
        const type = (attr: string): 'S' | 'N' | 'B' => {
          const t = typeOf(sample[attr]);
          return t === 'N' || t === 'B' ? t : 'S';
        };
        await client('CreateTable', {
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: key.map((a) => ({ AttributeName: a, AttributeType: type(a) })),
          KeySchema: key.map((a, i) => ({ AttributeName: a, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
        });
        while ((record((await client('DescribeTable', { TableName: name })).Table).TableStatus) !== 'ACTIVE') {
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      })();
      this.tables.set(name, created);
    }
    return created;
  }

  private schema(table: string, sample: Item): string[] {
    return (this.keySchemas[table] ??= guessKey(sample));
  }
}

/** Without a known schema: `pk`/`sk`-style names if present, else the first attribute. */
function guessKey(item: Item): string[] {
  const conventional = ['pk', 'PK', 'id', 'sk', 'SK'].filter((k) => k in item);
  return (conventional.length ? conventional : Object.keys(item).slice(0, 1)).slice(0, 2);
}

function keyText(item: Item, key: string[]): string {
  return JSON.stringify(key.map((k) => item[k] ?? null));
}

function validation(message: string): DynamoDbError {
  return new DynamoDbError('ValidationException', message);
}

/**
 * The error a Task state sees: `DynamoDB.<ErrorCode>`, except a ValidationException, which
 * the integration reports as `DynamoDB.AmazonDynamoDBException`, with the cause text of AWS's Java SDK.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
 */
function integrationError(error: unknown, request: number): Error {
  if (!(error instanceof DynamoDbError)) return error as Error;
  const code = error.code;
  const name = code === 'ValidationException' || code === 'SerializationException' ? 'DynamoDB.AmazonDynamoDBException' : `DynamoDB.${code}`;
  const message = error.message.replace(/^\s*$/, code === 'ConditionalCheckFailedException' ? 'The conditional request failed' : code);
  return taskError(name, `${message} (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ${code}; Request ID: ${requestId(request)}; Proxy: null)`);
}

function requestId(n: number): string {
  return `SIM${String(n).padStart(29, '0')}`;
}
