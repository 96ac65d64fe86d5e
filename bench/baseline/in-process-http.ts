/**
 * An SDK request handler that hands each request to a Node `http.Server`'s request
 * listener inside this process, without a socket: the service (dynalite) and the
 * client (`@aws-sdk/client-dynamodb`) run unchanged, minus the TCP round trip.
 * @see https://github.com/smithy-lang/smithy-typescript/blob/main/packages/protocol-http/src/httpHandler.ts
 */
import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { Readable } from 'node:stream';

interface SdkRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

interface SdkResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Readable;
}

/** Passes SDK requests to `server`'s `request` listeners. */
export class InProcessHttpHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };

  constructor(private readonly server: Server) {}

  handle(request: SdkRequest): Promise<{ response: SdkResponse }> {
    return new Promise((resolve, reject) => {
      const req = Object.assign(new EventEmitter(), {
        method: request.method,
        url: request.path || '/',
        headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
      });
      const headers: Record<string, string> = {};
      const res = {
        statusCode: 200,
        contentType: undefined as string | undefined,
        setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
        end: (body?: string | Uint8Array) => {
          const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : (body ?? new Uint8Array());
          resolve({ response: { statusCode: res.statusCode, headers, body: Readable.from([bytes]) } });
        },
      };
      try {
        this.server.emit('request', req, res);
        const body = request.body;
        if (typeof body === 'string') {
          if (body) req.emit('data', Buffer.from(body, 'utf8'));
        } else if (body instanceof Uint8Array) {
          // A view on the same bytes: the SDK's JSON body is a Uint8Array subclass that warns when read as a string.
          if (body.byteLength) req.emit('data', Buffer.from(body.buffer, body.byteOffset, body.byteLength));
        }
        req.emit('end');
      } catch (error) {
        reject(error as Error);
      }
    });
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}
