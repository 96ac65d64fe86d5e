/**
 * A start input with every field of the run — what the schedule starter, the dispatcher and
 * `lakestep run`/`backfill` send — is taken as it is: the run context comes straight from it,
 * three transitions fewer than an input whose missing fields get their defaults
 * (asl-templates/run-context.asl.json). Both paths give the same run; a complete-looking input
 * with a field of the wrong type is not taken as it is, and fails as before.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate, type SimulationResult } from '../../src/simulator/index.ts';
import { executionName } from '../../src/naming.ts';
import { scheduledRun } from '../../src/starter/scheduled.ts';
import { runInput } from '../../src/ops/plan.ts';
import { compileExamplePlatform, dagRefs, type PlatformBuild } from './platform.ts';

let build: PlatformBuild;
let refs: string[];
beforeAll(() => {
  build = compileExamplePlatform();
  refs = dagRefs(build.manifest);
});

const LOGICAL = '2026-11-24T06:00:00Z';
const NAME = executionName(LOGICAL);
const FIELDS = { logical_date: LOGICAL, data_interval_start: LOGICAL, data_interval_end: '2026-11-25T06:00:00Z', prev_ds: '2026-11-23', next_ds: '2026-11-25' };

/** Starts every example workflow under the logical date's own name with `input`. */
async function startEach(input: unknown): Promise<SimulationResult> {
  return simulate({ buildDir: build.dir, scenario: { start: refs.map((workflow) => ({ workflow, input, at: '2026-11-25T07:30:00Z', name: NAME })) } });
}

/** Per workflow: its status, error, run context (the output's run), states entered and whether each path's first state was. */
function outcomes(result: SimulationResult) {
  return refs.map((ref) => {
    const e = result.executions.find((x) => x.workflow === ref && x.name === NAME)!;
    const entered = new Set(result.timeline.filter((t) => t.workflow === ref && t.kind === 'entered').map((t) => t.state));
    return {
      ref,
      status: e.status,
      error: e.error,
      run: (e.output as { run?: unknown } | null)?.run,
      transitions: e.stateTransitions,
      complete: entered.has('Start from complete input'),
      defaults: entered.has('Run defaults'),
    };
  });
}

describe('a start input with every field of the run', () => {
  it('is what the schedule starter, the dispatcher and lakestep run/backfill send', () => {
    const fields = ['trigger', 'logical_date', 'data_interval_start', 'data_interval_end', 'prev_ds', 'next_ds', 'upstreams', 'attempt'];
    const scheduled = JSON.parse(scheduledRun({ state_machine_arn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:acme-orders-orders-daily-report', schedule: 'cron(0 6 * * ? *)', scheduled_time: '2026-11-25T06:00:00Z' })!.input) as object;
    expect(Object.keys(scheduled).sort()).toEqual([...fields].sort());
    const operator = JSON.parse(runInput({ ds: '2026-11-24', logicalDate: LOGICAL, name: NAME, run: FIELDS }, 'manual')) as object;
    expect(Object.keys(operator).sort()).toEqual([...fields].sort());
    const dispatcher = JSON.parse(readFileSync(join(build.dir, 'lakestep/dispatch.asl.json'), 'utf8')) as { States: Record<string, { ItemProcessor: { States: Record<string, { Parameters: { Input: object } }> } }> };
    const input = dispatcher.States['Start downstreams']!.ItemProcessor.States['Start downstream']!.Parameters.Input;
    expect(Object.keys(input).map((k) => k.replace(/\.\$$/, '')).sort()).toEqual([...fields].sort());
  });

  it('is taken as it is, three transitions fewer, for the same run as the input without upstreams and attempt', async () => {
    const complete = outcomes(await startEach({ trigger: 'schedule', ...FIELDS, upstreams: [], attempt: 1 }));
    const partial = outcomes(await startEach({ trigger: 'schedule', ...FIELDS }));
    for (const [i, ref] of refs.entries()) {
      const c = complete[i]!;
      const p = partial[i]!;
      expect([c.status, c.complete, c.defaults], ref).toEqual(['SUCCEEDED', true, false]);
      expect([p.status, p.complete, p.defaults], ref).toEqual(['SUCCEEDED', false, true]);
      expect(c.run, ref).toEqual(p.run);
      expect(c.run, ref).toMatchObject({ ...FIELDS, trigger: 'schedule', upstreams: [], attempt: 1, ds: '2026-11-24', ds_nodash: '20261124' });
      expect(p.transitions - c.transitions, ref).toBe(3);
    }
  });

  it('keeps what it says: an attempt and upstreams', async () => {
    const upstreams = ['arn:aws:states:eu-west-1:123456789012:stateMachine:acme-orders-orders-ingestion'];
    for (const o of outcomes(await startEach({ trigger: 'dependency', ...FIELDS, upstreams, attempt: 2 }))) {
      expect([o.ref, o.status, o.complete], o.ref).toEqual([o.ref, 'SUCCEEDED', true]);
      expect(o.run, o.ref).toMatchObject({ trigger: 'dependency', upstreams, attempt: 2 });
    }
  });

  it.each([
    ['an attempt that is a string', { attempt: '1' }],
    ['a data interval end that is no timestamp', { data_interval_end: 'tomorrow' }],
    ['a trigger that is a number', { trigger: 7 }],
    ['prev_ds null', { prev_ds: null }],
  ])('is not taken as it is with %s, and fails with Lakestep.InvalidRunInput', async (_what, bad) => {
    for (const o of outcomes(await startEach({ trigger: 'schedule', ...FIELDS, upstreams: [], attempt: 1, ...bad }))) {
      expect([o.ref, o.status, o.error, o.complete], o.ref).toEqual([o.ref, 'FAILED', 'Lakestep.InvalidRunInput', false]);
    }
  });
});
