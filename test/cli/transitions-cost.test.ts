/**
 * The Step Functions cost line of the simulation report: billed transitions are states entered plus
 * retries, by workflow; the day's and the month's price at the region's rate, less the free tier.
 */
import { describe, expect, it } from 'vitest';
import { billedTransitions, dayCost, dayCostLine, expressRuns, simulationCostLine, TRANSITION_PRICE_PER_1000 } from '../../src/cli/transitions-cost.ts';
import { expressWorkflows } from '../../src/simulator/refs.ts';
import type { ExecutionResult, TimelineEntry } from '../../src/simulator/index.ts';

const exec = (workflow: string, stateTransitions: number) => ({ workflow, stateTransitions }) as ExecutionResult;
const DAY = { start: '2026-11-25T00:00:00Z', end: '2026-11-26T00:00:00Z' };
const retried = (workflow: string) => ({ time: '2026-11-25T00:00:00Z', workflow, execution: 'e', state: 'S', kind: 'retried' }) as TimelineEntry;

describe('the state transitions of a simulated day and their price', () => {
  it('counts the states each workflow entered and every retry, as Step Functions bills them', () => {
    const byWorkflow = billedTransitions({
      executions: [exec('a/x', 10), exec('a/x', 12), exec('lakestep/dispatch', 30)],
      timeline: [retried('a/x'), retried('a/x'), { ...retried('a/x'), kind: 'entered' }],
    });
    expect([...byWorkflow]).toEqual([['a/x', 24], ['lakestep/dispatch', 30]]);
  });

  it("prices the day and a month of 30 such days at the region's rate, less 4,000 free transitions a month", () => {
    const c = dayCost(new Map([['lakestep/dispatch', 11_000], ['p/u', 2_000], ['p/i', 1_000], ['o/r', 500]]), 'eu-west-1', DAY);
    expect(c).toMatchObject({ transitions: 14_500, pricePer1000: 0.025, top: [{ workflow: 'lakestep/dispatch', transitions: 11_000 }, { workflow: 'p/u', transitions: 2_000 }, { workflow: 'p/i', transitions: 1_000 }] });
    expect(c.day).toBeCloseTo(0.3625, 10);
    expect(c.month).toBeCloseTo(((14_500 * 30 - 4000) * 0.025) / 1000, 10);
    expect(dayCostLine(c)).toBe(
      "Step Functions: 14,500 state transitions this day (most: lakestep/dispatch 11,000, p/u 2,000, p/i 1,000) ≈ $0.36 a day, $11 a month of 30 such days at eu-west-1's $0.025 per 1,000 (4,000 a month free); Spark, DataSync and DynamoDB are billed by their own use",
    );
    // A month within the free tier costs nothing; a region with another rate is priced at it.
    expect(dayCost(new Map([['a/x', 100]]), 'us-east-1', DAY).month).toBe(0);
    expect(dayCost(new Map([['a/x', 1000]]), 'sa-east-1', DAY).day).toBeCloseTo(0.0375, 10);
  });

  it('a window of whole days is priced per day; one of hours only as a whole, nothing extrapolated from it', () => {
    const week = dayCost(new Map([['a/x', 70_000]]), 'eu-west-1', { start: '2026-11-23T00:00:00Z', end: '2026-11-30T00:00:00Z' });
    expect(week).toMatchObject({ days: 7, total: 1.75 });
    expect(week.day).toBeCloseTo(0.25, 10);
    expect(dayCostLine(week)).toMatch(/^Step Functions: 70,000 state transitions these 7 days \(most: a\/x 70,000\) ≈ \$0\.25 a day, \$7\.40 a month of 30 such days/);
    const hours = dayCost(new Map([['a/x', 4_000]]), 'eu-west-1', { start: '2026-11-25T06:00:00Z', end: '2026-11-25T09:00:00Z' });
    expect(hours.day).toBeUndefined();
    expect(hours.month).toBeUndefined();
    expect(dayCostLine(hours)).toBe("Step Functions: 4,000 state transitions the simulated 3h (most: a/x 4,000) ≈ $0.10 at eu-west-1's $0.025 per 1,000; Spark, DataSync and DynamoDB are billed by their own use");
    expect(dayCostLine(dayCost(new Map([['a/x', 4]]), 'eu-west-1'))).toMatch(/^Step Functions: 4 state transitions this simulation \(most: a\/x 4\) ≈ \$0\.00 at /);
  });

  it('a region the table does not list gets the count and where to look, not a made-up price', () => {
    const c = dayCost(new Map([['a/x', 100]]), 'me-central-1', DAY);
    expect(c.pricePer1000).toBeUndefined();
    expect(dayCostLine(c)).toBe("Step Functions: 100 state transitions this day (most: a/x 100); no price for me-central-1 in lakestep's table (https://aws.amazon.com/step-functions/pricing/); Spark, DataSync and DynamoDB are billed by their own use");
    // Not inherited from Object.prototype either.
    expect(dayCost(new Map([['a/x', 1]]), 'constructor').pricePer1000).toBeUndefined();
    expect(Object.values(TRANSITION_PRICE_PER_1000).every((p) => p > 0 && p < 0.1)).toBe(true);
  });

  it('leaves the Express dispatcher out of the transitions: it is billed per request and duration, so its runs are counted instead', () => {
    const result = {
      executions: [exec('a/x', 10), exec('lakestep/dispatch', 30), exec('lakestep/dispatch', 6)],
      timeline: [retried('lakestep/dispatch'), retried('a/x')],
    };
    const express = expressWorkflows({ machines: { backfill: { stateMachineName: 'b', definition: 'b' }, dispatcher: { stateMachineName: 'd', type: 'EXPRESS', definition: 'd', rule: {} as never } } });
    expect([...express]).toEqual(['lakestep/dispatch']);
    // An older build's dispatcher, a Standard workflow, is billed per transition.
    expect(expressWorkflows({ machines: { backfill: { stateMachineName: 'b', definition: 'b' }, dispatcher: { stateMachineName: 'd', definition: 'd', rule: {} as never } } }).size).toBe(0);
    expect([...billedTransitions(result, express)]).toEqual([['a/x', 11]]);
    expect(expressRuns(result, express)).toEqual([{ workflow: 'lakestep/dispatch', runs: 2, transitions: 37 }]);
    const c = dayCost(billedTransitions(result, express), 'eu-west-1', DAY, expressRuns(result, express));
    expect(c.transitions).toBe(11);
    expect(dayCostLine(c)).toBe(
      "Step Functions: 11 state transitions this day (most: a/x 11) ≈ $0.00 a day, $0.00 a month of 30 such days at eu-west-1's $0.025 per 1,000 (4,000 a month free); Express, billed per request and duration: lakestep/dispatch 2 runs (37 transitions as Standard); Spark, DataSync and DynamoDB are billed by their own use",
    );
    const manifest = { platform: { region: 'eu-west-1' }, machines: { backfill: { stateMachineName: 'b', definition: 'b' }, dispatcher: { stateMachineName: 'd', type: 'EXPRESS' as const, definition: 'd', rule: {} as never } } };
    expect(simulationCostLine(result, manifest as never, DAY)).toBe(dayCostLine(c));
  });
});
