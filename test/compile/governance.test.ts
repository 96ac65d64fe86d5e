/**
 * `governance: lake_formation` at compile time: a database the platform does not
 * declare, and a custom job's S3 path in table data (a registered location), quarantine only
 * the use case that names them, at its position; an EMR release without Iceberg
 * full-table access is a warning on platform.yaml. The same specs under `iam`
 * compile clean.
 */
import { describe, expect, it } from 'vitest';
import { compileTree } from './support.ts';

const PLATFORM = (governance: string, extra = '') =>
  `prefix: acme\nregion: eu-west-1\nbuckets: {raw: acme-raw, process: acme-process, analytics: acme-analytics}\ngovernance: ${governance}\ndatabases:\n  raw_orders: {owner: orders}\n${extra}`;

const ORDERS = {
  'orders/orchestration.yaml': 'owner: o@example.com\ndags:\n  - {name: orders-migration, type: migration}\n',
  'orders/migration.yaml': `database: raw_orders
tables:
  - name: orders
    source: {hdfs_path: /w/orders, format: parquet}
    datasync: {task_arn: arn:aws:datasync:eu-west-1:123456789012:task/task-0a1b2c3d4e5f60718}
    columns: [{name: order_id, type: bigint}]
`,
};

const SCRATCH = {
  'scratch/orchestration.yaml': 'owner: s@example.com\ndags:\n  - {name: scratch-migration, type: migration}\n',
  'scratch/migration.yaml': ORDERS['orders/migration.yaml'].replace('raw_orders', 'scratch_db'),
};

const REPORT = (path: string) => ({
  'reports/orchestration.yaml': `owner: r@example.com
dags:
  - name: reports-daily
    type: transformation
    spark:
      entrypoint: s3://acme-artifacts/reports/jobs/reports.py
      arguments: ["--out", "${path}"]
`,
});

const found = (r: ReturnType<typeof compileTree>) => r.diagnostics.map((d) => `${d.severity} ${d.code} ${d.file}:${d.line}:${d.column}`);

describe('governance: lake_formation at compile time', () => {
  it('refuses a database platform.yaml does not declare, at the table, and compiles the others', () => {
    const r = compileTree({ 'platform.yaml': PLATFORM('lake_formation', 'emr: {release_label: emr-7.12.0}\n'), ...ORDERS, ...SCRATCH });
    expect(found(r)).toEqual(['error LAKE_FORMATION_DATABASE_UNDECLARED scratch/migration.yaml:3:5']);
    expect(r.diagnostics[0]!.message).toContain("database 'scratch_db' (migration of 'orders')");
    expect(r.useCases.map((u) => u.name)).toEqual(['orders']);
    expect(r.quarantined.map((q) => q.useCase)).toEqual(['scratch']);
  });

  it('accepts the same databases under iam', () => {
    const r = compileTree({ 'platform.yaml': PLATFORM('iam'), ...ORDERS, ...SCRATCH });
    expect(found(r)).toEqual([]);
  });

  it('refuses a custom job path in a registered location (table data, as under iam), and accepts one of its own', () => {
    for (const path of ['s3://acme-analytics/raw_orders/exports/', 's3://acme-raw/raw_orders.db/', 's3://acme-raw/']) {
      const inside = compileTree({ 'platform.yaml': PLATFORM('lake_formation'), ...ORDERS, ...REPORT(path) });
      expect(found(inside), path).toEqual(['error SPARK_LOCATION reports/orchestration.yaml:7:29']);
      expect(inside.quarantined.map((q) => q.useCase)).toEqual(['reports']);
    }
    const own = compileTree({ 'platform.yaml': PLATFORM('lake_formation'), ...ORDERS, ...REPORT('s3://acme-analytics/reports/raw_orders/') });
    expect(found(own).filter((d) => d.startsWith('error'))).toEqual([]);
    expect(own.useCases.map((u) => u.name).sort()).toEqual(['orders', 'reports']);
  });

  it('warns at the release label when EMR runs no Iceberg full-table access; the default label runs it', () => {
    const old = compileTree({ 'platform.yaml': PLATFORM('lake_formation', 'emr: {release_label: emr-7.8.0}\n'), ...ORDERS });
    expect(found(old)).toEqual(['warning LAKE_FORMATION_RELEASE platform.yaml:7:22']);
    expect(old.useCases.map((u) => u.name)).toEqual(['orders']);
    expect(found(compileTree({ 'platform.yaml': PLATFORM('lake_formation', 'emr: {release_label: emr-7.9.0}\n'), ...ORDERS }))).toEqual([]);
    expect(found(compileTree({ 'platform.yaml': PLATFORM('lake_formation'), ...ORDERS }))).toEqual([]);
  });
});
