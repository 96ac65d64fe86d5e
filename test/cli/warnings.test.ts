/**
 * What validate and compile print of a large platform's warnings (src/cli/warnings.ts): every error always;
 * past WARNING_LIMIT warnings, those not seen yet, and a count of the others by code.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.ts';
import { selectDiagnostics, warningKey, WARNING_LIMIT } from '../../src/cli/warnings.ts';
import { folder, runCli } from './support.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../specs');

/** The example plus use case `noisy`: `dags` workflows on an unaligned rate, one SCHEDULE_RATE_UNALIGNED warning each. */
function noisyTree(dags: number): string {
  const dir = folder({ 'specs/noisy/orchestration.yaml': noisy(dags) });
  cpSync(EXAMPLE, join(dir, 'specs'), { recursive: true });
  return dir;
}

function noisy(dags: number, rate = 44): string {
  const lines = ['owner: noisy@acme.example', 'dags:'];
  for (let i = 0; i < dags; i++) {
    lines.push(`  - name: noisy-${String(i).padStart(3, '0')}`, '    type: transformation', `    schedule: rate(${rate} minutes)`, '    spark:', '      entrypoint: s3://acme-lake-artifacts/noisy/job.py');
  }
  return lines.join('\n') + '\n';
}

/** The warnings printed in full (their first line), by file. */
function printed(err: string): string[] {
  return err.split('\n').filter((l) => /^specs\/\S+:\d+:\d+ warning /.test(l));
}

function countLine(err: string): string | undefined {
  return err.split('\n').find((l) => /warning\(s\) \(/.test(l));
}

describe('the warnings of a large platform', () => {
  it(`validate prints ${WARNING_LIMIT} warnings in full and counts the rest by code; --all-warnings prints every one`, async () => {
    const dir = noisyTree(WARNING_LIMIT + 20);
    const r = await runCli(['validate', 'specs', '--no-cache'], dir);
    expect(r.code).toBe(0);
    expect(printed(r.err)).toHaveLength(WARNING_LIMIT);
    expect(countLine(r.err)).toBe('… and 20 more warning(s) (20 SCHEDULE_RATE_UNALIGNED): lakestep validate --all-warnings prints every one');
    expect(r.out).toContain(`0 error(s), ${WARNING_LIMIT + 20} warning(s)`);
    const all = await runCli(['validate', 'specs', '--no-cache', '--all-warnings'], dir);
    expect(printed(all.err)).toHaveLength(WARNING_LIMIT + 20);
    expect(countLine(all.err)).toBeUndefined();
  });

  it(`prints every warning while there are at most ${WARNING_LIMIT}, however often it runs`, async () => {
    const dir = noisyTree(WARNING_LIMIT);
    for (let i = 0; i < 2; i++) {
      const r = await runCli(['compile', 'specs', '--out', 'build', '--cache-dir', 'cache'], dir);
      expect(printed(r.err)).toHaveLength(WARNING_LIMIT);
      expect(countLine(r.err)).toBeUndefined();
    }
  });

  it('compile prints the warnings not seen yet: new ones and those of the use cases compiled again; errors always', async () => {
    const dir = noisyTree(WARNING_LIMIT + 20);
    const compile = () => runCli(['compile', 'specs', '--out', 'build', '--cache-dir', 'cache'], dir);
    const cold = await compile();
    expect(printed(cold.err)).toHaveLength(WARNING_LIMIT);
    expect(countLine(cold.err)).toBe('… and 20 more warning(s) (20 SCHEDULE_RATE_UNALIGNED): build/report.json lists every one; --all-warnings prints them');
    const report = JSON.parse(readFileSync(join(dir, 'build/report.json'), 'utf8')) as { diagnostics: Diagnostic[] };
    expect(report.diagnostics.filter((d) => d.severity === 'warning')).toHaveLength(WARNING_LIMIT + 20);

    // Nothing changed: every warning was reported by the last run, in a use case compiled no more.
    const again = await compile();
    expect(printed(again.err)).toEqual([]);
    expect(countLine(again.err)).toBe(`${WARNING_LIMIT + 20} warning(s) (${WARNING_LIMIT + 20} SCHEDULE_RATE_UNALIGNED), reported before (their use cases unchanged since): build/report.json lists every one; --all-warnings prints them`);

    // Another use case gets a warning: that one is printed, the others counted.
    const orchestration = join(dir, 'specs/clickstream/orchestration.yaml');
    writeFileSync(orchestration, readFileSync(orchestration, 'utf8').replace('schedule: rate(15 minutes)', 'schedule: rate(7 minutes)'));
    const other = await compile();
    expect(printed(other.err)).toEqual([expect.stringMatching(/^specs\/clickstream\/orchestration\.yaml:\d+:\d+ warning SCHEDULE_RATE_UNALIGNED rate\(7 minutes\)/)]);
    expect(countLine(other.err)).toMatch(new RegExp(`^… and ${WARNING_LIMIT + 20} more warning\\(s\\) \\(${WARNING_LIMIT + 20} SCHEDULE_RATE_UNALIGNED\\), reported before`));

    // The noisy use case itself is edited: its warnings are printed again, as many as the limit allows.
    writeFileSync(join(dir, 'specs/noisy/orchestration.yaml'), noisy(WARNING_LIMIT + 20, 43));
    const edited = await compile();
    expect(printed(edited.err)).toHaveLength(WARNING_LIMIT);
    expect(printed(edited.err).every((l) => l.includes('rate(43 minutes)'))).toBe(true);
    expect(countLine(edited.err)).toBe('… and 21 more warning(s) (21 SCHEDULE_RATE_UNALIGNED), 1 of them reported before (their use cases unchanged since): build/report.json lists every one; --all-warnings prints them');

    // An error is printed whatever else is cut short.
    writeFileSync(orchestration, `${readFileSync(orchestration, 'utf8')}\n  - [unclosed\n`);
    const broken = await compile();
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/^specs\/clickstream\/orchestration\.yaml:\d+:\d+ error /m);
    expect(printed(broken.err).length).toBeLessThanOrEqual(WARNING_LIMIT);
  });

  it('a remembered list that does not read back (garbled, another shape) counts as none: every warning is new', async () => {
    const dir = noisyTree(WARNING_LIMIT + 20);
    const compile = () => runCli(['compile', 'specs', '--out', 'build', '--cache-dir', 'cache'], dir);
    await compile();
    for (const garbage of ['{"not":"a list"}', '[1,2,3]', '\u0000\u00ff', '']) {
      writeFileSync(join(dir, 'cache/warnings.reported'), garbage);
      const r = await compile();
      expect(printed(r.err), garbage).toHaveLength(WARNING_LIMIT);
      expect(JSON.parse(readFileSync(join(dir, 'cache/warnings.reported'), 'utf8'))).toHaveLength(WARNING_LIMIT + 20);
    }
  });

  it('--strict with errors writes no report, so the count points at --all-warnings only', async () => {
    const dir = noisyTree(WARNING_LIMIT + 5);
    const orchestration = join(dir, 'specs/clickstream/orchestration.yaml');
    writeFileSync(orchestration, `${readFileSync(orchestration, 'utf8')}\n  - [unclosed\n`);
    const r = await runCli(['compile', 'specs', '--out', 'build', '--no-cache', '--strict'], dir);
    expect(r.code).toBe(1);
    expect(countLine(r.err)).toMatch(/: --all-warnings prints them$/);
    expect(r.err).toMatch(/^--strict: \d+ error\(s\); nothing written to build$/m);
  });
});

describe('selectDiagnostics', () => {
  const warning = (useCase: string | undefined, line: number): Diagnostic => ({
    code: 'W',
    severity: 'warning',
    message: `w${line}`,
    file: useCase === undefined ? 'platform.yaml' : `${useCase}/orchestration.yaml`,
    line,
    column: 1,
    pointer: '',
    ...(useCase === undefined ? {} : { useCase }),
  });
  const many = (useCase: string, n: number) => Array.from({ length: n }, (_, i) => warning(useCase, i + 1));

  it('shows a warning the last run did not report even in a use case it reused (a platform-wide check)', () => {
    const old = many('a', WARNING_LIMIT + 1);
    const fresh = warning('b', 1);
    const result = { diagnostics: [...old, fresh], reused: { platform: true, scanned: [], normalized: [], assembled: ['a', 'b'], cross: { scanned: true, facts: true } } };
    const s = selectDiagnostics(result, new Set(old.map(warningKey)), false);
    expect(s.shown).toEqual([fresh]);
    expect(s.hidden).toEqual({ warnings: old, known: old.length });
    expect(s.keys).toEqual(new Set([...old, fresh].map(warningKey)));
  });

  it("shows platform.yaml's warnings when the platform was read again, and counts them while it was reused", () => {
    const ws = [...many('a', WARNING_LIMIT), warning(undefined, 1)];
    const reused = (platform: boolean) => ({ diagnostics: ws, reused: { platform, scanned: [], normalized: [], assembled: ['a'], cross: { scanned: true, facts: true } } });
    const keys = new Set(ws.map(warningKey));
    expect(selectDiagnostics(reused(false), keys, false).shown).toEqual([warning(undefined, 1)]);
    expect(selectDiagnostics(reused(true), keys, false).shown).toEqual([]);
  });

  it('without a cache every warning is new: the first ones up to the limit', () => {
    const ws = many('a', WARNING_LIMIT + 3);
    const s = selectDiagnostics({ diagnostics: ws, reused: { platform: false, scanned: [], normalized: [], assembled: [], cross: { scanned: false, facts: false } } }, undefined, false);
    expect(s.shown).toEqual(ws.slice(0, WARNING_LIMIT));
    expect(s.hidden).toEqual({ warnings: ws.slice(WARNING_LIMIT), known: 0 });
  });
});
