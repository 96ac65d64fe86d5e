/**
 * AWS SDK v3 clients aimed at moto: a local endpoint, dummy credentials, one set per region.
 * @see https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/specifying-endpoints.html
 */
import { DataSyncClient } from '@aws-sdk/client-datasync';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SSMClient } from '@aws-sdk/client-ssm';

export interface Clients {
  region: string;
  sfn: SFNClient;
  dynamodb: DynamoDBClient;
  s3: S3Client;
  sns: SNSClient;
  sqs: SQSClient;
  datasync: DataSyncClient;
  scheduler: SchedulerClient;
  ssm: SSMClient;
}

/** moto's default account: the ARNs it builds use it, as the simulator's fake ARNs do. */
export const MOTO_ACCOUNT = '123456789012';

const cache = new Map<string, Clients>();

/** Clients for `region` on the moto server at `endpoint` (cached). */
export function clientsFor(endpoint: string, region: string): Clients {
  const key = `${endpoint}|${region}`;
  let c = cache.get(key);
  if (!c) {
    const config = { endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 2 };
    c = {
      region,
      sfn: new SFNClient(config),
      dynamodb: new DynamoDBClient(config),
      s3: new S3Client({ ...config, forcePathStyle: true }),
      sns: new SNSClient(config),
      sqs: new SQSClient(config),
      datasync: new DataSyncClient(config),
      scheduler: new SchedulerClient(config),
      ssm: new SSMClient(config),
    };
    cache.set(key, c);
  }
  return c;
}
