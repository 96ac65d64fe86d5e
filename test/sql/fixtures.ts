/** IR values shared by the SQL tests. */
import type { Merge, MigrationTable } from '../../src/ir/types.ts';
import type { Origin } from '../../src/diagnostics.ts';

export const origin: Origin = { file: 'orders/migration.yaml', line: 1, column: 1, pointer: '' };

export function migrationTable(over: Partial<MigrationTable> = {}): MigrationTable {
  return {
    name: 'orders',
    target: { database: 'raw_orders', table: 'orders' },
    layer: 'raw',
    location: 's3://acme-raw/raw_orders/orders/',
    sourcePath: '/warehouse/orders',
    format: 'parquet',
    formatOptions: {},
    landingPath: 's3://acme-landing/orders/orders/',
    datasyncTaskArn: 'arn:aws:datasync:eu-west-1:123456789012:task/task-0abc',
    columns: [
      { name: 'order_id', type: 'bigint', nullable: false, comment: 'Order key' },
      { name: 'customer_id', type: 'BIGINT', nullable: true },
      { name: 'amount', type: 'decimal(12, 2)', nullable: true },
      { name: 'updated_at', type: 'timestamp', nullable: true },
    ],
    partitionBy: [{ transform: 'days', column: 'updated_at' }],
    sortBy: [],
    watermarkColumn: 'updated_at',
    properties: {},
    sparkSubmitParameters: '',
    origin,
    ...over,
  };
}

export function merge(over: Partial<Merge> = {}): Merge {
  return {
    name: 'orders',
    target: { database: 'process_orders', table: 'orders' },
    source: { database: 'raw_orders', table: 'order_events' },
    keys: ['order_id'],
    columns: [],
    origin,
    ...over,
  };
}
