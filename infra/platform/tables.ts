/**
 * The DynamoDB tables the workflows use: watermarks, runs (one row per
 * execution) and gates (dependency joins, expiring).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE_KEYS, type TableKind } from '../../src/build/platform-tables.ts';
import type { ManifestPlatform } from '../../src/build/types.ts';

export type { TableKind };

export interface PlatformTablesProps {
  /** Table names from the manifest's `platform.dynamodb`. */
  names: ManifestPlatform['dynamodb'];
  key: kms.IKey;
}

/** On-demand, KMS-encrypted tables with point-in-time recovery. */
export class PlatformTables extends Construct {
  readonly tables: Record<TableKind, dynamodb.Table>;

  constructor(scope: Construct, id: string, props: PlatformTablesProps) {
    super(scope, id);
    const base = {
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    };
    const keyOf = (kind: TableKind): Pick<dynamodb.TableProps, 'partitionKey' | 'sortKey'> => {
      const [pk, sk] = TABLE_KEYS[kind];
      return { partitionKey: { name: pk, type: dynamodb.AttributeType.STRING }, ...(sk ? { sortKey: { name: sk, type: dynamodb.AttributeType.STRING } } : {}) };
    };
    this.tables = {
      watermarks: new dynamodb.Table(this, 'Watermarks', { ...base, ...keyOf('watermarks'), tableName: props.names.watermarks }),
      runs: new dynamodb.Table(this, 'Runs', { ...base, ...keyOf('runs'), tableName: props.names.runs }),
      // Join records only matter for a few days; TTL removes them.
      gates: new dynamodb.Table(this, 'Gates', { ...base, ...keyOf('gates'), tableName: props.names.gates, timeToLiveAttribute: 'expires_at' }),
    };
  }
}
