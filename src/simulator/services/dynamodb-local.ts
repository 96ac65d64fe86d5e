/**
 * DynamoDB's operations handed to dynalite inside this process as its HTTP request
 * handler hands them on once it has read a request: the JSON body's types checked
 * (`checkTypes`), the request validated (`checkValidations`: expressions parsed, limits),
 * then the operation's action run on the in-memory store. Only the HTTP envelope is left
 * out (headers, request ids, CRC32 checksums, the body as a stream), which costs as much
 * as the operation itself; request and response still travel as JSON text, as on the wire.
 * @see https://github.com/architect/dynalite/blob/main/index.js
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
 */
import db from 'dynalite/db/index.js';
import validations from 'dynalite/validations/index.js';
import createTable from 'dynalite/actions/createTable.js';
import deleteItem from 'dynalite/actions/deleteItem.js';
import describeTable from 'dynalite/actions/describeTable.js';
import getItem from 'dynalite/actions/getItem.js';
import putItem from 'dynalite/actions/putItem.js';
import scan from 'dynalite/actions/scan.js';
import updateItem from 'dynalite/actions/updateItem.js';
import createTableRules from 'dynalite/validations/createTable.js';
import deleteItemRules from 'dynalite/validations/deleteItem.js';
import describeTableRules from 'dynalite/validations/describeTable.js';
import getItemRules from 'dynalite/validations/getItem.js';
import putItemRules from 'dynalite/validations/putItem.js';
import scanRules from 'dynalite/validations/scan.js';
import updateItemRules from 'dynalite/validations/updateItem.js';
import { DynamoDbError, errorOf, type DynamoDbSend } from './dynamodb-wire.ts';

/** The operations the simulator sends, with dynalite's checks and action for each. */
const OPERATIONS: Record<string, { rules: { types: unknown; custom?: unknown }; action: typeof getItem }> = {
  CreateTable: { rules: createTableRules, action: createTable },
  DescribeTable: { rules: describeTableRules, action: describeTable },
  GetItem: { rules: getItemRules, action: getItem },
  PutItem: { rules: putItemRules, action: putItem },
  UpdateItem: { rules: updateItemRules, action: updateItem },
  DeleteItem: { rules: deleteItemRules, action: deleteItem },
  Scan: { rules: scanRules, action: scan },
};

/** Checked requests a store keeps (then it starts again): a day of the example sends ~3,400 requests, ~1,900 of them distinct. */
const CHECKED_KEPT = 4096;

interface ServiceError {
  statusCode?: number;
  body?: Record<string, unknown>;
}

/** A fresh in-memory dynalite store (options as `dynalite(options)` takes them) and a client of it. */
export function localClient(options: Record<string, unknown>): DynamoDbSend {
  const store = db.create({ ...options });
  const checked = new Map<string, Record<string, unknown>>();
  return (operation, input) =>
    new Promise((resolve, reject) => {
      const op = OPERATIONS[operation];
      if (!op) return reject(new DynamoDbError('UnknownOperationException', `The simulator does not send ${operation}`));
      const fail = (error: unknown): void => {
        const e = error as ServiceError;
        reject(e?.statusCode ? errorOf(e.statusCode, JSON.parse(JSON.stringify(e.body ?? {})) as Record<string, unknown>) : error);
      };
      let data: Record<string, unknown>;
      try {
        const text = JSON.stringify(input);
        const key = `${operation} ${text}`;
        let request = checked.get(key);
        if (!request) {
          request = validations.checkTypes(JSON.parse(text) as Record<string, unknown>, op.rules.types);
          validations.checkValidations(request, op.rules.types, op.rules.custom, store);
          if (checked.size >= CHECKED_KEPT) checked.clear();
          checked.set(key, request);
        }
        data = copy(request) as Record<string, unknown>;
      } catch (error) {
        return fail(error);
      }
      op.action(store, data, (error, body) => (error ? fail(error) : resolve(JSON.parse(JSON.stringify(body ?? {})) as Record<string, unknown>)));
    });
}

/** A copy of a checked request: plain objects, arrays and scalars only (what JSON and the expression parsers make). */
function copy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copy);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const v = copy((value as Record<string, unknown>)[k]);
    // An attribute may be named `__proto__`: kept as an own property, as JSON.parse makes it.
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}
