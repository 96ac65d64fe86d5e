import { describe, expect, it } from 'vitest';
import { fireOf, iso, runAtFire, runsOnDay, unscheduledRun } from '../../src/time/runs.ts';
import { timetable } from '../../src/time/timetable.ts';

const at = (s: string): number => Date.parse(s);

describe('data intervals and logical dates', () => {
  const daily = timetable('cron(0 2 * * ? *)');

  it('interval (Airflow 2): the daily 02:00 run fired on D covers [D-1 02:00, D 02:00) and its ds is D-1', () => {
    expect(runAtFire(daily, at('2026-11-26T02:00:00Z'), 'interval')).toEqual({
      logical_date: '2026-11-25T02:00:00Z',
      data_interval_start: '2026-11-25T02:00:00Z',
      data_interval_end: '2026-11-26T02:00:00Z',
      prev_ds: '2026-11-24',
      next_ds: '2026-11-26',
    });
  });

  it('trigger (Airflow 3): the same run has the fire time as logical date and the same interval', () => {
    expect(runAtFire(daily, at('2026-11-26T02:00:00Z'), 'trigger')).toEqual({
      logical_date: '2026-11-26T02:00:00Z',
      data_interval_start: '2026-11-25T02:00:00Z',
      data_interval_end: '2026-11-26T02:00:00Z',
      prev_ds: '2026-11-25',
      next_ds: '2026-11-27',
    });
  });

  it('rate: the interval is the period before the fire', () => {
    expect(runAtFire(timetable('rate(1 day)'), at('2026-11-26T00:00:00Z'), 'interval')).toMatchObject({
      logical_date: '2026-11-25T00:00:00Z',
      data_interval_start: '2026-11-25T00:00:00Z',
      data_interval_end: '2026-11-26T00:00:00Z',
    });
    expect(runAtFire(timetable('rate(15 minutes)'), at('2026-11-26T10:15:00Z'), 'trigger')).toMatchObject({
      logical_date: '2026-11-26T10:15:00Z',
      data_interval_start: '2026-11-26T10:00:00Z',
    });
  });

  it('the runs of a day: one for a daily schedule, 24 for an hourly one, under either convention', () => {
    expect(runsOnDay(daily, '2026-11-25', 'interval').map((r) => [r.logical_date, r.data_interval_end])).toEqual([['2026-11-25T02:00:00Z', '2026-11-26T02:00:00Z']]);
    expect(runsOnDay(daily, '2026-11-25', 'trigger').map((r) => [r.logical_date, r.data_interval_end])).toEqual([['2026-11-25T02:00:00Z', '2026-11-25T02:00:00Z']]);
    const hourly = runsOnDay(timetable('cron(0 * * * ? *)'), '2026-11-25', 'interval');
    expect(hourly).toHaveLength(24);
    expect(hourly[23]).toMatchObject({ logical_date: '2026-11-25T23:00:00Z', data_interval_end: '2026-11-26T00:00:00Z', next_ds: '2026-11-26' });
  });

  it('finds the fire of a logical date, and none for a date the schedule does not have', () => {
    expect(iso(fireOf(daily, at('2026-11-25T02:00:00Z'), 'interval')!)).toBe('2026-11-26T02:00:00Z');
    expect(iso(fireOf(daily, at('2026-11-25T02:00:00Z'), 'trigger')!)).toBe('2026-11-25T02:00:00Z');
    expect(fireOf(daily, at('2026-11-25T00:00:00Z'), 'interval')).toBeUndefined();
  });

  it('a run without a schedule: a day covers the day, a timestamp nothing', () => {
    expect(unscheduledRun(at('2026-11-25T00:00:00Z'), true)).toMatchObject({ data_interval_start: '2026-11-25T00:00:00Z', data_interval_end: '2026-11-26T00:00:00Z', prev_ds: '' });
    expect(unscheduledRun(at('2026-11-25T06:00:00Z'), false).data_interval_end).toBe('2026-11-25T06:00:00Z');
  });
});

describe('intervals around daylight saving time: the span between two actual fires', () => {
  it('Europe/Lisbon spring: the skipped 01:30 makes one 47-hour interval, nothing lost', () => {
    const tt = timetable('cron(30 1 * * ? *)', 'Europe/Lisbon');
    const run = runAtFire(tt, at('2026-03-30T00:30:00Z'), 'interval');
    expect(run).toMatchObject({ logical_date: '2026-03-28T01:30:00Z', data_interval_start: '2026-03-28T01:30:00Z', data_interval_end: '2026-03-30T00:30:00Z' });
    // The run before ends where this one starts.
    expect(runAtFire(tt, at('2026-03-28T01:30:00Z'), 'interval')!.data_interval_end).toBe(run!.data_interval_start);
  });

  it('Europe/Lisbon autumn: the repeated hour fires once, a 25-hour interval follows', () => {
    const tt = timetable('cron(30 1 * * ? *)', 'Europe/Lisbon');
    expect(runAtFire(tt, at('2026-10-26T01:30:00Z'), 'trigger')).toMatchObject({ data_interval_start: '2026-10-25T00:30:00Z', data_interval_end: '2026-10-26T01:30:00Z' });
  });

  it('America/New_York spring and autumn', () => {
    const spring = timetable('cron(30 2 * * ? *)', 'America/New_York');
    expect(runAtFire(spring, at('2026-03-09T06:30:00Z'), 'interval')).toMatchObject({ data_interval_start: '2026-03-07T07:30:00Z', data_interval_end: '2026-03-09T06:30:00Z' });
    const autumn = timetable('cron(0 2 * * ? *)', 'America/New_York');
    expect(runAtFire(autumn, at('2026-11-01T07:00:00Z'), 'interval')).toMatchObject({ data_interval_start: '2026-10-31T06:00:00Z', data_interval_end: '2026-11-01T07:00:00Z' });
  });
});

describe("a cron's first fire (a year field that starts later)", () => {
  const tt = timetable('cron(0 6 * * ? 2027-2030)', 'UTC');

  it('starts no run under the interval convention: no interval ends there; the next fire runs [first, second)', () => {
    expect(runAtFire(tt, at('2027-01-01T06:00:00Z'), 'interval')).toBeUndefined();
    expect(runAtFire(tt, at('2027-01-02T06:00:00Z'), 'interval')).toMatchObject({ logical_date: '2027-01-01T06:00:00Z', data_interval_start: '2027-01-01T06:00:00Z', data_interval_end: '2027-01-02T06:00:00Z', prev_ds: '' });
    // What backfill lists for that day is the same run.
    expect(runsOnDay(tt, '2027-01-01', 'interval')).toEqual([runAtFire(tt, at('2027-01-02T06:00:00Z'), 'interval')]);
  });

  it('starts the run of the first fire under the trigger convention, with an empty interval', () => {
    expect(runAtFire(tt, at('2027-01-01T06:00:00Z'), 'trigger')).toMatchObject({ logical_date: '2027-01-01T06:00:00Z', data_interval_start: '2027-01-01T06:00:00Z', data_interval_end: '2027-01-01T06:00:00Z', prev_ds: '' });
  });
});

