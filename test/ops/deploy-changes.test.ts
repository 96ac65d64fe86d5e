/**
 * `lakestep deploy` deploys what changed: builds compiled for real, the deployed
 * stacks as CloudFormation's DescribeStacks returns them (mocked SDK client), the
 * change detection and the cdk invocation real.
 */
import { CloudFormationClient, DescribeAccountLimitsCommand, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SPARK_DIR } from '../../infra/inputs-hash.ts';
import { loadBuild } from '../../infra/manifest.ts';
import { useCaseShards } from '../../infra/usecase/shards.ts';
import { changedStacks, type DeployedStack, formatChanges, type LocalHashes, localHashes, readDeployedStacks } from '../../src/ops/deploy-changes.ts';
import { deploy, type SpawnFn } from '../../src/ops/deploy.ts';
import { rolesAdded } from '../../src/ops/role-quota.ts';
import { manifestRoles, manifestUseCaseRoles, platformRoles } from '../../src/build/iam-quota.ts';
import { sparkUseCase } from '../compile/support.ts';
import { compileToBuild } from '../infra/compiled.ts';
import { mockDeployClients } from './deploy-mocks.ts';

const { cfn, ssm, iam } = mockDeployClients();

const BASE: Record<string, string> = {
  'platform.yaml': 'prefix: lakestep\nregion: eu-west-1\naccount: "123456789012"\n',
  'sales/orchestration.yaml': sparkUseCase('sales@example.com', [{ name: 'extract', schedule: 'rate(1 day)' }]),
  'crm/orchestration.yaml': sparkUseCase('crm@example.com', [{ name: 'scores' }]),
};

/** `files` compiled, and the inputs hashes of its stacks (by lakestep's code `code`, this lakestep's by default). */
function build(files: Record<string, string>, code?: string) {
  const { buildDir, result } = compileToBuild(Object.entries(files).map(([path, text]) => ({ path, text })));
  return { buildDir, manifest: result.manifest, hashes: localHashes(loadBuild(buildDir), DEFAULT_SPARK_DIR, code) };
}

/** The stacks a deploy of `local` left, as DescribeStacks returns them (with their `LakestepRoles` when `roles` gives them, by use case and `platform`). */
function stacksOf(local: LocalHashes, roles: Record<string, number> = {}): Stack[] {
  const held = (key: string): Record<string, string> => (roles[key] === undefined ? {} : { LakestepRoles: String(roles[key]) });
  const out = (o: Record<string, string>) => Object.entries(o).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }));
  const stack = (name: string, outputs: Record<string, string>): Stack => ({
    StackName: name,
    StackStatus: 'UPDATE_COMPLETE',
    CreationTime: new Date(0),
    Outputs: out(outputs),
  });
  return [
    stack('lakestep-platform', { LakestepInputsHash: local.platform, ...held('platform') }),
    ...[...local.useCases].map(([uc, hash]) => stack(`lakestep-${uc}`, { LakestepUseCase: uc, LakestepInputsHash: hash, LakestepShard: '1/1', ...held(uc) })),
  ];
}
const deployedOf = (_: LocalHashes) => readDeployedStacks(new CloudFormationClient({ region: 'eu-west-1' }), 'lakestep');

const base = build(BASE);
const TASK = 'arn:aws:datasync:eu-west-1:123456789012:task/task-0aa00000000000100';

describe('the changed set', () => {
  it('is empty when nothing changed', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: stacksOf(base.hashes) });
    const again = build(BASE);
    expect(changedStacks(again.hashes, await deployedOf(base.hashes), 'lakestep')).toEqual({ useCases: [], unchanged: ['crm', 'sales'], removed: [] });
  });

  it("holds every stack when lakestep's code changed, the specs and the version the same (an upgrade from git)", async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: stacksOf(base.hashes) });
    const upgraded = build(BASE, '0'.repeat(64));
    expect(upgraded.manifest.lakestepVersion).toBe(base.manifest.lakestepVersion);
    const c = changedStacks(upgraded.hashes, await deployedOf(base.hashes), 'lakestep');
    expect(c.platform).toBe("platform settings, its state machines, the Spark runtime, the set of use cases or lakestep's code changed");
    expect(c.useCases).toEqual([{ name: 'crm', reason: 'changed' }, { name: 'sales', reason: 'changed' }]);
  });

  it("holds one use case when only its spec changed", async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: stacksOf(base.hashes) });
    const edited = build({ ...BASE, 'sales/orchestration.yaml': sparkUseCase('sales@example.com', [{ name: 'extract', schedule: 'rate(2 days)' }]) });
    expect(changedStacks(edited.hashes, await deployedOf(base.hashes), 'lakestep')).toEqual({
      useCases: [{ name: 'sales', reason: 'changed' }],
      unchanged: ['crm'],
      removed: [],
    });
  });

  it('holds the platform stack and every use case when platform.yaml changed', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: stacksOf(base.hashes) });
    const edited = build({ ...BASE, 'platform.yaml': `${BASE['platform.yaml']}tags:\n  team: data\n` });
    const c = changedStacks(edited.hashes, await deployedOf(base.hashes), 'lakestep');
    expect(c.platform).toBe("platform settings, its state machines, the Spark runtime, the set of use cases or lakestep's code changed");
    expect(c.useCases.map((u) => u.name)).toEqual(['crm', 'sales']);
  });

  it('holds a new use case, and not the others nor the platform stack', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: stacksOf(base.hashes) });
    // A migration: its job documents upload with its stack.
    const grown = build({
      ...BASE,
      'hr/orchestration.yaml': 'owner: hr@example.com\ndags:\n  - {name: payroll, type: migration}\n',
      'hr/migration.yaml': `database: raw_hr\ndatasync: {task_arn: ${TASK}, source_path: /w}\ntables:\n  - name: pay\n    source: {hdfs_path: /w/pay, format: parquet}\n    columns: [{name: id, type: bigint}]\n`,
    });
    expect(grown.manifest.useCases.find((u) => u.name === 'hr')!.workflows[0]!.jobs.length).toBeGreaterThan(0);
    const c = changedStacks(grown.hashes, await deployedOf(base.hashes), 'lakestep');
    expect(c.useCases).toEqual([{ name: 'hr', reason: 'new' }]);
    expect(c.unchanged).toEqual(['crm', 'sales']);
    // Its job documents upload through the platform's function: nothing of the platform stack changes.
    expect(c.platform).toBeUndefined();
  });

  it('lists a removed use case with its stacks, to delete by hand, and deploys nothing for it', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: stacksOf(base.hashes) });
    const { 'crm/orchestration.yaml': _, ...rest } = BASE;
    const c = changedStacks(build(rest).hashes, await deployedOf(base.hashes), 'lakestep');
    expect(c.removed).toEqual([{ useCase: 'crm', stacks: ['lakestep-crm'] }]);
    expect(c.useCases.map((u) => u.name)).not.toContain('crm');
    expect(c.platform).toBeUndefined();
  });

  it('never holds a quarantined use case, nor lists it as removed', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: stacksOf(base.hashes) });
    const broken = build({ ...BASE, 'crm/orchestration.yaml': 'owner: crm@example.com\ndags: 3\n' });
    expect(broken.hashes.quarantined).toEqual(['crm']);
    const c = changedStacks(broken.hashes, await deployedOf(base.hashes), 'lakestep');
    expect(c.useCases.map((u) => u.name)).not.toContain('crm');
    expect(c.unchanged).not.toContain('crm');
    expect(c.removed).toEqual([]);
  });

  it('redeploys a use case with a missing part, an unsettled stack or no hash', () => {
    const local: LocalHashes = { platform: 'p', useCases: new Map([['sales', 'h']]), quarantined: [] };
    const platform: DeployedStack = { name: 'lakestep-platform', status: 'UPDATE_COMPLETE', hash: 'p' };
    const part = (status: string, shard: [number, number], hash?: string): DeployedStack => ({
      name: shard[0] === 1 ? 'lakestep-sales' : `lakestep-sales-${shard[0]}`,
      status,
      useCase: 'sales',
      shard,
      ...(hash ? { hash } : {}),
    });
    const reason = (stacks: DeployedStack[]) => changedStacks(local, [platform, ...stacks], 'lakestep').useCases[0]?.reason;
    expect(reason([part('UPDATE_COMPLETE', [1, 2], 'h')])).toBe('part 2 of 2 is not deployed');
    expect(reason([part('UPDATE_COMPLETE', [1, 2], 'h'), part('ROLLBACK_COMPLETE', [2, 2])])).toBe('stack lakestep-sales-2 is ROLLBACK_COMPLETE');
    expect(reason([{ name: 'lakestep-sales', status: 'CREATE_COMPLETE' }])).toBe('deployed without an inputs hash');
    expect(reason([part('UPDATE_COMPLETE', [1, 2], 'h'), part('UPDATE_COMPLETE', [2, 2], 'h')])).toBeUndefined();
  });
});

describe('formatChanges', () => {
  it('names up to 100 use cases to deploy and counts the others by reason; past 100 unchanged ones, names the first ten', () => {
    const names = (n: number, from: number) => Array.from({ length: n }, (_, i) => `uc${String(from + i).padStart(4, '0')}`);
    const useCases = [...names(230, 0).map((name) => ({ name, reason: 'changed' })), ...names(20, 230).map((name) => ({ name, reason: 'new' }))];
    const lines = formatChanges({ platform: "platform settings, its state machines, the Spark runtime, the set of use cases or lakestep's code changed", useCases, unchanged: names(1200, 250), removed: [] }, 'acme');
    expect(lines).toHaveLength(1 + 100 + 2);
    expect(lines.slice(1, 101)).toEqual(useCases.slice(0, 100).map((u) => `deploy use case ${u.name}: changed`));
    expect(lines[101]).toBe('deploy 150 more use case(s): 130 changed, 20 new');
    expect(lines[102]).toBe(`skip 1,200 unchanged use case(s): ${names(10, 250).join(', ')}, … (1,190 more)`);
    // Within the limit, every name.
    expect(formatChanges({ useCases: useCases.slice(0, 3), unchanged: names(100, 250), removed: [] }, 'acme')).toEqual([
      'skip acme-platform: unchanged',
      ...useCases.slice(0, 3).map((u) => `deploy use case ${u.name}: changed`),
      `skip 100 unchanged use case(s): ${names(100, 250).join(', ')}`,
    ]);
  });
});

describe('readDeployedStacks', () => {
  it("reads every page and keeps the prefix's stacks with their outputs", async () => {
    cfn
      .on(DescribeStacksCommand, { NextToken: undefined })
      .resolves({ Stacks: [{ StackName: 'other-app', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(0) }], NextToken: 't1' })
      .on(DescribeStacksCommand, { NextToken: 't1' })
      .resolves({ Stacks: stacksOf({ platform: 'p', useCases: new Map([['sales', 'h']]), quarantined: [] }) });
    expect(await deployedOf(base.hashes)).toEqual([
      { name: 'lakestep-platform', status: 'UPDATE_COMPLETE', hash: 'p' },
      { name: 'lakestep-sales', status: 'UPDATE_COMPLETE', useCase: 'sales', hash: 'h', shard: [1, 1] },
    ]);
  });

  it('says what failed when the stacks cannot be read', async () => {
    cfn.on(DescribeStacksCommand).rejects(Object.assign(new Error('User is not authorized to perform: cloudformation:DescribeStacks'), { name: 'AccessDenied' }));
    await expect(deployedOf(base.hashes)).rejects.toThrow('cannot read the deployed stacks (CloudFormation DescribeStacks): User is not authorized');
  });
});

describe('deploy', () => {
  const ok = async () => ({ ok: true as const, source: 'env' as const, elapsedMs: 1 });
  const run = (b: ReturnType<typeof build>, extra: Partial<Parameters<typeof deploy>[0]> = {}) => {
    const spawn = vi.fn<SpawnFn>(async () => 0);
    const log: string[] = [];
    const result = deploy({ buildDir: b.buildDir, manifest: b.manifest, env: {}, spawn, checkCredentials: ok, cwd: '/repo', log: (l) => log.push(l), ...extra });
    return { spawn, log, result };
  };

  it('runs no cdk when nothing changed', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: stacksOf(base.hashes) });
    const r = run(base);
    expect(await r.result).toMatchObject({ ok: true, stage: 'plan', message: 'nothing changed since the last deploy' });
    expect(r.spawn).not.toHaveBeenCalled();
    expect(r.log).toEqual(['skip lakestep-platform: unchanged', 'skip 2 unchanged use case(s): crm, sales']);
  });

  it('builds and deploys exactly the changed use case, not the platform stack', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: stacksOf(base.hashes) });
    const edited = build({ ...BASE, 'sales/orchestration.yaml': sparkUseCase('sales@example.com', [{ name: 'extract', schedule: 'rate(2 days)' }]) });
    const r = run(edited);
    expect(await r.result).toMatchObject({ ok: true, stage: 'cdk' });
    expect(r.spawn.mock.calls[0]![1]).toEqual([
      'deploy', '--app', 'node --v8-pool-size=1 --import tsx infra/app.ts', '--context', `buildDir=${edited.buildDir}`,
      '--context', 'lakestep:use-cases=sales',
      '--require-approval', 'never', '--concurrency', '8', '--exclusively', 'lakestep-sales', 'lakestep-sales-[0-9]*',
    ]);
    expect(r.log).toContain('deploy use case sales: changed');
  });

  it('builds the whole app when the platform stack deploys, and deploys it with the changed use cases', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [] });
    const r = run(base);
    await r.result;
    const args = r.spawn.mock.calls[0]![1];
    expect(args.join(' ')).not.toContain('lakestep:use-cases');
    expect(args.slice(args.indexOf('--exclusively'))).toEqual(['--exclusively', 'lakestep-platform', 'lakestep-crm', 'lakestep-crm-[0-9]*', 'lakestep-sales', 'lakestep-sales-[0-9]*']);
  });

  it('--dry-run prints the plan and the cdk command, and runs nothing', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: stacksOf(base.hashes) });
    const edited = build({ ...BASE, 'crm/orchestration.yaml': sparkUseCase('crm@example.com', [{ name: 'scores', args: ['--full'] }]) });
    const r = run(edited, { dryRun: true });
    expect(await r.result).toMatchObject({ ok: true, stage: 'plan', message: 'dry run' });
    expect(r.spawn).not.toHaveBeenCalled();
    expect(r.log[1]).toBe('deploy use case crm: changed');
    expect(r.log.at(-1)).toMatch(/^dry run: would run node_modules\/\.bin\/cdk deploy .* --exclusively lakestep-crm lakestep-crm-\[0-9\]\*$/);
  });

  it('--all deploys every stack, changed or not', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: stacksOf(base.hashes) });
    const r = run(base, { all: true });
    expect(await r.result).toMatchObject({ ok: true, stage: 'cdk' });
    expect(r.spawn.mock.calls[0]![1].at(-1)).toBe('--all');
    expect(r.spawn.mock.calls[0]![1]).not.toContain('--exclusively');
  });

  it('--all and --use-case count the roles of the stacks they name against the quota, from what the deployed ones report', async () => {
    const reported = { platform: platformRoles(base.manifest.platform, base.manifest.machines), crm: manifestUseCaseRoles(base.manifest.useCases.find((u) => u.name === 'crm')!, base.manifest.platform) };
    // First deploy with --all: every role of the build.
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [] });
    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { Roles: 995, RolesQuota: 1000 } });
    const all = run(base, { all: true });
    expect(await all.result).toMatchObject({ ok: false, stage: 'quota', message: expect.stringContaining(`this deploy adds ${manifestRoles(base.manifest)} for 2 use case(s) (crm, sales)`) });
    expect(all.spawn).not.toHaveBeenCalled();

    // --use-case crm, deployed and reporting its roles: nothing added, IAM not asked, even when the quota is full.
    iam.resetHistory();
    cfn.on(DescribeStacksCommand).resolves({ Stacks: stacksOf(base.hashes, reported) });
    const same = run(base, { useCases: ['crm'] });
    expect(await same.result).toMatchObject({ ok: true, stage: 'cdk' });
    expect(iam.calls()).toHaveLength(0);

    // crm gains a dag: the one role of its new machine; sales, not named, is not counted although it was never deployed.
    const grown = build({ ...BASE, 'crm/orchestration.yaml': sparkUseCase('crm@example.com', [{ name: 'scores' }, { name: 'churn' }]) });
    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { Roles: 999, RolesQuota: 1000 } });
    const one = run(grown, { useCases: ['crm'] });
    expect(await one.result).toMatchObject({ ok: true, stage: 'cdk', roleQuota: { ok: true, adds: 1 } });
    expect(one.log).toContain('IAM: the account has 999 IAM roles of its quota of 1,000 and this deploy adds 1 (1,000 after it)');
    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { Roles: 1000, RolesQuota: 1000 } });
    expect(await run(grown, { useCases: ['crm'] }).result).toMatchObject({ ok: false, stage: 'quota', message: expect.stringContaining('adds 1 for 1 use case(s) (crm)') });
  });

  it('--all deploys on with a note when the deployed stacks cannot be read for the quota check', async () => {
    cfn.on(DescribeStacksCommand).rejects(new Error('AccessDenied: not authorized to perform cloudformation:DescribeStacks'));
    const r = run(base, { all: true });
    expect(await r.result).toMatchObject({ ok: true, stage: 'cdk' });
    expect(r.log).toContain('note: IAM role and CloudFormation stack quotas not checked (cannot read the deployed stacks (CloudFormation DescribeStacks): AccessDenied: not authorized to perform cloudformation:DescribeStacks)');
    expect(iam.calls()).toHaveLength(0);
    expect(r.spawn.mock.calls[0]![1].at(-1)).toBe('--all');
  });

  it('counts the IAM roles a deploy adds: all of a stack not deployed yet, the growth of a changed one past its LakestepRoles output', async () => {
    // crm gains a dag (one more state machine role); sales is unchanged.
    const edited = build({ ...BASE, 'crm/orchestration.yaml': sparkUseCase('crm@example.com', [{ name: 'scores' }, { name: 'churn' }]) });
    const m = edited.manifest;
    const roles = (x: typeof m, uc: string) => manifestUseCaseRoles(x.useCases.find((u) => u.name === uc)!, x.platform);
    expect(roles(m, 'crm')).toBe(roles(base.manifest, 'crm') + 1);
    const added = async (stacks: Stack[]) => {
      cfn.on(DescribeStacksCommand).resolves({ Stacks: stacks });
      const deployed = await deployedOf(edited.hashes);
      return rolesAdded(m, changedStacks(edited.hashes, deployed, 'lakestep'), deployed);
    };
    // Nothing deployed: every role of the build, the platform's included.
    expect(await added([])).toEqual({ roles: manifestRoles(m), useCases: ['crm', 'sales'] });
    expect(platformRoles(m.platform, m.machines)).toBeGreaterThan(0);
    // Deployed with the outputs of the base build: crm adds the one role of its new dag.
    const reported = { platform: platformRoles(base.manifest.platform, base.manifest.machines), crm: roles(base.manifest, 'crm'), sales: roles(base.manifest, 'sales') };
    expect(await added(stacksOf(base.hashes, reported))).toEqual({ roles: 1, useCases: ['crm'] });
    // A stack that reports more roles than the build gives it adds none (shrinking never offsets another's growth).
    expect(await added(stacksOf(base.hashes, { ...reported, crm: reported.crm + 5 }))).toEqual({ roles: 0, useCases: [] });
    // Deployed before the output existed: taken to keep its roles.
    expect(await added(stacksOf(base.hashes))).toEqual({ roles: 0, useCases: [] });
  });

  it('counts a shared machine role per stack of a use case split over stacks, as the app splits it', async () => {
    const dags = Array.from({ length: 40 }, (_, i) => ({ name: `step-${i}` }));
    const wide = build({ ...BASE, 'platform.yaml': `${BASE['platform.yaml']}state_machine_roles: per_use_case\n`, 'crm/orchestration.yaml': sparkUseCase('crm@example.com', dags) });
    const shards = useCaseShards(loadBuild(wide.buildDir), wide.manifest.useCases.find((u) => u.name === 'crm')!).length;
    expect(shards).toBeGreaterThan(1);
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [] });
    const r = run(wide, { dryRun: true });
    expect(await r.result).toMatchObject({ roleQuota: { ok: true, adds: manifestRoles(wide.manifest) + shards - 1 } });
  });

  it("stops before cdk when the roles the deploy adds would pass the account's IAM role quota", async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [] });
    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { Roles: 995, RolesQuota: 1000 } });
    const r = run(base);
    const adds = manifestRoles(base.manifest);
    expect(await r.result).toMatchObject({ ok: false, exitCode: 1, stage: 'quota' });
    expect((await r.result).message).toBe(
      `cannot deploy: the account has 995 IAM roles of its quota of 1,000 and this deploy adds ${adds} for 2 use case(s) (crm, sales): ${(995 + adds).toLocaleString('en-US')} would pass the quota, and CloudFormation would stop at the stack that crosses it; ` +
        'raise "Roles in an AWS account" in Service Quotas (IAM, up to 5,000), or set `state_machine_roles: per_use_case` in platform.yaml (one state machine role per use case), or split the use cases into more than one platform (each its own `prefix`), in more than one account',
    );
    expect(r.spawn).not.toHaveBeenCalled();
    expect(ssm.calls()).toHaveLength(0);
  });

  it('deploys when they fit, saying how many roles the account will have; with shared roles past 5,000, offers only more accounts', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [] });
    const r = run(base);
    expect(await r.result).toMatchObject({ ok: true, stage: 'cdk', roleQuota: { ok: true, roles: 10, quota: 1000 } });
    const adds = manifestRoles(base.manifest);
    expect(r.log).toContain(`IAM: the account has 10 IAM roles of its quota of 1,000 and this deploy adds ${adds} (${10 + adds} after it)`);
    expect(iam.calls()).toHaveLength(1);

    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { Roles: 4_999, RolesQuota: 5_000 } });
    const shared = build({ ...BASE, 'platform.yaml': `${BASE['platform.yaml']}state_machine_roles: per_use_case\n` });
    const s = run(shared);
    expect((await s.result).message).toMatch(/this deploy adds \d+ for 2 use case\(s\) \(crm, sales\): [\d,]+ would pass the quota, and CloudFormation would stop at the stack that crosses it; split the use cases into more than one platform/);
  });

  it('asks IAM nothing when it adds no role, and deploys on with a note when the quota cannot be read', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: stacksOf(base.hashes) });
    const edited = build({ ...BASE, 'sales/orchestration.yaml': sparkUseCase('sales@example.com', [{ name: 'extract', schedule: 'rate(3 days)' }]) });
    expect(await run(edited).result).toMatchObject({ ok: true, stage: 'cdk' });
    expect(iam.calls()).toHaveLength(0);

    cfn.on(DescribeStacksCommand).resolves({ Stacks: [] });
    iam.on(GetAccountSummaryCommand).rejects(Object.assign(new Error('User is not authorized to perform: iam:GetAccountSummary'), { name: 'AccessDenied' }));
    const r = run(base);
    expect(await r.result).toMatchObject({ ok: true, stage: 'cdk' });
    expect(r.log).toContain('note: IAM role quota not checked (iam:GetAccountSummary: User is not authorized to perform: iam:GetAccountSummary)');
  });

  it('--dry-run says the deploy would stop at the quota, and runs nothing', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [] });
    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { Roles: 999, RolesQuota: 1000 } });
    const r = run(base, { dryRun: true });
    expect(await r.result).toMatchObject({ ok: true, stage: 'plan', message: 'dry run' });
    expect(r.log.find((l) => l.startsWith('would stop: the account has 999 IAM roles of its quota of 1,000'))).toBeDefined();
    expect(r.spawn).not.toHaveBeenCalled();
  });

  it('stops before cdk when the deployed stacks cannot be read', async () => {
    cfn.on(DescribeStacksCommand).rejects(new Error('ExpiredToken: the security token included in the request is expired'));
    const r = run(base);
    expect(await r.result).toMatchObject({ ok: false, exitCode: 1, stage: 'plan', message: expect.stringContaining('cannot read the deployed stacks') });
    expect(r.spawn).not.toHaveBeenCalled();
  });
});
