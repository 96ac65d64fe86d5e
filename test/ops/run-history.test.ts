/**
 * `run` and `backfill` beyond Step Functions' memory: a closed execution is kept 90 days (none of a
 * deleted state machine), then its name is free again. The runs table's records stand in for the
 * attempts Step Functions no longer has (src/ops/attempts.ts), so a date that ran is not run again.
 * The records are the items the compiled `Record success` / `Record failure` states write (the first
 * test takes them from a simulation of the example's build).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { backfill } from '../../src/ops/backfill.ts';
import { formatBackfill, formatRun } from '../../src/ops/format.ts';
import { runsForDate } from '../../src/ops/plan.ts';
import { resolveWorkflow } from '../../src/ops/resolve.ts';
import { runWorkflow } from '../../src/ops/run.ts';
import { itemRecords, type RecordItem, type RunRecordSource } from '../../src/ops/run-records.ts';
import { simulate } from '../../src/simulator/index.ts';
import { sfnExecutions } from '../../src/starter/sfn.ts';
import { compileExamplePlatform, type PlatformBuild } from '../simulator/platform.ts';
import { fakeSfn } from './fake-sfn.ts';
import { MACHINE_ARN, target } from './fixtures.ts';

const now = new Date('2026-11-26T06:12:34Z');
const sfn = fakeSfn(now);
const api = sfnExecutions(sfn.client);
const noWait = { sleep: async () => sfn.finishAll('SUCCEEDED'), pollSeconds: 0 };
const REF = 'orders/orders-daily-report';

/** An item as `Record success` / `Record failure` write it (asl-templates/run-record.asl.json). */
function item(ref: string, logicalDate: string, name: string, status: 'SUCCEEDED' | 'FAILED', finishedAt: string): RecordItem {
  return {
    pk: { S: ref },
    sk: { S: `${logicalDate}#${name}` },
    status: { S: status },
    logical_date: { S: logicalDate },
    ds: { S: logicalDate.slice(0, 10) },
    attempt: { N: /_a(\d+)$/.exec(name)?.[1] ?? '1' },
    trigger: { S: 'schedule' },
    execution_arn: { S: `${MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}` },
    started_at: { S: finishedAt.replace(/T\d\d/, 'T00') },
    finished_at: { S: finishedAt },
    ...(status === 'FAILED' ? { error: { S: 'Spark.JobFailed' }, cause: { S: 'lost executor' } } : {}),
    summary: { S: '{}' },
  };
}

describe('the runs table stands in for the attempts Step Functions forgot', () => {
  beforeEach(() => sfn.reset());

  it('a run of the example build, recorded by its own states, is not started again once Step Functions no longer has it', async () => {
    const build: PlatformBuild = compileExamplePlatform();
    const wf = resolveWorkflow(build.manifest, REF);
    const [run] = runsForDate(wf.workflow, '2026-06-01');
    const sim = await simulate({ buildDir: build.dir, now: run!.run.data_interval_end, scenario: { start: [{ workflow: REF, logical_date: run!.logicalDate }], migrated: 'all' } });
    const records = itemRecords(sim.dynamodb[build.tables.runs] ?? []);
    const t = { ...wf, stateMachineArn: MACHINE_ARN };

    // Step Functions (the fake, empty) knows no execution of that date: only the record does.
    const res = await backfill(api, t, { from: '2026-05-31', to: '2026-06-02', now, records, ...noWait });
    expect(res.items.map((i) => [i.ds, i.outcome, i.because?.replace(/ at [^,]*/, '')])).toEqual([
      ['2026-05-31', 'started', undefined],
      ['2026-06-01', 'skipped', 'already ran (SUCCEEDED, from the runs table)'],
      ['2026-06-02', 'started', undefined],
    ]);
    expect(sfn.started().map((s) => s.name)).toEqual(['2026-05-31T060000Z', '2026-06-02T060000Z']);

    // Rerunning it takes the attempt after the recorded one, under a name no execution held.
    sfn.reset();
    const again = await runWorkflow(api, t, { date: '2026-06-01', rerun: true, now, records });
    expect(sfn.started().map((s) => [s.name, s.input.attempt])).toEqual([['2026-06-01T060000Z_a2', 2]]);
    expect(formatRun(again)).toMatch(/started 2026-06-01T060000Z_a2 \(attempt 2; attempt 1 ran \(SUCCEEDED at 2026-06-0.T[0-9:]+Z, from the runs table\)\)/);
  }, 120_000);

  it('--reprocess failed reads the latest recorded attempt; a live execution wins over its record', async () => {
    const records = itemRecords([
      item(REF, '2025-03-01T00:00:00Z', '2025-03-01T000000Z', 'FAILED', '2025-03-01T01:00:00Z'),
      item(REF, '2025-03-01T00:00:00Z', '2025-03-01T000000Z_a2', 'SUCCEEDED', '2025-03-02T01:00:00Z'),
      item(REF, '2025-03-02T00:00:00Z', '2025-03-02T000000Z', 'SUCCEEDED', '2025-03-02T01:00:00Z'),
      item(REF, '2025-03-02T00:00:00Z', '2025-03-02T000000Z_a2', 'FAILED', '2025-03-03T01:00:00Z'),
      // Recorded FAILED, then redriven to success: Step Functions still has it and says so.
      item(REF, '2025-03-03T00:00:00Z', '2025-03-03T000000Z', 'FAILED', '2025-03-03T01:00:00Z'),
    ]);
    sfn.seed(MACHINE_ARN, '2025-03-03T000000Z', 'SUCCEEDED', new Date('2025-03-04T00:00:00Z'));
    const res = await backfill(api, target(), { from: '2025-03-01', to: '2025-03-04', reprocess: 'failed', now, records, ...noWait });
    expect(res.items.map((i) => [i.name, i.outcome, i.because])).toEqual([
      ['2025-03-01T000000Z_a2', 'skipped', 'already ran (SUCCEEDED at 2025-03-02T01:00:00Z, from the runs table)'],
      ['2025-03-02T000000Z_a3', 'started', 'attempt 2 ran (FAILED at 2025-03-03T01:00:00Z, from the runs table)'],
      ['2025-03-03T000000Z', 'skipped', 'already ran (SUCCEEDED at 2025-03-04T00:00:00Z)'],
      ['2025-03-04T000000Z', 'started', undefined],
    ]);
    expect(res.items[1]).toMatchObject({ attempt: 3 });
  });

  it('reads only the dag and the days of its runs', async () => {
    const source = itemRecords([
      item(REF, '2025-02-28T23:00:00Z', '2025-02-28T230000Z', 'SUCCEEDED', '2025-03-01T01:00:00Z'),
      item(REF, '2025-03-01T00:00:00Z', '2025-03-01T000000Z', 'SUCCEEDED', '2025-03-01T01:00:00Z'),
      item(REF, '2025-03-02T23:00:00Z', '2025-03-02T230000Z', 'SUCCEEDED', '2025-03-03T01:00:00Z'),
      item(REF, '2025-03-03T00:00:00Z', '2025-03-03T000000Z', 'SUCCEEDED', '2025-03-03T01:00:00Z'),
      item('orders/orders-upserts', '2025-03-02T00:00:00Z', '2025-03-02T000000Z', 'SUCCEEDED', '2025-03-03T01:00:00Z'),
    ]);
    expect((await source.onDays(REF, '2025-03-01', '2025-03-02')).map((r) => r.execution)).toEqual(['2025-03-01T000000Z', '2025-03-02T230000Z']);
    // Another dag's record of the same date is not this dag's run.
    const res = await backfill(api, target(), { from: '2025-03-02', to: '2025-03-02', dryRun: true, now, records: source });
    expect(res.items.map((i) => [i.name, i.outcome])).toEqual([['2025-03-02T000000Z', 'planned']]);
  });

  it('a runs table that cannot be read is said; the runs Step Functions keeps are still found', async () => {
    const denied: RunRecordSource = {
      records: async () => [],
      onDays: async () => {
        throw Object.assign(new Error('not authorized to perform dynamodb:Query'), { name: 'AccessDeniedException' });
      },
    };
    sfn.seed(MACHINE_ARN, '2026-11-02T000000Z', 'SUCCEEDED', now);
    const res = await backfill(api, target(), { from: '2026-11-01', to: '2026-11-02', dryRun: true, now, records: denied });
    expect(res.items.map((i) => i.outcome)).toEqual(['planned', 'skipped']);
    expect(res.historyUnread).toContain('AccessDeniedException: not authorized to perform dynamodb:Query');
    expect(formatBackfill(res)).toContain('note: the runs table was not read (AccessDeniedException: not authorized to perform dynamodb:Query): a run Step Functions no longer keeps (after 90 days) is not seen and would run again');
    const run = await runWorkflow(api, target(), { date: '2026-11-01', now, records: denied });
    expect(formatRun(run)).toContain('note: the runs table was not read');
  });
});

describe('every attempt of a run counts, whatever came between', () => {
  beforeEach(() => sfn.reset());

  it('an attempt no one remembers (cancelled, then forgotten) hides neither the later recorded one nor a rerun after it', async () => {
    // Attempt 1 was cancelled (no record) and Step Functions forgot it; attempt 2 succeeded and is recorded.
    const records = itemRecords([item(REF, '2025-06-01T00:00:00Z', '2025-06-01T000000Z_a2', 'SUCCEEDED', '2025-06-02T01:00:00Z')]);
    const run = await runWorkflow(api, target(), { date: '2025-06-01', now, records });
    expect(run.items.map((i) => [i.name, i.outcome, i.because])).toEqual([['2025-06-01T000000Z_a2', 'skipped', 'already ran (SUCCEEDED at 2025-06-02T01:00:00Z, from the runs table)']]);
    const dry = await backfill(api, target(), { from: '2025-06-01', to: '2025-06-01', dryRun: true, now, records });
    expect(dry.items.map((i) => i.outcome)).toEqual(['skipped']);
    const again = await runWorkflow(api, target(), { date: '2025-06-01', rerun: true, now, records });
    expect(sfn.started().map((s) => s.name)).toEqual(['2025-06-01T000000Z_a3']);
    expect(again.items[0]).toMatchObject({ attempt: 3, outcome: 'started' });
  });

  it('an earlier attempt running again (redriven) is the run going on: neither run nor --rerun starts another', async () => {
    sfn.seed(MACHINE_ARN, '2026-11-20T000000Z', 'RUNNING', new Date('2026-11-25T00:00:00Z'));
    sfn.seed(MACHINE_ARN, '2026-11-20T000000Z_a2', 'ABORTED', new Date('2026-11-24T00:00:00Z'));
    for (const rerun of [false, true]) {
      const r = await runWorkflow(api, target(), { date: '2026-11-20', rerun, now });
      expect(r.items.map((i) => [i.name, i.outcome, i.because?.split(' (')[0]])).toEqual([['2026-11-20T000000Z', 'skipped', 'running']]);
    }
    const res = await backfill(api, target(), { from: '2026-11-20', to: '2026-11-20', reprocess: 'all', dryRun: true, now });
    expect(res.items.map((i) => [i.name, i.outcome])).toEqual([['2026-11-20T000000Z', 'skipped']]);
    expect(sfn.started()).toEqual([]);
  });
});
