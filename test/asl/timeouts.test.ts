/**
 * Timeouts that mean what users think: the dag's `timeout` limits one Spark job
 * attempt (`ExecutionTimeoutMinutes`), the workflow's `TimeoutSeconds` is derived
 * with room for every attempt, retry and poll, a streaming job runs without a
 * limit, and a job timeout under ten minutes is a warning.
 */
import { describe, expect, it } from 'vitest';
import { readSpecs } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { JOB_ATTEMPT_OVERHEAD_SECONDS, WORKFLOW_SECONDS_MAX, worstCaseSeconds, workflowTimeoutSeconds } from '../../src/asl/durations.ts';
import { retryDelaySeconds, TRANSIENT_RETRY } from '../../src/asl/policy.ts';
import type { State } from '../../src/asl/types.ts';
import { BACKFILL_DEFINITION } from '../../src/build/assemble.ts';
import { migrationSpecs } from '../helpers/migration-specs.ts';

type Json = Record<string, any>;
const example = compile(readSpecs('specs'), { lakestepVersion: '0.0.0-test' });
const definitions = [...example.files].filter(([p]) => p.endsWith('.asl.json')).map(([p, text]) => [p, JSON.parse(text) as Json] as const);

/** Every Task state, Map bodies included. */
function tasks(states: Record<string, Json>): Json[] {
  return Object.values(states).flatMap((s) => [s, ...(s.ItemProcessor ? tasks(s.ItemProcessor.States) : [])]).filter((s) => s.Type === 'Task');
}

const jobStarts = (def: Json) => tasks(def.States).filter((t) => /emr-?serverless:startJobRun/.test(String(t.Resource)));

describe('the example platform', () => {
  it('gives every batch job attempt at least 10 minutes and the streaming job no limit (ExecutionTimeoutMinutes 0)', () => {
    const seen: string[] = [];
    for (const [path, def] of definitions) {
      for (const job of jobStarts(def)) {
        const minutes = job.Parameters.ExecutionTimeoutMinutes;
        if (job.Parameters.Mode === 'STREAMING') {
          expect(minutes, path).toBe(0);
          seen.push(`${path} streaming`);
        } else {
          expect(minutes, path).toBeGreaterThanOrEqual(10);
          seen.push(`${path} batch`);
        }
      }
    }
    expect(seen).toContain('clickstream/clickstream-ingestion.asl.json streaming');
    expect(seen.filter((s) => s.endsWith('batch')).length).toBeGreaterThan(20);
  });

  it('uses the dag timeout as the limit of each attempt (clickstream-ingestion: 10m, payments-ingestion: 12m, orders-migration: 2d)', () => {
    const minutes = (path: string) => jobStarts(definitions.find(([p]) => p === path)![1]).filter((j) => j.Parameters.Mode !== 'STREAMING').map((j) => j.Parameters.ExecutionTimeoutMinutes);
    expect(minutes('clickstream/clickstream-ingestion.asl.json')).toEqual([10]);
    expect(minutes('payments/payments-ingestion.asl.json')).toEqual([12]);
    expect(new Set(minutes('orders/orders-migration.asl.json'))).toEqual(new Set([2880]));
  });

  it.each(definitions.filter(([p]) => !p.endsWith('.join.asl.json') && p !== BACKFILL_DEFINITION).map(([p]) => p))('%s: the workflow outlasts every attempt, retry and backoff of each of its jobs', (path) => {
    const def = definitions.find(([p]) => p === path)![1];
    for (const job of jobStarts(def).filter((j) => j.Parameters.Mode !== 'STREAMING')) {
      const retrier = (job.Retry as Json[]).find((r) => r.ErrorEquals.includes('States.TaskFailed'));
      const attempts = 1 + (retrier?.MaxAttempts ?? 0);
      const needed = attempts * (job.Parameters.ExecutionTimeoutMinutes * 60 + JOB_ATTEMPT_OVERHEAD_SECONDS) + (retrier ? retryDelaySeconds(retrier) : 0) + retryDelaySeconds(TRANSIENT_RETRY);
      expect(def.TimeoutSeconds, path).toBeGreaterThanOrEqual(needed);
    }
    expect(def.TimeoutSeconds).toBeLessThanOrEqual(WORKFLOW_SECONDS_MAX);
    expect(def.TimeoutSeconds % 60).toBe(0);
  });

  it('leaves the backfill machine without a timeout of its own: it runs no job, each run it starts is bounded by its workflow', () => {
    // Its length is the number of dates over MaxConcurrency, known only when it starts; a fixed
    // TimeoutSeconds would cut long backfills. Each child run keeps its own TimeoutSeconds, and the
    // Standard execution's one-year limit bounds the backfill.
    const def = definitions.find(([p]) => p === BACKFILL_DEFINITION)![1];
    expect(def.TimeoutSeconds).toBeUndefined();
    expect(jobStarts(def)).toEqual([]);
    const starts = tasks(def.States);
    expect(starts.map((t) => t.Resource)).toEqual(['arn:aws:states:::states:startExecution.sync:2']);
    for (const [path, child] of definitions.filter(([p]) => p !== BACKFILL_DEFINITION && !p.endsWith('.join.asl.json'))) {
      expect(child.TimeoutSeconds, path).toBeGreaterThan(0);
      expect(child.TimeoutSeconds, path).toBeLessThanOrEqual(WORKFLOW_SECONDS_MAX);
    }
  });

  it('has one retry layer per job: Step Functions retries failed batch runs, nothing retries a stream from Step Functions', () => {
    for (const [path, def] of definitions) {
      for (const job of jobStarts(def)) {
        // EMR Serverless's own retryPolicy stays at its batch default (no re-run).
        expect(job.Parameters.RetryPolicy, path).toBeUndefined();
        const jobFailures = (job.Retry as Json[]).filter((r) => r.ErrorEquals.includes('States.TaskFailed') || r.ErrorEquals.includes('States.ALL'));
        if (job.Parameters.Mode === 'STREAMING') expect(jobFailures, path).toEqual([]);
        else expect(jobFailures.length, path).toBeLessThanOrEqual(1);
      }
    }
  });

  it('warns about no job timeout of the example (all are 10 minutes or more)', () => {
    expect(example.diagnostics.filter((d) => d.code === 'JOB_TIMEOUT_SHORT')).toEqual([]);
  });
});

describe('worstCaseSeconds', () => {
  const job = (minutes: number, retries: number, next?: string): State => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::emr-serverless:startJobRun.sync',
    Parameters: { ExecutionTimeoutMinutes: minutes },
    Retry: retries ? [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 60, MaxAttempts: retries, BackoffRate: 2 }] : [],
    ...(next ? { Next: next } : { End: true as const }),
  });

  it('charges every attempt of a job its limit plus the start-up overhead, and the backoff between them', () => {
    const attempt = 30 * 60 + JOB_ATTEMPT_OVERHEAD_SECONDS;
    expect(worstCaseSeconds({ StartAt: 'a', States: { a: job(30, 0) } })).toBe(attempt);
    expect(worstCaseSeconds({ StartAt: 'a', States: { a: job(30, 2) } })).toBe(3 * attempt + 60 + 120);
  });

  it('adds jobs in sequence and takes the longest branch of a Choice', () => {
    const states: Record<string, State> = {
      c: { Type: 'Choice', Choices: [{ Variable: '$.x', BooleanEquals: true, Next: 'short' }], Default: 'long' },
      short: job(10, 0, 'end'),
      long: job(60, 0, 'end'),
      end: job(10, 0),
    };
    expect(worstCaseSeconds({ StartAt: 'c', States: states })).toBe(60 * 60 + 10 * 60 + 2 * JOB_ATTEMPT_OVERHEAD_SECONDS);
  });

  it('runs a Map in batches of MaxConcurrency and charges a poll loop its bound once', () => {
    const body = { StartAt: 'j', States: { j: job(10, 0) } };
    const map: State = { Type: 'Map', ItemProcessor: body, MaxConcurrency: 4, End: true };
    const one = 10 * 60 + JOB_ATTEMPT_OVERHEAD_SECONDS;
    expect(worstCaseSeconds({ StartAt: 'm', States: { m: map } }, { mapItems: { m: 10 } })).toBe(3 * one);
    const loop: Record<string, State> = { w: { Type: 'Wait', Seconds: 30, Next: 'c' }, c: { Type: 'Choice', Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'e' }], Default: 'w' }, e: { Type: 'Succeed' } };
    expect(worstCaseSeconds({ StartAt: 'w', States: loop }, { loopSeconds: 1000 })).toBe(1030);
  });

  it('caps the workflow timeout at one year and rounds it up to whole minutes', () => {
    expect(workflowTimeoutSeconds({ StartAt: 'a', States: { a: job(1, 0) } })).toBe(60 + 600);
    expect(workflowTimeoutSeconds({ StartAt: 'a', States: { a: job(400 * 24 * 60, 0) } })).toBe(WORKFLOW_SECONDS_MAX);
  });
});

describe('JOB_TIMEOUT_SHORT', () => {
  const tree = (dagTimeout: string, extra = '') => [
    { path: 'platform.yaml', text: 'prefix: t\nregion: eu-west-1\n' },
    { path: 'a/orchestration.yaml', text: `owner: a@example.com\ndags:\n  - name: job\n    type: transformation\n    timeout: ${dagTimeout}\n    spark:\n      entrypoint: s3://t-artifacts/a/jobs/job.py\n${extra}` },
  ];

  it('warns at a dag timeout under 10 minutes, and still compiles it with that limit', () => {
    const r = compile(tree('5m'), { lakestepVersion: '0' });
    const warnings = r.diagnostics.filter((d) => d.code === 'JOB_TIMEOUT_SHORT');
    expect(warnings.map((d) => [d.severity, d.file, d.line, d.column])).toEqual([['warning', 'a/orchestration.yaml', 5, 14]]);
    expect(warnings[0]!.message).toContain('5m limits each Spark job attempt');
    const def = JSON.parse(r.files.get('a/job.asl.json')!) as Json;
    expect(jobStarts(def)[0]!.Parameters.ExecutionTimeoutMinutes).toBe(5);
  });

  it('warns at a spark.timeout under 10 minutes and at a platform default under 10 minutes', () => {
    const spark = compile(tree('1h', '      timeout: 90s\n'), { lakestepVersion: '0' });
    expect(spark.diagnostics.filter((d) => d.code === 'JOB_TIMEOUT_SHORT').map((d) => [d.line, d.message.slice(0, 14)])).toEqual([[8, 'a timeout of 2']]);
    const platform = compile(
      [{ path: 'platform.yaml', text: 'prefix: t\ndefaults:\n  timeout: 3m\n' }, { path: 'a/orchestration.yaml', text: 'owner: a@example.com\ndags:\n  - name: job\n    type: transformation\n    spark: {entrypoint: s3://t-artifacts/a/jobs/job.py}\n' }],
      { lakestepVersion: '0' },
    );
    expect(platform.diagnostics.filter((d) => d.code === 'JOB_TIMEOUT_SHORT').map((d) => [d.file, d.line])).toEqual([['platform.yaml', 3]]);
  });

  it('does not warn at 10 minutes', () => {
    expect(compile(tree('10m'), { lakestepVersion: '0' }).diagnostics.filter((d) => d.code === 'JOB_TIMEOUT_SHORT')).toEqual([]);
  });
});

describe('a migration', () => {
  it('derives its timeout from the batches of tables its Map runs, each a transfer and a conversion', () => {
    const small = JSON.parse(compile(migrationSpecs(4, { timeout: '1h' }), { lakestepVersion: '0' }).files.get('big/big-migration.asl.json')!) as Json;
    const large = JSON.parse(compile(migrationSpecs(80, { timeout: '1h' }), { lakestepVersion: '0' }).files.get('big/big-migration.asl.json')!) as Json;
    // max_concurrency 40: 4 tables run in one batch, 80 in two.
    expect(large.TimeoutSeconds).toBeGreaterThan(small.TimeoutSeconds * 1.5);
    expect(large.TimeoutSeconds).toBeLessThan(small.TimeoutSeconds * 2.5);
  });
});
