/**
 * Starts `moto_server` from the pinned virtualenv on 127.0.0.1 and a free port, with
 * state machine execution enabled, and stops it again.
 * @see https://docs.getmoto.org/en/latest/docs/server_mode.html
 * @see https://docs.getmoto.org/en/latest/docs/services/stepfunctions.html
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface MotoServer {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** Path of the `moto` virtualenv, created from `test/setup/requirements-moto.txt` when missing or stale. */
export function motoVenv(): string {
  const r = spawnSync('bash', [join(ROOT, 'test/setup/python-env.sh'), 'moto'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`test/setup/python-env.sh moto failed with exit code ${r.status}`);
  return r.stdout.trim();
}

/** A port the kernel just handed out on 127.0.0.1 (closed again before moto binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts moto, waits until it answers, and turns on real execution of state machines. */
export async function startMoto(): Promise<MotoServer> {
  const venv = motoVenv();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(join(venv, 'bin/moto_server'), ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'us-east-1' },
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-20_000);
  });
  const stop = (): Promise<void> => stopChild(child);
  try {
    await waitUntilUp(endpoint, child, () => stderr);
    const res = await fetch(`${endpoint}/moto-api/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }),
    });
    if (!res.ok) throw new Error(`POST /moto-api/config answered ${res.status}`);
  } catch (e) {
    await stop();
    throw e;
  }
  return { endpoint, port, stop };
}

async function waitUntilUp(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${stderr()}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/config`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within 60 s: ${stderr()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
