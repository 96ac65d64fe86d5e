/**
 * `lakestep plan` through `cli()`: the offline comparison with an earlier build
 * (test/golden/plan-against pins its text), its JSON, the refusals, and `--cdk`
 * running `cdk diff` on the stacks of the compiled build a deploy would deploy, once credentials resolve.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SPARK_DIR } from '../../infra/inputs-hash.ts';
import { loadBuild } from '../../infra/manifest.ts';
import { localHashes } from '../../src/ops/deploy-changes.ts';
import type { SpawnFn } from '../../src/ops/index.ts';
import type { Plan } from '../../src/plan/diff.ts';
import { readManifestDir } from '../../src/build/manifest-files.ts';
import { sparkUseCase } from '../compile/support.ts';
import { folder, runCli } from './support.ts';

const BEFORE = { 'specs/sales/orchestration.yaml': sparkUseCase('sales@example.com', [{ name: 'extract', schedule: 'rate(1 day)' }, { name: 'old' }]) };
const AFTER = { 'specs/sales/orchestration.yaml': sparkUseCase('sales@example.com', [{ name: 'extract', schedule: 'rate(1 hour)' }, { name: 'fresh' }]), 'specs/hr/orchestration.yaml': 'owner: hr@example.com\ndags: 3\n' };

async function twoBuilds(): Promise<string> {
  const dir = folder(BEFORE);
  expect((await runCli(['compile', 'specs', '--out', 'deployed'], dir)).code).toBe(0);
  for (const [path, text] of Object.entries(AFTER)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

// What `plan --cdk` reads of the deployed stacks (DescribeStacks); the change detection itself is real.
const cfn = mockClient(CloudFormationClient);
beforeEach(() => cfn.reset());

describe('lakestep plan', () => {
  it('--json gives the plan as data: machines, rules, schedules, access, and the quarantined use case left alone', async () => {
    const dir = await twoBuilds();
    const r = await runCli(['plan', 'specs', '--against', 'deployed', '--json'], dir);
    expect(r.code).toBe(1); // hr has spec errors, as compile says
    const plan = JSON.parse(r.out) as Plan;
    const sales = plan.useCases.find((u) => u.useCase === 'sales')!;
    expect(sales.status).toBe('changed');
    expect(sales.machinesAdded.map((m) => m.name)).toEqual(['lakestep-sales-fresh']);
    expect(sales.machinesRemoved.map((m) => m.name)).toEqual(['lakestep-sales-old']);
    expect(sales.rulesChanged).toEqual([]);
    // rate(…) is anchored at midnight of the schedule's zone, so it compiles to a cron of Scheduler.
    expect(sales.schedulesChanged.map((c) => c.name)).toEqual(['lakestep-sales-extract']);
    const fields = sales.schedulesChanged[0]!.fields;
    expect(Object.keys(fields).sort()).toEqual(['Description', 'ScheduleExpression', 'Target']);
    expect(fields.Description).toEqual(['Start lakestep-sales-extract on rate(1 day); use case sales', 'Start lakestep-sales-extract on rate(1 hour); use case sales']);
    expect(fields.ScheduleExpression).toEqual(['cron(0 0 * * ? *)', 'cron(0 * * * ? *)']);
    expect(sales.schedulesAdded.map((s) => s.Name)).toEqual([]);
    expect(sales.accessAdded).toEqual(['s3 read s3://lakestep-artifacts/sales/jobs/fresh.py']);
    expect(plan.useCases.find((u) => u.useCase === 'hr')!.status).toBe('quarantined');
  });

  it('needs --against or --cdk, and an --against folder that holds a build (exit 2)', async () => {
    const dir = folder(BEFORE);
    expect(await runCli(['plan', 'specs'], dir)).toMatchObject({ code: 2, err: expect.stringContaining('plan needs --against <build folder> (offline) or --cdk') });
    expect(await runCli(['plan', 'specs', '--against', 'nowhere'], dir)).toMatchObject({ code: 2, err: expect.stringContaining('--against nowhere: no manifest.json there') });
  });

  it('reads an earlier build written before the manifest was split (version 1: one whole manifest.json)', async () => {
    const dir = await twoBuilds();
    const split = JSON.parse(await (await runCli(['plan', 'specs', '--against', 'deployed', '--json'], dir)).out) as Plan;
    const whole = { ...readManifestDir(join(dir, 'deployed')), version: 1 };
    rmSync(join(dir, 'deployed/sales/manifest.json'));
    writeFileSync(join(dir, 'deployed/manifest.json'), JSON.stringify(whole));
    const r = await runCli(['plan', 'specs', '--against', 'deployed', '--json'], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual(split);
  });

  it('refuses an earlier build whose index names a part outside its use case folder, or lacks a part (exit 2)', async () => {
    const dir = await twoBuilds();
    const index = readFileSync(join(dir, 'deployed/manifest.json'), 'utf8');
    writeFileSync(join(dir, 'deployed/manifest.json'), index.replace('"sales/manifest.json"', '"../specs/sales/manifest.json"'));
    expect(await runCli(['plan', 'specs', '--against', 'deployed'], dir)).toMatchObject({
      code: 2,
      err: expect.stringContaining('names its manifest "../specs/sales/manifest.json"; only "sales/manifest.json" is accepted: rebuild with `lakestep compile`'),
    });
    writeFileSync(join(dir, 'deployed/manifest.json'), index);
    rmSync(join(dir, 'deployed/sales/manifest.json'));
    expect(await runCli(['plan', 'specs', '--against', 'deployed'], dir)).toMatchObject({ code: 2, err: expect.stringContaining(`--against deployed: ${join(dir, 'deployed/sales/manifest.json')}: not found`) });
  });

  it('reads the earlier build\'s definitions only inside its folder: a path out of it or a link reads as missing; one not JSON is named (exit 2)', async () => {
    const dir = await twoBuilds();
    const partFile = join(dir, 'deployed/sales/manifest.json');
    const part = readFileSync(partFile, 'utf8');
    const path = (JSON.parse(part) as { workflows: { name: string; definition: string }[] }).workflows.find((w) => w.name === 'extract')!.definition;
    const real = join(dir, 'deployed', path);
    const original = readFileSync(real, 'utf8');
    const outside = JSON.stringify({ StartAt: 'Outside', States: { Outside: { Type: 'Succeed' } } });
    writeFileSync(join(dir, 'outside.asl.json'), outside);
    const plan = async () => {
      const r = await runCli(['plan', 'specs', '--against', 'deployed', '--json'], dir);
      expect(r.code, r.err).toBe(1); // hr has spec errors
      return (JSON.parse(r.out) as Plan).useCases.find((u) => u.useCase === 'sales')!;
    };
    // What a definition that is not there gives, and what the outside one would give if it were read.
    rmSync(real);
    const missing = await plan();
    writeFileSync(real, outside);
    const read = await plan();
    expect(read.machinesChanged.find((m) => m.workflow === 'extract')?.statesRemoved).toEqual(['Outside']);
    expect(missing).not.toEqual(read);
    // The manifest names a file out of the build folder: not read.
    rmSync(real);
    writeFileSync(partFile, part.replace(JSON.stringify(path), JSON.stringify('../outside.asl.json')));
    expect(await plan()).toEqual(missing);
    writeFileSync(partFile, part.replace(JSON.stringify(path), JSON.stringify(`${path}/../../../outside.asl.json`)));
    expect(await plan()).toEqual(missing);
    // A folder in the build that is a link to a folder out of it: not followed.
    mkdirSync(join(dir, 'elsewhere'));
    writeFileSync(join(dir, 'elsewhere/x.asl.json'), outside);
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'deployed/linked'));
    writeFileSync(partFile, part.replace(JSON.stringify(path), JSON.stringify('linked/x.asl.json')));
    expect(await plan()).toEqual(missing);
    // A link in the build folder to the file out of it: not followed.
    writeFileSync(partFile, part);
    symlinkSync(join(dir, 'outside.asl.json'), real);
    expect(await plan()).toEqual(missing);
    rmSync(real);
    // A definition that is not JSON: named, exit 2.
    writeFileSync(real, original.slice(0, 20));
    expect(await runCli(['plan', 'specs', '--against', 'deployed'], dir)).toMatchObject({ code: 2, err: expect.stringContaining(`--against deployed: ${path} is not valid JSON`) });
  });

  it('--cdk writes the build and runs cdk diff on the stacks a deploy would deploy, after the credentials check', async () => {
    const dir = folder(BEFORE);
    const calls: string[][] = [];
    const spawn: SpawnFn = async (command, args) => {
      calls.push([command, ...args]);
      return 0;
    };
    const credentials = { spawn, checkCredentials: async () => ({ ok: true as const, source: 'env' as const, elapsedMs: 1 }) };
    const diff = ['node_modules/.bin/cdk', 'diff', '--app', 'node --v8-pool-size=1 --import tsx infra/app.ts', '--context', `buildDir=${join(dir, 'out')}`];
    // Nothing deployed: every stack, the app built whole.
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [] });
    const ok = await runCli(['plan', 'specs', '--cdk', '--out', 'out'], dir, credentials);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('deploy lakestep-platform: not deployed\ndeploy use case sales: new');
    expect(calls).toEqual([[...diff, '--exclusively', 'lakestep-platform', 'lakestep-sales', 'lakestep-sales-[0-9]*']]);

    // Deployed as built: nothing to diff, cdk does not run.
    const hashes = localHashes(loadBuild(join(dir, 'out')), DEFAULT_SPARK_DIR);
    const stack = (name: string, outputs: Record<string, string>): Stack => ({
      StackName: name,
      StackStatus: 'UPDATE_COMPLETE',
      CreationTime: new Date(0),
      Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    });
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [stack('lakestep-platform', { LakestepInputsHash: hashes.platform }), stack('lakestep-sales', { LakestepUseCase: 'sales', LakestepInputsHash: hashes.useCases.get('sales')!, LakestepShard: '1/1' })],
    });
    const same = await runCli(['plan', 'specs', '--cdk', '--out', 'out'], dir, credentials);
    expect(same.code).toBe(0);
    expect(same.out).toContain('nothing to diff: nothing changed since the last deploy');
    expect(calls).toHaveLength(1);

    // One use case changed: only its stacks are built and diffed.
    writeFileSync(join(dir, 'specs/sales/orchestration.yaml'), sparkUseCase('sales@example.com', [{ name: 'extract', schedule: 'rate(2 days)' }, { name: 'old' }]));
    expect((await runCli(['plan', 'specs', '--cdk', '--out', 'out'], dir, credentials)).code).toBe(0);
    expect(calls[1]).toEqual([...diff, '--context', 'lakestep:use-cases=sales', '--exclusively', 'lakestep-sales', 'lakestep-sales-[0-9]*']);

    // The deployed stacks cannot be read: every stack, said so.
    cfn.on(DescribeStacksCommand).rejects(new Error('AccessDenied: cloudformation:DescribeStacks'));
    const blind = await runCli(['plan', 'specs', '--cdk', '--out', 'out'], dir, credentials);
    expect(blind.out).toContain('note: cannot read the deployed stacks (CloudFormation DescribeStacks): AccessDenied: cloudformation:DescribeStacks; cdk diff compares every stack');
    expect(calls[2]).toEqual(diff);

    cfn.resetHistory();
    const none = await runCli(['plan', 'specs', '--cdk'], dir, { spawn, checkCredentials: async () => ({ ok: false, message: 'no AWS credentials: nope', elapsedMs: 1 }) });
    expect(none).toMatchObject({ code: 1, err: expect.stringContaining('cannot run cdk diff: no AWS credentials: nope') });
    expect(calls).toHaveLength(3);
    expect(cfn.calls()).toHaveLength(0);
  });
});
