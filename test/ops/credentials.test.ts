import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkCredentials } from '../../src/ops/credentials.ts';
import { restoreEnv } from '../helpers/env.ts';

describe('checkCredentials (real SDK default chain, no network)', () => {
  const saved = { ...process.env };
  let home: string;

  beforeEach(() => {
    // Keeps the SDK's own switches (AWS_SDK_JS_*): only credentials and profile settings go.
    for (const key of Object.keys(process.env)) if (key.startsWith('AWS_') && !key.startsWith('AWS_SDK_JS_')) delete process.env[key];
    home = mkdtempSync(join(tmpdir(), 'lakestep-creds-'));
    process.env.HOME = home;
  });
  afterEach(() => {
    restoreEnv(saved);
    rmSync(home, { recursive: true, force: true });
  });

  it('fails within seconds with an empty environment, naming what is missing', async () => {
    const began = Date.now();
    const res = await checkCredentials({ timeoutMs: 4000 });
    expect(Date.now() - began).toBeLessThan(5000);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.message).toContain('AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY');
    expect(res.message).toContain('AWS_PROFILE');
    expect(res.message).toContain(`${join(home, '.aws', 'credentials')} does not exist`);
    expect(res.message).toContain('aws sso login');
    expect(res.message).toContain('AWS_ROLE_ARN');
  });

  it('accepts keys from the environment', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAEXAMPLEEXAMPLE00';
    process.env.AWS_SECRET_ACCESS_KEY = 'example-secret';
    const res = await checkCredentials({ timeoutMs: 4000 });
    expect(res).toMatchObject({ ok: true, source: 'env' });
    expect(JSON.stringify(res)).not.toContain('example-secret');
  });

  it('names a half-set key pair', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAEXAMPLEEXAMPLE00';
    const res = await checkCredentials({ timeoutMs: 4000 });
    expect(res.ok).toBe(false);
    expect(!res.ok && res.message).toContain('AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not');
  });

  it('reads a profile from the shared credentials file', async () => {
    mkdirSync(join(home, '.aws'));
    writeFileSync(join(home, '.aws', 'credentials'), '[ops]\naws_access_key_id = AKIAEXAMPLEEXAMPLE01\naws_secret_access_key = s\n');
    process.env.AWS_PROFILE = 'ops';
    expect(await checkCredentials({ timeoutMs: 4000 })).toMatchObject({ ok: true, source: 'profile', profile: 'ops' });
  });

  it('names an unknown profile and whether the shared files exist', async () => {
    mkdirSync(join(home, '.aws'));
    writeFileSync(join(home, '.aws', 'credentials'), '[other]\naws_access_key_id = A\naws_secret_access_key = s\n');
    process.env.AWS_PROFILE = 'ghost';
    const res = await checkCredentials({ timeoutMs: 4000 });
    expect(res.ok).toBe(false);
    expect(!res.ok && res.message).toContain(`AWS_PROFILE=ghost did not give credentials (${join(home, '.aws', 'credentials')} exists`);
  });
});

describe('checkCredentials timeout', () => {
  it('gives up on a provider that hangs', async () => {
    const began = Date.now();
    const res = await checkCredentials({ timeoutMs: 100, resolve: () => new Promise(() => undefined) });
    expect(Date.now() - began).toBeLessThan(1000);
    expect(res.ok).toBe(false);
    expect(!res.ok && res.message).toContain('did not resolve within 100 ms');
  });
});
