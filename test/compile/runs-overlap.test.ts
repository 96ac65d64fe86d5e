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
