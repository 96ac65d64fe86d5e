/**
 * `max_duration` on the example platform (orders-upserts: 45m): a run still going past it
 * notifies the platform topic once through the dag's watch machine and is not stopped; a
 * run that ends in time notifies nothing; the watch machine's end starts nothing through the dispatcher.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate, type SimulationResult } from '../../src/simulator/index.ts';
import { compileExamplePlatform, executionsOf, LOGICAL, type PlatformBuild } from './platform.ts';

let build: PlatformBuild;
beforeAll(() => {
  build = compileExamplePlatform();
});

const UPSERTS = 'orders/orders-upserts';
const JOB = 'Run 1 merge(s) and 1 SQL file(s)';

const run = (jobSeconds?: number): Promise<SimulationResult> =>
  simulate({
    buildDir: build.dir,
    scenario: { start: [{ workflow: UPSERTS, logical_date: LOGICAL }], migrated: 'all', ...(jobSeconds === undefined ? {} : { delays: { [UPSERTS]: { [JOB]: jobSeconds } } }) },
  });

const slowNotices = (r: SimulationResult) => r.notifications.filter((n) => n.subject === `lakestep ${UPSERTS}: run longer than 45m`);

describe('max_duration', () => {
  it('the manifest names the watch machine and its limit', () => {
    const w = build.manifest.useCases.find((u) => u.name === 'orders')!.workflows.find((x) => x.name === 'orders-upserts')!;
    expect(w.watch).toEqual({ stateMachineName: 'acme-orders-orders-upserts-slow', definition: 'orders/orders-upserts.slow.asl.json', afterSeconds: 2700 });
  });

  it('a run past 45 minutes notifies once and still succeeds', async () => {
    const result = await run(3000);
    const [e] = executionsOf(result, UPSERTS);
    expect(e!.status).toBe('SUCCEEDED');
    expect(Date.parse(e!.stopTime!) - Date.parse(e!.startTime)).toBeGreaterThan(2700 * 1000);
    const notices = slowNotices(result);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.message).toBe(`lakestep ${UPSERTS}: execution ${e!.name} is still running after max_duration 45m. It was not stopped; lakestep status ${UPSERTS} shows it.`);
    const [watch] = executionsOf(result, `${UPSERTS}#watch`);
    expect(watch).toMatchObject({ name: e!.name, status: 'SUCCEEDED' });
    // The watch notified while the run was going: 45 minutes after it started.
    expect(Date.parse(notices[0]!.time) - Date.parse(e!.startTime)).toBe(2700 * 1000);
    expect(Date.parse(notices[0]!.time)).toBeLessThan(Date.parse(e!.stopTime!));
  });

  it('a run that ends in time notifies nothing; its watch ends at the limit', async () => {
    const result = await run();
    const [e] = executionsOf(result, UPSERTS);
    expect(e!.status).toBe('SUCCEEDED');
    expect(slowNotices(result)).toEqual([]);
    const [watch] = executionsOf(result, `${UPSERTS}#watch`);
    expect(watch).toMatchObject({ status: 'SUCCEEDED' });
    expect(Date.parse(watch!.stopTime!) - Date.parse(e!.startTime)).toBeGreaterThanOrEqual(2700 * 1000);
    // The platform's dispatcher sees the end of the run and of its watch (one rule on every
    // machine of the prefix); the watch has no route and no notification tag, so nothing else ran.
    expect(result.executions.filter((x) => x.workflow !== 'lakestep/dispatch').map((x) => [x.workflow, x.trigger.kind])).toEqual([
      [UPSERTS, 'manual'],
      [`${UPSERTS}#watch`, 'startExecution'],
    ]);
  });
});
