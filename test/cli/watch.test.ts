/**
 * `lakestep validate --watch` (src/cli/watch.ts) on a real folder, with real file-system events: a save
 * validates again, an editor's atomic save (a new file renamed over the old) too, every time; files the
 * reader never reads change nothing; an abort stops it with the last run's exit code.
 */
import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folder, runCli } from './support.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../specs');

/** Starts `validate --watch` on a copy of the example; `until` waits for the output to hold a match. */
function watching(extra: string[] = []) {
  const dir = folder();
  cpSync(EXAMPLE, join(dir, 'specs'), { recursive: true });
  const out: string[] = [];
  const err: string[] = [];
  const abort = new AbortController();
  const code = runCli(['validate', 'specs', '--watch', '--no-cache', ...extra], dir, { out: (t) => void out.push(t), err: (t) => void err.push(t), signal: abort.signal });
  const runs = () => out.join('\n').match(/validated in \d+ ms; watching specs/g)?.length ?? 0;
  const until = async (what: () => boolean, label: string) => {
    for (const start = Date.now(); !what(); ) {
      if (Date.now() - start > 30_000) throw new Error(`timed out waiting for ${label}:\n${out.join('\n')}\n${err.join('\n')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { dir, out, err, abort, code, runs, until };
}

describe('validate --watch', () => {
  it('validates again on every save, an atomic one too, and stops on abort with the last exit code', async () => {
    const w = watching();
    await w.until(() => w.out.join('\n').includes('watching specs (Ctrl-C to stop)'), 'the first run');
    expect(w.out.join('\n')).toMatch(/^25 files, 0 error\(s\), 0 warning\(s\)$/m);
    const processing = join(w.dir, 'specs/orders/processing.yaml');
    const good = readFileSync(processing, 'utf8');

    // A plain save that breaks the file.
    writeFileSync(processing, `${good}  - [unclosed\n`);
    await w.until(() => w.runs() >= 1, 'the run after a save');
    expect(w.out.join('\n')).toMatch(/\] orders\/processing\.yaml changed: validating again\n/);
    expect(w.err.join('\n')).toMatch(/^specs\/orders\/processing\.yaml:\d+:\d+ error YAML_/m);
    expect(w.out.at(-2)).toBe('\n25 files, 1 error(s), 0 warning(s)');

    // Atomic saves, as editors and sed -i write: a temporary file renamed over the spec, twice.
    for (const [n, text] of [[2, good], [3, `${good}  - [unclosed again\n`]] as const) {
      writeFileSync(`${processing}.tmp~`, text);
      renameSync(`${processing}.tmp~`, processing);
      await w.until(() => w.runs() >= n, `run ${n}, after an atomic save`);
    }
    const closing = w.out.filter((l) => /files, \d+ error/.test(l));
    expect(closing.slice(1)).toEqual(['\n25 files, 1 error(s), 0 warning(s)', '\n25 files, 0 error(s), 0 warning(s)', '\n25 files, 1 error(s), 0 warning(s)']);
    // After the first run, no file list.
    expect(w.out.slice(w.out.findIndex((l) => l.includes('watching specs'))).some((l) => /^[✓✘] /m.test(l))).toBe(false);

    w.abort.abort();
    expect((await w.code).code).toBe(1);
  });

  it('a file the reader never reads changes nothing; a removed use case is checked again', async () => {
    const w = watching();
    await w.until(() => w.out.join('\n').includes('watching specs (Ctrl-C to stop)'), 'the first run');
    writeFileSync(join(w.dir, 'specs/orders/notes.txt'), 'not a spec');
    writeFileSync(join(w.dir, 'specs/orders/.processing.yaml.swp'), 'x');
    rmSync(join(w.dir, 'specs/orders/.processing.yaml.swp'));
    rmSync(join(w.dir, 'specs/clickstream'), { recursive: true });
    await w.until(() => /^22 files, 0 error\(s\), \d+ warning\(s\)$/m.test(w.out.join('\n')), 'the run after the removal');
    const headers = w.out.filter((l) => l.includes('changed: validating again'));
    expect(headers.join('\n')).toContain('clickstream');
    expect(headers.join('\n')).not.toMatch(/notes\.txt|\.swp/);
    w.abort.abort();
    expect((await w.code).code).toBe(0);
  });

  it('a folder that cannot be validated any more is said, and watched on', async () => {
    const w = watching();
    await w.until(() => w.out.join('\n').includes('watching specs (Ctrl-C to stop)'), 'the first run');
    const platform = join(w.dir, 'specs/platform.yaml');
    const text = readFileSync(platform, 'utf8');
    for (const f of ['clickstream', 'customers', 'orders', 'payments']) rmSync(join(w.dir, 'specs', f), { recursive: true });
    for (const f of ['platform.yaml', 'platform.dev.yaml', 'platform.prod.yaml']) rmSync(join(w.dir, 'specs', f));
    await w.until(() => w.err.join('\n').includes('lakestep validate: no spec files in specs'), 'the usage error');
    writeFileSync(platform, text);
    await w.until(() => w.runs() >= 2 && /^1 files, \d+ error/m.test(w.out.join('\n')), 'the run after the platform is back');
    w.abort.abort();
    await w.code;
  });
});

describe('compile --watch', () => {
  it('compiles again on every save, rewriting the build where it changed', async () => {
    const dir = folder();
    cpSync(EXAMPLE, join(dir, 'specs'), { recursive: true });
    const out: string[] = [];
    const err: string[] = [];
    const abort = new AbortController();
    const code = runCli(['compile', 'specs', '--watch', '--out', 'build', '--cache-dir', 'cache'], dir, { out: (t) => void out.push(t), err: (t) => void err.push(t), signal: abort.signal });
    const until = async (what: () => boolean, label: string) => {
      for (const start = Date.now(); !what(); ) {
        if (Date.now() - start > 30_000) throw new Error(`timed out waiting for ${label}:\n${out.join('\n')}\n${err.join('\n')}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    await until(() => out.join('\n').includes('watching specs (Ctrl-C to stop)'), 'the first compile');
    const part = join(dir, 'build/clickstream/manifest.json');
    expect(readFileSync(part, 'utf8')).toContain('rate(15 minutes)');
    const orders = readFileSync(join(dir, 'build/orders/manifest.json'), 'utf8');
    const click = join(dir, 'specs/clickstream/orchestration.yaml');
    writeFileSync(click, readFileSync(click, 'utf8').replace('schedule: rate(15 minutes)', 'schedule: rate(30 minutes)'));
    await until(() => /compiled in \d+ ms; watching specs/.test(out.join('\n')), 'the compile after a save');
    expect(out.join('\n')).toMatch(/\] clickstream\/orchestration\.yaml changed: compiling again\n/);
    expect(readFileSync(part, 'utf8')).toContain('rate(30 minutes)');
    expect(readFileSync(join(dir, 'build/orders/manifest.json'), 'utf8')).toBe(orders);
    abort.abort();
    expect((await code).code).toBe(0);
  });
});
