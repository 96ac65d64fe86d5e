/**
 * The app run as cdk runs it: it prints nothing but its notices (no deprecation warning of the CDK's), and
 * leaves nothing in the temporary folder — the folders it writes for the CDK to stage as assets
 * (infra/platform/scratch.ts) go when the process exits, after the CDK copied them into cdk.out.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appContext, LEAN_CONTEXT } from '../../infra/app.ts';
import { CDK_APP } from '../../src/ops/deploy.ts';
import { compileToBuild, exampleSources } from './compiled.ts';

const REPO = join(import.meta.dirname, '../..');

/** What a process left in its temporary folder `temp`, but tsx's cache of compiled sources (tsx-<uid>, kept and reused by every run). */
function leftIn(temp: string): string[] {
  return readdirSync(temp).filter((f) => !/^tsx-\d+$/.test(f));
}

describe('synth in a process of its own', () => {
  it('warns of nothing, stages the starter and the Spark runtime into cdk.out and leaves the temporary folder empty', () => {
    const { buildDir } = compileToBuild(exampleSources());
    const temp = mkdtempSync(join(tmpdir(), 'lakestep-synth-tmp-'));
    const outdir = join(buildDir, 'cdk.out');
    const [node, ...args] = CDK_APP.split(' ');
    expect(node).toBe('node');
    const run = spawnSync(process.execPath, args, {
      cwd: REPO,
      env: { ...process.env, TMPDIR: temp, CDK_OUTDIR: outdir, LAKESTEP_BUILD_DIR: buildDir },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/deprecated|\[WARNING\]/i);
    expect(leftIn(temp)).toEqual([]);
    const assets = readdirSync(outdir).filter((f) => f.startsWith('asset.'));
    const staged = assets.flatMap((a) => (existsSync(join(outdir, a)) && !a.endsWith('.zip') ? readdirSync(join(outdir, a)) : []));
    expect(staged).toContain('index.mjs');
    expect(staged).toContain('lakestep.zip');
    expect(readFileSync(join(outdir, 'manifest.json'), 'utf8')).toContain('"acme-platform"');
    // LEAN_CONTEXT: no construct stack traces in the metadata, though cdk.json no longer says so.
    const metadata = readdirSync(outdir).filter((f) => f.endsWith('.metadata.json'));
    expect(metadata.length).toBeGreaterThan(0);
    // (CDK still writes an empty trace with each acknowledgement: "(no user code in 0 frames …)".)
    for (const f of metadata) expect(readFileSync(join(outdir, f), 'utf8')).not.toMatch(/\bat [^"]*\.[cm]?[jt]s:\d+:\d+/);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('removes its scratch folders when %s ends it, and dies of that signal', (signal) => {
    const temp = mkdtempSync(join(tmpdir(), 'lakestep-signal-tmp-'));
    const script = [
      "const { scratchDir } = await import('./infra/platform/scratch.ts');",
      "const { writeFileSync } = await import('node:fs');",
      "writeFileSync(scratchDir('lakestep-starter') + '/index.mjs', 'x');",
      `process.kill(process.pid, '${signal}');`,
      'setTimeout(() => {}, 10_000);',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO, env: { ...process.env, TMPDIR: temp }, encoding: 'utf8' });
    expect(run.signal, run.stderr).toBe(signal);
    expect(leftIn(temp)).toEqual([]);
  });

  it("removes a killed process's scratch folders when the next one makes its own, not a running process's nor a link", () => {
    const temp = mkdtempSync(join(tmpdir(), 'lakestep-kill-tmp-'));
    const make = (end: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', ["const { scratchDir } = await import('./infra/platform/scratch.ts');", "console.log(scratchDir('lakestep-starter'));", end].join('\n')], {
        cwd: REPO,
        env: { ...process.env, TMPDIR: temp },
        encoding: 'utf8',
      });
    // SIGKILL runs no code: the folder stays.
    const killed = make("process.kill(process.pid, 'SIGKILL');");
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const left = killed.stdout.trim().split('/').at(-1)!;
    expect(left).toMatch(new RegExp(`^lakestep-starter-${killed.pid}-`));
    expect(leftIn(temp)).toEqual([left]);
    // A folder of a process that runs (this one), and a link named like a dead process's folder.
    const alive = `lakestep-starter-${process.pid}-alive`;
    mkdirSync(join(temp, alive));
    const target = mkdtempSync(join(tmpdir(), 'lakestep-link-target-'));
    writeFileSync(join(target, 'keep'), 'x');
    symlinkSync(target, join(temp, `lakestep-starter-${killed.pid}-link`));
    const next = make('');
    expect(next.status, next.stderr).toBe(0);
    expect(leftIn(temp).sort()).toEqual([alive, `lakestep-starter-${killed.pid}-link`].sort());
    expect(readFileSync(join(target, 'keep'), 'utf8')).toBe('x');
  });

  it('finds no aws: context key in cdk.json, of which the CDK CLI warns on every synth', () => {
    const context = (JSON.parse(readFileSync(join(REPO, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
    expect(Object.keys(context).filter((k) => k.startsWith('aws:'))).toEqual([]);
    expect(appContext()).toMatchObject({ ...LEAN_CONTEXT, ...context });
  });
});
