/** Scenario dates are read as the operator commands read `--date`: a bad one is a listed problem, never a throw later. */
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../src/simulator/scenario.ts';

describe('scenario dates', () => {
  it.each([
    [{ start: [{ workflow: 'orders/orders-daily-report', logical_date: '2026-01-01T00:00:00+24:00' }] }, 'start[0].logical_date: must be a date or ISO timestamp'],
    [{ start: [{ workflow: 'orders/orders-daily-report', at: '0000-01-01' }] }, 'start[0].at: must be a date or ISO timestamp'],
    [{ window: { start: '2026-01-01T00:00:00+24:00', end: '2026-01-02T00:00:00Z' } }, 'window: needs start and end ISO timestamps'],
  ])('%j', (scenario, problem) => {
    expect(validateScenario(scenario)).toEqual([problem]);
  });

  it('accepts a 1600 logical date and offsets up to ±23:59', () => {
    expect(validateScenario({ start: [{ workflow: 'a/b', logical_date: '1600-01-01' }, { workflow: 'a/b', logical_date: '2026-01-01T00:00:00-23:59' }] })).toEqual([]);
  });
});
