import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeAccountLimitsCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CredentialsCheck } from '../../src/ops/credentials.ts';
import { bootstrapQualifier, CDK_APP, deploy, planDeploy, type SpawnFn } from '../../src/ops/deploy.ts';
import { restoreEnv } from '../helpers/env.ts';
import { writeManifest } from '../helpers/manifest.ts';
import { manifest } from './fixtures.ts';

// The bootstrap check's AWS calls: the SDK is mocked, the check itself is real. Nothing deployed yet, and an
// account with room for the roles and the region for the stacks (the quota checks of --all and --use-case, tested in
// deploy-changes.test.ts and stack-quota.test.ts).
const ssm = mockClient(SSMClient);
const sts = mockClient(STSClient);
const cfn = mockClient(CloudFormationClient);
const iam = mockClient(IAMClient);
beforeEach(() => {
  ssm.reset();
  sts.reset();
  cfn.reset().on(DescribeStacksCommand).resolves({ Stacks: [] });
  cfn.on(DescribeAccountLimitsCommand).resolves({ AccountLimits: [{ Name: 'StackLimit', Value: 2000 }] });
  iam.reset().on(GetAccountSummaryCommand).resolves({ SummaryMap: { Roles: 0, RolesQuota: 1000 } });
  ssm.on(GetParameterCommand, { Name: '/cdk-bootstrap/hnb659fds/version' }).resolves({ Parameter: { Name: '/cdk-bootstrap/hnb659fds/version', Value: '27' } });
  sts.on(GetCallerIdentityCommand).resolves({ Account: '210987654321', Arn: 'arn:aws:iam::210987654321:user/ops', UserId: 'AIDA' });
});

const okCredentials = async (): Promise<CredentialsCheck> => ({ ok: true, source: 'env', elapsedMs: 1 });
const APP = ['deploy', '--app', 'node --v8-pool-size=1 --import tsx infra/app.ts', '--context', 'buildDir=build'];

describe('planDeploy', () => {
  it("runs the app exactly as cdk.json's app command does (synth, deploy and diff alike)", () => {
    const cdkJson = JSON.parse(readFileSync(join(import.meta.dirname, '../../cdk.json'), 'utf8')) as { app: string };
    expect(CDK_APP).toBe(cdkJson.app);
  });

  it('deploys every stack of the app without approval prompts by default', () => {
    const plan = planDeploy(manifest(), { buildDir: 'build' });
    expect(plan.command).toBe(join('node_modules', '.bin', 'cdk'));
    expect(plan.args).toEqual([...APP, '--require-approval', 'never', '--concurrency', '8', '--all']);
  });

  it('deploys 8 stacks at once by default, as many as --concurrency says, one at a time with 1; refuses anything else', () => {
    expect(planDeploy(manifest(), { buildDir: 'build', concurrency: 1 }).args).toEqual([...APP, '--require-approval', 'never', '--all']);
    expect(planDeploy(manifest(), { buildDir: 'build', concurrency: 50 }).args).toEqual([...APP, '--require-approval', 'never', '--concurrency', '50', '--all']);
    for (const bad of [0, -3, 51, 2.5, Number.NaN]) {
      expect(() => planDeploy(manifest(), { buildDir: 'build', concurrency: bad }), String(bad)).toThrow(`--concurrency must be an integer from 1 to 50, got ${bad}`);
    }
  });

  it('selects the platform stack and the use case stacks and shards for --use-case', () => {
    const plan = planDeploy(manifest(), { buildDir: 'build', useCases: ['orders'], interactive: true });
    expect(plan.args).toEqual([...APP, '--concurrency', '8', 'acme-platform', 'acme-orders', 'acme-orders-[0-9]*']);
  });

  it('passes cdk only options its deploy command has, with values it accepts (the installed CLI says so)', () => {
    const help = execFileSync(join(import.meta.dirname, '../../node_modules/.bin/cdk'), ['deploy', '--help'], { encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' } });
    const known = new Set([...help.matchAll(/^\s+(--[a-z][a-z-]*)/gm)].map((m) => m[1]!));
    expect(known.size).toBeGreaterThan(30);
    const m = manifest();
    const plans = [planDeploy(m, { buildDir: 'build' }), planDeploy(m, { buildDir: 'build', useCases: ['orders'], concurrency: 3 }), planDeploy(m, { buildDir: 'build', changes: { useCases: [{ name: 'orders', reason: 'changed' }], unchanged: [], removed: [] } })];
    for (const plan of plans) for (const flag of plan.args.filter((a) => a.startsWith('--'))) expect(known.has(flag), flag).toBe(true);
    // --concurrency takes a number, --require-approval one of its choices.
    expect(help).toMatch(/--concurrency[^\n]*\n(?:[^\n]*\n)*?[^\n]*\[number\]/);
    expect(help).toMatch(/--require-approval[\s\S]*?\[choices: [^\]]*"never"/);
  });

  it('names quarantined use cases and says their stacks are left untouched', () => {
    const plan = planDeploy(manifest(), { buildDir: 'build' });
    expect(plan.quarantined).toEqual([{ useCase: 'payments', errors: 1 }]);
    expect(plan.notices).toEqual([
      'use case payments is quarantined (1 error(s) in its specs): not deployed; its stacks in AWS (acme-payments*), if any, are left untouched and keep running their last good deployment',
    ]);
  });

  it('refuses unknown and quarantined use cases', () => {
    expect(() => planDeploy(manifest(), { buildDir: 'build', useCases: ['order'] })).toThrow('unknown use case "order"; did you mean "orders"?');
    expect(() => planDeploy(manifest(), { buildDir: 'build', useCases: ['payments'] })).toThrow('use case "payments" is quarantined');
  });
});

describe('deploy', () => {
  it('runs cdk with the planned argv, cwd and env, after printing the notices', async () => {
    const order: string[] = [];
    const spawn = vi.fn<SpawnFn>(async () => {
      order.push('spawn');
      return 0;
    });
    const env = { PATH: '/usr/bin', AWS_PROFILE: 'ops' };
    const res = await deploy({
      all: true,
      buildDir: 'build',
      manifest: manifest(),
      useCases: ['customers'],
      env,
      cwd: '/repo',
      spawn,
      checkCredentials: okCredentials,
      log: (l) => order.push(l.slice(0, 20)),
    });
    expect(spawn).toHaveBeenCalledTimes(1);
    expect(spawn.mock.calls[0]).toEqual([
      join('node_modules', '.bin', 'cdk'),
      [...APP, '--require-approval', 'never', '--concurrency', '8', 'acme-platform', 'acme-customers', 'acme-customers-[0-9]*'],
      { cwd: '/repo', env },
    ]);
    expect(order).toEqual(['IAM: the account has', 'CloudFormation: eu-w', 'use case payments is', 'spawn']);
    expect(res).toMatchObject({ ok: true, exitCode: 0, stage: 'cdk' });
  });

  it('passes a failing cdk exit code through', async () => {
    const res = await deploy({ all: true, buildDir: 'build', manifest: manifest(), env: {}, spawn: async () => 3, checkCredentials: okCredentials });
    expect(res).toMatchObject({ ok: false, exitCode: 3, message: 'cdk deploy exited with code 3' });
  });

  it('reads build/manifest.json when no manifest is given, and says to compile when it is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakestep-build-'));
    try {
      const spawn = vi.fn<SpawnFn>(async () => 0);
      const missing = await deploy({ all: true, buildDir: dir, env: {}, spawn, checkCredentials: okCredentials });
      expect(missing).toMatchObject({ ok: false, exitCode: 1, stage: 'plan' });
      expect(missing.message).toContain('manifest.json not found: compile the specs first');
      expect(spawn).not.toHaveBeenCalled();

      writeManifest(dir, manifest());
      const res = await deploy({ all: true, buildDir: dir, env: {}, spawn, checkCredentials: okCredentials });
      expect(res.ok).toBe(true);
      expect(spawn.mock.calls[0]?.[1]).toContain(`buildDir=${dir}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('without credentials (real check, empty environment)', () => {
    const saved = { ...process.env };
    let home: string;
    beforeEach(() => {
      for (const key of Object.keys(process.env)) if (key.startsWith('AWS_') && !key.startsWith('AWS_SDK_JS_')) delete process.env[key];
      home = mkdtempSync(join(tmpdir(), 'lakestep-home-'));
      process.env.HOME = home;
    });
    afterEach(() => {
      restoreEnv(saved);
      rmSync(home, { recursive: true, force: true });
    });

    it('fails fast before reading the build or spawning anything', async () => {
      const spawn = vi.fn<SpawnFn>(async () => 0);
      const began = Date.now();
      const res = await deploy({ all: true, buildDir: join(home, 'no-build'), env: {}, spawn });
      expect(Date.now() - began).toBeLessThan(6000);
      expect(spawn).not.toHaveBeenCalled();
      expect(res).toMatchObject({ ok: false, exitCode: 1, stage: 'credentials' });
      expect(res.message).toMatch(/^cannot deploy: no AWS credentials/);
      expect(res.message).toContain('AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY');
    });
  });
});

describe('deploy: CDK bootstrap of the platform environment', () => {
  const withAccount = (account?: string) => {
    const m = manifest();
    m.platform.region = 'eu-west-1';
    if (account) m.platform.account = account;
    return m;
  };

  it("stops before cdk on an unbootstrapped environment and prints the exact cdk bootstrap command (account from STS)", async () => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'Parameter /cdk-bootstrap/hnb659fds/version not found.', $metadata: {} }));
    const spawn = vi.fn<SpawnFn>(async () => 0);
    const res = await deploy({ all: true, buildDir: 'build', manifest: withAccount(), env: {}, spawn, checkCredentials: okCredentials, cwd: '/nonexistent' });
    expect(spawn).not.toHaveBeenCalled();
    expect(res).toMatchObject({ ok: false, exitCode: 1, stage: 'bootstrap', bootstrap: { ok: false, stop: true, command: 'npx cdk bootstrap aws://210987654321/eu-west-1' } });
    expect(res.message).toBe(
      'cannot deploy: the CDK is not bootstrapped in aws://210987654321/eu-west-1 (no SSM parameter /cdk-bootstrap/hnb659fds/version); bootstrap it once with\n  npx cdk bootstrap aws://210987654321/eu-west-1\nthen deploy again',
    );
    // Asked in the platform's region, not the caller's default one.
    expect(await ssm.call(0).thisValue.config.region()).toBe('eu-west-1');
  });

  it("uses the platform's account without asking STS, and goes on when the bootstrap is there", async () => {
    const spawn = vi.fn<SpawnFn>(async () => 0);
    const res = await deploy({ all: true, buildDir: 'build', manifest: withAccount('123456789012'), env: {}, spawn, checkCredentials: okCredentials, cwd: '/nonexistent' });
    expect(res).toMatchObject({ ok: true, bootstrap: { ok: true, account: '123456789012', region: 'eu-west-1', version: 27 } });
    expect(sts.calls()).toHaveLength(0);
    expect(spawn).toHaveBeenCalledTimes(1);
  });

  it('refuses a bootstrap older than version 6 with the command that upgrades it', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '4' } });
    const res = await deploy({ all: true, buildDir: 'build', manifest: withAccount('123456789012'), env: {}, spawn: async () => 0, checkCredentials: okCredentials, cwd: '/nonexistent' });
    expect(res).toMatchObject({ ok: false, stage: 'bootstrap' });
    expect(res.message).toContain('is version 4; lakestep\'s stacks need 6 or later: upgrade it with\n  npx cdk bootstrap aws://123456789012/eu-west-1');
  });

  it('goes on with a note when the parameter cannot be read (no ssm:GetParameter): cdk checks it then', async () => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('User is not authorized to perform: ssm:GetParameter'), { name: 'AccessDeniedException' }));
    const log: string[] = [];
    const spawn = vi.fn<SpawnFn>(async () => 0);
    const res = await deploy({ all: true, buildDir: 'build', manifest: withAccount('123456789012'), env: {}, spawn, checkCredentials: okCredentials, cwd: '/nonexistent', log: (l) => log.push(l) });
    expect(res.ok).toBe(true);
    expect(log[2]).toMatch(/^note: could not read \/cdk-bootstrap\/hnb659fds\/version in aws:\/\/123456789012\/eu-west-1 \(User is not authorized/);
  });

  it("reads a custom qualifier from the app's cdk.json and names it in the command", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakestep-cdkjson-'));
    try {
      writeFileSync(join(dir, 'cdk.json'), JSON.stringify({ app: 'x', context: { '@aws-cdk/core:bootstrapQualifier': 'lake1' } }));
      expect(bootstrapQualifier(dir)).toBe('lake1');
      ssm.on(GetParameterCommand, { Name: '/cdk-bootstrap/lake1/version' }).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
      const res = await deploy({ all: true, buildDir: 'build', manifest: withAccount('123456789012'), env: {}, spawn: async () => 0, checkCredentials: okCredentials, cwd: dir });
      expect(res.message).toContain('npx cdk bootstrap aws://123456789012/eu-west-1 --qualifier lake1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
