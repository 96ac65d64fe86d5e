/**
 * `lakestep deploy` checks the IAM roles it adds against the account's before cdk runs:
 * moto's IAM answers `GetAccountSummary` (its `Roles` count follows the roles created, its
 * `RolesQuota` is IAM's default of 1,000) and its CloudFormation `DescribeStacks`; the
 * compile, the change detection and the check are real. A generated platform of 180 use
 * cases of 5 dags needs more roles than the default quota with a role per state machine,
 * and fits with `state_machine_roles: per_use_case`.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountSummary.html
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CreateRoleCommand, GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, inject, it, vi } from 'vitest';
import { generateSpecs } from '../../bench/generate.ts';
import { manifestRoles } from '../../src/build/iam-quota.ts';
import { deploy, type SpawnFn } from '../../src/ops/deploy.ts';
import { checkRoleQuota } from '../../src/ops/role-quota.ts';
import { compileToBuild } from '../infra/compiled.ts';

const REGION = 'eu-west-1';
const config = () => ({ endpoint: inject('motoEndpoint'), region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 2 });
const summary = async (iam: IAMClient) => (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;

/** A generated platform of `useCases` use cases under its own prefix (no stack of it in moto), optionally with shared machine roles. */
function platform(useCases: number, prefix: string, shared: boolean) {
  const sources = generateSpecs({ useCases }).sources.map((f) =>
    f.path === 'platform.yaml' ? { ...f, text: `${f.text.replace(/^prefix: acme$/m, `prefix: ${prefix}`)}${shared ? '\nstate_machine_roles: per_use_case\n' : ''}` } : f,
  );
  const { buildDir, result } = compileToBuild(sources);
  expect(result.manifest.platform.prefix).toBe(prefix);
  return { buildDir, manifest: result.manifest };
}

describe('IAM role quota against moto', () => {
  it("reads the account's roles and quota from GetAccountSummary, and stops exactly past the quota", async () => {
    const iam = new IAMClient(config());
    const before = await summary(iam);
    expect(before.RolesQuota).toBe(1000);
    for (const i of [1, 2, 3]) {
      await iam.send(new CreateRoleCommand({ RoleName: `rq-role-${i}`, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
    }
    const after = await summary(iam);
    expect(after.Roles).toBe(before.Roles! + 3);
    const room = after.RolesQuota! - after.Roles!;
    const check = (adds: number) => checkRoleQuota({ iam, adds, useCases: ['a'], platform: {} });
    expect(await check(room)).toMatchObject({ ok: true, roles: after.Roles, quota: 1000, adds: room });
    expect(await check(room + 1)).toMatchObject({ ok: false, stop: true, message: expect.stringContaining(`would pass the quota`) });
  });

  it('stops the first deploy of 180 use cases with a role per state machine before cdk (changed stacks or --all), and runs cdk with shared roles', async () => {
    const cloudFormation = new CloudFormationClient(config());
    const iam = new IAMClient(config());
    const run = async (build: ReturnType<typeof platform>, extra: { all?: boolean } = {}) => {
      const spawn = vi.fn<SpawnFn>(async () => 0);
      const log: string[] = [];
      const result = await deploy({
        buildDir: build.buildDir,
        manifest: build.manifest,
        env: {},
        spawn,
        cwd: '/repo',
        cloudFormation,
        iam,
        checkCredentials: async () => ({ ok: true, source: 'env', elapsedMs: 1 }),
        checkBootstrap: async () => ({ ok: true, account: '123456789012', region: REGION, version: 27 }),
        log: (l) => log.push(l),
        ...extra,
      });
      return { result, spawn, log };
    };
    const own = platform(180, 'rqown', false);
    const roles = (await summary(iam)).Roles!;
    expect(roles + manifestRoles(own.manifest)).toBeGreaterThan(1000);
    const stopped = await run(own);
    expect(stopped.result).toMatchObject({ ok: false, exitCode: 1, stage: 'quota' });
    expect(stopped.result.message).toContain(`this deploy adds ${manifestRoles(own.manifest).toLocaleString('en-US')} for 180 use case(s)`);
    expect(stopped.spawn).not.toHaveBeenCalled();
    // --all deploys every stack whatever changed: checked the same way.
    const all = await run(own, { all: true });
    expect(all.result).toMatchObject({ ok: false, stage: 'quota', message: stopped.result.message });
    expect(all.spawn).not.toHaveBeenCalled();

    const shared = platform(180, 'rqshared', true);
    expect(manifestRoles(shared.manifest)).toBeLessThan(1000 - roles);
    const deployed = await run(shared);
    expect(deployed.result).toMatchObject({ ok: true, stage: 'cdk', roleQuota: { ok: true, adds: manifestRoles(shared.manifest) } });
    expect(deployed.spawn).toHaveBeenCalledOnce();
    expect(deployed.log).toContain(`IAM: the account has ${roles} IAM roles of its quota of 1,000 and this deploy adds ${manifestRoles(shared.manifest)} (${roles + manifestRoles(shared.manifest)} after it)`);
  }, 120_000);
});
