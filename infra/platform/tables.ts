/**
 * The DynamoDB tables the workflows use: watermarks, runs (one row per
 * execution) and gates (dependency joins, expiring).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { ManifestPlatform } from '../../src/build/types.ts';

export type TableKind = keyof ManifestPlatform['dynamodb'];

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
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    };
    this.tables = {
      watermarks: new dynamodb.Table(this, 'Watermarks', { ...base, tableName: props.names.watermarks }),
      runs: new dynamodb.Table(this, 'Runs', {
        ...base,
        tableName: props.names.runs,
        sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      }),
      // One item per downstream dag (pk) and logical date (sk), as the join machines write them.
      // Join records only matter for a few days; TTL removes them.
      gates: new dynamodb.Table(this, 'Gates', {
        ...base,
        tableName: props.names.gates,
        sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
        timeToLiveAttribute: 'expires_at',
      }),
    };
  }
}
