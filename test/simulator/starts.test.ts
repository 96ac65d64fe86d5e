/**
 * Every documented way to start a compiled example workflow, run in the simulator: the
 * console's `{}` and `{"Comment": …}`, a date, a timestamp, what the schedule starter,
 * `run`, `backfill` and a join send — and a logical date that is neither, which must fail
 * with `Lakestep.InvalidLogicalDate`. A dated start under a name that is not its logical
 * date's (the console's random names, here `start-under-test`) restarts itself under that
 * name, so each date runs once.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulator/index.ts';
import { executionName } from '../../src/naming.ts';
import { compileExamplePlatform, dagRefs, items, type PlatformBuild } from './platform.ts';

let build: PlatformBuild;
let refs: string[];
beforeAll(() => {
  build = compileExamplePlatform();
  refs = dagRefs(build.manifest);
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
    // The execution under test and the one it started under its canonical name (not a watch machine's run, nor downstreams).
    const own = result.executions.filter((e) => e === exec || (e.workflow === ref && e.trigger.kind === 'startExecution' && e.trigger.parent === exec?.executionArn));
    const names = own.map((e) => e.name);
    const runs = items(result, build.tables.runs).filter((i) => i.pk === ref && names.some((n) => String(i.sk).endsWith(`#${n}`)));
    return {
      ref,
      status: exec?.status,
      error: exec?.error,
      logicalDates: runs.map((i) => i.logical_date),
      triggers: runs.map((i) => i.trigger),
      intervals: runs.map((i) => [i.data_interval_start, i.data_interval_end]),
      names,
    };
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
    // toISOString()'s form: the same instant, the same run (before: a second name, <day>-<SHA-1>).
    ['a timestamp with a fraction of zeros', { logical_date: '2026-11-25T06:00:00.000Z' }, '2026-11-25T06:00:00Z', 'manual'],
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
    // Dated starts continue under the date's name; a start without a date or from an upstream's event runs as named.
    const dated = typeof (input as { logical_date?: unknown }).logical_date === 'string';
    const names = dated ? ['start-under-test', executionName(logicalDate)] : ['start-under-test'];
    // Without data interval fields the interval is empty, at the logical date.
    const intervals = [[logicalDate, logicalDate]];
    expect(outcomes).toEqual(refs.map((ref) => ({ ref, status: 'SUCCEEDED', error: null, logicalDates: [logicalDate], triggers: [trigger], intervals, names })));
  });

  it('keeps the data interval, prev_ds and next_ds the schedule starter sends', async () => {
    const input = {
      trigger: 'schedule',
      logical_date: '2026-11-24T06:00:00Z',
      data_interval_start: '2026-11-24T06:00:00Z',
      data_interval_end: '2026-11-25T06:00:00Z',
      prev_ds: '2026-11-23',
      next_ds: '2026-11-25',
    };
    const outcomes = await startEach(input);
    expect(outcomes.map((o) => [o.status, o.intervals])).toEqual(refs.map(() => ['SUCCEEDED', [['2026-11-24T06:00:00Z', '2026-11-25T06:00:00Z']]]));
  });

  it('fails with Lakestep.InvalidRunInput on a data interval that is not a timestamp', async () => {
    const outcomes = await startEach({ logical_date: '2026-11-25T06:00:00Z', data_interval_start: 'yesterday' });
    // The canonical execution fails; the console's one started it and ended.
    expect(outcomes.map((o) => [o.ref, o.status, o.names])).toEqual(refs.map((ref) => [ref, 'SUCCEEDED', ['start-under-test', '2026-11-25T060000Z']]));
  });

  it.each([
    ['a word', 'yesterday'],
    ['a timestamp without a zone', '2026-11-25T06:00:00'],
    // Before: ran under a name of its own (a second run of the instant 2026-11-26T04:30:00Z), with ds the zone's day 2026-11-25.
    ['a timestamp in another zone', '2026-11-25T23:30:00-05:00'],
    ['a timestamp at +00:00', '2026-11-26T04:30:00+00:00'],
    ['a number', 20261125],
    ['null', null],
  ])('fails with Lakestep.InvalidLogicalDate on %s', async (_what, logicalDate) => {
    const outcomes = await startEach({ logical_date: logicalDate });
    expect(outcomes.map((o) => [o.ref, o.status, o.error])).toEqual(refs.map((ref) => [ref, 'FAILED', 'Lakestep.InvalidLogicalDate']));
  });
});
