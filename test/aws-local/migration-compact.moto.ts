/**
 * The compact form of large migrations (src/phases/migration-items.ts and
 * migration-outcomes.ts) on moto's interpreter, beside the simulator: the
 * ItemSelector turns compact items back into whole `$.table` objects (the job
 * through States.Format), and the outcome states count the tables,
 * list the failed ones through `$.tables[*].f` (an empty list when none failed)
 * and keep the first 20 with ArrayPartition — the same states the compiler emits.
 */
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, inject, it } from 'vitest';
import type { State } from '../../src/asl/types.ts';
import type { Migration } from '../../src/ir/types.ts';
import { COMPACT_FROM, encodeItems } from '../../src/phases/migration-items.ts';
import { FAILURES_KEPT, outcomeStates, CHECK_OUTCOMES } from '../../src/phases/migration-outcomes.ts';
import type { MigrationItem } from '../../src/phases/migration-payload.ts';
import { clientsFor } from './clients.ts';

const REGION = 'ap-south-1';
let n = 0;

async function onMoto(states: Record<string, State>, startAt: string, input: unknown): Promise<{ status?: string; error?: string; output?: any }> {
  const { sfn } = clientsFor(inject('motoEndpoint'), REGION);
  const sm = await sfn.send(new CreateStateMachineCommand({ name: `compact-${++n}`, definition: JSON.stringify({ StartAt: startAt, States: states }), roleArn: 'arn:aws:iam::123456789012:role/x' }));
  const ex = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, name: 'run', input: JSON.stringify(input) }));
  for (let i = 0; i < 300; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: ex.executionArn }));
    if (d.status !== 'RUNNING') return { status: d.status, error: d.error, output: d.output ? JSON.parse(d.output) : undefined };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('still running');
}

const tables = Array.from({ length: COMPACT_FROM }, (_, i) => `t${String(i).padStart(3, '0')}`);
const full: MigrationItem[] = tables.map((t, i) => ({
  name: t,
  datasync_task: 'arn:aws:datasync:ap-south-1:123456789012:task/task-0a1b2c3d4e5f60718',
  datasync_includes: `/${t}`,
  job: `convert-${t}`,
  submit: i === 3 ? '--conf spark.executor.memory=8g' : '',
  watermark: i % 2 === 0,
}));
const encoded = encodeItems({ database: 'raw_x', tables: tables.map((name) => ({ name })) } as unknown as Migration, full, '--conf a=b');

describe('compact migration items and outcomes on moto', () => {
  it('the ItemSelector rebuilds every whole $.table from its compact item', async () => {
    expect(encoded.compact).toBe(true);
    const states: Record<string, State> = {
      List: { Type: 'Pass', Result: encoded.items, ResultPath: '$.tables', Next: 'Map' },
      Map: { Type: 'Map', ItemsPath: '$.tables', ItemSelector: encoded.itemSelector, MaxConcurrency: 10, ItemProcessor: { StartAt: 'Echo', States: { Echo: { Type: 'Pass', OutputPath: '$.table', End: true } } }, ResultPath: '$.out', End: true },
    };
    const r = await onMoto(states, 'List', { run: { ds: '2026-11-25' } });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output.out).toEqual(full);
  });

  it.each([
    ['no table failed', [] as number[]],
    ['25 tables failed', Array.from({ length: 25 }, (_, i) => i * 3)],
  ])('outcome states when %s: the summary and cause the simulator gives too (test/simulator/migration-compact.test.ts)', async (_, failing) => {
    const outcomes = tables.map((t, i) => (failing.includes(i) ? { f: [t, 'DataSync.TransferFailed'] } : {}));
    const states: Record<string, State> = { ...outcomeStates(true), 'Record success': { Type: 'Succeed' }, 'Record failure': { Type: 'Pass', End: true } };
    const input = { run: { ds: '2026-11-25' }, tables: outcomes };
    const moto = await onMoto(states, CHECK_OUTCOMES, input);
    expect(moto.status).toBe('SUCCEEDED');
    if (failing.length === 0) {
      expect(moto.output.summary).toEqual({ tables: COMPACT_FROM, failed: [] });
    } else {
      expect(moto.output.summary).toEqual({ tables: COMPACT_FROM, failed_count: 25, failed: failing.slice(0, FAILURES_KEPT).map((i) => [tables[i], 'DataSync.TransferFailed']) });
      expect(moto.output.error.Error).toBe('Lakestep.TablesFailed');
      expect(moto.output.error.Cause).toMatch(/^25 of 100 tables failed; the others migrated\. The first ones: \[/);
    }
  });
});
