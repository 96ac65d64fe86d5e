/**
 * Same specs → byte-identical build (DESIGN §3), whatever order the files
 * arrive in, so CloudFormation never sees a spurious change.
 */
import { describe, expect, it } from 'vitest';
import { readSpecs } from '../../src/cli/io.ts';
import type { SourceFile } from '../../src/spec/files.ts';
import { GOLDEN_DIR } from '../golden/cases.ts';
import { compileTree, expectValidAsl } from './support.ts';

const sorted = (files: ReadonlyMap<string, string>) => [...files].sort(([a], [b]) => (a < b ? -1 : 1));

/** A fixed permutation (seeded), so a failure reproduces. */
function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const trees: [string, SourceFile[]][] = [
  ['dependencies', readSpecs(`${GOLDEN_DIR}dependencies/specs`)],
  ['quarantine', readSpecs(`${GOLDEN_DIR}quarantine/specs`)],
  ['spark-templates', readSpecs(`${GOLDEN_DIR}spark-templates/specs`)],
  ['the example platform', readSpecs(new URL('../../specs', import.meta.url).pathname)],
];

describe('compile() is deterministic', () => {
  it.each(trees)('%s: compiling twice gives byte-identical files', (_name, sources) => {
    const a = compileTree(sources);
    const b = compileTree(sources);
    expect(sorted(b.files)).toEqual(sorted(a.files));
    expect(a.files.size).toBeGreaterThanOrEqual(2);
    expectValidAsl(a.files);
  });

  it.each(trees)('%s: input order does not change any file', (_name, sources) => {
    const a = compileTree(sources);
    for (const order of [[...sources].reverse(), shuffle(sources, 7), shuffle(sources, 1234)]) {
      const b = compileTree(order);
      expect(sorted(b.files)).toEqual(sorted(a.files));
      expect(b.diagnostics).toEqual(a.diagnostics);
    }
  });

  it('the dependency tree compiles every workflow and the platform machines, and no join machine of its own', () => {
    const r = compileTree(trees[0]![1]);
    expect(r.diagnostics).toEqual([]);
    expect([...r.files.keys()].sort()).toEqual([
      'crm/customers.asl.json',
      'crm/join-report.asl.json',
      'crm/manifest.json',
      'crm/scores.asl.json',
      'lakestep/backfill.asl.json',
      'lakestep/dispatch.asl.json',
      'manifest.json',
      'report.json',
      'sales/clean.asl.json',
      'sales/extract.asl.json',
      'sales/manifest.json',
    ]);
  });
});
