/**
 * The incremental compile against a full compile, over random histories of the example platform: each
 * history flips edits of a catalog on and off (the change of one use case's files, a SQL file, platform.yaml,
 * an upstream's dag or migration, a share, a table owner, a syntax error, a use case added or removed, the environment
 * switched — and their reverts), compiling through one cache after every step. After each step the build, the diagnostics, the
 * quarantine and the summaries must be exactly those of a full compile of the same tree: a stale result
 * served by any stage's cache (per use case, the platform, the reads, the whole-platform memo) shows here,
 * whatever sequence of edits led to it. The cache is kept in memory or on disk (JSON or V8 entries), or on disk
 * behind the warm layer of `--watch` (src/cli/compile-cache.ts WarmCache: its entries frozen, so a compile that
 * changed a result it took from the cache would throw here).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DiskCache, WarmCache } from '../../src/cli/compile-cache.ts';
import { compile, compileStream, type CompileResult } from '../../src/compile.ts';
import { MemoryCache, type CompileCache } from '../../src/compile/cache.ts';
import { VERSION } from '../compile/support.ts';
import { CATALOG, EXAMPLE, treeOf } from './edits.ts';

/** The environments a step may switch to (`--env`: platform.dev.yaml or platform.prod.yaml over platform.yaml). */
const ENVS = [undefined, 'dev', 'prod'] as const;
type Env = (typeof ENVS)[number];
const envOption = (env: Env) => (env === undefined ? {} : { env });

/** Full compiles by tree and environment: histories revisit the same ones. */
const fulls = new Map<string, CompileResult>();
function fullOf(on: readonly boolean[], env: Env): CompileResult {
  const key = `${on.map((b) => (b ? '1' : '0')).join('')} ${env ?? ''}`;
  let r = fulls.get(key);
  if (!r) fulls.set(key, (r = compile(treeOf(on), { ...VERSION, ...envOption(env) })));
  return r;
}

/** Random histories by default a fixed sample; `RUNS=300 npx vitest run <this file>` explores more. */
const RUNS = Number(process.env.RUNS ?? 12);

const sorted = (files: ReadonlyMap<string, string>) => [...files].sort(([a], [b]) => (a < b ? -1 : 1));

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('incremental compile over random histories of edits', () => {
  it('every edit of the catalog applies, alone and with all the others', () => {
    for (let i = 0; i < CATALOG.length; i++) {
      const on = CATALOG.map((_, j) => j === i);
      expect(treeOf(on), CATALOG[i]!.name).not.toEqual(EXAMPLE);
    }
    expect(() => treeOf(CATALOG.map(() => true))).not.toThrow();
  });

  it('after every step, exactly what a full compile of the same tree makes', () => {
    // A step flips one edit of the catalog, or switches the environment.
    const step = fc.nat({ max: CATALOG.length + ENVS.length - 1 });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), fc.constantFrom('memory', 'disk', 'warm'), (steps, kind) => {
        let cache: CompileCache = new MemoryCache();
        if (kind !== 'memory') {
          const dir = mkdtempSync(join(tmpdir(), 'lakestep-incremental-property-'));
          dirs.push(dir);
          cache = kind === 'disk' ? new DiskCache(dir) : new WarmCache(dir);
        }
        const on = CATALOG.map(() => false);
        let env: Env;
        const history: string[] = ['the example'];
        // The first compile fills the cache; each step then compiles the tree it leads to through it.
        for (const s of [-1, ...steps]) {
          if (s >= CATALOG.length) {
            env = ENVS[s - CATALOG.length];
            history.push(`--env ${env ?? '(none)'}`);
          } else if (s >= 0) {
            on[s] = !on[s];
            history.push(`${on[s] ? '+' : '-'} ${CATALOG[s]!.name}`);
          }
          const files = new Map<string, string>();
          const r = compileStream(treeOf(on), { ...VERSION, ...envOption(env), cache, emit: (f) => files.set(f.path, f.text()) });
          const full = fullOf(on, env);
          const where = `${kind} cache, after: ${history.join(', ')}`;
          expect(sorted(files), where).toEqual(sorted(full.files));
          expect(r.diagnostics, where).toEqual(full.diagnostics);
          expect(r.quarantined, where).toEqual(full.quarantined);
          expect(r.limitsSummary, where).toBe(full.limitsSummary);
          expect(r.rulesSummary, where).toBe(full.rulesSummary);
          expect(r.loadUseCases(), where).toEqual(full.useCases);
        }
      }),
      { numRuns: RUNS, ...(process.env.RUNS ? {} : { seed: 21 }) },
    );
  }, 60_000 + RUNS * 2_000);
});
