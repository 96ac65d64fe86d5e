/**
 * No use case can take another's names: over the name grammar (use cases
 * `[a-z][a-z0-9]*`, dags `[a-z][a-z0-9_-]*`), no two dags of any two use cases,
 * nor a dag and a join machine, the platform stack or a platform S3 prefix, map
 * to the same state machine, rule, role or S3 prefix. Checked on the naming
 * functions over the grammar, and on whole compiled trees.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/build/types.ts';
import { JOIN_SUFFIX, RESERVED_USE_CASE_NAMES, routesPath, sparkJobRoleName, stateMachineName } from '../../src/naming.ts';
import { compileTree } from '../compile/support.ts';
import { manifestOf } from '../helpers/manifest.ts';

/** Small alphabets so that collisions would be likely if names were not injective. */
const useCase = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/).filter((n) => !RESERVED_USE_CASE_NAMES.has(n));
const dag = fc.stringMatching(/^[a-o][a-o0-9_-]{0,8}$/).filter((n) => !n.endsWith(JOIN_SUFFIX));
const PREFIX = 'acme';

/** Every name a dag takes, tagged by kind. S3 prefixes as in src/phases/runtime.ts and src/ir/ingestion.ts. */
function namesOf(uc: string, d: string, upstreams: [string, string][]): string[] {
  const machine = stateMachineName(PREFIX, uc, d);
  return [
    `machine:${machine}`,
    // One role per state machine, named after it by infra.
    `role:${machine}`,
    `s3:lakestep/${uc}/jobs/${d}/`,
    `s3:lakestep/results/${uc}/${d}/`,
    // Its routes: one SSM parameter per upstream.
    ...upstreams.map(([u, x]) => `ssm:${routesPath(PREFIX, stateMachineName(PREFIX, u, x))}/${machine}`),
  ];
}

/** What the platform names for itself (infra/platform/events-role.ts names the events role). */
const PLATFORM = new Set([`stack:${PREFIX}-platform`, `role:${PREFIX}-events`, 's3:lakestep/runtime/', 's3:lakestep/checkpoints/', 's3:lakestep/results/']);

/** Names one use case takes for all its dags: its upload prefix, its checkpoint prefix, its Spark job role. */
const perUseCase = (u: string) => [`s3:lakestep/${u}/`, `s3:lakestep/checkpoints/${u}/`, `role:${sparkJobRoleName(PREFIX, u)}`];

describe('generated names are injective', () => {
  it('over the name grammar: distinct dags never share a name, nor take a platform name', () => {
    const pair = fc.tuple(useCase, dag);
    fc.assert(
      fc.property(fc.uniqueArray(pair, { minLength: 2, maxLength: 30, selector: ([u, d]) => `${u}/${d}` }), (dags) => {
        const owner = new Map<string, string>();
        for (const [i, [u, d]] of dags.entries()) {
          const ups = dags.filter((_, j) => j !== i).slice(0, 2);
          const stack = `stack:${PREFIX}-${u}`;
          const shared = new Set(perUseCase(u));
          for (const name of [...new Set([...namesOf(u, d, ups), ...shared])]) {
            expect(PLATFORM.has(name), name).toBe(false);
            // No name of one use case is a prefix of a platform prefix or the other way round.
            for (const p of PLATFORM) if (p.startsWith('s3:') && name.startsWith('s3:')) expect(p.startsWith(name) || (name.startsWith(p) && !name.startsWith('s3:lakestep/checkpoints/') && !name.startsWith('s3:lakestep/results/')), `${name} / ${p}`).toBe(false);
            const key = shared.has(name) ? u : `${u}/${d}`;
            const prev = owner.get(name);
            // The per-use-case names are shared by that use case's own dags only.
            expect(prev === undefined || prev === key, `${name}: ${prev} and ${key}`).toBe(true);
            owner.set(name, key);
          }
          expect(PLATFORM.has(stack)).toBe(false);
        }
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('on compiled trees: state machines, join machines and rules are all distinct', () => {
    // Names that collided before: use case + dag splits, dag vs join machine.
    const tricky = fc.constantFrom('orders', 'ordersorders', 'o');
    const dagName = fc.constantFrom('orders-daily-report', 'daily-report', 'orders', 'upserts', 'upserts-join-x', 'a-after-b', 'a', 'b', 'notify-failure');
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(tricky, dagName), { minLength: 2, maxLength: 8, selector: ([u, d]) => `${u}/${d}` }), (dags) => {
        const files: Record<string, string> = { 'platform.yaml': `prefix: ${PREFIX}\n` };
        const byUc = new Map<string, string[]>();
        for (const [u, d] of dags) byUc.set(u, [...(byUc.get(u) ?? []), d]);
        for (const [u, ds] of byUc) {
          const lines = [`owner: ${u}@example.com`, 'dags:'];
          for (const [i, d] of ds.entries()) {
            const deps = ds.slice(0, i).slice(-2);
            lines.push(`  - name: ${d}`, '    type: transformation', '    schedule: rate(1 day)', `    spark: {entrypoint: s3://${PREFIX}-artifacts/${u}/${d}.py}`, '    notification: {on_success_callback: true}');
            if (deps.length) lines.push(`    depends_on: [${deps.join(', ')}]`);
          }
          files[`${u}/orchestration.yaml`] = lines.join('\n') + '\n';
        }
        const r = compileTree(files);
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const m = manifestOf(r.files);
        const machines = m.useCases.flatMap((u) => u.workflows.map((w) => w.stateMachineName));
        const routes = m.useCases.flatMap((u) => u.workflows.flatMap((w) => (w.routes ?? []).map((x) => x.Name)));
        expect(new Set(machines).size).toBe(machines.length);
        expect(new Set(routes).size).toBe(routes.length);
        expect(machines).not.toContain(`${PREFIX}-platform`);
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it.each([
    ['orders-orders', 'USE_CASE_NAME'],
    ['platform', 'USE_CASE_RESERVED'],
    ['runtime', 'USE_CASE_RESERVED'],
  ])('rejects the use-case name %s', (name, code) => {
    const r = compileTree({ [`${name}/orchestration.yaml`]: `owner: a@example.com\ndags:\n  - {name: j, type: transformation, spark: {entrypoint: s3://lakestep-artifacts/${name}/j.py}}\n` });
    expect(r.diagnostics.map((d) => d.code)).toContain(code);
    expect(r.useCases).toEqual([]);
  });

  it('rejects a dag name that would be a join machine name', () => {
    const r = compileTree({ 'orders/orchestration.yaml': 'owner: a@example.com\ndags:\n  - {name: upserts-join, type: transformation, spark: {entrypoint: s3://lakestep-artifacts/orders/j.py}}\n' });
    expect(r.diagnostics.map((d) => d.code)).toContain('DAG_NAME_RESERVED');
  });
});
