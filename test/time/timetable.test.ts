import { describe, expect, it } from 'vitest';
import { firesBetween, nextFire, previousFire, timetable } from '../../src/time/timetable.ts';
import { iso } from '../../src/time/runs.ts';
import { instantsOf, isTimeZone } from '../../src/time/zones.ts';

const at = (s: string): number => Date.parse(s);
const fires = (expr: string, zone: string, start: string, end: string): string[] => firesBetween(timetable(expr, zone), at(start), at(end)).map(iso);

describe('cron in UTC', () => {
  it.each([
    ['cron(0 3 * * ? *)', '2026-01-01T00:00:00Z', '2026-01-04T00:00:00Z', ['2026-01-01T03:00:00Z', '2026-01-02T03:00:00Z', '2026-01-03T03:00:00Z']],
    ['cron(0 4 1 * ? *)', '2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z', ['2026-01-01T04:00:00Z', '2026-02-01T04:00:00Z', '2026-03-01T04:00:00Z']],
    ['cron(0/15 6 ? * MON-FRI *)', '2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z', ['2026-01-02T06:00:00Z', '2026-01-02T06:15:00Z', '2026-01-02T06:30:00Z', '2026-01-02T06:45:00Z']],
    ['cron(0 12 L * ? *)', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z', ['2026-02-28T12:00:00Z']],
    ['cron(0 12 LW * ? *)', '2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z', ['2026-05-29T12:00:00Z']],
    ['cron(0 9 ? * 2#1 *)', '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z', ['2026-03-02T09:00:00Z']],
    ['cron(0 9 ? * 6L 2026)', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z', ['2026-01-30T09:00:00Z']],
    ['cron(0 9 15W * ? *)', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z', ['2026-02-16T09:00:00Z']],
  ])('%s', (expr, start, end, expected) => {
    expect(fires(expr, 'UTC', start, end)).toEqual(expected);
  });

  it('finds the previous and next fire across months and weekends', () => {
    const tt = timetable('cron(0 2 ? * MON-FRI *)');
    // Monday 2026-11-30 02:00: the fire before is Friday's.
    expect(iso(previousFire(tt, at('2026-11-30T02:00:00Z'))!)).toBe('2026-11-27T02:00:00Z');
    expect(iso(nextFire(tt, at('2026-11-27T02:00:00Z'))!)).toBe('2026-11-30T02:00:00Z');
    expect(previousFire(timetable('cron(0 0 1 1 ? 1970)'), at('1970-01-01T00:00:00Z'))).toBeUndefined();
    expect(nextFire(timetable('cron(0 0 1 1 ? 2026)'), at('2026-01-01T00:00:00Z'))).toBeUndefined();
  });
});

describe('rate', () => {
  it('fires at multiples of the period since 1970-01-01T00:00Z', () => {
    expect(fires('rate(6 hours)', 'UTC', '2026-01-01T01:00:00Z', '2026-01-02T00:00:00Z')).toEqual(['2026-01-01T06:00:00Z', '2026-01-01T12:00:00Z', '2026-01-01T18:00:00Z']);
    const tt = timetable('rate(30 minutes)');
    expect(iso(previousFire(tt, at('2026-01-01T10:00:00Z'))!)).toBe('2026-01-01T09:30:00Z');
    expect(iso(nextFire(tt, at('2026-01-01T10:00:00Z'))!)).toBe('2026-01-01T10:30:00Z');
    expect(iso(previousFire(tt, at('2026-01-01T10:07:00Z'))!)).toBe('2026-01-01T10:00:00Z');
  });
});

describe('daylight saving time (EventBridge Scheduler: a local time that does not exist is skipped, a repeated one fires once)', () => {
  it('knows the zones', () => {
    expect(isTimeZone('Europe/Lisbon')).toBe(true);
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('maps local times to none, one or two instants', () => {
    expect(instantsOf('Europe/Lisbon', { year: 2026, month: 3, day: 29, hour: 1, minute: 30 })).toEqual([]);
    expect(instantsOf('Europe/Lisbon', { year: 2026, month: 10, day: 25, hour: 1, minute: 30 }).map(iso)).toEqual(['2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z']);
    expect(instantsOf('America/New_York', { year: 2026, month: 3, day: 8, hour: 2, minute: 30 })).toEqual([]);
    expect(instantsOf('America/New_York', { year: 2026, month: 11, day: 1, hour: 1, minute: 30 }).map(iso)).toEqual(['2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z']);
  });

  it('Europe/Lisbon, spring: 01:30 does not exist on 2026-03-29, so that day has no fire', () => {
    expect(fires('cron(30 1 * * ? *)', 'Europe/Lisbon', '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z')).toEqual(['2026-03-28T01:30:00Z', '2026-03-30T00:30:00Z']);
  });

  it('Europe/Lisbon, autumn: 01:30 happens twice on 2026-10-25 and fires once, at the first', () => {
    expect(fires('cron(30 1 * * ? *)', 'Europe/Lisbon', '2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z')).toEqual(['2026-10-24T00:30:00Z', '2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z']);
  });

  it('America/New_York, spring and autumn', () => {
    expect(fires('cron(30 2 * * ? *)', 'America/New_York', '2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z')).toEqual(['2026-03-07T07:30:00Z', '2026-03-09T06:30:00Z']);
    expect(fires('cron(30 1 * * ? *)', 'America/New_York', '2026-10-31T00:00:00Z', '2026-11-03T00:00:00Z')).toEqual(['2026-10-31T05:30:00Z', '2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z']);
    // An hourly cron on the autumn day: 24 local hours, 25 real ones; the repeated 01:00 fires once.
    expect(fires('cron(0 * * * ? *)', 'America/New_York', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z')).toHaveLength(24);
  });
});
