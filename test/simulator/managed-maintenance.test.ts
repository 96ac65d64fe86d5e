/**
 * A maintenance workflow with a `managed: true` table (golden case maintenance-managed):
 * its first run creates the three Glue table optimizers with the role and the table of
 * the spec, a later run leaves them as they are (AlreadyExistsException caught), and a
 * run before the table exists skips them and still maintains; the run's own job has no
 * expiry, orphan removal or compaction step for the table. With only managed tables, no
 * Spark job runs at all.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lakestepVersion, readSpecs, writeBuild } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { Simulator } from '../../src/simulator/index.ts';
import { GOLDEN_DIR } from '../golden/cases.ts';

let dir: string;
const MACHINE = 'orders/orders-maintenance';

beforeAll(() => {
  const result = compile(readSpecs(join(GOLDEN_DIR, 'maintenance-managed', 'specs')), { lakestepVersion: lakestepVersion() });
  expect(result.quarantined.map((q) => q.useCase)).toEqual(['clickstream']);
  dir = join(mkdtempSync(join(tmpdir(), 'lakestep-managed-')), 'build');
  writeBuild(dir, result.files);
});

async function run(sim: Simulator, at: string): Promise<string[]> {
  sim.start(MACHINE, { trigger: 'manual', logical_date: at }, { at });
  await sim.runUntilIdle();
  // The maintenance runs only: the platform's dispatcher also sees each of them end.
  return (await sim.result()).executions.filter((e) => e.workflow === MACHINE).map((e) => e.status);
}

describe('maintenance: managed', () => {
  it('creates one optimizer per type once, with the table optimizer role, and leaves them at the next run', async () => {
    const sim = new Simulator(dir, {});
    expect(await run(sim, '2026-11-25T00:00:00Z')).toEqual(['SUCCEEDED']);
    const created = sim.glue.optimizers.map((o) => [o.catalogId, o.database, o.table, o.type, o.configuration.roleArn, o.configuration.enabled]);
    expect(created.sort()).toEqual(
      ['compaction', 'orphan_file_deletion', 'retention'].map((t) => ['123456789012', 'raw_orders', 'orders', t, `arn:aws:iam::123456789012:role/${sim.build.manifest.platform.prefix}-table-optimizer`, true]),
    );
    expect(await run(sim, '2026-11-26T00:00:00Z')).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(sim.glue.optimizers).toHaveLength(3);
  });

  it('skips the optimizers of a table not created yet, and maintains all the same', async () => {
    const sim = new Simulator(dir, {});
    sim.glue.missingTables.add('raw_orders.orders');
    expect(await run(sim, '2026-11-25T00:00:00Z')).toEqual(['SUCCEEDED']);
    expect(sim.glue.optimizers).toEqual([]);
    expect((await sim.result()).jobRuns.map((r) => r.jobRef)).toEqual(['orders/orders-maintenance/maintenance-all']);
  });

  it('leaves expiry, orphan removal and compaction of the table to Glue: its job only deletes and rewrites manifests', () => {
    const job = JSON.parse(readFileSync(join(dir, 'orders', 'jobs', 'orders-maintenance', 'maintenance-all.json'), 'utf8')) as { steps: { name: string }[] };
    expect(job.steps.map((s) => s.name)).toEqual(expect.arrayContaining([expect.stringMatching(/hard_delete/), expect.stringMatching(/rewrite_manifests/)]));
    expect(job.steps.map((s) => s.name).filter((n) => /expire_snapshots|remove_orphan_files|rewrite_data_files/.test(n))).toEqual([]);
  });

  it('with only managed tables, creates the optimizers and starts no Spark job', async () => {
    const sources = readSpecs(join(GOLDEN_DIR, 'maintenance-managed', 'specs')).map((f) =>
      f.path === 'orders/maintenance.yaml' ? { ...f, text: 'tables:\n  - table: raw_orders.orders\n    managed: true\n' } : f,
    );
    const result = compile(sources, { lakestepVersion: lakestepVersion() });
    const only = join(mkdtempSync(join(tmpdir(), 'lakestep-managed-only-')), 'build');
    writeBuild(only, result.files);
    const sim = new Simulator(only, {});
    expect(await run(sim, '2026-11-25T00:00:00Z')).toEqual(['SUCCEEDED']);
    expect(sim.glue.optimizers.map((o) => o.type).sort()).toEqual(['compaction', 'orphan_file_deletion', 'retention']);
    expect((await sim.result()).jobRuns).toEqual([]);
  });
});
