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
  it('prints at most 90 lines of at most 100 columns, wrapped not cut, the outcome first, every migration run, hints last', async () => {
    const dir = examplePlatform();
    const r = await runCli(['start', 'specs', '--out', 'build'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.length).toBeLessThanOrEqual(90);
    for (const line of lines) {
      expect([...line].length, line).toBeLessThanOrEqual(100);
      expect(line, 'a line cut short').not.toMatch(/…$/);
    }
    expect(lines[0]).toMatch(/^Compiled 4 use case\(s\), 20 workflow\(s\), \d+ EventBridge rule\(s\), \d+ schedule\(s\) → build\/$/);
    // The ingestions scheduled before the migrations marked their tables (00:50) skip.
    expect(lines[1]).toMatch(/^Simulated \d+ executions: \d+ succeeded \(\d+ skipped: a migration not finished\), 0 failed \(/);
    expect(`${lines[1]} ${lines[2]}`).toMatch(/ \(\d+\.\d s, +(\n +)?scenario demo\.yaml\)/);
    expect(r.out).toMatch(/^ {4}orders-ingestion +ingestion +48 +- +2 +schedule$/m);
    // Each notification whole: the workflow, its execution (named after its logical date) and its status.
    expect(r.out).toMatch(/^ {2}2026-11-25T00:50Z +orders\/orders-migration +2026-11-25T000000Z +SUCCEEDED$/m);
    expect(r.out).toMatch(/^ {2}2026-11-25T06:05Z +orders\/orders-daily-report +2026-11-24T060000Z +SUCCEEDED$/m);
    // The caught conditional writes are explained, not listed as failures.
    expect(r.out).toMatch(/Conditions handled by design \(\d+, caught by the state itself; not failures\):/);
    expect(r.out).toMatch(/\d+× +Open gate +join gate/);
    expect(r.out).not.toMatch(/Failed executions/);
    for (const m of ['orders-migration', 'orders-curated-migration', 'customers-migration', 'payments-migration', 'payments-curated-migration']) {
      expect(r.out).toMatch(new RegExp(`^ {4}${m} +migration +1 +- +- +scenario$`, 'm'));
    }
    // What the day's state transitions cost; the dispatcher, an Express workflow, makes none of them.
    const cost = r.out.replace(/\n +/g, ' ');
    expect(cost).toMatch(/^Step Functions: [\d,]+ state transitions this day \(most: [^)]+\) ≈ \$\d+\.\d\d a day, \$[\d,.]+ a month of 30 such days at eu-west-1's \$0\.025 per 1,000 .*; Express, billed per request and duration: lakestep\/dispatch [\d,]+ runs \([\d,]+ transitions as Standard\);/m);
    expect(cost).not.toMatch(/most: [^)]*lakestep\/dispatch/);
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

describe('lakestep start: nothing that carries meaning is cut', () => {
  it('a failure shows its status, its error and the start of its cause; the notification its status and error', async () => {
    const dir = examplePlatform({ 'failure.yaml': readFileSync(new URL('../../src/simulator/scenarios/failure.yaml', import.meta.url), 'utf8') });
    const again = await runCli(['start', 'specs', '--out', 'build', '--quiet', '--scenario', 'failure.yaml'], dir);
    expect(again.code).toBe(1);
    const lines = again.out.split('\n');
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(100);
    expect(again.out).toMatch(/^ {2}orders\/orders-migration 2026-11-25T000000Z FAILED: Lakestep\.TablesFailed$/m);
    expect(again.out).toMatch(/^ {4}Some tables failed; the others migrated\. Per table:$/m);
    expect(again.out).toMatch(/^ {2}2026-11-25T\d\d:\d\dZ +orders\/orders-migration +2026-11-25T000000Z +FAILED +Lakestep\.TablesFailed$/m);
  }, 120_000);

  it('the quarantine line keeps every use case name, however long the --out path', async () => {
    const broken = Object.fromEntries(['alpha', 'bravo', 'charlie', 'delta'].map((n) => [`specs/${n}/orchestration.yaml`, `owner: ${n}@example.com\ndags: 3\n`]));
    const dir = folder({ ...SPECS, ...broken, 'empty.yaml': 'start: []\n' });
    const out = `${'far-away-folder/'.repeat(4)}build`;
    const r = await runCli(['start', 'specs', '--out', out, '--quiet', '--scenario', 'empty.yaml'], dir);
    const head = r.out.split('\n\n')[0]!;
    for (const line of head.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(100);
    expect(head.replace(/\n +/g, ' ')).toContain(`→ ${out}/; quarantined: alpha, bravo, charlie, delta`);
  });
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
    expect(r.out.replace(/\n {4}/g, ' ')).toContain('quarantined: hr');
    expect(r.out).toContain('nothing ran');
    expect(r.code).toBe(1);
  });
});
