/**
 * `lakestep compile` into one build folder with its cache on disk, over random histories that mix edits of
 * the specs (test/property/edits.ts) with damage to what the compile keeps between runs: a generated file
 * edited by hand or deleted, a use case's IR deleted from the cache, an entry cut short, the platform memo
 * and the verified reads garbled. After every step the build folder holds exactly the files a full compile
 * of the same tree makes: nothing stale, nothing missing, nothing left over from a removed use case.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILD_MARKER } from '../../src/cli/build-dir.ts';
import { lakestepVersion } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { runCli, folder } from '../cli/support.ts';
import { readTree } from '../golden/cases.ts';
import { CATALOG, treeOf } from './edits.ts';

interface Damage {
  name: string;
  /** Damages the build folder or the cache of the folder `dir`. */
  apply(dir: string): void;
}

/** The first file of `sub` (sorted) whose name passes `test`, if any. */
function first(dir: string, test: (name: string) => boolean): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return undefined;
  }
  const name = names.filter(test).sort()[0];
  return name === undefined ? undefined : join(dir, name);
}

const DAMAGE: Damage[] = [
  { name: 'a state machine edited by hand', apply: (dir) => withFile(first(join(dir, 'build'), (n) => n.endsWith('.asl.json')), (p) => appendFileSync(p, ' ')) },
  { name: 'a job document deleted', apply: (dir) => withFile(first(join(dir, 'build'), (n) => n.includes('/jobs/')), (p) => rmSync(p)) },
  { name: "a use case's manifest part deleted", apply: (dir) => withFile(first(join(dir, 'build'), (n) => n.endsWith('/manifest.json')), (p) => rmSync(p)) },
  { name: 'an IR deleted from the cache', apply: (dir) => withFile(first(join(dir, 'cache'), (n) => n.endsWith('.ir')), (p) => rmSync(p)) },
  { name: 'a cache entry cut short', apply: (dir) => withFile(first(join(dir, 'cache'), (n) => n.endsWith('.entry')), (p) => writeFileSync(p, readFileSync(p).subarray(0, 100))) },
  {
    name: 'the platform memo and the verified reads garbled',
    apply: (dir) => {
      for (const n of ['platform.cross', 'reads.verified', 'platform.loaded']) withFile(join(dir, 'cache', n), (p) => writeFileSync(p, '{"format": 4}'));
    },
  },
];

function withFile(path: string | undefined, f: (path: string) => void): void {
  if (path === undefined) return;
  try {
    f(path);
  } catch {
    // Not there (yet): nothing to damage.
  }
}

function writeSpecs(dir: string, on: readonly boolean[]): void {
  rmSync(join(dir, 'specs'), { recursive: true, force: true });
  for (const f of treeOf(on)) {
    const p = join(dir, 'specs', f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.text);
  }
}

/** Full compiles by tree: histories revisit the same trees. */
const fulls = new Map<string, Map<string, string>>();
function fullOf(on: readonly boolean[]): Map<string, string> {
  const key = on.map((b) => (b ? '1' : '0')).join('');
  let r = fulls.get(key);
  if (!r) fulls.set(key, (r = compile(treeOf(on), { lakestepVersion: lakestepVersion() }).files));
  return r;
}

const sorted = (files: ReadonlyMap<string, string>) => [...files].sort(([a], [b]) => (a < b ? -1 : 1));

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Random histories by default a fixed sample; `RUNS=100 npx vitest run <this file>` explores more. */
const RUNS = Number(process.env.RUNS ?? 6);

describe('lakestep compile into one build folder over random histories of edits and damage', () => {
  it('after every step, the build folder holds exactly what a full compile makes', async () => {
    // A step flips one edit of the catalog, or damages the build or the cache.
    const step = fc.nat({ max: CATALOG.length + DAMAGE.length - 1 });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 5 }), async (steps) => {
        const dir = folder();
        dirs.push(dir);
        const on = CATALOG.map(() => false);
        const history: string[] = ['the example'];
        for (const s of [-1, ...steps]) {
          if (s >= CATALOG.length) {
            DAMAGE[s - CATALOG.length]!.apply(dir);
            history.push(`damage: ${DAMAGE[s - CATALOG.length]!.name}`);
          } else if (s >= 0) {
            on[s] = !on[s];
            history.push(`${on[s] ? '+' : '-'} ${CATALOG[s]!.name}`);
          }
          writeSpecs(dir, on);
          const r = await runCli(['compile', 'specs', '--out', 'build', '--cache-dir', 'cache'], dir);
          const where = `after: ${history.join(', ')}`;
          // 1 when a use case is quarantined (its errors printed); anything else is a crash.
          expect([0, 1], `${where}\n${r.err}`).toContain(r.code);
          const built = readTree(join(dir, 'build'));
          built.delete(BUILD_MARKER);
          expect(sorted(built), where).toEqual(sorted(fullOf(on)));
        }
      }),
      { numRuns: RUNS, ...(process.env.RUNS ? {} : { seed: 5 }) },
    );
  }, 60_000 + RUNS * 5_000);
});
