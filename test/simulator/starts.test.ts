/**
 * Every documented way to start a compiled example workflow, run in the simulator: the
 * console's `{}` and `{"Comment": …}`, a date, a timestamp (what schedule rules, `run`
 * and `backfill` send) — and a logical date that is neither, which must fail with
 * `Lakestep.InvalidLogicalDate`.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulator/index.ts';
import { compileExamplePlatform, items, type PlatformBuild } from './platform.ts';

let build: PlatformBuild;
let refs: string[];
beforeAll(() => {
  build = compileExamplePlatform();
  refs = build.manifest.useCases.flatMap((uc) => uc.workflows.map((w) => `${uc.name}/${w.name}`));
});

const AT = '2026-11-25T07:30:00Z';

/** Starts every example workflow once with `input`; returns those executions. */
async function startEach(input: unknown) {
  const result = await simulate({
    buildDir: build.dir,
    scenario: { start: refs.map((workflow) => ({ workflow, input, at: AT, name: 'start-under-test' })) },
  });
  return refs.map((ref) => {
    const exec = result.executions.find((e) => e.workflow === ref && e.name === 'start-under-test');
    const runs = items(result, build.tables.runs).filter((i) => i.pk === ref && String(i.sk).endsWith('#start-under-test'));
    return { ref, status: exec?.status, error: exec?.error, logicalDates: runs.map((i) => i.logical_date), triggers: runs.map((i) => i.trigger) };
  });
}

describe('every example workflow accepts every documented start', () => {
  it('has the 20 example workflows', () => {
    expect(refs).toHaveLength(20);
  });

  it.each([
    ['a console start {}', {}, '2026-11-25T07:30:00.000Z', 'manual'],
    ['the console default {"Comment": "Insert your JSON here"}', { Comment: 'Insert your JSON here' }, '2026-11-25T07:30:00.000Z', 'manual'],
    ['a date: midnight UTC of that day', { logical_date: '2026-11-25' }, '2026-11-25T00:00:00Z', 'manual'],
    ['a timestamp', { logical_date: '2026-11-25T06:00:00Z' }, '2026-11-25T06:00:00Z', 'manual'],
    ['a schedule rule input', { trigger: 'schedule', logical_date: '2026-11-25T06:00:00Z' }, '2026-11-25T06:00:00Z', 'schedule'],
    ['a backfill of a date', { trigger: 'backfill', logical_date: '2026-11-25' }, '2026-11-25T00:00:00Z', 'backfill'],
    ['a join machine start', { trigger: 'dependency', logical_date: '2026-11-25T06:00:00Z', upstreams: ['a', 'b'], AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: 'arn:x' }, '2026-11-25T06:00:00Z', 'dependency'],
    [
      "an upstream's SUCCEEDED event",
      { detail: { status: 'SUCCEEDED', stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:up', output: JSON.stringify({ run: { logical_date: '2026-11-25T06:00:00Z', ds: '2026-11-25' } }) } },
      '2026-11-25T06:00:00Z',
      'dependency',
    ],
  ])('succeeds on %s', async (_what, input, logicalDate, trigger) => {
    const outcomes = await startEach(input);
    expect(outcomes).toEqual(refs.map((ref) => ({ ref, status: 'SUCCEEDED', error: null, logicalDates: [logicalDate], triggers: [trigger] })));
  });

  it.each([
    ['a word', 'yesterday'],
    ['a timestamp without a zone', '2026-11-25T06:00:00'],
    ['a number', 20261125],
    ['null', null],
  ])('fails with Lakestep.InvalidLogicalDate on %s', async (_what, logicalDate) => {
    const outcomes = await startEach({ logical_date: logicalDate });
    expect(outcomes.map((o) => [o.ref, o.status, o.error])).toEqual(refs.map((ref) => [ref, 'FAILED', 'Lakestep.InvalidLogicalDate']));
  });
});
