/**
 * S3 objects behind the SDK integrations `arn:aws:states:::aws-sdk:s3:getObject|putObject`.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
import { taskError } from '../errors.ts';
import { record, str, type TaskHandler } from './types.ts';

const PREFIX = 'arn:aws:states:::aws-sdk:s3:';

export class S3Store {
  private readonly objects = new Map<string, string>();

  /** Writes an object at an `s3://bucket/key` URI. */
  put(uri: string, body: string): void {
    this.objects.set(uri, body);
  }

  get(uri: string): string | undefined {
    return this.objects.get(uri);
  }

  snapshot(): Record<string, string> {
    return Object.fromEntries(this.objects);
  }

  readonly handlers: Record<string, TaskHandler> = {
    [`${PREFIX}getObject`]: ({ input }) => {
      const { Bucket, Key } = record(input);
      const uri = `s3://${str(Bucket) ?? ''}/${str(Key) ?? ''}`;
      const body = this.objects.get(uri);
      if (body === undefined) {
        throw taskError('S3.NoSuchKeyException', 'The specified key does not exist. (Service: S3, Status Code: 404)');
      }
      return { Body: body, ContentLength: Buffer.byteLength(body), ContentType: 'application/json', ETag: `"${body.length.toString(16)}"` };
    },
    [`${PREFIX}putObject`]: ({ input }) => {
      const { Bucket, Key, Body } = record(input);
      this.put(`s3://${str(Bucket) ?? ''}/${str(Key) ?? ''}`, typeof Body === 'string' ? Body : JSON.stringify(Body));
      return { ETag: '"0"' };
    },
  };
}

/** `s3://bucket/key` → `{bucket, key}`. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  return m ? { bucket: m[1] as string, key: m[2] as string } : undefined;
}
