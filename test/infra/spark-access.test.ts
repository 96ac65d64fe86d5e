/** The S3, Glue and secret access of one use case's Spark job role, from the manifest alone. */
import { describe, expect, it } from 'vitest';
import type { ManifestTable, ManifestUseCase, TableAccessKind } from '../../src/build/types.ts';
import { sparkAccess, TABLE_GRANT_BUDGET } from '../../infra/usecase/spark-access.ts';
import { sparkJobRoleName } from '../../src/naming.ts';
import { PLATFORM } from './fixture.ts';

type Access = Record<string, TableAccessKind[]>;

function useCase(workflows: Array<{ access?: Access; secrets?: string[]; read?: string[]; readWrite?: string[] }>): ManifestUseCase {
  return {
    name: 'orders',
    owner: 'o@example.com',
    specHash: 'x',
    files: [],
    workflows: workflows.map((w, i) => ({
      name: `w${i}`,
      access: w.access ?? {},
      resources: { emr: true, datasync: [], secrets: w.secrets ?? [], storage: { read: w.read ?? [], readWrite: w.readWrite ?? [] } },
    })) as unknown as ManifestUseCase['workflows'],
  };
}

describe('sparkAccess', () => {
  it('grants each table what the jobs do to it: reads read-only, writes, creates and drops only where they happen', () => {
    const tables: Record<string, ManifestTable> = {
      'raw_orders.orders': { owner: 'orders', location: 's3://acme-raw/raw_orders/orders/', writers: [], readers: [] },
      'raw_customers.customers': { owner: 'customers', location: 's3://acme-raw/raw_customers/customers/', writers: [], readers: [] },
    };
    const a = sparkAccess(
      PLATFORM,
      useCase([
        { access: { 'raw_orders.orders': ['create', 'write'], 'raw_customers.customers': ['read'] } },
        { access: { 'process_orders.status': ['read', 'write', 'update'], 'process_orders.old': ['drop'] } },
      ]),
      tables,
    );
    expect(a.glue).toEqual({
      databases: ['process_orders', 'raw_customers', 'raw_orders'],
      read: ['process_orders/old', 'process_orders/status', 'raw_customers/customers', 'raw_orders/orders'],
      write: ['process_orders/status', 'raw_orders/orders'],
      create: ['raw_orders/orders'],
      drop: ['process_orders/old'],
      createDatabases: ['raw_orders'],
    });
    expect(a.wholeDatabases).toEqual([]);
    // Known locations from the manifest, else the catalog warehouse's `<db>.db/<table>/`.
    expect(a.buckets.get('acme-raw')).toEqual({
      read: ['raw_customers/customers/'],
      readWrite: ['process_orders.db/old/', 'process_orders.db/status/', 'raw_orders/orders/'],
    });
    expect(a.buckets.get('acme-analytics')).toBeUndefined();
  });

  it('grants whole databases, largest first, once per-table grants would not fit, but never writes to a database of another use case', () => {
    const access: Access = {};
    const tables: Record<string, ManifestTable> = {};
    for (let i = 0; i < 200; i++) {
      access[`raw_orders.t${i}`] = ['create', 'write'];
      tables[`raw_orders.t${i}`] = { owner: 'orders', location: `s3://acme-raw/raw_orders/t${i}/`, writers: [], readers: [] };
    }
    access['raw_customers.customers'] = ['read', 'write'];
    access['raw_customers.addresses'] = ['read'];
    tables['raw_customers.customers'] = { owner: 'customers', location: 's3://acme-raw/raw_customers/customers/', writers: [], readers: [] };
    const a = sparkAccess(PLATFORM, useCase([{ access }]), tables);
    expect(a.wholeDatabases).toEqual(['raw_orders']);
    expect(a.glue.write).toEqual(['raw_customers/customers', 'raw_orders/*']);
    expect(a.glue.read).toEqual(['raw_customers/addresses', 'raw_customers/customers', 'raw_orders/*']);
    expect(a.buckets.get('acme-raw')!.readWrite).toEqual(['raw_customers/customers/', 'raw_orders.db/', 'raw_orders/']);
    expect(a.buckets.get('acme-process')!.readWrite).toEqual(['raw_orders/']);

    // Many tables of another use case's database: read whole, but its one shared table written per table.
    const reads: Access = { 'raw_customers.customers': ['read', 'write'] };
    const theirs: Record<string, ManifestTable> = { 'raw_customers.customers': { owner: 'customers', location: 's3://acme-raw/raw_customers/customers/', writers: [], readers: [] } };
    for (let i = 0; i < 200; i++) {
      reads[`raw_customers.t${i}`] = ['read'];
      theirs[`raw_customers.t${i}`] = { owner: 'customers', location: `s3://acme-raw/raw_customers/t${i}/`, writers: [], readers: [] };
    }
    const b = sparkAccess(PLATFORM, useCase([{ access: reads }]), theirs);
    expect(b.wholeDatabases).toEqual(['raw_customers']);
    expect(b.glue.read).toEqual(['raw_customers/*']);
    expect(b.glue.write).toEqual(['raw_customers/customers']);
    expect(b.buckets.get('acme-raw')).toEqual({ read: ['raw_customers.db/', 'raw_customers/'], readWrite: ['raw_customers/customers/'] });
    expect(TABLE_GRANT_BUDGET).toBeLessThan(10_240);
  });

  it('keeps its own artifact keys and drops keys a prefix already grants', () => {
    const a = sparkAccess(
      PLATFORM,
      useCase([
        { access: { 'raw_orders.orders': ['create', 'write'] }, read: ['s3://acme-landing/orders/orders/'], readWrite: ['s3://acme-raw/raw_orders/orders/data/', 's3://acme-artifacts/lakestep/checkpoints/orders/events/'] },
        { read: ['s3://acme-artifacts/jobs/orders/report.py', 's3://acme-artifacts/lakestep/runtime/extra.zip'], readWrite: ['s3://acme-analytics/reports/orders/dt='] },
      ]),
      { 'raw_orders.orders': { owner: 'orders', location: 's3://acme-raw/raw_orders/orders/', writers: [], readers: [] } },
    );
    expect(a.buckets.get('acme-artifacts')).toEqual({
      read: ['jobs/orders/report.py', 'lakestep/orders/jobs/', 'lakestep/runtime/'],
      readWrite: ['lakestep/checkpoints/orders/', 'lakestep/results/orders/'],
    });
    expect(a.buckets.get('acme-raw')!.readWrite).toEqual(['raw_orders/orders/']);
    expect(a.buckets.get('acme-analytics')!.readWrite).toContain('reports/orders/dt=');
    expect(a.buckets.get('acme-landing')).toEqual({ read: ['orders/orders/'], readWrite: [] });
  });

  it('lists each secret once, sorted', () => {
    expect(sparkAccess(PLATFORM, useCase([{ secrets: ['arn:b', 'arn:a'] }, { secrets: ['arn:a'] }])).secrets).toEqual(['arn:a', 'arn:b']);
  });
});

describe('sparkJobRoleName', () => {
  it('is <prefix>-<use-case>-spark, and stays unique within 64 characters', () => {
    expect(sparkJobRoleName('acme', 'orders')).toBe('acme-orders-spark');
    const long = (s: string) => sparkJobRoleName('lakestep1234', `${'x'.repeat(60)}${s}`);
    expect(long('a')).toHaveLength(64);
    expect(long('a')).not.toBe(long('b'));
    expect(long('a')).toMatch(/^lakestep1234-x+-[0-9a-f]{8}-spark$/);
  });
});
