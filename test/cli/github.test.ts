/**
 * validate and compile in a GitHub Actions run (GITHUB_ACTIONS=true): the diagnostics they print also as
 * workflow commands, which the run shows on the pull request's lines. The runner's own library
 * (@actions/core, the toolkit actions use) is the oracle for the commands' text and escaping.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.ts';
import { githubAnnotations } from '../../src/cli/print.ts';
import { folder, runCli } from './support.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../specs');

/** What @actions/core writes for `d` (it writes workflow commands to stdout). */
function toolkit(d: Diagnostic, file: string): string {
  const write = process.stdout.write;
  let out = '';
  process.stdout.write = ((s: string) => {
    out += s;
    return true;
  }) as typeof process.stdout.write;
  try {
    (d.severity === 'error' ? core.error : core.warning)(d.message, { title: d.code, file, startLine: d.line, startColumn: d.column });
  } finally {
    process.stdout.write = write;
  }
  return out.trimEnd();
}

function annotations(out: string): string[] {
  return out.split('\n').filter((l) => l.startsWith('::'));
}

describe('GitHub Actions annotations', () => {
  it('are the workflow commands the toolkit writes, special characters escaped', () => {
    const ds: Diagnostic[] = [
      { code: 'CODE', severity: 'error', message: "100% wrong: a, b\nnext line\r\n'x'", file: 'orders/a,b:c.yaml', line: 3, column: 7, pointer: '' },
      { code: 'W:1,2', severity: 'warning', message: '%0A stays text', file: 'platform.yaml', line: 1, column: 1, pointer: '' },
    ];
    const lines = githubAnnotations(ds, 'specs', '/repo/sub', '/repo').split('\n');
    expect(lines).toEqual([toolkit(ds[0]!, 'sub/specs/orders/a,b:c.yaml'), toolkit(ds[1]!, 'sub/specs/platform.yaml')]);
  });

  it('validate and compile print them in a run, with paths from the repository root; not elsewhere', async () => {
    const dir = folder();
    cpSync(EXAMPLE, join(dir, 'platform/specs'), { recursive: true });
    const click = join(dir, 'platform/specs/clickstream/orchestration.yaml');
    writeFileSync(click, readFileSync(click, 'utf8').replace('schedule: rate(15 minutes)', 'schedule: rate(7 minutes)'));
    mkdirSync(join(dir, 'platform/specs/broken'));
    writeFileSync(join(dir, 'platform/specs/broken/orchestration.yaml'), 'owner: b@acme.example\ndags: [unclosed\n');
    const cwd = join(dir, 'platform');
    const env = { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: dir };
    const validate = await runCli(['validate', 'specs', '--no-cache'], cwd, { env });
    expect(validate.code).toBe(1);
    const lines = annotations(validate.out);
    expect(lines).toContainEqual(expect.stringMatching(/^::warning title=SCHEDULE_RATE_UNALIGNED,file=platform\/specs\/clickstream\/orchestration\.yaml,line=\d+,col=\d+::rate\(7 minutes\)/));
    expect(lines).toContainEqual(expect.stringMatching(/^::error title=YAML_[A-Z_]+,file=platform\/specs\/broken\/orchestration\.yaml,line=\d+,col=\d+::/));
    // Each diagnostic printed is annotated once, and only those.
    expect(lines).toHaveLength(validate.err.split('\n').filter((l) => /^specs\/\S+:\d+:\d+ (error|warning) /.test(l)).length);
    const compile = await runCli(['compile', 'specs', '--out', 'build', '--no-cache'], cwd, { env });
    expect(annotations(compile.out)).toEqual(lines);
    // Outside a GitHub Actions run: none.
    expect(annotations((await runCli(['validate', 'specs', '--no-cache'], cwd)).out)).toEqual([]);
  });

  it('cannot be forged by a file name: no line of the output starts a command of its own', async () => {
    const dir = folder();
    cpSync(EXAMPLE, join(dir, 'specs'), { recursive: true });
    writeFileSync(join(dir, 'specs/orders/a\n::error file=x,line=1::pwned\n::stop-commands::t.yaml'), 'x: 1\n');
    const r = await runCli(['validate', 'specs', '--no-cache'], dir, { env: { GITHUB_ACTIONS: 'true' } });
    const lines = `${r.out}\n${r.err}`.split('\n');
    expect(lines.filter((l) => l.startsWith('::'))).toEqual([expect.stringMatching(/^::warning title=SPEC_UNUSED_FILE,file=specs\/orders\/a%0A%3A%3Aerror file=x%2Cline=1%3A%3Apwned%0A%3A%3Astop-commands%3A%3At\.yaml,line=1,col=1::/)]);
    expect(r.out).toContain('✓ specs/orders/a\\x0a::error file=x,line=1::pwned\\x0a::stop-commands::t.yaml  1 warning(s)');
  });

  it("of validate <file> are those it prints: the file's warnings and every error of the tree", async () => {
    const dir = folder();
    cpSync(EXAMPLE, join(dir, 'specs'), { recursive: true });
    const click = join(dir, 'specs/clickstream/orchestration.yaml');
    writeFileSync(click, readFileSync(click, 'utf8').replace('schedule: rate(15 minutes)', 'schedule: rate(7 minutes)'));
    const r = await runCli(['validate', 'specs/orders/orchestration.yaml', '--no-cache'], dir, { env: { GITHUB_ACTIONS: 'true' } });
    expect(r.code).toBe(0);
    expect(annotations(r.out)).toEqual([]);
    const own = await runCli(['validate', 'specs/clickstream', '--no-cache'], dir, { env: { GITHUB_ACTIONS: 'true' } });
    expect(annotations(own.out)).toEqual([expect.stringMatching(/^::warning title=SCHEDULE_RATE_UNALIGNED,file=specs\/clickstream\/orchestration\.yaml,/)]);
  });
});
