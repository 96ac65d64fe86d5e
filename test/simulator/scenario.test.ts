import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../src/simulator/scenario.ts';

describe('scenario files', () => {
  it('reads a YAML scenario', () => {
    const s = parseScenario(`
start: [{workflow: orders/orders-migration, logical_date: 2026-01-01}]
window: {start: 2026-01-01T00:00:00Z, end: 2026-01-02T00:00:00Z}
faults: {orders/orders-migration: {Convert orders: {error: EMRServerless.InternalServerException, times: 2}}}
datasync: {orders: {status: ERROR, extra_polls: 1}}
`);
    expect(s.faults?.['orders/orders-migration']?.['Convert orders']?.times).toBe(2);
  });

  it('lists every problem at once', () => {
    try {
      parseScenario('start: [{logical_date: nope}]\nfaults: {a/b: {S: {times: 0}}}\nextra: 1\n');
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      expect((e as ScenarioError).problems).toEqual([
        'extra: unknown field (expected one of start, window, faults, delays, datasync, watermarks, jobs, checks, dynamodb, migrated, listing_lag)',
        'start[0].workflow: required string',
        'start[0].logical_date: must be a date or ISO timestamp',
        'faults.a/b.S.error: required string',
        'faults.a/b.S.times: must be a positive integer or "always"',
      ]);
    }
  });

  it('reads listing_lag, for the scenario and per start, as seconds from 0 to 366 days', () => {
    const s = parseScenario('listing_lag: 2\nstart: [{workflow: a/b, listing_lag: 8.5}]\n');
    expect([s.listing_lag, s.start?.[0]?.listing_lag]).toEqual([2, 8.5]);
    expect(() => parseScenario('listing_lag: -1\nstart: [{workflow: a/b, listing_lag: "5s"}]\n')).toThrow(
      'start[0].listing_lag: must be a number of seconds from 0 to 31,622,400 (366 days)\n  listing_lag: must be a number of seconds from 0 to 31,622,400 (366 days)',
    );
  });

  it('refuses delays the simulated clock cannot hold: not a number, NaN, infinite, negative, past 366 days', () => {
    const delays = ['"5s"', '.nan', '.inf', '-.inf', '-1', '1e308', '31622401'];
    try {
      parseScenario(`delays:\n  a/b:\n${delays.map((d, i) => `    S${i}: ${d}\n`).join('')}`);
      throw new Error('accepted');
    } catch (e) {
      expect((e as ScenarioError).problems).toEqual(delays.map((_, i) => `delays.a/b.S${i}: must be a number of seconds from 0 to 31,622,400 (366 days)`));
    }
    expect(parseScenario('delays: {a/b: {S: 0, T: 31622400, U: 0.5}}\n').delays).toEqual({ 'a/b': { S: 0, T: 31622400, U: 0.5 } });
  });
});
