/**
 * `lakestep start` (what `npm start` runs): compile a spec tree, simulate it, and
 * print a report that leads with the outcome and fits a terminal.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startScenario } from '../../src/cli/scenario.ts';
import { compile } from '../../src/compile.ts';
import { readSpecs } from '../../src/cli/io.ts';
import { sparkUseCase } from '../compile/support.ts';
import { folder, runCli } from './support.ts';

const SPECS = {
  'specs/sales/orchestration.yaml': sparkUseCase('sales@example.com', [{ name: 'extract', schedule: 'rate(1 day)', args: ['{{ ds }}'] }, { name: 'clean', dependsOn: ['extract'] }]),
};

/** The example platform in a temporary folder, so the test writes no build/ into the repo. */
function examplePlatform(extra: Record<string, string> = {}): string {
  const dir = folder(extra);
  cpSync(new URL('../../specs', import.meta.url), join(dir, 'specs'), { recursive: true });
  return dir;
}

describe('lakestep start on the example platform', () => {
  it('prints at most 80 lines of at most 100 columns, the outcome first, every migration run, hints last', async () => {
    const dir = examplePlatform();
    const r = await runCli(['start', 'specs', '--out', 'build'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.length).toBeLessThanOrEqual(80);
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(100);
    expect(lines[0]).toMatch(/^Compiled 4 use case\(s\), 20 workflow\(s\), \d+ EventBridge rule\(s\) → build\/$/);
    // The ingestions scheduled before the migrations marked their tables (00:50) skip.
    expect(lines[1]).toMatch(/^Simulated \d+ executions: \d+ succeeded \(\d+ skipped: a migration not finished\), 0 failed \(/);
    expect(r.out).toMatch(/^ {4}orders-ingestion +ingestion +49 +- +2 +schedule 48, join 1$/m);
    // The caught conditional writes are explained, not listed as failures.
    expect(r.out).toMatch(/Conditions handled by design \(\d+, caught by the state itself; not failures\):/);
    expect(r.out).toMatch(/\d+× +Open gate +join gate/);
    expect(r.out).not.toMatch(/Failed executions/);
    for (const m of ['orders-migration', 'orders-curated-migration', 'customers-migration', 'payments-migration', 'payments-curated-migration']) {
      expect(r.out).toMatch(new RegExp(`^ {4}${m} +migration +1 +- +- +scenario$`, 'm'));
    }
    expect(r.out).toMatch(/^Notifications sent \(\d+\):$/m);
    expect(r.out).toMatch(/^Watermarks recorded \(\d+\):$/m);
    expect(r.out).toMatch(/^ {2}10 table\(s\) marked migrated$/m);
    expect(lines.slice(-7).join('\n')).toMatch(/Next:\n {2}build\/ui\.html +in a browser: graphs, runs, tables\n.*failure\.yaml.*\n.*ls build\/.*\n.*\n.*npm run deploy/);
    expect(readFileSync(join(dir, 'build/ui.html'), 'utf8')).toMatch(/^<!doctype html>/);
    // The timeline is in the file the report names, not on the screen.
    expect(r.out).toContain('Full timeline: build/timeline.txt');
    expect(r.out).not.toMatch(/ entered +/);
    const timeline = readFileSync(join(dir, 'build/timeline.txt'), 'utf8');
    expect(timeline).toMatch(/^2026-11-25T00:00:00Z +orders\/orders-migration +2026-11-25T000000Z +started +\(trigger=manual\)$/m);
    expect(timeline.split('\n').length).toBeGreaterThan(1000);
  }, 120_000);
});

describe('the default scenario of start', () => {
  it('starts the migration of a use case added to the example specs', () => {
    const dir = examplePlatform();
    const migration = readFileSync(join(dir, 'specs/customers/migration.yaml'), 'utf8').replace('database: raw_customers', 'database: raw_billing');
    const files = [
      ...readSpecs(join(dir, 'specs')),
      { path: 'billing/orchestration.yaml', text: 'owner: billing@example.com\ndags:\n  - name: billing-migration\n    type: migration\n' },
      { path: 'billing/migration.yaml', text: migration },
    ];
    const { manifest, diagnostics } = compile(files, { lakestepVersion: '0.0.0' });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const { scenario, source } = startScenario(manifest);
    expect(source).toBe('src/simulator/scenarios/demo.yaml + 1 more root(s)');
    expect(scenario.start).toContainEqual({ workflow: 'billing/billing-migration', logical_date: '2026-11-25T00:00:00Z' });
    expect(scenario.start?.map((s) => s.workflow)).toContain('orders/orders-migration');
    expect(scenario.window).toEqual({ start: '2026-11-25T00:00:00Z', end: '2026-11-26T00:00:00Z' });
  });
});

describe('lakestep start', () => {
  it('--verbose prints the compile table and the timeline before the report', async () => {
    const dir = folder(SPECS);
    const r = await runCli(['start', 'specs', '--out', 'build', '--verbose'], dir);
    expect(r.out).toContain('1 use case(s) compiled, 2 workflow(s), 0 quarantined → build/manifest.json');
    expect(r.out).toMatch(/^2026-11-25T00:00:00Z {2}sales\/extract .* started +\(trigger=schedule\)$/m);
    expect(r.out.lastIndexOf('(trigger=')).toBeLessThan(r.out.indexOf('Simulated '));
    expect(r.out).toMatch(/^ {4}extract +spark +1 +(-|1) +- +schedule$/m);
    expect(r.code).toBe(r.out.includes('Failed executions') ? 1 : 0);
  });

  it('--quiet drops the hints; --scenario replaces the default', async () => {
    const dir = folder({ ...SPECS, 'only-clean.yaml': 'start: [{workflow: sales/clean, logical_date: 2026-01-01}]\n' });
    const r = await runCli(['start', 'specs', '--quiet', '--scenario', 'only-clean.yaml'], dir);
    expect(r.out).toContain('scenario only-clean.yaml)');
    expect(r.out).toMatch(/^ {4}clean +spark +1 +(-|1) +- +scenario$/m);
    expect(r.out).not.toContain('Next:');
    expect(r.code).toBe(r.out.includes('Failed executions') ? 1 : 0);
  });

  it('writes the page also when the scenario fails on purpose, with the failed run and its error', async () => {
    const fault = 'faults: {sales/extract: {Run extract: {error: EMRServerless.JobFailed, cause: boom, times: always}}}\n';
    const dir = folder({ ...SPECS, 'fail.yaml': `start: [{workflow: sales/extract, logical_date: 2026-01-01}]\n${fault}` });
    const r = await runCli(['start', 'specs', '--scenario', 'fail.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^Next:\n {2}build\/ui\.html /m);
    const html = readFileSync(join(dir, 'build/ui.html'), 'utf8');
    const page = JSON.parse(/id="lakestep-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as { runs: { dag: string; state: string; error?: string }[] };
    expect(page.runs).toEqual([expect.objectContaining({ dag: 'sales/extract', state: 'failed', error: 'EMRServerless.JobFailed' })]);
  });

  it('an invalid scenario exits 2 before anything is compiled or written', async () => {
    const dir = folder({ ...SPECS, 'bad.yaml': 'faults: 3\n' });
    const r = await runCli(['start', 'specs', '--scenario', 'bad.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('bad.yaml: Invalid scenario');
    expect(existsSync(join(dir, 'build'))).toBe(false);
  });

  it('with nothing compiled, says so and exits 1', async () => {
    const dir = folder({ 'specs/hr/orchestration.yaml': 'owner: hr@example.com\ndags: 3\n' });
    const r = await runCli(['start', 'specs', '--out', 'build'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('nothing to simulate: no use case compiled');
  });

  it('exits 1 on compile errors even when the healthy use cases simulate', async () => {
    const dir = folder({ ...SPECS, 'specs/hr/orchestration.yaml': 'owner: hr@example.com\ndags: 3\n' });
    writeFileSync(join(dir, 'empty.yaml'), 'start: []\n');
    const r = await runCli(['start', 'specs', '--quiet', '--scenario', 'empty.yaml'], dir);
    expect(r.out).toContain('quarantined: hr');
    expect(r.out).toContain('nothing ran');
    expect(r.code).toBe(1);
  });
});
