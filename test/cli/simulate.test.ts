/**
 * `lakestep simulate` over hand-made builds (independent of the compiler).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../../src/cli/scenario.ts';
import { arnOf, makeBuild, PASS_MACHINE } from '../simulator/fixture.ts';
import { CONVERT_JOB, CONVERT_JOB_PATH, EMR_WATERMARK_MACHINE, FAILING_MACHINE } from '../simulator/machines.ts';
import { folder, runCli } from './support.ts';
import type { ScheduleDefinition } from '../../src/build/types.ts';
import { compileExamplePlatform } from '../simulator/platform.ts';

const afterRule = (upstream: string, target: string) => ({
  Name: `after-${upstream}`,
  Description: 'dependency',
  EventPattern: {
    source: ['aws.states'],
    'detail-type': ['Step Functions Execution Status Change'],
    detail: { status: ['SUCCEEDED'], stateMachineArn: [arnOf('sales', upstream)] },
  },
  State: 'ENABLED' as const,
  Targets: [{ Id: 't', Arn: arnOf('sales', target) }],
});

const schedule: ScheduleDefinition = {
  Name: 'nightly',
  GroupName: '${ScheduleGroupName}',
  Description: 'schedule',
  ScheduleExpression: 'cron(0 2 * * ? *)',
  ScheduleExpressionTimezone: 'UTC',
  FlexibleTimeWindow: { Mode: 'OFF' },
  State: 'ENABLED',
  Target: {
    Arn: '${ScheduleStarterArn}',
    RoleArn: '${SchedulerRoleArn}',
    Input: JSON.stringify({ state_machine_arn: arnOf('sales', 'nightly'), schedule: 'cron(0 2 * * ? *)', scheduled_time: '<aws.scheduler.scheduled-time>' }),
    RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
    DeadLetterConfig: { Arn: '${SchedulerDeadLetterArn}' },
  },
};

/** sales/extract → sales/clean (the platform rule aimed at clean), sales/nightly on a schedule, sales/broken fails. */
function salesBuild(): string {
  return makeBuild(
    [
      { useCase: 'sales', name: 'extract', definition: PASS_MACHINE },
      { useCase: 'sales', name: 'clean', definition: PASS_MACHINE },
      { useCase: 'sales', name: 'nightly', definition: PASS_MACHINE, schedules: [schedule] },
      { useCase: 'sales', name: 'broken', definition: FAILING_MACHINE },
    ],
    { rule: afterRule('extract', 'clean') },
  );
}

/** The frame's failure path in small: a task error caught into $.error, then a Fail state re-raising it. */
const RECORDED_FAILURE_MACHINE = {
  StartAt: 'Convert orders',
  States: {
    'Convert orders': {
      ...EMR_WATERMARK_MACHINE.States['Convert orders'],
      Retry: undefined,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Record failure' }],
      Next: 'Done',
    },
    'Record failure': { Type: 'Pass', Next: 'Run failed' },
    'Run failed': { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
    Done: { Type: 'Succeed' },
  },
};
const FAIL_CONVERT = 'faults: {orders/orders-migration: {Convert orders: {error: EMRServerless.ValidationException, cause: bad job}}}\n';

function scenarioFile(text: string): string {
  const dir = folder({ 'scenario.yaml': text });
  return join(dir, 'scenario.yaml');
}

const OK_SCENARIO = `start:
  - {workflow: sales/extract, logical_date: 2026-11-25}
window: {start: 2026-11-25T00:00:00Z, end: 2026-11-26T00:00:00Z}
`;

describe('lakestep simulate', () => {
  it('prints the timeline, then executions by workflow with their trigger, and exits 0 when all succeed', async () => {
    const build = salesBuild();
    const r = await runCli(['simulate', '--build', build, '--scenario', scenarioFile(OK_SCENARIO)], build);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^2026-11-25T00:00:00Z {2}sales\/extract +2026-11-25T000000Z +started/m);
    expect(r.out.indexOf('started')).toBeLessThan(r.out.indexOf('Executions (3):'));
    expect(r.out).toMatch(/sales\/extract +manual +1 +1 SUCCEEDED/);
    expect(r.out).toMatch(/sales\/clean +after sales\/extract +1 +1 SUCCEEDED/);
    expect(r.out).toMatch(/sales\/nightly +schedule +1 +1 SUCCEEDED/);
    expect(r.out).toContain('Notifications sent (0):');
    expect(r.out).toMatch(/Simulated 3 execution\(s\) in \d+\.\d s \([\d.]+ executions\/s\): 3 succeeded, 0 failed/);
    expect(r.out).not.toContain('Failed executions');
  });

  it('exits 1 when an execution fails, listing its error and cause', async () => {
    const build = salesBuild();
    const r = await runCli(['simulate', '--build', build, '--quiet', '--scenario', scenarioFile('start: [{workflow: sales/broken, logical_date: 2026-11-25}]\n')], build);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/sales\/broken +manual +1 +1 FAILED/);
    expect(r.out).toContain('Failed executions (1):\n  sales/broken 2026-11-25T000000Z FAILED in "Boom": Spark.JobFailed — the job failed');
  });

  it('--start runs one execution with the --input, and the timeline names the state a caught error came from', async () => {
    const build = makeBuild([{ useCase: 'orders', name: 'orders-migration', definition: RECORDED_FAILURE_MACHINE, jobs: { [CONVERT_JOB_PATH]: CONVERT_JOB } }]);
    const r = await runCli(['simulate', '--build', build, '--start', 'orders/orders-migration', '--input', '{"logical_date": "2026-11-25T06:00:00Z", "note": "x"}', '--scenario', scenarioFile(FAIL_CONVERT)], build);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Executions \(1\):/);
    expect(r.out).toMatch(/^\S+ +orders\/orders-migration +\S+ +failed +Convert orders \(status=FAILED, error=EMRServerless.ValidationException\)$/m);
    expect(r.out).toContain('FAILED in "Convert orders": EMRServerless.ValidationException');
  });

  it('--start without --input starts with {}; the scenario file still gives faults but not its starts', async () => {
    const build = salesBuild();
    const r = await runCli(['simulate', '--build', build, '--json', '--start', 'sales/extract', '--scenario', scenarioFile(OK_SCENARIO)], build);
    const result = JSON.parse(r.out) as { executions: { workflow: string; input: unknown }[] };
    expect(result.executions.map((e) => [e.workflow, e.input])).toEqual([['sales/extract', {}], ['sales/clean', expect.anything()]]);
    expect(r.code).toBe(0);
  });

  it.each([
    ['--input that is not JSON', ['--start', 'sales/extract', '--input', '{nope'], '--input must be JSON'],
    ['--input without --start', ['--input', '{}'], '--input needs --start'],
    ['an unknown workflow', ['--start', 'sales/nope'], 'unknown workflow "sales/nope"'],
  ])('exits 2 for %s', async (_, args, message) => {
    const build = salesBuild();
    const r = await runCli(['simulate', '--build', build, ...args], build);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('--quiet leaves the timeline out', async () => {
    const build = salesBuild();
    const r = await runCli(['simulate', '--build', build, '--quiet', '--scenario', scenarioFile(OK_SCENARIO)], build);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/ started /);
    expect(r.out.startsWith('Executions (3):')).toBe(true);
  });

  it('--json prints the simulation result as JSON', async () => {
    const build = salesBuild();
    const r = await runCli(['simulate', '--build', build, '--json', '--scenario', scenarioFile(OK_SCENARIO)], build);
    const result = JSON.parse(r.out) as { executions: { workflow: string; status: string }[] };
    expect(result.executions.map((e) => `${e.workflow} ${e.status}`).sort()).toEqual(['sales/clean SUCCEEDED', 'sales/extract SUCCEEDED', 'sales/nightly SUCCEEDED']);
    expect(r.code).toBe(0);
  });

  it('lists the watermarks the run recorded', async () => {
    const build = makeBuild([{ useCase: 'orders', name: 'orders-migration', definition: EMR_WATERMARK_MACHINE, jobs: { [CONVERT_JOB_PATH]: CONVERT_JOB } }]);
    const r = await runCli(['simulate', '--build', build, '--quiet', '--scenario', scenarioFile('start: [{workflow: orders/orders-migration, logical_date: 2026-01-01}]\nwatermarks: {orders: "2025-12-31T23:59:00Z"}\n')], build);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Watermarks recorded \(1\):\n {2}key +value\n {2}orders +2025-12-31T23:59:00Z/);
  });

  it('without --scenario starts every workflow with no upstream and no schedule at 2026-11-25', async () => {
    const build = makeBuild([{ useCase: 'sales', name: 'extract', definition: PASS_MACHINE }]);
    const r = await runCli(['simulate', '--build', build, '--quiet'], build);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/sales\/extract +manual +1 +1 SUCCEEDED/);
  });

  it.each([
    ['an unknown field', 'strat: []\n', 'strat: unknown field'],
    ['a bad date', 'start: [{workflow: sales/extract, logical_date: soon}]\n', 'start[0].logical_date: must be a date or ISO timestamp'],
    ['YAML syntax', 'start: [\n', 'invalid YAML'],
    ['an unknown workflow', 'start: [{workflow: sales/nope}]\nfaults: {sales/gone: {X: {error: E}}}\n', 'start[0].workflow: unknown workflow "sales/nope"'],
    ['a table no migration converts', 'migrated: [raw_sales.orders]\n', 'migrated[0]: no migration of this build converts "raw_sales.orders"'],
    ['a malformed migrated list', 'migrated: some\n', 'migrated: must be "all" or a list of <database>.<table>'],
    ['a seed that is no item', 'dynamodb: {ls-watermarks: [{pk: {S: 1}}]}\n', 'dynamodb.ls-watermarks[0].pk.S: must be a string'],
    ['a seed without the key of its platform table', 'dynamodb: {ls-runs: [{pk: {S: a}}]}\n', 'dynamodb.ls-runs[0]: lacks the key attribute "sk" of the platform\'s runs table (keys: pk, sk), as {S: "..."}'],
    ['a seed DynamoDB refuses', 'start: [{workflow: sales/extract}]\ndynamodb: {other: [{a: {S: x}}, {a: {M: {}}}]}\n', 'dynamodb.other[1]: DynamoDB refuses it: ValidationException: One or more parameter values were invalid: Type mismatch for key a expected: S actual: M'],
  ])('a scenario with %s exits 2 with the problem', async (_, text, message) => {
    const build = salesBuild();
    const r = await runCli(['simulate', '--build', build, '--scenario', scenarioFile(text)], build);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.out).toBe('');
  });

  it('puts every problem of a scenario file at its line and column', async () => {
    const build = salesBuild();
    const file = scenarioFile('start:\n  - workflow: sales/extract\n    logical_date: soon\nwindow:\n  start: 2026-11-26T00:00:00Z\n  end: 2026-11-25T00:00:00Z\ndelays: {sales/extract: {Run job: .nan}}\n');
    const r = await runCli(['simulate', '--build', build, '--scenario', file], build);
    expect(r.code).toBe(2);
    const at = (line: number, column: number, problem: string) => `${file}:${line}:${column} ${problem}`;
    expect(r.err).toContain(at(3, 19, 'start[0].logical_date: must be a date or ISO timestamp'));
    expect(r.err).toContain(at(5, 3, 'window: end is before start'));
    // A state name with a space: the deepest node the path names.
    expect(r.err).toContain(at(7, 35, 'delays.sales/extract.Run job: must be a number of seconds'));
  });

  it('puts the problems found against the build at their line and column too', async () => {
    const build = salesBuild();
    const file = scenarioFile(
      'start:\n  - workflow: sales/extract\n  - workflow: sales/nope\nfaults:\n  sales/gone:\n    Run job: {error: E}\nmigrated:\n  - raw_sales.orders\n' +
        'dynamodb:\n  ls-runs:\n    - {pk: {S: a}}\n',
    );
    const r = await runCli(['simulate', '--build', build, '--scenario', file], build);
    expect(r.code).toBe(2);
    const at = (line: number, column: number, problem: string) => `${file}:${line}:${column} ${problem}`;
    expect(r.err).toContain(at(3, 15, 'start[1].workflow: unknown workflow "sales/nope"'));
    expect(r.err).toContain(at(6, 5, 'faults.sales/gone: unknown workflow "sales/gone"'));
    expect(r.err).toContain(at(8, 5, 'migrated[0]: no migration of this build converts "raw_sales.orders"'));
    expect(r.err).toContain(at(11, 7, 'dynamodb.ls-runs[0]: lacks the key attribute "sk"'));
    // A problem met while simulating (DynamoDB refusing a seed), placed the same way.
    const refused = scenarioFile('start: [{workflow: sales/extract}]\ndynamodb:\n  other:\n    - {a: {S: x}}\n    - {a: {M: {}}}\n');
    const s = await runCli(['simulate', '--build', build, '--scenario', refused], build);
    expect(s.code).toBe(2);
    expect(s.err).toContain(at(5, 7, 'dynamodb.other[1]: DynamoDB refuses it').replace(file, refused));
  });

  it('names at most 20 of the known workflows when a scenario names one the build has not', async () => {
    const build = makeBuild(Array.from({ length: 25 }, (_, i) => ({ useCase: 'big', name: `dag${String(i).padStart(2, '0')}`, definition: PASS_MACHINE })));
    const r = await runCli(['simulate', '--build', build, '--scenario', scenarioFile('start: [{workflow: big/nope}]\n')], build);
    expect(r.code).toBe(2);
    expect(r.err).toContain('known workflows: big/dag00, big/dag01,');
    expect(r.err).toContain(', big/dag19 … and 5 more (lakestep graph --build lists them)');
    expect(r.err).not.toContain('big/dag20');
  });

  it('exits 2 for a missing scenario file and 1 for a missing build', async () => {
    const dir = folder();
    expect(await runCli(['simulate', '--build', salesBuild(), '--scenario', 'nope.yaml'], dir)).toMatchObject({ code: 2, err: expect.stringContaining('cannot read scenario file nope.yaml') });
    expect(await runCli(['simulate', '--build', 'build'], dir)).toMatchObject({ code: 1, err: expect.stringContaining('manifest.json not found: compile the specs first') });
  });

  it('rejects positionals and unknown flags with the usage text (exit 2)', async () => {
    const dir = folder();
    for (const argv of [['simulate', 'extra'], ['simulate', '--scenari', 'x']]) {
      const r = await runCli(argv, dir);
      expect(r.code).toBe(2);
      expect(r.err).toContain('usage: lakestep simulate [--build build]');
    }
  });
});

/** Two use cases, each a root on a nightly schedule; sales/extract's success starts sales/clean. */
function twoUseCases(): string {
  const nightly = (uc: string): ScheduleDefinition => ({
    ...schedule,
    Name: `${uc}-nightly`,
    Target: { ...schedule.Target, Input: JSON.stringify({ state_machine_arn: arnOf(uc, 'nightly'), schedule: 'cron(0 2 * * ? *)', scheduled_time: '<aws.scheduler.scheduled-time>' }) },
  });
  return makeBuild(
    [
      { useCase: 'sales', name: 'extract', definition: PASS_MACHINE },
      { useCase: 'sales', name: 'clean', definition: PASS_MACHINE },
      { useCase: 'sales', name: 'nightly', definition: PASS_MACHINE, schedules: [nightly('sales')] },
      { useCase: 'hr', name: 'nightly', definition: PASS_MACHINE, schedules: [nightly('hr')] },
    ],
    { rule: afterRule('extract', 'clean') },
  );
}

const TWO_DAYS = `start:
  - {workflow: sales/extract, logical_date: 2026-11-25}
  - {workflow: hr/nightly, logical_date: 2026-11-24}
window: {start: 2026-11-25T00:00:00Z, end: 2026-11-27T00:00:00Z}
`;

describe('lakestep simulate: a part of the platform, and the limit of executions', () => {
  const workflows = (out: string) => (JSON.parse(out) as { executions: { workflow: string }[] }).executions.map((e) => e.workflow).sort();

  it('--use-case runs only those use cases\' starts and schedules, and what they start', async () => {
    const build = twoUseCases();
    const all = await runCli(['simulate', '--build', build, '--json', '--scenario', scenarioFile(TWO_DAYS)], build);
    // hr/nightly: its start and two nights; sales/clean: after sales/extract.
    expect(workflows(all.out)).toEqual(['hr/nightly', 'hr/nightly', 'hr/nightly', 'sales/clean', 'sales/extract', 'sales/nightly', 'sales/nightly']);
    const sales = await runCli(['simulate', '--build', build, '--json', '--use-case', 'sales', '--scenario', scenarioFile(TWO_DAYS)], build);
    expect(sales.code).toBe(0);
    expect(workflows(sales.out)).toEqual(['sales/clean', 'sales/extract', 'sales/nightly', 'sales/nightly']);
    const both = await runCli(['simulate', '--build', build, '--json', '--use-case', 'hr', '--use-case', 'sales', '--scenario', scenarioFile(TWO_DAYS)], build);
    expect(workflows(both.out)).toEqual(workflows(all.out));
  });

  it('refuses a scenario that starts more than --max-executions before running anything, in one line (exit 1)', async () => {
    const build = twoUseCases();
    // 2 starts and 4 schedule fires are queued before anything runs.
    const r = await runCli(['simulate', '--build', build, '--max-executions', '5', '--scenario', scenarioFile(TWO_DAYS)], build);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      "lakestep simulate: The scenario starts 6 executions (its starts and the schedules over its window), more than the simulator's limit of 5, before anything it triggers: " +
        'simulate a part of the platform (--use-case NAME, repeatable), a shorter window (a scenario file), or raise the limit (--max-executions N).',
    );
    // One use case's part fits.
    expect((await runCli(['simulate', '--build', build, '--quiet', '--max-executions', '5', '--use-case', 'hr', '--scenario', scenarioFile(TWO_DAYS)], build)).code).toBe(0);
  });

  it('refuses a window of millennia as soon as its fires pass the limit, without computing or queueing the rest', async () => {
    const build = twoUseCases();
    // Two nightly cron schedules over 8,000 years (cron fires from 1970 to 2199, as AWS's year field) are some 168,000 fires:
    // they are taken in time order, and taking stops at the 6th queued.
    const r = await runCli(['simulate', '--build', build, '--max-executions', '5', '--scenario', scenarioFile('window: {start: 0001-01-01T00:00:00Z, end: 9999-01-01T00:00:00Z}\n')], build);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      "lakestep simulate: The scenario starts more than the simulator's limit of 5 executions (its starts and the schedules over its window), before anything it triggers: " +
        'simulate a part of the platform (--use-case NAME, repeatable), a shorter window (a scenario file), or raise the limit (--max-executions N).',
    );
    // Two nights of the same schedules fit.
    const nights = await runCli(['simulate', '--build', build, '--json', '--max-executions', '5', '--scenario', scenarioFile('window: {start: 2026-11-25T00:00:00Z, end: 2026-11-27T00:00:00Z}\n')], build);
    expect(nights.code).toBe(0);
    expect((JSON.parse(nights.out) as { executions: { workflow: string }[] }).executions.map((e) => e.workflow).sort()).toEqual(['hr/nightly', 'hr/nightly', 'sales/nightly', 'sales/nightly']);
  });

  it('stops at the limit once what the scenario starts triggers more (exit 1, no stack)', async () => {
    const build = twoUseCases();
    // The 6 queued fit; sales/extract's success starts sales/clean, the 7th.
    const r = await runCli(['simulate', '--build', build, '--quiet', '--max-executions', '6', '--scenario', scenarioFile(TWO_DAYS)], build);
    expect(r.code).toBe(1);
    expect(r.err).toBe('lakestep simulate: The simulation passed 6 executions, its limit: do rules start each other in a loop? (Raise the limit with --max-executions when the scenario really runs that many.)');
    expect((await runCli(['simulate', '--build', build, '--quiet', '--max-executions', '7', '--scenario', scenarioFile(TWO_DAYS)], build)).code).toBe(0);
  });

  it.each([
    ['an unknown use case', ['--use-case', 'nope'], 'lakestep simulate: unknown use case "nope"'],
    ['a mistyped use case, with the names close to it', ['--use-case', 'sale'], 'lakestep simulate: unknown use case "sale"; did you mean "sales"?'],
    ['a use case name with terminal controls, escaped', ['--use-case', 'x\u001b[2Jy'], 'unknown use case "x\\x1b[2Jy"'],
    ['--max-executions 0', ['--max-executions', '0'], '--max-executions must be from 1 to 100,000 (a simulation keeps every execution in memory), got 0'],
    ['--max-executions past the ceiling', ['--max-executions', '100001'], '--max-executions must be from 1 to 100,000 (a simulation keeps every execution in memory), got 100001'],
    ['--max-executions past what a number holds exactly', ['--max-executions', '99999999999999999999'], '--max-executions is too large, got 99999999999999999999'],
    ['--max-executions that is not a number', ['--max-executions', 'many'], '--max-executions must be an integer, got "many"'],
    ['--use-case with --start', ['--start', 'sales/extract', '--use-case', 'sales'], '--start runs one workflow already'],
  ])('exits 2 for %s', async (_, args, message) => {
    const build = twoUseCases();
    const r = await runCli(['simulate', '--build', build, ...args], build);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toContain('\u001b');
  });
});

describe('defaultScenario', () => {
  it('starts the enabled roots without schedule and fires one day of schedules', () => {
    const wf = (name: string, extra: object = {}) => ({ name, enabled: true, dependsOn: [] as string[], ...extra });
    const manifest = {
      useCases: [
        {
          name: 'orders',
          workflows: [
            wf('orders-migration'),
            wf('orders-ingestion', { schedule: 'rate(30 minutes)', dependsOn: ['orders/orders-migration'] }),
            wf('orders-upserts', { dependsOn: ['orders/orders-ingestion'] }),
            wf('orders-maintenance', { scheduleGroups: [{ schedule: 'rate(1 day)' }] }),
            wf('orders-report', { schedule: 'cron(0 6 * * ? *)' }),
            wf('orders-legacy', { enabled: false }),
          ],
        },
      ],
    } as never;
    expect(defaultScenario(manifest)).toEqual({
      start: [{ workflow: 'orders/orders-migration', logical_date: '2026-11-25T00:00:00Z' }],
      window: { start: '2026-11-25T00:00:00Z', end: '2026-11-26T00:00:00Z' },
    });
  });
});

describe('lakestep simulate --start on a writer of a migrated table', () => {
  it('names the skipped run, the table and how to run it; with `migrated: all` it runs', async () => {
    const build = compileExamplePlatform();
    const skipped = await runCli(['simulate', '--build', build.dir, '--start', 'orders/orders-ingestion', '--quiet'], build.dir);
    expect(skipped.code).toBe(0);
    expect(skipped.out).toContain('Skipped, nothing written (1); run the migration first, or give the scenario `migrated: all`:');
    expect(skipped.out).toMatch(/^ {2}orders\/orders-ingestion \S+: raw_orders\.orders is not migrated yet \(orders\/orders-migration\)$/m);
    const ran = await runCli(['simulate', '--build', build.dir, '--start', 'orders/orders-ingestion', '--quiet', '--scenario', scenarioFile('migrated: all\n')], build.dir);
    expect(ran.code).toBe(0);
    expect(ran.out).not.toContain('Skipped');
    expect(ran.out).toMatch(/ingestion\/orders\/orders-ingestion\/orders-pg/);
  });

  it('a scenario starts the backfill machine as lakestep/backfill, with the input backfill --detach hands it', async () => {
    const build = compileExamplePlatform();
    const machine = `arn:aws:states:eu-west-1:123456789012:stateMachine:acme-orders-orders-daily-report`;
    const run = ['2026-11-01T060000Z', '2026-11-01T06:00:00Z', '2026-11-01T06:00:00Z', '2026-11-02T06:00:00Z', '2026-10-31', '2026-11-02', 1];
    const scenario = `migrated: all\nstart:\n  - workflow: lakestep/backfill\n    logical_date: 2026-11-10\n    name: bf\n    input: ${JSON.stringify({ state_machine_arn: machine, max_concurrency: 1, runs: [run] })}\n`;
    const r = await runCli(['simulate', '--build', build.dir, '--quiet', '--scenario', scenarioFile(scenario)], build.dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/lakestep\/backfill +manual +1 +1 SUCCEEDED/);
    expect(r.out).toMatch(/orders\/orders-daily-report +started by lakestep\/backfill +1 +1 SUCCEEDED/);
  });
});
