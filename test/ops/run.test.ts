import { beforeEach, describe, expect, it } from 'vitest';
import { formatRun } from '../../src/ops/format.ts';
import { nextRun } from '../../src/ops/plan.ts';
import { runWorkflow } from '../../src/ops/run.ts';
import { sfnExecutions } from '../../src/starter/sfn.ts';
import { manifestWorkflow } from '../helpers/manifest.ts';
import { fakeSfn } from './fake-sfn.ts';
import { MACHINE_ARN, target } from './fixtures.ts';

const now = new Date('2026-11-26T06:12:34.567Z');
const sfn = fakeSfn(now);
const api = sfnExecutions(sfn.client);

/** The report dag, on its daily 06:00 schedule, under a convention. */
const daily = (logicalDate: 'interval' | 'trigger' = 'interval') => ({
  ...target(),
  workflow: manifestWorkflow('orders', 'orders-daily-report', { schedule: 'cron(0 6 * * ? *)', timetable: { schedule: 'cron(0 6 * * ? *)', timezone: 'UTC', logicalDate } }),
});

describe('lakestep run: runs named exactly as the schedule names them', () => {
  beforeEach(() => sfn.reset());

  it('--date D of a daily dag starts the run whose ds is D: interval [D 06:00, D+1 06:00) under interval', async () => {
    const res = await runWorkflow(api, daily(), { date: '2026-11-20', now });
    expect(sfn.started()).toEqual([
      {
        name: '2026-11-20T060000Z',
        input: { trigger: 'manual', logical_date: '2026-11-20T06:00:00Z', data_interval_start: '2026-11-20T06:00:00Z', data_interval_end: '2026-11-21T06:00:00Z', prev_ds: '2026-11-19', next_ds: '2026-11-21', upstreams: [], attempt: 1 },
      },
    ]);
    expect(res.ok).toBe(true);
    expect(formatRun(res)).toContain('2026-11-20T06:00:00Z  [2026-11-20T06:00:00Z, 2026-11-21T06:00:00Z)  started 2026-11-20T060000Z');
  });

  it('under trigger the run of D fired on D and covers the day before', async () => {
    await runWorkflow(api, daily('trigger'), { date: '2026-11-20', now });
    expect(sfn.started()[0]?.input).toMatchObject({ logical_date: '2026-11-20T06:00:00Z', data_interval_start: '2026-11-19T06:00:00Z', data_interval_end: '2026-11-20T06:00:00Z' });
  });

  it('a day of an hourly dag is its 24 runs; a timestamp one of them; one that is no logical date is refused', async () => {
    const hourly = { ...target(), workflow: manifestWorkflow('orders', 'h', { timetable: { schedule: 'cron(0 * * * ? *)', timezone: 'UTC', logicalDate: 'interval' } }) };
    const res = await runWorkflow(api, hourly, { date: '2026-11-20', now });
    expect(res.items.map((i) => i.name)).toEqual(Array.from({ length: 24 }, (_, h) => `2026-11-20T${String(h).padStart(2, '0')}0000Z`));
    sfn.reset();
    await runWorkflow(api, hourly, { date: '2026-11-20T13:00:00Z', now });
    expect(sfn.started().map((s) => s.name)).toEqual(['2026-11-20T130000Z']);
    await expect(runWorkflow(api, hourly, { date: '2026-11-20T13:30:00Z', now })).rejects.toThrow(
      '2026-11-20T13:30:00Z is not a logical date of cron(0 * * * ? *); the nearest are 2026-11-20T13:00:00Z and 2026-11-20T14:00:00Z',
    );
  });

  it('a day that holds no logical date of the dag is refused with the nearest ones, and nothing starts', async () => {
    const weekdays = { ...target(), workflow: manifestWorkflow('orders', 'w', { timetable: { schedule: 'cron(0 6 ? * MON-FRI *)', timezone: 'UTC', logicalDate: 'interval' } }) };
    // 2026-11-28 is a Saturday: under the interval convention the Friday run's logical date is Friday 06:00.
    await expect(runWorkflow(api, weekdays, { date: '2026-11-28', now })).rejects.toThrow(
      '2026-11-28 holds no logical date of cron(0 6 ? * MON-FRI *); the nearest are 2026-11-27T06:00:00Z and 2026-11-30T06:00:00Z',
    );
    expect(sfn.started()).toEqual([]);
    // Near the year 0001 the search for the nearest stops at the first day a --date may name (not at a day of year 0000).
    const yearly = { ...target(), workflow: manifestWorkflow('orders', 'y', { timetable: { schedule: 'cron(0 6 1 12 ? *)', timezone: 'UTC', logicalDate: 'interval' } }) };
    await expect(runWorkflow(api, yearly, { date: '0001-06-01', now })).rejects.toThrow(/^0001-06-01 holds no logical date of cron\(0 6 1 12 \? \*\)$/);
  });

  it('a dependency-only dag runs on the dates it inherits from its upstream, so a run by hand is the run the dependency starts', async () => {
    const downstream = { ...target(), workflow: manifestWorkflow('orders', 'd', { dependsOn: ['orders/up'], timetable: { schedule: 'cron(0 2 * * ? *)', timezone: 'UTC', logicalDate: 'interval', from: 'orders/up' } }) };
    await runWorkflow(api, downstream, { date: '2026-11-25', now });
    expect(sfn.started().map((s) => s.name)).toEqual(['2026-11-25T020000Z']);
  });

  it('a run its schedule has not started yet is not started early: its data interval has not ended (Airflow: a run starts after its interval)', async () => {
    // now is 2026-11-26T06:12: the run of 2026-11-26 covers [11-26 06:00, 11-27 06:00) and is due tomorrow at 06:00.
    const res = await runWorkflow(api, daily(), { date: '2026-11-26', now });
    expect(sfn.started()).toEqual([]);
    expect(res.items).toMatchObject([{ name: '2026-11-26T060000Z', outcome: 'skipped', notDue: true, because: 'not due until 2026-11-27T06:00:00Z (its schedule starts it then, when its data interval has ended)' }]);
    expect(res.ok).toBe(false);
    // The run of the day before ended its interval at 06:00 today: due. Under trigger the run of today fired at 06:00: due.
    await runWorkflow(api, daily(), { date: '2026-11-25', now });
    await runWorkflow(api, daily('trigger'), { date: '2026-11-26', now });
    expect(sfn.started().map((s) => s.name)).toEqual(['2026-11-25T060000Z', '2026-11-26T060000Z']);
    // A day of an hourly dag: the intervals that ended by 06:12 (00:00 … 05:00), not the others.
    sfn.reset();
    const hourly = { ...target(), workflow: manifestWorkflow('orders', 'h', { timetable: { schedule: 'cron(0 * * * ? *)', timezone: 'UTC', logicalDate: 'interval' } }) };
    const day = await runWorkflow(api, hourly, { date: '2026-11-26', now });
    expect(sfn.started().map((s) => s.name)).toEqual(['00', '01', '02', '03', '04', '05'].map((h) => `2026-11-26T${h}0000Z`));
    expect(day.items.filter((i) => i.notDue)).toHaveLength(18);
    // A dag nothing schedules runs whenever it is asked to.
    sfn.reset();
    await runWorkflow(api, target(), { date: '2026-11-26', now });
    expect(sfn.started().map((s) => s.name)).toEqual(['2026-11-26T000000Z']);
  });

  it('the next run: the one the schedule starts after now, under either convention; a dependency-only dag names the upstream it follows', () => {
    expect(nextRun(daily().workflow, now)).toMatchObject({ name: '2026-11-26T060000Z', due: '2026-11-27T06:00:00Z' });
    expect(nextRun(daily('trigger').workflow, now)).toMatchObject({ name: '2026-11-27T060000Z', due: '2026-11-27T06:00:00Z', run: { data_interval_start: '2026-11-26T06:00:00Z' } });
    const downstream = manifestWorkflow('orders', 'd', { dependsOn: ['orders/up'], timetable: { schedule: 'cron(0 2 * * ? *)', timezone: 'UTC', logicalDate: 'interval', from: 'orders/up' } });
    expect(nextRun(downstream, now)).toMatchObject({ name: '2026-11-26T020000Z', due: '2026-11-27T02:00:00Z', after: 'orders/up' });
    expect(nextRun(target().workflow, now)).toBeUndefined();
  });

  it('without a schedule a day is one run at midnight covering the day', async () => {
    await runWorkflow(api, target(), { date: '2026-11-20', now });
    expect(sfn.started()).toEqual([{ name: '2026-11-20T000000Z', input: { trigger: 'manual', logical_date: '2026-11-20T00:00:00Z', data_interval_start: '2026-11-20T00:00:00Z', data_interval_end: '2026-11-21T00:00:00Z', prev_ds: '', next_ds: '', upstreams: [], attempt: 1 } }]);
  });

  it('without --date: the schedule\'s latest run (fired at 06:00 today)', async () => {
    await runWorkflow(api, daily(), { now });
    expect(sfn.started().map((s) => s.name)).toEqual(['2026-11-25T060000Z']);
  });

  it('reports a run that already ran, found with DescribeExecution, and starts nothing', async () => {
    sfn.seed(MACHINE_ARN, '2026-11-20T060000Z', 'SUCCEEDED', new Date('2026-11-21T06:10:00Z'));
    const res = await runWorkflow(api, daily(), { date: '2026-11-20', now });
    expect(sfn.started()).toEqual([]);
    expect(res.items).toMatchObject([{ outcome: 'skipped', because: 'already ran (SUCCEEDED at 2026-11-21T06:10:00Z)' }]);
    expect(res.ok).toBe(true);
    expect(formatRun(res)).toContain('already ran (SUCCEEDED at 2026-11-21T06:10:00Z): 2026-11-20T060000Z');
    expect(formatRun(res)).toContain('--rerun starts the next attempt');
  });

  it('reports a running one as running, never as started', async () => {
    sfn.seed(MACHINE_ARN, '2026-11-20T060000Z', 'RUNNING');
    const res = await runWorkflow(api, daily(), { date: '2026-11-20', now, rerun: true });
    expect(sfn.started()).toEqual([]);
    expect(res.items[0]?.because).toMatch(/^running \(since /);
  });

  it('fails when the latest attempt failed, and --rerun starts attempt 2 with its own name and input', async () => {
    sfn.seed(MACHINE_ARN, '2026-11-20T060000Z', 'FAILED', now);
    const failed = await runWorkflow(api, daily(), { date: '2026-11-20', now });
    expect(failed.ok).toBe(false);
    expect(formatRun(failed)).toContain('--rerun starts its next attempt');
    const rerun = await runWorkflow(api, daily(), { date: '2026-11-20', rerun: true, now });
    expect(sfn.started()).toEqual([{ name: '2026-11-20T060000Z_a2', input: expect.objectContaining({ logical_date: '2026-11-20T06:00:00Z', attempt: 2 }) }]);
    expect(rerun.items[0]).toMatchObject({ outcome: 'started', attempt: 2 });
    // A third: attempt 3, after looking up 1 and 2.
    sfn.finishAll('SUCCEEDED');
    await runWorkflow(api, daily(), { date: '2026-11-20', rerun: true, now });
    expect(sfn.started().map((s) => s.name)).toEqual(['2026-11-20T060000Z_a2', '2026-11-20T060000Z_a3']);
  });

  it('rejects a bad date before calling AWS', async () => {
    await expect(runWorkflow(api, daily(), { date: '20-11-2026', now })).rejects.toThrow('--date must be a day');
    expect(sfn.mock.calls()).toHaveLength(0);
  });
});
