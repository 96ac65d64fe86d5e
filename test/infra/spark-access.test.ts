/** The S3, Glue and secret access of one use case's Spark job role, from the manifest alone. */
import { describe, expect, it } from 'vitest';
import type { ManifestUseCase } from '../../src/build/types.ts';
import { sparkAccess } from '../../infra/usecase/spark-access.ts';
import { sparkJobRoleName } from '../../src/naming.ts';
import { PLATFORM } from './fixture.ts';

function useCase(workflows: Array<{ tables?: string[]; secrets?: string[]; read?: string[]; readWrite?: string[] }>): ManifestUseCase {
  return {
    name: 'orders',
    owner: 'o@example.com',
    specHash: 'x',
    files: [],
    workflows: workflows.map((w, i) => ({
      name: `w${i}`,
      resources: { emr: true, datasync: [], tables: w.tables ?? [], secrets: w.secrets ?? [], storage: { read: w.read ?? [], readWrite: w.readWrite ?? [] } },
    })) as unknown as ManifestUseCase['workflows'],
  };
}

describe('sparkAccess', () => {
  it('grants the table prefixes of its databases in every layer bucket and the warehouse', () => {
    const a = sparkAccess(PLATFORM, useCase([{ tables: ['raw_orders.orders', 'raw_orders.lines'] }, { tables: ['process_orders.status'] }]));
    expect(a.databases).toEqual(['process_orders', 'raw_orders']);
    expect(a.buckets.get('acme-raw')!.readWrite).toEqual(['process_orders/', 'raw_orders.db/', 'process_orders.db/', 'raw_orders/'].sort());
    expect(a.buckets.get('acme-analytics')!.readWrite).toEqual(['process_orders/', 'raw_orders/']);
  });

  it('keeps its own artifact keys and drops keys a prefix already grants', () => {
    const a = sparkAccess(
      PLATFORM,
      useCase([
        { tables: ['raw_orders.orders'], read: ['s3://acme-landing/orders/orders/'], readWrite: ['s3://acme-raw/raw_orders/orders/', 's3://acme-artifacts/lakestep/checkpoints/orders/events/'] },
        { read: ['s3://acme-artifacts/jobs/orders/report.py', 's3://acme-artifacts/lakestep/runtime/extra.zip'], readWrite: ['s3://acme-analytics/reports/orders/dt='] },
      ]),
    );
    expect(a.buckets.get('acme-artifacts')).toEqual({
      read: ['jobs/orders/report.py', 'lakestep/orders/jobs/', 'lakestep/runtime/'],
      readWrite: ['lakestep/checkpoints/orders/', 'lakestep/results/orders/'],
    });
    expect(a.buckets.get('acme-raw')!.readWrite).not.toContain('raw_orders/orders/');
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
