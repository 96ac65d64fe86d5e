/**
 * The run record of a migration with checks (specs/customers/migration.yaml checks `customers`):
 * each Map item's check summary goes with its outcome, and the run's `summary.quality` merges
 * them — every table's checks, the published tables, the kept branches, the worst status — so
 * `lakestep checks` and `status` read a migration's checks as any other run's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate, type SimulationResult } from '../../src/simulator/index.ts';
import { compileExamplePlatform, executionsOf, runRecords, type PlatformBuild } from './platform.ts';

let build: PlatformBuild;
beforeAll(() => {
  build = compileExamplePlatform();
});

const MIGRATION = 'customers/customers-migration';
const CONVERT = `${MIGRATION}/convert-customers`;
const TABLE = 'raw_customers.customers';

const run = (scenario: Record<string, unknown>): Promise<SimulationResult> =>
  simulate({ buildDir: build.dir, scenario: { start: [{ workflow: MIGRATION, logical_date: '2026-01-01' }], ...scenario } });

interface Summary {
  tables: { table: string; status: string; error?: string }[];
  quality?: { status: string; published: string[]; kept: { table: string; branch: string }[]; checks: { table: string; check: string; status: string; severity: string }[] };
}
const summaryOf = (r: SimulationResult) => runRecords(r, build, MIGRATION)[0]!.summary as Summary;

describe('a migration with checks', () => {
  it('keeps the failed checks of a table in the run record; the other tables migrate', async () => {
    const r = await run({ checks: { [CONVERT]: 'error' } });
    expect(executionsOf(r, MIGRATION)[0]).toMatchObject({ status: 'FAILED', error: 'Lakestep.TablesFailed' });
    const s = summaryOf(r);
    // The table list is as before: one outcome per table, without its checks.
    expect(s.tables).toEqual([
      expect.objectContaining({ table: 'customers', status: 'FAILED', error: 'Lakestep.QualityCheckFailed' }),
      { table: 'customer_addresses', status: 'SUCCEEDED' },
    ]);
    // The run record keeps no sample key, the table's cause included (the notification has them).
    expect(JSON.stringify(runRecords(r, build, MIGRATION)[0])).not.toMatch(/sample/);
    expect(r.notifications.find((n) => n.subject?.endsWith('quality checks failed'))?.message).toContain('"customer_id":"sample"');
    expect(s.quality).toEqual({
      status: 'failed',
      published: [],
      kept: [{ table: TABLE, branch: expect.stringMatching(/^audit_/) }],
      checks: [expect.objectContaining({ table: TABLE, check: 'not_null(customer_id)', severity: 'error', status: 'failed', failing: 1 })],
    });
  });

  it('keeps passed checks and the published table', async () => {
    const r = await run({});
    expect(executionsOf(r, MIGRATION)[0]!.status).toBe('SUCCEEDED');
    expect(summaryOf(r).quality).toMatchObject({ status: 'passed', published: [TABLE], kept: [], checks: [expect.objectContaining({ status: 'passed' })] });
  });

  it('has no quality summary when no checked table reached its checks', async () => {
    const r = await run({ jobs: { [CONVERT]: { state: 'FAILED', details: 'Job failed (simulated)' } } });
    const s = summaryOf(r);
    expect(s.tables.find((t) => t.table === 'customers')).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(s.quality).toBeUndefined();
  });
});
