/**
 * `lakestep doctor` over a mocked Glue client: a table whose snapshots lakestep expires and a
 * Glue retention optimizer also expires is a finding, as are double orphan removal and
 * compaction; a disabled optimizer, or none (EntityNotFoundException), is not. Through `cli()`:
 * the catalog id, the exit code and --json. A managed table another dag still maintains is a
 * finding from the build alone.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EntityNotFoundException, GetTableOptimizerCommand, GlueClient } from '@aws-sdk/client-glue';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/build/types.ts';
import { doctor, glueOptimizers } from '../../src/ops/doctor.ts';
import { folder, runCli } from '../cli/support.ts';
import { manifestWorkflow, writeManifest } from '../helpers/manifest.ts';
import { manifest as baseManifest } from './fixtures.ts';

const glue = mockClient(GlueClient);
const sts = mockClient(STSClient);
beforeEach(() => {
  glue.reset();
  sts.reset();
  glue.on(GetTableOptimizerCommand).rejects(new EntityNotFoundException({ message: 'no optimizer', $metadata: {} }));
});

const table = (writers: string[]) => ({ owner: 'orders', location: 's3://b/x/', writers, readers: [] });

function manifest(): Manifest {
  const m = baseManifest();
  m.useCases[0]!.workflows.push(
    manifestWorkflow('orders', 'orders-maintenance', {
      type: 'maintenance',
      kind: 'maintenance',
      scheduleGroups: [
        { schedule: 'rate(1 day)', group: 'g1', tasks: [{ table: 'raw_orders.orders', kind: 'expire_snapshots' }, { table: 'raw_orders.orders', kind: 'rewrite_data_files' }] },
        { schedule: 'rate(7 days)', group: 'g2', tasks: [{ table: 'raw_orders.events', kind: 'expire_snapshots' }, { table: 'raw_orders.events', kind: 'remove_orphan_files' }] },
      ],
    }),
    manifestWorkflow('orders', 'orders-off', { enabled: false }),
  );
  m.useCases[0]!.freshness = [
    { name: 'a', table: 'raw_orders.lines', level: 'warn', afterSeconds: 3600, workflow: 'orders/orders-off', namespace: 'Lakestep', metric: 'TablePublished', dimensions: {}, period: 60, evaluationPeriods: 60 },
  ];
  m.tables = {
    'raw_orders.orders': table(['orders/orders-ingestion']),
    'raw_orders.events': table(['orders/orders-ingestion']),
    'raw_orders.lines': table(['orders/orders-off']),
    'raw_orders.lookup': table([]),
  };
  return m;
}

const optimizer = (type: string, enabled: boolean) => ({ TableOptimizer: { type: type as 'retention', configuration: { enabled, roleArn: 'arn:aws:iam::123456789012:role/opt' } } });

describe('doctor', () => {
  it('finds the tables two systems maintain, those nothing expires and SLAs of disabled dags', async () => {
    glue.on(GetTableOptimizerCommand, { DatabaseName: 'raw_orders', TableName: 'orders', Type: 'retention' }).resolves(optimizer('retention', true));
    glue.on(GetTableOptimizerCommand, { DatabaseName: 'raw_orders', TableName: 'orders', Type: 'compaction' }).resolves(optimizer('compaction', true));
    // Disabled: not a second system.
    glue.on(GetTableOptimizerCommand, { DatabaseName: 'raw_orders', TableName: 'events', Type: 'orphan_file_deletion' }).resolves(optimizer('orphan_file_deletion', false));
    const r = await doctor(manifest(), glueOptimizers(new GlueClient({}), '123456789012'), '123456789012');
    expect(r.findings.map((f) => [f.code, f.table])).toEqual([
      ['NO_SNAPSHOT_EXPIRY', 'raw_orders.lines'],
      ['DOUBLE_SNAPSHOT_EXPIRY', 'raw_orders.orders'],
      ['DOUBLE_COMPACTION', 'raw_orders.orders'],
      ['SLA_DAG_DISABLED', 'raw_orders.lines'],
    ]);
    expect(r.findings[1]).toMatchObject({ lakestep: 'orders/orders-maintenance expire_snapshots', glue: { type: 'retention', enabled: true, roleArn: 'arn:aws:iam::123456789012:role/opt' } });
    expect(r.findings[1]!.message).toBe('two systems expire its snapshots: expire_snapshots in orders/orders-maintenance and the Glue retention optimizer; remove the task from maintenance.yaml or disable the optimizer');
    // Three optimizer types for each of the three written tables; the unwritten one is not looked up.
    expect(glue.commandCalls(GetTableOptimizerCommand)).toHaveLength(9);
    expect(glue.commandCalls(GetTableOptimizerCommand)[0]!.args[0].input).toEqual({ CatalogId: '123456789012', DatabaseName: 'raw_orders', TableName: 'events', Type: 'retention' });
    expect(r.ok).toBe(false);
  });

  it('finds a managed table that another use case\'s maintenance still expires or compacts, from the build alone', async () => {
    const m = manifest();
    m.useCases[0]!.workflows.push(manifestWorkflow('orders', 'orders-managed', { type: 'maintenance', kind: 'maintenance', managedTables: ['raw_orders.orders', 'raw_orders.lines'] }));
    const r = await doctor(m, glueOptimizers(new GlueClient({}), '1'), '1');
    const managed = r.findings.filter((f) => f.code === 'MANAGED_TABLE_MAINTAINED');
    // raw_orders.lines is managed but nothing else maintains it: no finding.
    expect(managed.map((f) => [f.table, f.lakestep])).toEqual([
      ['raw_orders.orders', 'orders/orders-maintenance expire_snapshots'],
      ['raw_orders.orders', 'orders/orders-maintenance rewrite_data_files'],
    ]);
    expect(managed[0]!.message).toBe("is managed (managed: true in orders/orders-managed: Glue's retention optimizer will expire its snapshots) but expire_snapshots in orders/orders-maintenance does too; remove the task");
  });

  it('an access error is not taken for "no optimizer"', async () => {
    glue.on(GetTableOptimizerCommand).rejects(Object.assign(new Error('not authorized to perform glue:GetTableOptimizer'), { name: 'AccessDeniedException', $metadata: {} }));
    await expect(doctor(manifest(), glueOptimizers(new GlueClient({}), '1'), '1')).rejects.toThrow('glue:GetTableOptimizer');
  });
});

describe('lakestep doctor', () => {
  const dir = (m: Manifest) => {
    const d = folder();
    mkdirSync(join(d, 'build'));
    writeManifest(join(d, 'build'), m);
    return d;
  };
  const io = { glue: (region: string) => new GlueClient({ region }), sts: (region: string) => new STSClient({ region }) };

  it('uses the caller account without --account, prints the findings and exits 1', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '210987654321' });
    glue.on(GetTableOptimizerCommand, { TableName: 'orders', Type: 'retention' }).resolves(optimizer('retention', true));
    const r = await runCli(['doctor'], dir(manifest()), io);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/DOUBLE_SNAPSHOT_EXPIRY +raw_orders\.orders +two systems expire its snapshots/);
    expect(r.out).toContain('3 table(s) checked against the Glue Data Catalog of account 210987654321: 3 finding(s)');
    expect(glue.commandCalls(GetTableOptimizerCommand)[0]!.args[0].input.CatalogId).toBe('210987654321');
  });

  it('--account names the catalog; no findings exit 0; --json prints the data', async () => {
    const m = manifest();
    m.useCases[0]!.freshness = [];
    m.tables = { 'raw_orders.orders': table(['orders/orders-ingestion']) };
    const r = await runCli(['doctor', '--account', '123456789012', '--json'], dir(m), io);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ catalogId: '123456789012', tables: 1, findings: [], ok: true });
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
    expect((await runCli(['doctor', '--account', '12'], dir(m), io)).err).toContain('--account must be a 12-digit AWS account id');
  });
});
