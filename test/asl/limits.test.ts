/**
 * Worst-case execution size against the quotas no Catch can rescue (25,000 history
 * events, 256 KiB payload), and workflow timeouts that leave room for the retries.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../src/cli/main.ts';
import { readSpecs } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { HISTORY_EVENTS_MAX, PAYLOAD_BYTES_MAX, pollIterations, worstCaseEvents } from '../../src/asl/limits.ts';
import { retryDelaySeconds, TRANSIENT_RETRY } from '../../src/asl/policy.ts';
import { withThousands } from '../../src/build/limits.ts';
import { migrationSpecs as specs } from '../helpers/migration-specs.ts';

type Json = Record<string, any>;
const migrationSpecs = (n: number, timeout = '2d') => specs(n, { timeout });

describe('a 500-table migration', () => {
  const result = compile(migrationSpecs(500), { lakestepVersion: '0.0.0-test' });
  const wf = result.manifest.useCases[0]!.workflows[0]!;
  const def = JSON.parse(result.files.get('big/big-migration.asl.json')!) as Json;

  it('compiles without errors into a Distributed Map of child executions', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(def.States['Migrate tables'].ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
  });

  it('stays under the history and payload quotas in the worst case, and compile prints it', () => {
    expect(wf.stats.worstCaseHistoryEvents).toBeLessThan(HISTORY_EVENTS_MAX);
    expect(wf.stats.worstCasePayloadBytes).toBeLessThan(PAYLOAD_BYTES_MAX);
    // The items really carried in state are within the payload estimate.
    const items = JSON.stringify(def.States['List tables'].Result);
    expect(Buffer.byteLength(items)).toBeLessThan(wf.stats.worstCasePayloadBytes!);
    expect(result.limitsSummary).toMatch(/^largest worst case: big\/big-migration, [\d,]+ history events \(quota 25,000\), \d+ KiB payload \(quota 256 KiB\)$/);
  });

  it('lakestep compile prints the numbers of the largest workflow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakestep-limits-'));
    for (const f of migrationSpecs(500)) {
      mkdirSync(dirname(join(dir, 'specs', f.path)), { recursive: true });
      writeFileSync(join(dir, 'specs', f.path), f.text);
    }
    const printed: string[] = [];
    const io = { out: (t: string) => void printed.push(t), err: (t: string) => void printed.push(t), cwd: dir, env: {}, tty: false };
    expect(await cli(['compile', 'specs', '--out', 'build'], io)).toBe(0);
    const events = wf.stats.worstCaseHistoryEvents!.toLocaleString('en-US');
    const kib = Math.ceil(wf.stats.worstCasePayloadBytes! / 1024);
    expect(printed.join('')).toContain(`Step Functions: largest worst case: big/big-migration, ${events} history events (quota 25,000), ${kib} KiB payload (quota 256 KiB)\n`);
  });

  it('each child execution (one table) stays under the history quota, polling DataSync until the timeout', () => {
    const item = def.States['Migrate tables'].ItemProcessor;
    const polls = pollIterations(2 * 86400, 30, 300);
    expect(polls).toBeGreaterThan(500);
    expect(worstCaseEvents(item, { loopIterations: polls })).toBeLessThan(HISTORY_EVENTS_MAX);
  });

  it('the same tables in an inline Map would have exceeded the history quota', () => {
    const item = def.States['Migrate tables'].ItemProcessor;
    const inline = { StartAt: def.StartAt as string, States: { ...def.States, 'Migrate tables': { ...def.States['Migrate tables'], ItemProcessor: { ...item, ProcessorConfig: { Mode: 'INLINE' } } } } };
    expect(worstCaseEvents(inline, { loopIterations: pollIterations(2 * 86400, 30, 300), mapItems: { 'Migrate tables': 500 } })).toBeGreaterThan(HISTORY_EVENTS_MAX);
  });

  it('keeps a small migration inline', () => {
    const small = compile(migrationSpecs(2, '1h'), { lakestepVersion: '0.0.0-test' });
    const smallDef = JSON.parse(small.files.get('big/big-migration.asl.json')!) as Json;
    expect(smallDef.States['Migrate tables'].ItemProcessor.ProcessorConfig).toEqual({ Mode: 'INLINE' });
  });
});

describe('small migrations', () => {
  it.each([1, 2, 3, 4, 5, 6])('of %i table(s) stay under the payload quota with every cause they keep', (n) => {
    const r = compile(migrationSpecs(n, '1d'), { lakestepVersion: '0.0.0-test' });
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual([]);
    expect(r.manifest.useCases[0]!.workflows[0]!.stats.worstCasePayloadBytes).toBeLessThan(PAYLOAD_BYTES_MAX);
  });
});

describe('workflow TimeoutSeconds', () => {
  const trees = [readSpecs('specs'), migrationSpecs(3)];
  const definitions = trees.flatMap((t) => [...compile(t, { lakestepVersion: '0.0.0-test' }).files].filter(([p]) => p.endsWith('.asl.json') && !p.endsWith('.join.asl.json')));

  const tasks = (states: Record<string, Json>): Json[] =>
    Object.values(states).flatMap((s) => [s, ...(s.ItemProcessor ? tasks(s.ItemProcessor.States) : [])]).filter((s) => s.Type === 'Task');

  it.each(definitions.map(([p]) => p))('%s: every Spark job can use all its retries before the workflow times out', (path) => {
    const def = JSON.parse(definitions.find(([p]) => p === path)![1]) as Json;
    const jobs = tasks(def.States).filter((s) => String(s.Resource).includes('emr-serverless:startJobRun.sync'));
    for (const job of jobs) {
      const jobRetrier = (job.Retry as Json[]).find((r) => r.ErrorEquals.includes('States.TaskFailed'));
      const retries = jobRetrier?.MaxAttempts ?? 0;
      const attempts = (retries + 1) * job.Parameters.ExecutionTimeoutMinutes * 60;
      const backoff = (jobRetrier ? retryDelaySeconds(jobRetrier) : 0) + retryDelaySeconds(TRANSIENT_RETRY);
      expect(attempts + backoff, path).toBeLessThanOrEqual(def.TimeoutSeconds);
    }
  });
});

describe('numbers in the limit messages', () => {
  it('are grouped by thousands as en-US writes them', () => {
    const samples = [0, 7, 999, 1000, 1001, 25000, 99999, 100000, 262144, 1234567, 987654321, Number.MAX_SAFE_INTEGER];
    for (let n = 1; n < 1e15; n = n * 7 + 3) samples.push(n);
    for (const n of samples) expect(withThousands(n), String(n)).toBe(n.toLocaleString('en-US'));
  });
});
