/**
 * Migrations whose tables share a DataSync task (golden case datasync-shared): each
 * table's run carries its own `Includes` filter, runs of one task queue instead of
 * running side by side, a table with a task of its own starts without a filter, and
 * a failed shared transfer fails only its table.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lakestepVersion, readSpecs, writeBuild } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { simulate, Simulator } from '../../src/simulator/index.ts';
import { GOLDEN_DIR } from '../golden/cases.ts';

let dir: string;
const SHARED = 'arn:aws:datasync:eu-west-1:123456789012:task/task-0aa00000000000100';
const OWN = 'arn:aws:datasync:eu-west-1:123456789012:task/task-0aa00000000000101';
const start = [{ workflow: 'lake/lake-migration', logical_date: '2026-11-25T00:00:00Z' }];

beforeAll(() => {
  const result = compile(readSpecs(join(GOLDEN_DIR, 'datasync-shared', 'specs')), { lakestepVersion: lakestepVersion() });
  expect(result.quarantined).toEqual([]);
  dir = join(mkdtempSync(join(tmpdir(), 'lakestep-dss-')), 'build');
  writeBuild(dir, result.files);
});

describe('a DataSync task shared by several tables', () => {
  it('runs once per table with that table\'s folder as Includes, one run at a time, and migrates every table', async () => {
    const sim = new Simulator(dir, {});
    sim.start('lake/lake-migration', { trigger: 'manual', logical_date: '2026-11-25T00:00:00Z' }, { at: '2026-11-25T00:00:00Z' });
    await sim.runUntilIdle();
    const result = await sim.result();
    // The migration, and the dispatcher that its end went to.
    expect(result.executions.map((e) => [e.workflow, e.status])).toEqual([['lake/lake-migration', 'SUCCEEDED'], ['lakestep/dispatch', 'SUCCEEDED']]);
    const runs = sim.datasync.executions.map((e) => [e.taskArn, e.includes]);
    expect(runs.filter(([t]) => t === SHARED).map(([, i]) => i).sort()).toEqual(['/crm/customers', '/order_lines', '/orders']);
    expect(runs.filter(([t]) => t === OWN)).toEqual([[OWN, undefined]]);
    // Three tables in flight (max_concurrency 3) started the shared task side by side: the later runs waited QUEUED.
    const queuedPolls = result.timeline.filter((e) => e.state === 'Transfer done?' && e.kind === 'entered').length;
    expect(queuedPolls).toBeGreaterThan(3 * 6);
    const conversions = result.jobRuns.map((r) => r.jobRef ?? '').filter((j) => j.includes('convert-'));
    expect(conversions.sort()).toEqual(['lake/lake-migration/convert-customers', 'lake/lake-migration/convert-events', 'lake/lake-migration/convert-order_lines', 'lake/lake-migration/convert-orders']);
  });

  it('fails only the table whose filtered run ends in ERROR', async () => {
    const result = await simulate({ buildDir: dir, scenario: { start, datasync: { order_lines: { status: 'ERROR', error_code: 'OpNotSupp' } } } });
    expect(result.executions[0]).toMatchObject({ status: 'FAILED', error: 'Lakestep.TablesFailed' });
    const converted = result.jobRuns.map((r) => r.jobRef ?? '').filter((j) => j.includes('convert-')).sort();
    expect(converted).toEqual(['lake/lake-migration/convert-customers', 'lake/lake-migration/convert-events', 'lake/lake-migration/convert-orders']);
  });

  it('lands each table below the migration landing by its path below the shared root', () => {
    const job = JSON.parse(readFileSync(join(dir, 'lake/jobs/lake-migration/convert-customers.json'), 'utf8')) as { steps: { sql: string }[] };
    expect(job.steps[0]!.sql).toContain("'s3://dss-landing/lake/crm/customers/'");
  });
});
