/**
 * `lakestep deploy` checks the CloudFormation stacks it creates against the region's quota
 * before cdk runs: builds compiled for real, the region's stacks and the account's limits as
 * CloudFormation's DescribeStacks and DescribeAccountLimits return them (mocked SDK client; moto
 * has no DescribeAccountLimits — test/aws-local/role-quota.moto.ts counts the stacks on moto),
 * the counting and the check real.
 */
import { DescribeAccountLimitsCommand, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { describe, expect, it, vi } from 'vitest';
import { loadBuild } from '../../infra/manifest.ts';
import { useCaseShards } from '../../infra/usecase/shards.ts';
import type { CredentialsCheck } from '../../src/ops/credentials.ts';
import { deploy, type SpawnFn } from '../../src/ops/deploy.ts';
import { stacksAdded } from '../../src/ops/stack-quota.ts';
import { sparkUseCase } from '../compile/support.ts';
import { compileToBuild } from '../infra/compiled.ts';
import { mockDeployClients } from './deploy-mocks.ts';

const { cfn } = mockDeployClients();

const PLATFORM = 'prefix: lakestep\nregion: eu-west-1\naccount: "123456789012"\n';
const dags = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `job${i + 1}` }));
function build(useCases: Record<string, number>) {
  const files = [{ path: 'platform.yaml', text: PLATFORM }, ...Object.entries(useCases).map(([uc, n]) => ({ path: `${uc}/orchestration.yaml`, text: sparkUseCase(`${uc}@example.com`, dags(n)) }))];
  const { buildDir, result } = compileToBuild(files);
  return { buildDir, manifest: result.manifest };
}
/** `n` stacks of another application in the region: the quota counts them too. */
const foreign = (n: number): Stack[] => Array.from({ length: n }, (_, i) => ({ StackName: `other-app-${i}`, StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(0) }));
const limits = (value: number) => cfn.on(DescribeAccountLimitsCommand).resolves({ AccountLimits: [{ Name: 'ConcurrentResourcesLimit', Value: 2500 }, { Name: 'StackLimit', Value: value }] });
const ok = async (): Promise<CredentialsCheck> => ({ ok: true, source: 'env', elapsedMs: 1 });
function run(b: ReturnType<typeof build>, extra: Partial<Parameters<typeof deploy>[0]> = {}) {
  const spawn = vi.fn<SpawnFn>(async () => 0);
  const log: string[] = [];
  const result = deploy({ buildDir: b.buildDir, manifest: b.manifest, env: {}, spawn, checkCredentials: ok, cwd: '/repo', log: (l) => log.push(l), ...extra });
  return { spawn, log, result };
}

const two = build({ crm: 1, sales: 1 });

describe('stacksAdded', () => {
  it('counts the platform stack and each use case not deployed; without a split, at most a stack per workflow', () => {
    const b = build({ crm: 1, sales: 5 });
    const scope = { platform: 'new', useCases: b.manifest.useCases };
    expect(stacksAdded(b.manifest, scope, [])).toEqual({ stacks: 1 + 1 + 5, useCases: ['crm', 'sales'], exact: false });
    const loaded = loadBuild(b.buildDir);
    const exact = stacksAdded(b.manifest, scope, [], (u) => useCaseShards(loaded, u).length);
    expect(exact).toEqual({ stacks: 3, useCases: ['crm', 'sales'], exact: true });
    // Deployed stacks are not created again; the platform stack only when it is in scope.
    const deployed = [{ name: 'lakestep-platform', status: 'UPDATE_COMPLETE' }, { name: 'lakestep-crm', status: 'UPDATE_COMPLETE', useCase: 'crm' }];
    expect(stacksAdded(b.manifest, scope, deployed)).toEqual({ stacks: 5, useCases: ['sales'], exact: false });
    expect(stacksAdded(b.manifest, { useCases: b.manifest.useCases.filter((u) => u.name === 'crm') }, [])).toEqual({ stacks: 1, useCases: ['crm'], exact: false });
  });
});

describe('deploy: the CloudFormation stack quota', () => {
  it("stops before cdk when the stacks it creates would pass the account's StackLimit, counting every stack of the region", async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: foreign(1997) });
    limits(1999);
    const r = run(two);
    const result = await r.result;
    expect(result).toMatchObject({ ok: false, exitCode: 1, stage: 'quota', stackQuota: { ok: false, stop: true } });
    expect(result.message).toBe(
      "cannot deploy: eu-west-1 has 1,997 CloudFormation stacks of the account's limit of 1,999 and this deploy creates 3 for 2 use case(s) (crm, sales): 2,000 would pass the limit, " +
        'and CloudFormation would refuse the stack that crosses it after creating every stack before it; request a higher CloudFormation stack quota in Service Quotas, ' +
        'delete stacks the region no longer needs, or deploy the platform to another account or region',
    );
    expect(r.spawn).not.toHaveBeenCalled();
    // --all deploys what it names: the same count.
    expect(await run(two, { all: true }).result).toMatchObject({ ok: false, stage: 'quota', message: result.message });
  });

  it('deploys when they fit, saying how many stacks the region will hold; an upper bound that fits reads no definition', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: foreign(1997) });
    limits(2000);
    const r = run(two);
    expect(await r.result).toMatchObject({ ok: true, stage: 'cdk', stackQuota: { ok: true, stacks: 1997, limit: 2000, adds: 3 } });
    expect(r.log).toContain("CloudFormation: eu-west-1 has 1,997 CloudFormation stacks of the account's limit of 2,000 and this deploy creates at most 3 (2,000 after it)");
  });

  it('counts exactly, as the app splits the use cases, when the upper bound would not fit', async () => {
    // sales has 5 workflows (at most 5 stacks), all in one stack: 3 stacks, not 7.
    const b = build({ crm: 1, sales: 5 });
    cfn.on(DescribeStacksCommand).resolves({ Stacks: foreign(1995) });
    limits(1998);
    const r = run(b);
    expect(await r.result).toMatchObject({ ok: true, stage: 'cdk', stackQuota: { ok: true, adds: 3 } });
    expect(r.log).toContain("CloudFormation: eu-west-1 has 1,995 CloudFormation stacks of the account's limit of 1,998 and this deploy creates 3 (1,998 after it)");
    limits(1997);
    expect(await run(b).result).toMatchObject({ ok: false, stage: 'quota', message: expect.stringContaining('this deploy creates 3 for 2 use case(s) (crm, sales): 1,998 would pass the limit') });
  });

  it('reads StackLimit from any page of DescribeAccountLimits', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: foreign(10) });
    cfn
      .on(DescribeAccountLimitsCommand)
      .resolvesOnce({ AccountLimits: [{ Name: 'ConcurrentResourcesLimit', Value: 2500 }], NextToken: 'page-2' })
      .resolves({ AccountLimits: [{ Name: 'StackLimit', Value: 12 }] });
    const r = run(two);
    expect(await r.result).toMatchObject({ ok: false, stage: 'quota', message: expect.stringContaining("10 CloudFormation stacks of the account's limit of 12") });
    const calls = cfn.commandCalls(DescribeAccountLimitsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input).toEqual({ NextToken: 'page-2' });
  });

  it('asks nothing when the deploy creates no stack, and deploys on with a note when the limit cannot be read', async () => {
    const deployed: Stack[] = ['platform', 'crm', 'sales'].map((s) => ({ StackName: `lakestep-${s}`, StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(0), Outputs: s === 'platform' ? [] : [{ OutputKey: 'LakestepUseCase', OutputValue: s }] }));
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [...deployed, ...foreign(5000)] });
    limits(1);
    expect(await run(two, { all: true }).result).toMatchObject({ ok: true, stage: 'cdk' });
    expect(cfn.commandCalls(DescribeAccountLimitsCommand)).toHaveLength(0);

    cfn.on(DescribeStacksCommand).resolves({ Stacks: [] });
    cfn.on(DescribeAccountLimitsCommand).rejects(Object.assign(new Error('User is not authorized to perform: cloudformation:DescribeAccountLimits'), { name: 'AccessDenied' }));
    const denied = run(two);
    expect(await denied.result).toMatchObject({ ok: true, stage: 'cdk', stackQuota: { ok: false, stop: false } });
    expect(denied.log).toContain('note: CloudFormation stack quota not checked (cloudformation:DescribeAccountLimits: User is not authorized to perform: cloudformation:DescribeAccountLimits)');
  });

  it('--dry-run says the deploy would stop at the quota, and runs nothing', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: foreign(1999) });
    limits(2000);
    const r = run(two, { dryRun: true });
    expect(await r.result).toMatchObject({ ok: true, stage: 'plan', message: 'dry run', stackQuota: { ok: false, stop: true } });
    expect(r.log.some((l) => l.startsWith("would stop: eu-west-1 has 1,999 CloudFormation stacks of the account's limit of 2,000 and this deploy creates 3"))).toBe(true);
    expect(r.spawn).not.toHaveBeenCalled();
  });

  it('stops at the plan when counting exactly finds the build missing a definition, as the app would', async () => {
    const b = build({ crm: 1, sales: 5 });
    const { rmSync } = await import('node:fs');
    rmSync(`${b.buildDir}/sales/job3.asl.json`);
    cfn.on(DescribeStacksCommand).resolves({ Stacks: foreign(1995) });
    limits(1998);
    const r = run(b);
    expect(await r.result).toMatchObject({ ok: false, exitCode: 1, stage: 'plan', message: expect.stringMatching(/sales\/job3\.asl\.json is listed in the manifest but missing: run `npx lakestep compile` again$/) });
    expect(r.spawn).not.toHaveBeenCalled();
  });
});
