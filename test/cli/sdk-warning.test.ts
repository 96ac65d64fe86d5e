/**
 * The installed CLI prints no AWS SDK Node.js support notice before the result
 * of an AWS command (a child process running the bundle in dist/).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { manifest } from '../ops/fixtures.ts';
import { folderWithBuild } from './support.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));

async function status(env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  const dir = folderWithBuild(manifest());
  const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _, ...rest } = process.env;
  // Fake keys and a closed local port: the call fails fast with ECONNREFUSED, after the client was created.
  const run = promisify(execFile)('node', [join(repo, 'bin/lakestep.mjs'), 'status', 'orders/orders-daily-report', '--account', '123456789012', '--build', join(dir, 'build')], {
    cwd: repo,
    env: { ...rest, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1', ...env },
  });
  return run.then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );
}

describe('the AWS SDK Node.js support notice', () => {
  it('is not printed by lakestep, and comes back when the variable is set to false', async () => {
    const quiet = await status({});
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toMatch(/^lakestep status: AWS call failed: /);
    expect(quiet.stderr).not.toContain('NodeVersionSupportWarning');
    if (Number(process.versions.node.split('.')[0]) < 22) {
      const loud = await status({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' });
      expect(loud.stderr).toContain('NodeVersionSupportWarning');
    }
  }, 60_000);
});
