/**
 * `RUNS_MAY_OVERLAP`: a scheduled ingestion with a checkpointed Kafka `micro_batch` source whose run
 * may outlast the shortest gap of its schedule, without `max_active_runs`, is warned at its schedule.
 */
import { describe, expect, it } from 'vitest';
import { shortestGapSeconds } from '../../src/ir/overlap.ts';
import { compileTree, kafkaIngestion, VPC_PLATFORM } from './support.ts';

const KAFKA = (mode: string) => kafkaIngestion(`    mode: ${mode}\n`);
const dag = (fields: string) => `owner: feed@example.com\ndags:\n  - name: feed-ingestion\n    type: ingestion\n${fields}`;

function warnings(orchestration: string, ingestion = KAFKA('micro_batch')): { code: string; message: string; at: string }[] {
  const result = compileTree({ 'platform.yaml': VPC_PLATFORM, 'feed/orchestration.yaml': orchestration, 'feed/ingestion.yaml': ingestion });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.diagnostics.filter((d) => d.code === 'RUNS_MAY_OVERLAP').map((d) => ({ code: d.code, message: d.message, at: `${d.file}:${d.line}:${d.column}` }));
}

describe('RUNS_MAY_OVERLAP', () => {
  it('warns at the schedule when a run (timeout × attempts) may outlast the gap between two fires', () => {
    expect(warnings(dag('    schedule: rate(15 minutes)\n    timeout: 10m\n    retries: 1\n'))).toEqual([
      {
        code: 'RUNS_MAY_OVERLAP',
        message:
          "runs of 'feed-ingestion' may overlap: its schedule starts one every 15m at the shortest, and a run may last 20m (timeout 10m × 2 attempt(s)); two runs would share the Kafka checkpoint of 'clicks'. Set max_active_runs: 1 so that each run waits for the one before",
        at: 'feed/orchestration.yaml:5:15',
      },
    ]);
  });

  it('measures the shortest gap of a cron, not its average', () => {
    // Twice an hour apart at night, then nothing for almost a day: 1 hour is the gap that counts.
    expect(shortestGapSeconds('cron(0 2,3 * * ? *)', 'UTC')).toBe(3600);
    expect(shortestGapSeconds('rate(15 minutes)', 'UTC')).toBe(900);
    expect(warnings(dag('    schedule: cron(0 2,3 * * ? *)\n    timeout: 40m\n    retries: 1\n'))).toHaveLength(1);
  });

  it('is quiet with max_active_runs, a run shorter than the gap, a streaming source, or no schedule', () => {
    expect(warnings(dag('    schedule: rate(15 minutes)\n    timeout: 10m\n    max_active_runs: 1\n'))).toEqual([]);
    expect(warnings(dag('    schedule: rate(1 hour)\n    timeout: 15m\n    retries: 2\n'))).toEqual([]);
    expect(warnings(dag('    schedule: rate(15 minutes)\n    timeout: 10m\n'), KAFKA('streaming'))).toEqual([]);
    expect(warnings(dag('    timeout: 10m\n'))).toEqual([]);
  });
});

describe('GATE_QUEUE_PAST_LISTING', () => {
  function gateWarnings(fields: string) {
    const result = compileTree({ 'platform.yaml': VPC_PLATFORM, 'feed/orchestration.yaml': dag(fields), 'feed/ingestion.yaml': KAFKA('micro_batch') });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const timeout = JSON.parse(result.files.get('feed/feed-ingestion.asl.json') ?? '{}').TimeoutSeconds as number;
    return { timeout, warnings: result.diagnostics.filter((d) => d.code === 'GATE_QUEUE_PAST_LISTING').map((d) => ({ message: d.message, at: `${d.file}:${d.line}:${d.column}` })) };
  }

  it('warns when the runs started within one timeout of a gated run pass one listing of the gate', () => {
    const { timeout, warnings: found } = gateWarnings('    schedule: rate(1 minute)\n    timeout: 1h\n    max_active_runs: 1\n');
    const running = Math.floor(timeout / 60) + 1;
    expect(running).toBeGreaterThan(100);
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain(`up to ${running.toLocaleString('en-US')} runs of 'feed-ingestion' may be running at once: its schedule starts one every 1m at the shortest`);
    expect(found[0]!.message).toContain('Past 100, the earliest are not in the one listing each run reads');
    expect(found[0]!.at).toBe('feed/orchestration.yaml:3:5');
  });

  it('is quiet when a timeout holds no more than one listing of runs, and without max_active_runs', () => {
    const quiet = gateWarnings('    schedule: rate(15 minutes)\n    timeout: 1h\n    max_active_runs: 1\n');
    expect(Math.floor(quiet.timeout / 900) + 1).toBeLessThanOrEqual(100);
    expect(quiet.warnings).toEqual([]);
    expect(gateWarnings('    schedule: rate(1 minute)\n    timeout: 1h\n').warnings).toEqual([]);
  });
});
