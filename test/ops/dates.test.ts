import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eachDay, logicalDateOf, parseDay, parseLogicalDate, startInput } from '../../src/ops/dates.ts';
import { OpsError } from '../../src/ops/errors.ts';

describe('parseLogicalDate', () => {
  it.each([
    ['2026-11-26', '2026-11-26T00:00:00Z'],
    ['2026-11-26T06:00:00Z', '2026-11-26T06:00:00Z'],
    ['2026-11-26T06:00Z', '2026-11-26T06:00:00Z'],
    ['2026-11-26T06:00:00.000Z', '2026-11-26T06:00:00Z'],
    ['2026-11-26T08:30:00+02:00', '2026-11-26T06:30:00Z'],
    ['2028-02-29', '2028-02-29T00:00:00Z'],
    ['2026-01-01T00:00:00+23:59', '2025-12-31T00:01:00Z'],
    ['2026-01-01T00:00:00-23:59', '2026-01-01T23:59:00Z'],
    ['1600-01-01', '1600-01-01T00:00:00Z'],
    ['1600-02-29', '1600-02-29T00:00:00Z'],
    // Two-digit years are years, not 19xx.
    ['0050-03-01', '0050-03-01T00:00:00Z'],
    ['0001-01-01T00:30:00+00:30', '0001-01-01T00:00:00Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59Z'],
  ])('%s → %s', (given, want) => {
    expect(parseLogicalDate(given)).toBe(want);
  });

  it.each(['yesterday', '26/11/2026', '2026-11-26 06:00', '2026-11-26T06:00:00', '2027-02-29', '2026-13-01', '2026-11-26T25:00:00Z', '', '2026-01-01T00:00:00+24:00', '2026-01-01T00:00:00-99:00', '2026-01-01T00:00:00+01:60', '0000-01-01', '1700-02-29', '0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-00:01'])(
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

describe('logicalDateOf', () => {
  it('never throws, and what it accepts is the same instant as the input, in four-digit years', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const stamp = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), two(13), two(32), two(25), two(61), two(61), fc.constantFrom('Z', '+', '-'), two(30), two(61))
      .map(([y, mo, d, h, mi, s, sign, oh, om]) => `${String(y).padStart(4, '0')}-${mo}-${d}T${h}:${mi}:${s}${sign === 'Z' ? 'Z' : `${sign}${oh}:${om}`}`);
    fc.assert(
      fc.property(fc.oneof(stamp, fc.string()), (v) => {
        const r = logicalDateOf(v);
        if ('problem' in r) return;
        expect(r.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:Z|([+-])(\d{2}):(\d{2}))$/.exec(v)!;
        const [, y, mo, d, h, mi, s, , oh, om] = m.map(Number) as number[];
        const at = new Date(0);
        at.setUTCFullYear(y!, mo! - 1, d!);
        at.setUTCHours(h!, mi!, s!);
        const offset = m[7] === undefined ? 0 : (m[7] === '+' ? 1 : -1) * (oh! * 60 + om!) * 60_000;
        expect(new Date(r.date).getTime()).toBe(at.getTime() - offset);
      }),
      { numRuns: 2000, seed: 11 },
    );
  });
});

describe('parseDay', () => {
  it('accepts days only and names the flag', () => {
    expect(parseDay('2026-01-31', '--from')).toBe('2026-01-31');
    expect(() => parseDay('2026-01-31T00:00:00Z', '--from')).toThrow('--from must be a day as YYYY-MM-DD');
    expect(() => parseDay('2026-02-30', '--to')).toThrow('--to "2026-02-30" is not a calendar date');
  });
});

describe('eachDay', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect([...eachDay('2028-02-27', '2028-03-01')]).toEqual(['2028-02-27', '2028-02-28', '2028-02-29', '2028-03-01']);
    expect([...eachDay('2027-02-27', '2027-03-01')]).toEqual(['2027-02-27', '2027-02-28', '2027-03-01']);
    expect([...eachDay('2026-12-31', '2027-01-01')]).toEqual(['2026-12-31', '2027-01-01']);
    expect([...eachDay('2026-03-29', '2026-03-29')]).toEqual(['2026-03-29']);
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
