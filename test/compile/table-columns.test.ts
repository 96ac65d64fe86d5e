/**
 * A writer whose columns cannot land in its table is refused at the writer: Spark
 * appends by name, so every run of it would fail with INCOMPATIBLE_DATA_FOR_TABLE.
 */
import { describe, expect, it } from 'vitest';
import { compileTree } from './support.ts';

const PLATFORM = 'prefix: acme\nemr:\n  network: {subnet_ids: [subnet-0a1b2c3d4e5f60718], security_group_ids: [sg-0d4e5f60718293a4b]}\n';
const ORCH = 'owner: t@example.com\ndags:\n  - {name: mig, type: migration}\n  - {name: ing, type: ingestion}\n';
const MIGRATION = `database: raw_orders
tables:
  - name: orders
    source: {hdfs_path: /w/orders, format: parquet}
    datasync: {task_arn: arn:aws:datasync:us-east-1:123456789012:task/task-0a1b2c3d4e5f60718}
    columns: [{name: order_id, type: bigint}, {name: updated_at, type: timestamp}]
`;
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:k-AbCdEf';

const errors = (ingestion: string) =>
  compileTree({ 'platform.yaml': PLATFORM, 'orders/orchestration.yaml': ORCH, 'orders/migration.yaml': MIGRATION, 'orders/ingestion.yaml': ingestion })
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.code} ${d.line}:${d.column}`);

describe('writer columns against the table', () => {
  it('refuses a raw Kafka source (no columns) into a migrated table with other columns, at its target', () => {
    expect(errors(`micro_batch:\n  - name: k\n    source: {bootstrap_servers_secret_arn: "${SECRET}", topics: [t]}\n    target: raw_orders.orders\n`)).toEqual(['INGESTION_COLUMNS_MISMATCH 4:13']);
  });

  it('refuses JSON columns the table does not have, at the columns', () => {
    const spec = `micro_batch:\n  - name: k\n    source: {bootstrap_servers_secret_arn: "${SECRET}", topics: [t]}\n    target: raw_orders.orders\n    columns: [{name: order_id, type: bigint}, {name: note, type: string}]\n`;
    expect(errors(spec)).toEqual(['INGESTION_COLUMNS_MISMATCH 5:14']);
  });

  it('refuses a JDBC source declaring a column the migrated table lacks', () => {
    const spec = `batch:\n  - name: j\n    source: {engine: postgresql, secret_arn: "${SECRET}", table: public.orders}\n    target: raw_orders.orders\n    mode: append\n    columns: [{name: order_id, type: bigint}, {name: total, type: double}]\n`;
    expect(errors(spec)).toEqual(['INGESTION_COLUMNS_MISMATCH 6:14']);
  });

  it('accepts writers whose columns are columns of the table (any case), and raw sources into tables they create', () => {
    expect(errors(`micro_batch:\n  - name: k\n    source: {bootstrap_servers_secret_arn: "${SECRET}", topics: [t]}\n    target: raw_orders.orders\n    columns: [{name: ORDER_ID, type: bigint}]\n`)).toEqual([]);
    expect(errors(`micro_batch:\n  - name: k\n    source: {bootstrap_servers_secret_arn: "${SECRET}", topics: [t]}\n    target: raw_orders.events\n`)).toEqual([]);
  });
});
