import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CredentialsCheck } from '../../src/ops/credentials.ts';
import { deploy, planDeploy, type SpawnFn } from '../../src/ops/deploy.ts';
import { manifest } from './fixtures.ts';

const okCredentials = async (): Promise<CredentialsCheck> => ({ ok: true, source: 'env', elapsedMs: 1 });
const APP = ['deploy', '--app', 'npx tsx infra/app.ts', '--context', 'buildDir=build'];

describe('planDeploy', () => {
  it('deploys every stack of the app without approval prompts by default', () => {
    const plan = planDeploy(manifest(), { buildDir: 'build' });
    expect(plan.command).toBe(join('node_modules', '.bin', 'cdk'));
    expect(plan.args).toEqual([...APP, '--require-approval', 'never', '--all']);
  });

  it('selects the platform stack and the use case stacks and shards for --use-case', () => {
    const plan = planDeploy(manifest(), { buildDir: 'build', useCases: ['orders'], interactive: true });
    expect(plan.args).toEqual([...APP, 'acme-platform', 'acme-orders', 'acme-orders-[0-9]*']);
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
      [...APP, '--require-approval', 'never', 'acme-platform', 'acme-customers', 'acme-customers-[0-9]*'],
      { cwd: '/repo', env },
    ]);
    expect(order).toEqual(['use case payments is', 'spawn']);
    expect(res).toMatchObject({ ok: true, exitCode: 0, stage: 'cdk' });
  });

  it('passes a failing cdk exit code through', async () => {
    const res = await deploy({ buildDir: 'build', manifest: manifest(), env: {}, spawn: async () => 3, checkCredentials: okCredentials });
    expect(res).toMatchObject({ ok: false, exitCode: 3, message: 'cdk deploy exited with code 3' });
  });

  it('reads build/manifest.json when no manifest is given, and says to compile when it is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakestep-build-'));
    try {
      const spawn = vi.fn<SpawnFn>(async () => 0);
      const missing = await deploy({ buildDir: dir, env: {}, spawn, checkCredentials: okCredentials });
      expect(missing).toMatchObject({ ok: false, exitCode: 1, stage: 'plan' });
      expect(missing.message).toContain('manifest.json not found: compile the specs first');
      expect(spawn).not.toHaveBeenCalled();

      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest()));
      const res = await deploy({ buildDir: dir, env: {}, spawn, checkCredentials: okCredentials });
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
      process.env = { ...saved };
      rmSync(home, { recursive: true, force: true });
    });

    it('fails fast before reading the build or spawning anything', async () => {
      const spawn = vi.fn<SpawnFn>(async () => 0);
      const began = Date.now();
      const res = await deploy({ buildDir: join(home, 'no-build'), env: {}, spawn });
      expect(Date.now() - began).toBeLessThan(6000);
      expect(spawn).not.toHaveBeenCalled();
      expect(res).toMatchObject({ ok: false, exitCode: 1, stage: 'credentials' });
      expect(res.message).toMatch(/^cannot deploy: no AWS credentials/);
      expect(res.message).toContain('AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY');
    });
  });
});
