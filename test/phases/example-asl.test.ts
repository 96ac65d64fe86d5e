/**
 * Every state machine compiled from the example platform — all five workflow
 * kinds and the join machine — passes both ASL validators.
 */
import { describe, expect, it } from 'vitest';
import { readSpecs } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { aslProblems } from '../helpers/asl.ts';

describe('the example platform', () => {
  const result = compile(readSpecs('specs'), { lakestepVersion: '0.0.0-test' });
  const definitions = [...result.files].filter(([path]) => path.endsWith('.asl.json'));

  it('compiles every use case, with every workflow kind, the dispatcher and no join machine', () => {
    expect(result.quarantined).toEqual([]);
    const kinds = new Set(result.manifest.useCases.flatMap((u) => u.workflows.map((w) => w.kind)));
    expect([...kinds].sort()).toEqual(['ingestion', 'maintenance', 'migration', 'processing', 'spark']);
    expect(definitions.map(([path]) => path)).toContain('lakestep/dispatch.asl.json');
    expect(definitions.filter(([path]) => path.endsWith('.join.asl.json'))).toEqual([]);
  });

  it.each(definitions.map(([path]) => path))('%s passes asl-validator and statelint', (path) => {
    expect(aslProblems(JSON.parse(result.files.get(path)!))).toEqual({ aslValidator: [], statelint: [] });
  });
});
