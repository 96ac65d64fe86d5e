/**
 * The platform's backfill machine (`lakestep backfill --detach`) run in the simulator on the example
 * build, with the input the command hands it (src/ops/backfill-detach.ts detachedInput) for runs of
 * orders-daily-report planned as the command plans them: each run starts under its name, with the
 * input the command would give it (built by the machine from the run's row), and is waited for; a
 * name another start took is that run, not started again; a run that fails does not stop the others,
 * and the backfill succeeds. moto cannot run this machine (a Distributed Map's item processor does not
 * run there: moto-gaps.moto.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { detachedInput } from '../../src/ops/backfill-detach.ts';
import { runInput, runsForDays } from '../../src/ops/plan.ts';
import { resolveWorkflow } from '../../src/ops/resolve.ts';
import { BACKFILL_REF, simulate } from '../../src/simulator/index.ts';
import { compileExamplePlatform, type PlatformBuild } from './platform.ts';

const REF = 'orders/orders-daily-report';
let build: PlatformBuild;
beforeAll(() => {
  build = compileExamplePlatform();
});

describe('the backfill machine', () => {
  it('starts every run under its name with the command\'s input, leaves a taken name alone, and goes on past a failed run', async () => {
    const wf = resolveWorkflow(build.manifest, REF);
    const machineArn = `arn:aws:states:${build.manifest.platform.region}:123456789012:stateMachine:${wf.stateMachineName}`;
    const runs = runsForDays(wf.workflow, '2026-11-01', '2026-11-05');
    const input = JSON.parse(detachedInput({ ...wf, stateMachineArn: machineArn }, runs.map((plan) => ({ plan, name: plan.name, attempt: 1 })), 2)) as { runs: unknown[][] };
    // The first run fails (a date its run context refuses); 2026-11-03 ran before the backfill.
    input.runs[0]![1] = 'yesterday';
    const [taken] = runs.filter((r) => r.ds === '2026-11-03');
    const result = await simulate({
      buildDir: build.dir,
      now: '2026-11-10T00:00:00Z',
      scenario: {
        start: [
          { workflow: REF, logical_date: taken!.logicalDate, at: '2026-11-09T00:00:00Z' },
          { workflow: BACKFILL_REF, input, name: 'orders-orders-daily-report_2026-11-01_2026-11-05_20261110T000000Z', logical_date: '2026-11-10', at: '2026-11-10T00:00:00Z' },
        ],
        // Each run's Spark job takes 10 minutes.
        delays: { [REF]: { 'Run orders-daily-report': 600 } },
        migrated: 'all',
      },
    });
    const backfill = result.executions.filter((e) => e.workflow === BACKFILL_REF);
    expect(backfill.map((e) => e.status)).toEqual(['SUCCEEDED']);
    const dag = result.executions.filter((e) => e.workflow === REF).sort((a, b) => a.name.localeCompare(b.name));
    expect(dag.map((e) => [e.name, e.status])).toEqual([
      ['2026-11-01T060000Z', 'FAILED'],
      ['2026-11-02T060000Z', 'SUCCEEDED'],
      ['2026-11-03T060000Z', 'SUCCEEDED'],
      ['2026-11-04T060000Z', 'SUCCEEDED'],
      ['2026-11-05T060000Z', 'SUCCEEDED'],
    ]);
    // The taken name's run is the one started before; the others got the command's input.
    expect(dag.find((e) => e.name === taken!.name)?.startTime).toBe('2026-11-09T00:00:00.000Z');
    // Each run's input, built by the machine from its row, is the one the command gives a run it starts itself.
    for (const e of dag.filter((x) => x.name !== taken!.name && x.name !== runs[0]!.name)) {
      expect(e.input).toEqual(JSON.parse(runInput(runs.find((r) => r.name === e.name)!, 'backfill', 1)));
    }
    expect(dag[0]).toMatchObject({ error: 'Lakestep.InvalidLogicalDate' });
    // In the order handed (oldest first). MaxConcurrencyPath is not exercised: the simulator runs a Map's iterations
    // in turn when each waits for a child execution.
    const started = dag.filter((e) => e.name !== taken!.name).map((e) => e.startTime);
    expect(started).toEqual([...started].sort());
  }, 120_000);
});
