import { describe, expect, it } from 'vitest';
import { enumerateDays, parseDay, parseLogicalDate, startInput } from '../../src/ops/dates.ts';
import { OpsError } from '../../src/ops/errors.ts';

describe('parseLogicalDate', () => {
  it.each([
    ['2026-11-26', '2026-11-26T00:00:00Z'],
    ['2026-11-26T06:00:00Z', '2026-11-26T06:00:00Z'],
    ['2026-11-26T06:00Z', '2026-11-26T06:00:00Z'],
    ['2026-11-26T06:00:00.000Z', '2026-11-26T06:00:00Z'],
    ['2026-11-26T08:30:00+02:00', '2026-11-26T06:30:00Z'],
    ['2028-02-29', '2028-02-29T00:00:00Z'],
  ])('%s → %s', (given, want) => {
    expect(parseLogicalDate(given)).toBe(want);
  });

  it.each(['yesterday', '26/11/2026', '2026-11-26 06:00', '2026-11-26T06:00:00', '2027-02-29', '2026-13-01', '2026-11-26T25:00:00Z', ''])(
    'rejects %j as a usage error naming the accepted forms',
    (given) => {
      const err = catchError(() => parseLogicalDate(given));
      expect(err).toBeInstanceOf(OpsError);
      expect(err.exitCode).toBe(2);
      expect(err.message).toMatch(/--date/);
    },
  );

  it('says the accepted forms', () => {
    expect(() => parseLogicalDate('tomorrow')).toThrow('--date must be a day (YYYY-MM-DD, meaning midnight UTC) or an ISO-8601 timestamp');
  });
});

describe('parseDay', () => {
  it('accepts days only and names the flag', () => {
    expect(parseDay('2026-01-31', '--from')).toBe('2026-01-31');
    expect(() => parseDay('2026-01-31T00:00:00Z', '--from')).toThrow('--from must be a day as YYYY-MM-DD');
    expect(() => parseDay('2026-02-30', '--to')).toThrow('--to "2026-02-30" is not a calendar date');
  });
});

describe('enumerateDays', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(enumerateDays('2028-02-27', '2028-03-01')).toEqual(['2028-02-27', '2028-02-28', '2028-02-29', '2028-03-01']);
    expect(enumerateDays('2027-02-27', '2027-03-01')).toEqual(['2027-02-27', '2027-02-28', '2027-03-01']);
    expect(enumerateDays('2026-12-31', '2027-01-01')).toEqual(['2026-12-31', '2027-01-01']);
    expect(enumerateDays('2026-03-29', '2026-03-29')).toEqual(['2026-03-29']);
  });
});

describe('startInput', () => {
  it('is the documented contract with a fixed key order', () => {
    expect(startInput('manual', '2026-11-26T00:00:00Z')).toBe('{"trigger":"manual","logical_date":"2026-11-26T00:00:00Z"}');
  });
});

function catchError(fn: () => unknown): OpsError {
  try {
    fn();
  } catch (err) {
    return err as OpsError;
  }
  throw new Error('expected an error');
}
