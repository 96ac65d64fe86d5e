import { describe, expect, it } from 'vitest';
import { fireTimes } from '../../src/events/fire-times.ts';

const times = (expression: string, start: string, end: string): string[] =>
  fireTimes(expression, new Date(start), new Date(end)).map((d) => d.toISOString().replace('.000Z', 'Z'));

describe('schedule expressions', () => {
  it('fires rate(1 day) once a day at midnight UTC', () => {
    expect(times('rate(1 day)', '2026-01-01T00:00:00Z', '2026-01-04T00:00:00Z')).toEqual([
      '2026-01-01T00:00:00Z',
      '2026-01-02T00:00:00Z',
      '2026-01-03T00:00:00Z',
    ]);
    expect(times('rate(30 minutes)', '2026-01-01T00:00:00Z', '2026-01-01T02:00:00Z')).toHaveLength(4);
  });

  it('fires cron(0 3 * * ? *) at 03:00 UTC each day', () => {
    expect(times('cron(0 3 * * ? *)', '2026-01-01T00:00:00Z', '2026-01-04T00:00:00Z')).toEqual([
      '2026-01-01T03:00:00Z',
      '2026-01-02T03:00:00Z',
      '2026-01-03T03:00:00Z',
    ]);
  });

  it.each([
    ['cron(0 4 1 * ? *)', '2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z', ['2026-01-01T04:00:00Z', '2026-02-01T04:00:00Z', '2026-03-01T04:00:00Z']],
    ['cron(0/15 6 ? * MON-FRI *)', '2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z', ['2026-01-02T06:00:00Z', '2026-01-02T06:15:00Z', '2026-01-02T06:30:00Z', '2026-01-02T06:45:00Z']],
    ['cron(0 12 L * ? *)', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z', ['2026-02-28T12:00:00Z']],
    ['cron(0 9 ? * 2#1 *)', '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z', ['2026-03-02T09:00:00Z']],
    ['cron(0 9 ? * 6L 2026)', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z', ['2026-01-30T09:00:00Z']],
    ['cron(0 9 15W * ? *)', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z', ['2026-02-16T09:00:00Z']],
    ['cron(30 1,13 ? * SUN *)', '2026-01-04T00:00:00Z', '2026-01-05T00:00:00Z', ['2026-01-04T01:30:00Z', '2026-01-04T13:30:00Z']],
  ])('%s', (expression, start, end, expected) => {
    expect(times(expression, start, end)).toEqual(expected);
  });

  it('rejects malformed expressions', () => {
    expect(() => times('cron(0 3 * * * *)', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z')).toThrow(/"\?"/);
    expect(() => times('rate(0 days)', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z')).toThrow();
    expect(() => times('every day', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z')).toThrow();
  });
});
