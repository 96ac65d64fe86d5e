/**
 * Properties of the compiler over generated spec trees (see arbitraries.ts):
 * valid trees compile cleanly into definitions both ASL validators accept, and
 * every state machine keeps its structural invariants.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/build/types.ts';
import { compileTree, expectValidAsl } from '../compile/support.ts';
import { specTree } from './arbitraries.ts';
import { danglingPlaceholders, graphProblems, stateNameProblems } from './invariants.ts';
import { manifestOf } from '../helpers/manifest.ts';

describe('generated valid trees', () => {
  it('compile without errors, every use case and dag, and pass both ASL validators', () => {
    fc.assert(
      fc.property(specTree(2, 3), (t) => {
        const r = compileTree(t.sources);
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(r.useCases.map((u) => u.name)).toEqual(t.useCases);
        const manifest = manifestOf(r.files);
        const workflows = new Map<string, Manifest['useCases'][number]['workflows'][number]>(manifest.useCases.flatMap((u) => u.workflows.map((w) => [`${u.name}/${w.name}`, w] as const)));
        for (const [key, ups] of t.dependsOn) {
          expect(r.files.has(`${key}.asl.json`), key).toBe(true);
          // Every dependency goes through the dispatcher's join: one route per distinct upstream, no machine of its own.
          expect(workflows.get(key)?.routes ?? [], `${key} routes`).toHaveLength(workflows.get(key)?.enabled ? new Set(ups).size : 0);
          expect(r.files.has(`${key}.join.asl.json`), `${key} join`).toBe(false);
        }
        expect(r.files.has('lakestep/dispatch.asl.json')).toBe(true);
        expectValidAsl(r.files);
      }),
      { numRuns: 10 },
    );
  }, 120_000);

  it('every state machine: targets exist, states reachable, names of at most 80 characters and unique, only known placeholders', () => {
    fc.assert(
      fc.property(specTree(3, 3), (t) => {
        const r = compileTree(t.sources);
        const manifest = manifestOf(r.files);
        const created = new Set(manifest.useCases.flatMap((u) => u.workflows.flatMap((w) => w.resources.datasync.flatMap((d) => ('placeholder' in d ? [d.placeholder] : [])))));
        for (const [path, text] of r.files) {
          if (path.endsWith('.asl.json')) expect([...graphProblems(JSON.parse(text)), ...stateNameProblems(JSON.parse(text))], path).toEqual([]);
          expect(danglingPlaceholders(text).filter((n) => !created.has(n)), path).toEqual([]);
        }
        for (const w of manifest.useCases.flatMap((u) => u.workflows)) {
          expect(w.dependsOn).toEqual(t.dependsOn.get(`${w.definition.split('/')[0]}/${w.name}`));
        }
      }),
      { numRuns: 50 },
    );
  });
});
