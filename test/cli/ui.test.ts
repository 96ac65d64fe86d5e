/**
 * `lakestep ui`: the page of a build with the runs of a simulation, of AWS
 * (mocked clients) or none; quarantined use cases with their first error;
 * argument mistakes as usage errors before anything is read or written.
 */
import { GetExecutionHistoryCommand, ListExecutionsCommand, ListStateMachinesCommand, ListTagsForResourceCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { UiData } from '../../src/ui/types.ts';
import { sparkUseCase } from '../compile/support.ts';
import { folder, runCli } from './support.ts';

const SPECS = {
  'specs/sales/orchestration.yaml': sparkUseCase('sales@example.com', [{ name: 'extract', schedule: 'cron(0 6 * * ? *)', args: ['{{ ds }}'] }, { name: 'clean', dependsOn: ['extract'] }]),
};
const HOSTILE = '</script><script>alert(1)</script><!--';

/** The data block of a written page. */
function pageOf(file: string): UiData {
  const html = readFileSync(file, 'utf8');
  expect([...html.matchAll(/<script/gi)]).toHaveLength(2);
  return JSON.parse(/<script type="application\/json" id="lakestep-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as UiData;
}

async function compiled(extra: Record<string, string> = {}): Promise<string> {
  const dir = folder({ ...SPECS, ...extra });
  await runCli(['compile', 'specs', '--out', 'build'], dir);
  return dir;
}

describe('lakestep ui', () => {
  it('without a source of runs: the graphs and tables, and an empty grid that says where runs come from', async () => {
    const dir = await compiled();
    const r = await runCli(['ui'], dir, { now: () => new Date('2026-11-26T12:00:00Z') });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^wrote build\/ui\.html \(\d+\.\d MiB\): 2 dags, 0 runs, 0 tables; open it in a browser$/);
    const page = pageOf(join(dir, 'build/ui.html'));
    expect(page.source).toEqual({ kind: 'none', label: 'none read (lakestep ui --simulation, or --from-aws)', now: '2026-11-26T12:00:00Z', notes: [] });
    expect(page.dags.map((d) => [d.ref, d.dependsOn])).toEqual([['sales/clean', ['sales/extract']], ['sales/extract', []]]);
  });

  it('--simulation runs the scenario and shows its runs; --out names the file', async () => {
    const dir = await compiled({ 'day.yaml': 'start: [{workflow: sales/extract, logical_date: 2026-01-01}]\n' });
    const r = await runCli(['ui', '--simulation', '--scenario', 'day.yaml', '--out', 'pages/sales.html'], dir);
    expect(r.code).toBe(0);
    const page = pageOf(join(dir, 'pages/sales.html'));
    expect(page.runs.map((x) => [x.dag, x.logicalDate, x.state])).toEqual([
      ['sales/clean', '2026-01-01T00:00:00Z', 'succeeded'],
      ['sales/extract', '2026-01-01T00:00:00Z', 'succeeded'],
    ]);
    expect(page.source.label).toBe('simulation (scenario day.yaml)');
  });

  it('--simulation --use-case keeps to that use case\'s starts; --max-executions stops one that starts more (exit 1, nothing written)', async () => {
    const dir = await compiled({ 'day.yaml': 'start: [{workflow: sales/extract, logical_date: 2026-01-01}, {workflow: sales/extract, logical_date: 2026-01-02}]\n' });
    const r = await runCli(['ui', '--simulation', '--scenario', 'day.yaml', '--use-case', 'sales', '--max-executions', '10'], dir);
    expect(r.code).toBe(0);
    expect(pageOf(join(dir, 'build/ui.html')).runs).toHaveLength(4);
    const limited = await runCli(['ui', '--simulation', '--scenario', 'day.yaml', '--max-executions', '1', '--out', 'limited.html'], dir);
    expect(limited.code).toBe(1);
    expect(limited.err).toMatch(/^lakestep ui: The scenario starts 2 executions .* more than the simulator's limit of 1/);
    expect(existsSync(join(dir, 'limited.html'))).toBe(false);
  });

  it('marks a quarantined use case with its first error and, given the specs, its dags; hostile names stay text', async () => {
    const broken = `owner: hr@example.com\ndags:\n  - name: payroll\n    type: transformation\n    shedule: daily\n    spark: {entrypoint: "s3://b/${HOSTILE}.py"}\n`;
    const dir = await compiled({ 'specs/hr/orchestration.yaml': broken });
    const r = await runCli(['ui', 'specs'], dir);
    expect(r.code).toBe(0);
    const page = pageOf(join(dir, 'build/ui.html'));
    expect(page.useCases.find((u) => u.name === 'hr')!.quarantine).toEqual({ errors: expect.any(Number), first: expect.stringMatching(/^hr\/orchestration\.yaml:5:5 \S+ .*shedule/) });
    expect(page.dags.find((d) => d.ref === 'hr/payroll')).toMatchObject({ quarantined: true });
    expect(page.graphs.dependencies.groups.find((g) => g.useCase === 'hr')).toMatchObject({ quarantined: true });
  });

  it.each([
    [['ui', '--simulation', '--from-aws'], /--simulation and --from-aws exclude each other/],
    [['ui', '--since', '1d'], /--since and --account go with --from-aws/],
    [['ui', '--use-case', 'sales'], /--use-case goes with --from-aws or --simulation/],
    [['ui', '--max-executions', '5'], /--max-executions goes with --simulation/],
    [['ui', '--simulation', '--use-case', 'nope'], /unknown use case "nope"/],
    [['ui', '--scenario', 'x.yaml'], /--scenario goes with --simulation/],
    [['ui', '--from-aws', '--since', '91d'], /more than 90 days back/],
    [['ui', '--from-aws', '--account', '12'], /--account must be a 12-digit AWS account id/],
    [['ui', '--from-aws', '--use-case', 'nope'], /unknown use case "nope"/],
    [['ui', '--out', 'build'], /--out build is a folder/],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const dir = await compiled();
    mkdirSync(join(dir, 'build'), { recursive: true });
    const r = await runCli(argv, dir);
    expect(r.err).toMatch(message);
    expect(r.code).toBe(2);
  });
});

describe('lakestep ui --from-aws', () => {
  const sfn = mockClient(SFNClient);
  beforeEach(() => sfn.reset());

  it('reads the runs since --since and shows a failed one with its error, cause and console link', async () => {
    const dir = await compiled();
    const machine = (dag: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:lakestep-sales-${dag}`;
    const exec = `${machine('extract').replace(':stateMachine:', ':execution:')}:2026-11-26T060000Z`;
    sfn.on(ListExecutionsCommand, { stateMachineArn: machine('extract') }).resolves({
      executions: [{ executionArn: exec, stateMachineArn: machine('extract'), name: '2026-11-26T060000Z', status: 'FAILED', startDate: new Date('2026-11-26T06:00:01Z'), stopDate: new Date('2026-11-26T06:03:00Z') }],
    });
    sfn.on(ListExecutionsCommand, { stateMachineArn: machine('clean') }).resolves({ executions: [] });
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [{ id: 1, timestamp: new Date('2026-11-26T06:03:00Z'), type: 'ExecutionFailed', executionFailedEventDetails: { error: 'EMRServerless.JobFailed', cause: 'boom' } }],
    });
    const r = await runCli(['ui', '--from-aws', '--since', '12h', '--account', '123456789012'], dir, { sfn: () => new SFNClient({}), now: () => new Date('2026-11-26T12:00:00Z') });
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^reading the executions of 2 state machine\(s\) since 2026-11-26T00:00:00Z$/m);
    const page = pageOf(join(dir, 'build/ui.html'));
    expect(page.source).toMatchObject({ kind: 'aws', label: 'AWS us-east-1, executions started since 2026-11-26T00:00:00Z', now: '2026-11-26T12:00:00Z' });
    expect(page.runs).toEqual([expect.objectContaining({ dag: 'sales/extract', executionArn: exec, state: 'failed', error: 'EMRServerless.JobFailed', cause: 'boom' })]);
    expect(page.source.console).toBe('https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/');
    expect(r.out).toContain('2 dags, 1 runs (1 failed)');
  });

  it("without the specs, a quarantined use case's dags are its deployed machines (by name and their stack's tags), and their runs are read", async () => {
    const dir = await compiled({ 'specs/hr/orchestration.yaml': 'owner: hr@example.com\ndags:\n  - name: payroll\n    type: transformation\n    shedule: daily\n' });
    const arn = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;
    sfn.on(ListStateMachinesCommand).resolves({ stateMachines: ['lakestep-sales-extract', 'lakestep-hr-payroll'].map((name) => ({ name, stateMachineArn: arn(name), type: 'STANDARD', creationDate: new Date() })) });
    sfn.on(ListTagsForResourceCommand).resolves({ tags: [{ key: 'lakestep:platform', value: 'lakestep' }, { key: 'lakestep:use-case', value: 'hr' }, { key: 'lakestep:dag', value: 'payroll' }] });
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    sfn.on(ListExecutionsCommand, { stateMachineArn: arn('lakestep-hr-payroll') }).resolves({
      executions: [{ executionArn: `${arn('lakestep-hr-payroll').replace(':stateMachine:', ':execution:')}:p`, stateMachineArn: arn('lakestep-hr-payroll'), name: 'p', status: 'SUCCEEDED', startDate: new Date('2026-11-26T06:00:00Z'), stopDate: new Date('2026-11-26T06:01:00Z') }],
    });
    const r = await runCli(['ui', '--from-aws', '--since', '12h', '--account', '123456789012'], dir, { sfn: () => new SFNClient({}), now: () => new Date('2026-11-26T12:00:00Z') });
    expect(r.err).toMatch(/^reading the executions of 3 state machine\(s\)/m);
    expect(r.code).toBe(0);
    const page = pageOf(join(dir, 'build/ui.html'));
    expect(page.dags.find((d) => d.ref === 'hr/payroll')).toMatchObject({ quarantined: true });
    expect(page.runs.map((x) => [x.dag, x.state])).toEqual([['hr/payroll', 'succeeded']]);
    expect(page.source.notes).toContain("quarantined use case(s) whose specs were not given: their dags are their deployed state machines (found by name and their stack's tags), without their dependencies: hr (1 deployed)");
  });

  it('an AWS failure is one line and exit 1', async () => {
    const dir = await compiled();
    sfn.on(ListExecutionsCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
    const r = await runCli(['ui', '--from-aws', '--account', '123456789012'], dir, { sfn: () => new SFNClient({}) });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/AWS call failed: AccessDeniedException: User is not authorized/);
    expect(existsSync(join(dir, 'build/ui.html'))).toBe(false);
  });
});
