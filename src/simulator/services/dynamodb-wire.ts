/**
 * DynamoDB's low-level API (JSON 1.0 over HTTP POST, `X-Amz-Target: DynamoDB_20120810.<Operation>`)
 * spoken to dynalite's request listener inside this process: the request body is the one the AWS
 * SDK sends and the response body the one DynamoDB returns, minus the SDK's middleware, its
 * (de)serialization and a socket, which cost more than dynalite itself.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
 */
import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';

/** One DynamoDB operation (`GetItem`, `UpdateItem`…) and its JSON response body; throws DynamoDbError. */
export type DynamoDbSend = (operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** An error response of DynamoDB: `code` from its `__type` (`ConditionalCheckFailedException`). */
export class DynamoDbError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

// dynalite checks the form of the SigV4 Authorization header, never the signature.
const HEADERS = {
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-date': '20260101T000000Z',
  authorization: 'AWS4-HMAC-SHA256 Credential=simulator/20260101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
};

/** Sends each operation to `server`'s `request` listeners. */
export function wireClient(server: Server): DynamoDbSend {
  return (operation, input) =>
    new Promise((resolve, reject) => {
      const req = Object.assign(new EventEmitter(), { method: 'POST', url: '/', headers: { ...HEADERS, 'x-amz-target': `DynamoDB_20120810.${operation}` } });
      const res = {
        statusCode: 200,
        contentType: undefined as string | undefined,
        setHeader: () => {},
        end: (body?: string) => {
          try {
            const parsed = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
            if (res.statusCode < 300) resolve(parsed);
            else reject(errorOf(res.statusCode, parsed));
          } catch {
            reject(new DynamoDbError(String(res.statusCode), body ?? ''));
          }
        },
      };
      try {
        server.emit('request', req, res);
        req.emit('data', Buffer.from(JSON.stringify(input), 'utf8'));
        req.emit('end');
      } catch (error) {
        reject(error as Error);
      }
    });
}

/**
 * The error code as the AWS SDKs read it: `__type` past its namespace (`…#`) and before any `:`.
 * @see https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html#operation-error-serialization
 */
export function errorOf(status: number, body: Record<string, unknown>): DynamoDbError {
  const type = typeof body.__type === 'string' ? body.__type : String(status);
  const code = type.slice(type.indexOf('#') + 1).split(':')[0]!;
  const message = body.message ?? body.Message;
  return new DynamoDbError(code, typeof message === 'string' ? message : '');
}
