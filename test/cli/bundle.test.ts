/**
 * What each command loads from the bundle in dist/ (rebuilt by the global setup):
 * the static import closure of its chunk, that is what node evaluates before the
 * command runs. `--version` and `--help` load the dispatcher only; validate and
 * compile load no AWS SDK, CDK, simulator or schema compiler.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeDigests, codeId } from '../../src/cli/code-id.ts';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

/** Files (in dist/) and packages a chunk loads before it runs, transitively through static imports. */
function closure(file: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (f: string) => {
    if (files.has(f)) return;
    files.add(f);
    // esbuild writes each static import as a top-level `import … from "x";` statement.
    for (const m of readFileSync(dist + f, 'utf8').matchAll(/^import\s[^;]*?from\s*"([^"]+)";|^import\s*"([^"]+)";/gm)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('./')) visit(spec.slice(2));
      else if (!spec.startsWith('node:')) packages.add(spec);
    }
  };
  visit(file);
  return { files, packages };
}

const chunkOf = (command: string): string => readdirSync(dist).find((f) => f.startsWith(`${command}-`) && f.endsWith('.js'))!;
const code = (files: Set<string>): string => [...files].map((f) => readFileSync(dist + f, 'utf8')).join('\n');
const bytes = (files: Set<string>): number => [...files].reduce((n, f) => n + statSync(dist + f).size, 0);

describe('the CLI bundle', () => {
  it('the dispatcher (--version, --help) loads no package and under 100 KB', () => {
    const { files, packages } = closure('lakestep.js');
    expect([...packages]).toEqual([]);
    expect(bytes(files)).toBeLessThan(100_000);
  });

  it('validate and compile load yaml only: no AWS SDK, CDK, simulator or esbuild, nor the schema compiler', () => {
    const { files, packages } = closure(chunkOf('commands'));
    expect([...packages].sort()).toEqual(['yaml']);
    // The spec validators are ajv's standalone code, generated at build time; they require ajv's small runtime helpers only.
    const text = code(files);
    expect([...text.matchAll(/require\d*\("(ajv[^"]*)"\)/g)].map((m) => m[1]).sort()).toEqual(['ajv/dist/runtime/equal', 'ajv/dist/runtime/ucs2length']);
    expect(text).not.toMatch(/new Ajv\b/);
  });

  it('the SQL grammar builds its prediction tables on first use, not when the bundle loads', async () => {
    const text = code(closure(chunkOf('commands')).files);
    expect(text).toMatch(/var SparkSqlParser = class\b/);
    expect(text).not.toMatch(/\.decisionsToDFA = |static decisionsToDFA = /);
    // The bundle still reads SQL: the example's SQL files, with no cache to answer for them.
    const r = await promisify(execFile)('node', ['bin/lakestep.mjs', 'validate', 'specs', '--no-cache'], { cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    expect(r.stderr).toBe('');
  });

  it('the simulator loads with the commands that simulate', () => {
    expect([...closure(chunkOf('simulation')).packages]).toEqual(expect.arrayContaining(['aws-local-stepfunctions', 'dynalite']));
  });

  it("carries the digests of the code it was built from, those the sources compute, for the compile cache's keys and deploy's hashes", () => {
    const digests = codeDigests(fileURLToPath(new URL('../..', import.meta.url)));
    expect(codeId('compiler')).toBe(digests.compiler);
    expect(codeId('app')).toBe(digests.app);
    expect(digests.app).not.toBe(digests.compiler);
    for (const command of ['commands', 'operate']) expect(code(closure(chunkOf(command)).files)).toContain(`{ compiler: "${digests.compiler}", app: "${digests.app}" }`);
  });
});
