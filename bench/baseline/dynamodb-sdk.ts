/**
 * The simulator's former DynamoDB transport, kept as the simulator section's baseline:
 * `@aws-sdk/client-dynamodb` with a request handler that hands each request to dynalite's
 * listener in this process (./in-process-http.ts). The simulator now sends the same JSON
 * requests without the SDK (src/simulator/services/dynamodb-wire.ts).
 */
import type { Server } from 'node:http';
import { DynamoDBClient, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import * as sdk from '@aws-sdk/client-dynamodb';
import { DynamoDbError, type DynamoDbSend } from '../../src/simulator/services/dynamodb-wire.ts';
import { InProcessHttpHandler } from './in-process-http.ts';

export function sdkClient(server: Server, region: string): DynamoDbSend {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new DynamoDBClient({
    endpoint: 'http://dynamodb.simulator.invalid',
    requestHandler: new InProcessHttpHandler(server),
    region,
    credentials: { accessKeyId: 'simulator', secretAccessKey: 'simulator' },
    maxAttempts: 1,
    signer: {
      sign: async (request: { headers: Record<string, string> }) => {
        request.headers['x-amz-date'] = '20260101T000000Z';
        request.headers.authorization = 'AWS4-HMAC-SHA256 Credential=simulator/20260101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0';
        return request;
      },
    } as never,
  });
  return async (operation, input) => {
    const Command = (sdk as unknown as Record<string, new (input: unknown) => sdk.GetItemCommand>)[`${operation}Command`]!;
    try {
      const { $metadata: _m, ...body } = (await client.send(new Command(input))) as unknown as Record<string, unknown>;
      return body;
    } catch (error) {
      if (error instanceof DynamoDBServiceException) throw new DynamoDbError(error.name, error.message);
      throw error;
    }
  };
}
