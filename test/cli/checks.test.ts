/**
 * `lakestep checks --simulation` against the run records a simulation of the example
 * platform leaves in its runs table: a failing `error` check is listed with its failing
 * rows and exits 1; a passing run exits 0; unknown executions and stray flags are refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileExamplePlatform, LOGICAL, type PlatformBuild } from '../simulator/platform.ts';
import { folder, runCli } from './support.ts';

let build: PlatformBuild;
beforeAll(() => {
  build = compileExamplePlatform();
});

const UPSERTS = 'orders/orders-upserts';
const scenario = (checks: string) =>
  folder({ 's.yaml': `start:\n  - {workflow: ${UPSERTS}, logical_date: "${LOGICAL}"}\nmigrated: all\n${checks}` });

const checks = (args: string[], cwd: string) => runCli(['checks', UPSERTS, '--build', build.dir, '--simulation', ...args], cwd);

describe('lakestep checks --simulation', () => {
  it('lists the failed error check of the run and exits 1', async () => {
    const dir = scenario(`checks: {${UPSERTS}/process: error}\n`);
    const r = await checks(['--scenario', 's.yaml'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${UPSERTS} execution 2026-11-25T000000Z (logical date ${LOGICAL}): FAILED — Lakestep.QualityCheckFailed`);
    expect(r.out).toMatch(/process_orders\.order_status +not_null\(order_id,status\) +error +failed +1/);
    expect(r.out).toMatch(/process_orders\.order_status +amount-not-negative +warn +passed +0/);
    expect(r.out).toContain('audit branches kept: process_orders.order_status (branch audit_');
    const json = await checks(['--scenario', 's.yaml', '--json', '--execution', '2026-11-25T000000Z'], dir);
    expect(JSON.parse(json.out)).toMatchObject({ ref: UPSERTS, runStatus: 'FAILED', quality: { status: 'failed', published: [] } });
  });

  it('lists the failed check of a migrated table (a Map item) and exits 1', async () => {
    const MIGRATION = 'customers/customers-migration';
    const dir = folder({ 's.yaml': `start:\n  - {workflow: ${MIGRATION}, logical_date: 2026-01-01}\nchecks: {${MIGRATION}/convert-customers: error}\n` });
    const r = await runCli(['checks', MIGRATION, '--build', build.dir, '--simulation', '--scenario', 's.yaml'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${MIGRATION} execution 2026-01-01T000000Z (logical date 2026-01-01T00:00:00Z): FAILED — Lakestep.TablesFailed`);
    expect(r.out).toMatch(/raw_customers\.customers +not_null\(customer_id\) +error +failed +1/);
    expect(r.out).toContain('audit branches kept: raw_customers.customers (branch audit_');
    const json = await runCli(['checks', MIGRATION, '--build', build.dir, '--simulation', '--scenario', 's.yaml', '--json'], dir);
    expect(JSON.parse(json.out)).toMatchObject({ ref: MIGRATION, runStatus: 'FAILED', quality: { status: 'failed', published: [] } });
  });

  it('a passing run exits 0; an execution without a record is an error', async () => {
    const dir = scenario('');
    const r = await checks(['--scenario', 's.yaml'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('passed: 2 passed, 0 warned, 0 failed');
    const missing = await checks(['--scenario', 's.yaml', '--execution', 'nope'], dir);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(`lakestep checks: ${UPSERTS} has no run record for execution nope (lakestep status lists the executions)`);
  });

  it('--scenario needs --simulation; the workflow must exist', async () => {
    const dir = folder();
    expect((await runCli(['checks', UPSERTS, '--build', build.dir, '--scenario', 's.yaml'], dir)).err).toContain('--scenario goes with --simulation');
    const unknown = await runCli(['checks', 'orders/nope', '--build', build.dir], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe('lakestep checks: use case "orders" has no dag "nope"');
  });
});
