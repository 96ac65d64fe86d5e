import { ExecutionLimitExceeded, StartExecutionCommand, StateMachineDoesNotExist } from '@aws-sdk/client-sfn';
import { ExpiredTokenException } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import { backfill, planBackfill } from '../../src/ops/backfill.ts';
import { runsForDays } from '../../src/ops/plan.ts';
import { PAYLOAD_BYTES_MAX } from '../../src/asl/limits.ts';
import { detachedInput, detachedName, startDetached } from '../../src/ops/backfill-detach.ts';
import { formatBackfill } from '../../src/ops/format.ts';
import { sfnExecutions } from '../../src/starter/sfn.ts';
import { manifestWorkflow } from '../helpers/manifest.ts';
import { fakeSfn } from './fake-sfn.ts';
import { MACHINE_ARN, target } from './fixtures.ts';

const now = new Date('2026-11-26T06:00:00Z');
const sfn = fakeSfn(now);
const api = sfnExecutions(sfn.client);
const noWait = { sleep: async () => sfn.finishAll('SUCCEEDED'), pollSeconds: 0 };

const hourly = () => ({ ...target(), workflow: manifestWorkflow('orders', 'orders-daily-report', { timetable: { schedule: 'cron(0 * * * ? *)', timezone: 'UTC', logicalDate: 'interval' } }) });

describe('planBackfill', () => {
  it('enumerates days across a leap day and a month end, inclusive', () => {
    expect(planBackfill(target(), { from: '2028-02-28', to: '2028-03-01' }).map((i) => i.name)).toEqual(['2028-02-28T000000Z', '2028-02-29T000000Z', '2028-03-01T000000Z']);
    expect(planBackfill(target(), { from: '2028-02-28', to: '2028-03-01', backwards: true }).map((i) => i.ds)).toEqual(['2028-03-01', '2028-02-29', '2028-02-28']);
  });

  it('every interval of the days of a sub-daily dag, named as its schedule names them', () => {
    const runs = planBackfill(hourly(), { from: '2026-11-01', to: '2026-11-02' });
    expect(runs).toHaveLength(48);
    expect(runs[0]).toMatchObject({ name: '2026-11-01T000000Z', run: { data_interval_start: '2026-11-01T00:00:00Z', data_interval_end: '2026-11-01T01:00:00Z' } });
  });

  it('plans days of any year, and ranges of more runs than a call takes arguments', () => {
    expect(planBackfill(target(), { from: '1600-01-01', to: '1600-01-02' }).map((r) => r.name)).toEqual(['1600-01-01T000000Z', '1600-01-02T000000Z']);
    expect(planBackfill(target(), { from: '1600-01-01', to: '2026-01-01', force: true })).toHaveLength(155_595);
    // Before: built every run first (4 GB in a minute for 0001..9999 of a 15-minute dag, and still going).
    expect(() => planBackfill(target(), { from: '0001-01-01', to: '9999-12-31', force: true })).toThrow('0001-01-01..9999-12-31 holds more than 200,000 runs');
    expect(() => runsForDays(hourly().workflow, '2026-01-01', '2026-01-31', 100)).toThrow(/^2026-01-01\.\.2026-01-31 holds more than 100 runs of cron\(0 \* \* \* \? \*\).*: backfill it in shorter ranges$/);
  });

  it('validates the options', () => {
    expect(() => planBackfill(target(), { from: '2026-03-02', to: '2026-03-01' })).toThrow('--from 2026-03-02 is after --to 2026-03-01');
    expect(() => planBackfill(target(), { from: '2026-01-01', to: '2027-01-02' })).toThrow('2026-01-01..2027-01-02 is 367 days; more than 366 needs --force');
    expect(planBackfill(target(), { from: '2028-01-01', to: '2028-12-31' })).toHaveLength(366);
    expect(planBackfill(target(), { from: '2026-01-01', to: '2027-01-02', force: true })).toHaveLength(367);
    expect(() => planBackfill(target(), { from: '2026-1-1', to: '2026-01-02' })).toThrow('--from must be a day as YYYY-MM-DD');
    expect(() => planBackfill(target(), { from: '2026-01-01', to: '2026-01-02', maxConcurrency: 50 })).toThrow('--max-concurrency must be an integer from 1 to 40');
  });
});

describe('backfill', () => {
  beforeEach(() => sfn.reset());

  it('starts every run with its deterministic name and backfill input', async () => {
    const res = await backfill(api, target(), { from: '2026-12-30', to: '2027-01-02', now, ...noWait });
    expect(sfn.started().map((s) => s.name)).toEqual(['2026-12-30T000000Z', '2026-12-31T000000Z', '2027-01-01T000000Z', '2027-01-02T000000Z']);
    expect(sfn.started()[2]?.input).toEqual({ trigger: 'backfill', logical_date: '2027-01-01T00:00:00Z', data_interval_start: '2027-01-01T00:00:00Z', data_interval_end: '2027-01-02T00:00:00Z', prev_ds: '', next_ds: '', upstreams: [], attempt: 1 });
    expect(res.summary).toMatchObject({ runs: 4, started: 4, skipped: 0, succeeded: 4, failed: 0 });
    expect(res.ok).toBe(true);
  });

  it('runs whose data interval has not ended are left to their schedule, listed as not due', async () => {
    // now is 2026-11-26T06:00: of an hourly dag's 2026-11-25..26, the intervals ending by 06:00 are due.
    const res = await backfill(api, hourly(), { from: '2026-11-25', to: '2026-11-26', now, ...noWait });
    expect(sfn.started()).toHaveLength(24 + 6);
    expect(sfn.started().at(-1)?.name).toBe('2026-11-26T050000Z');
    expect(res.items.filter((i) => i.notDue).map((i) => i.name)[0]).toBe('2026-11-26T060000Z');
    expect(res.summary).toMatchObject({ runs: 48, started: 30, skipped: 0, notDue: 18, failedToStart: 0 });
    expect(formatBackfill(res)).toContain('30 started (30 succeeded, 0 failed), 0 skipped, 18 not due yet, 0 failed to start');
    expect(res.ok).toBe(true);
    expect(formatBackfill(res)).toContain('not due until 2026-11-26T07:00:00Z (its schedule starts it then, when its data interval has ended): 2026-11-26T060000Z');
  });

  it('a second backfill over runs still running starts nothing and says they are running', async () => {
    // The runs of a first backfill, still running.
    for (const day of ['2026-02-26', '2026-02-27', '2026-02-28', '2026-03-01']) sfn.seed(MACHINE_ARN, `${day}T000000Z`, 'RUNNING');
    const again = await backfill(api, target(), { from: '2026-02-28', to: '2026-03-03', maxConcurrency: 3, now, ...noWait });
    expect(again.items.map((i) => [i.ds, i.outcome, i.because?.replace(/ \(.*/, '')])).toEqual([
      ['2026-02-28', 'skipped', 'running'],
      ['2026-03-01', 'skipped', 'running'],
      ['2026-03-02', 'started', undefined],
      ['2026-03-03', 'started', undefined],
    ]);
    expect(formatBackfill(again)).toContain('2 started (2 succeeded, 0 failed), 2 skipped, 0 failed to start');
  });

  it('--reprocess none skips runs that ran; failed reruns the failed ones; all reruns every one', async () => {
    sfn.seed(MACHINE_ARN, '2026-01-01T000000Z', 'SUCCEEDED', now);
    sfn.seed(MACHINE_ARN, '2026-01-02T000000Z', 'FAILED', now);
    const none = await backfill(api, target(), { from: '2026-01-01', to: '2026-01-03', dryRun: true, now });
    expect(none.items.map((i) => [i.ds, i.outcome, i.name])).toEqual([
      ['2026-01-01', 'skipped', '2026-01-01T000000Z'],
      ['2026-01-02', 'skipped', '2026-01-02T000000Z'],
      ['2026-01-03', 'planned', '2026-01-03T000000Z'],
    ]);
    expect(sfn.started()).toEqual([]);
    const failed = await backfill(api, target(), { from: '2026-01-01', to: '2026-01-03', reprocess: 'failed', dryRun: true, now });
    expect(failed.items.map((i) => [i.outcome, i.name])).toEqual([
      ['skipped', '2026-01-01T000000Z'],
      ['planned', '2026-01-02T000000Z_a2'],
      ['planned', '2026-01-03T000000Z'],
    ]);
    const text = formatBackfill(failed, [{ ref: 'orders/orders-upserts', after: 'orders/orders-daily-report', alsoWaitsFor: ['customers/customers-ingestion'] }]);
    expect(text).toContain('already ran (SUCCEEDED at 2026-11-26T06:00:00Z): 2026-01-01T000000Z');
    expect(text).toContain('would rerun as 2026-01-02T000000Z_a2 (attempt 2; attempt 1 ran (FAILED at 2026-11-26T06:00:00Z))');
    expect(text).toContain('would run as 2026-01-03T000000Z');
    expect(text).toContain('orders/orders-upserts (after orders/orders-daily-report; also waits for customers/customers-ingestion)');
    const all = await backfill(api, target(), { from: '2026-01-01', to: '2026-01-03', reprocess: 'all', now, ...noWait });
    expect(sfn.started().map((s) => [s.name, s.input.attempt])).toEqual([
      ['2026-01-01T000000Z_a2', 2],
      ['2026-01-02T000000Z_a2', 2],
      ['2026-01-03T000000Z', 1],
    ]);
    expect(all.ok).toBe(true);
  });

  it('keeps at most --max-concurrency runs in flight, waiting for runs to end', async () => {
    let peak = 0;
    const running = () => [...sfn.executions.values()].filter((e) => e.status === 'RUNNING').length;
    const sleep = async () => {
      peak = Math.max(peak, running());
      // One run ends per look.
      const first = [...sfn.executions.values()].find((e) => e.status === 'RUNNING');
      if (first) Object.assign(first, { status: 'SUCCEEDED', stopDate: now });
    };
    const res = await backfill(api, target(), { from: '2026-01-01', to: '2026-01-10', maxConcurrency: 3, now, sleep, pollSeconds: 0 });
    expect(res.summary).toMatchObject({ started: 10, succeeded: 10 });
    expect(peak).toBe(3);
  });

  it('reports failed runs and failures to start, and stops after a fatal error', async () => {
    sfn.mock
      .on(StartExecutionCommand)
      .rejectsOnce(new ExecutionLimitExceeded({ message: 'too many', $metadata: {} }))
      .rejectsOnce(new StateMachineDoesNotExist({ message: 'gone', $metadata: {} }));
    const res = await backfill(api, target(), { from: '2026-01-01', to: '2026-01-04', maxConcurrency: 1, now, ...noWait });
    const stop = 'not attempted: the backfill stopped (StateMachineDoesNotExist: gone)';
    expect(res.items.map((i) => i.error)).toEqual(['ExecutionLimitExceeded: too many', 'StateMachineDoesNotExist: gone', stop, stop]);
    expect(res.ok).toBe(false);
    expect(formatBackfill(res)).toContain('0 started (0 succeeded, 0 failed), 0 skipped, 2 failed to start, 2 not attempted');
    expect(formatBackfill(res)).toContain('stopped early: StateMachineDoesNotExist: gone');
  });

  it('credentials that expire mid-run stop it with what it started reported, whichever call meets them', async () => {
    const expired = () => new ExpiredTokenException({ message: 'The security token included in the request is expired', $metadata: {} });
    // Two runs start, then every call fails: the lookups of the next runs and the looks at the two in flight.
    let calls = 0;
    const flaky: typeof api = {
      describe: async (arn) => {
        if (calls >= 2) throw expired();
        return api.describe(arn);
      },
      start: async (req) => {
        calls++;
        return api.start(req);
      },
    };
    const res = await backfill(flaky, target(), { from: '2026-01-01', to: '2026-01-05', maxConcurrency: 2, now, sleep: async () => undefined, pollSeconds: 0 });
    expect(res.items.map((i) => [i.name, i.outcome])).toEqual([
      ['2026-01-01T000000Z', 'started'],
      ['2026-01-02T000000Z', 'started'],
      ['2026-01-03T000000Z', 'planned'],
      ['2026-01-04T000000Z', 'planned'],
      ['2026-01-05T000000Z', 'planned'],
    ]);
    expect(res).toMatchObject({ ok: false, stopped: 'ExpiredTokenException: The security token included in the request is expired', unfollowed: ['2026-01-01T000000Z', '2026-01-02T000000Z'] });
    expect(formatBackfill(res)).toContain('2 run(s) it started go on unfollowed (`lakestep status orders/orders-daily-report`): 2026-01-01T000000Z, 2026-01-02T000000Z');
  });

  it("keeps no more runs in flight than the dag's max_active_runs: more would only wait in its gate", async () => {
    const gated = () => ({ ...target(), workflow: manifestWorkflow('orders', 'orders-daily-report', { maxActiveRuns: 1 }) });
    let most = 0;
    const counting = { ...api, start: async (req: Parameters<typeof api.start>[0]) => {
      const out = await api.start(req);
      most = Math.max(most, [...sfn.executions.values()].filter((e) => e.status === 'RUNNING').length);
      return out;
    } };
    const res = await backfill(counting, gated(), { from: '2026-01-01', to: '2026-01-04', maxConcurrency: 3, now, ...noWait });
    expect(res.summary).toMatchObject({ started: 4, succeeded: 4 });
    expect(most).toBe(1);
    expect(res).toMatchObject({ maxConcurrency: 1, limitedByMaxActiveRuns: true });
    expect(formatBackfill(res).split('\n')[0]).toBe("orders/orders-daily-report 2026-01-01..2026-01-04: 4 run(s), reprocess none, at most 1 at a time (the dag's max_active_runs)");
    // Without it, three at a time as asked.
    sfn.reset();
    most = 0;
    const free = await backfill(counting, target(), { from: '2026-01-01', to: '2026-01-04', maxConcurrency: 3, now, ...noWait });
    expect(most).toBe(3);
    expect(free.limitedByMaxActiveRuns).toBeUndefined();
  });

  it('a run that fails makes the backfill fail', async () => {
    const res = await backfill(api, target(), { from: '2026-01-01', to: '2026-01-02', now, sleep: async () => sfn.finishAll('FAILED'), pollSeconds: 0 });
    expect(res.summary).toMatchObject({ started: 2, failed: 2 });
    expect(res.ok).toBe(false);
  });
});

describe('--detach', () => {
  it('hands the runs to the backfill machine: names, inputs and the concurrency', () => {
    const [p] = planBackfill(hourly(), { from: '2026-11-01', to: '2026-11-01' });
    const input = JSON.parse(detachedInput(hourly(), [{ plan: p!, name: '2026-11-01T000000Z_a2', attempt: 2 }], 5));
    // One row per run; the machine builds from it the input runInput gives the same run (test/simulator/backfill-machine.test.ts).
    expect(input).toEqual({
      state_machine_arn: MACHINE_ARN,
      max_concurrency: 5,
      runs: [['2026-11-01T000000Z_a2', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', '2026-11-01T01:00:00Z', p!.run.prev_ds, p!.run.next_ds, 2]],
    });
    expect(detachedName({ useCase: 'orders', dag: 'orders-daily-report' }, '2026-11-01', '2026-11-30', now)).toBe('orders-orders-daily-report_2026-11-01_2026-11-30_20261126T060000Z');
    expect(detachedName({ useCase: 'u'.repeat(30), dag: 'd'.repeat(40) }, '2026-11-01', '2026-11-30', now)).toHaveLength(80);
  });

  it("hands as many runs as the 256 KiB input holds (an hourly dag's 2 months, attempts 10 and over), and refuses more, saying how many fit", async () => {
    sfn.reset();
    const detach = async (from: string, to: string, attempt: number) => {
      const t = hourly();
      const runs = planBackfill(t, { from, to });
      const plan = await backfill(api, t, { from, to, now, dryRun: true });
      for (const i of plan.items) Object.assign(i, { attempt, name: `${i.name}_a${attempt}` });
      return startDetached(sfn.client, t, 'acme-lakestep-backfill', plan, runs, now);
    };
    // 61 days of an hourly dag: 1,464 runs.
    await expect(detach('2026-08-01', '2026-09-30', 12)).resolves.toMatchObject({ runs: 1464 });
    const [handed] = sfn.started();
    expect(Buffer.byteLength(JSON.stringify(handed!.input))).toBeLessThanOrEqual(PAYLOAD_BYTES_MAX);
    // 120 days: 2,880 runs do not fit.
    await expect(detach('2026-06-01', '2026-09-28', 12)).rejects.toThrow(/^2,880 runs to start make a 352 KiB input: a detached backfill's input holds 256 KiB, about 2,0\d\d runs of this dag; split --from\.\.--to$/);
    expect(sfn.started()).toHaveLength(1);
  });
});
