import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { INPUTS_HASH_OUTPUT, platformInputsHash, SHARD_OUTPUT, USE_CASE_OUTPUT, useCaseInputsHash, DEFAULT_SPARK_DIR } from '../../infra/inputs-hash.ts';
import { loadBuild } from '../../infra/manifest.ts';
import { sparkAccess } from '../../infra/usecase/spark-access.ts';
import { compileToBuild, exampleSources } from './compiled.ts';
import { synthesize, type Synthesized } from './synth.ts';

// The example platform synthesized whole, and with a selection of its use cases as
// `lakestep deploy` asks for the changed ones (context `lakestep:use-cases`).
let buildDir: string;
let full: Synthesized;
const texts = (s: Synthesized) => new Map(s.assembly.stacks.map((st) => [st.stackName, readFileSync(st.templateFullPath, 'utf8')]));
let fullTexts: Map<string, string>;

beforeAll(() => {
  buildDir = compileToBuild(exampleSources()).buildDir;
  full = synthesize(buildDir, { nagChecks: false, lean: true, outdir: join(buildDir, 'cdk.out.full') });
  fullTexts = texts(full);
}, 300_000);

describe('a selection of use cases', () => {
  it('builds only the selected use cases, with templates byte-identical to a full synth', () => {
    const one = synthesize(buildDir, { nagChecks: false, lean: true, useCases: ['orders'], outdir: join(buildDir, 'cdk.out.orders') });
    const oneTexts = texts(one);
    expect([...oneTexts.keys()].sort()).toEqual(['acme-orders', 'acme-platform']);
    // The platform stack is built for the references; it deploys only from a whole app.
    expect(oneTexts.get('acme-orders')).toBe(fullTexts.get('acme-orders'));
  }, 300_000);

  it('keeps the platform exports when no use case is selected', () => {
    const none = synthesize(buildDir, { nagChecks: false, lean: true, useCases: [], outdir: join(buildDir, 'cdk.out.none') });
    expect([...none.json.keys()]).toEqual(['acme-platform']);
    const outputs = (s: Synthesized) => (s.json.get('acme-platform') as { Outputs?: Record<string, { Export?: { Name: string } }> }).Outputs ?? {};
    expect(outputs(none)).toEqual(outputs(full));
    // Every value a use-case stack imports is exported whatever the selection.
    const exported = new Set(Object.values(outputs(none)).flatMap((o) => (o.Export ? [o.Export.Name] : [])));
    const imported = [...fullTexts.values()].flatMap((t) => [...t.matchAll(/"Fn::ImportValue": "([^"]+)"/g)].map((m) => m[1]));
    expect(imported.length).toBeGreaterThan(0);
    for (const name of imported) expect(exported, name).toContain(name);
  }, 300_000);

  it('refuses a use case that is not compiled', () => {
    expect(() => synthesize(buildDir, { nagChecks: false, lean: true, useCases: ['nope'], outdir: join(buildDir, 'cdk.out.nope') })).toThrow(
      'use case(s) nope selected but not compiled',
    );
  });
});

describe('inputs hash outputs', () => {
  it('stamps each stack with the hash of its inputs, its use case and its shard', () => {
    const build = loadBuild(buildDir);
    const outputs = (stack: string) => (full.json.get(stack) as unknown as { Outputs: Record<string, { Value: string }> }).Outputs;
    for (const uc of build.manifest.useCases) {
      const o = outputs(`acme-${uc.name}`);
      expect(o[USE_CASE_OUTPUT]!.Value).toBe(uc.name);
      expect(o[INPUTS_HASH_OUTPUT]!.Value).toBe(useCaseInputsHash(build, uc));
      expect(o[SHARD_OUTPUT]!.Value).toBe('1/1');
    }
    expect(outputs('acme-platform')[INPUTS_HASH_OUTPUT]!.Value).toBe(platformInputsHash(build, DEFAULT_SPARK_DIR));
  });
});

describe('what a use-case stack is built from', () => {
  it("changes when another use case adds a table to a database it writes whole, as its role's grants do", () => {
    const platform = exampleSources().find((f) => f.path === 'platform.yaml')!;
    // 40 tables of an undeclared database: over the per-table budget, alpha writes the whole database.
    const writes = Array.from({ length: 40 }, (_, i) => `xdb.t${String(i + 1).padStart(2, '0')}`).join(', ');
    const spark = (uc: string, w: string) => `owner: t@example.com\ndags:\n  - name: ${uc}-job\n    type: transformation\n    spark: {entrypoint: "s3://acme-lake-artifacts/${uc}/jobs/job.py", writes: [${w}]}\n`;
    const alpha = [platform, { path: 'alpha/orchestration.yaml', text: spark('alpha', writes) }];
    const before = loadBuild(compileToBuild(alpha).buildDir);
    const after = loadBuild(compileToBuild([...alpha, { path: 'beta/orchestration.yaml', text: spark('beta', 'xdb.beta_table') }]).buildDir);
    const ucOf = (b: typeof before) => b.manifest.useCases.find((u) => u.name === 'alpha')!;
    expect(after.manifest.tables!['xdb.beta_table']!.owner).toBe('beta');
    // The premise: beta's table takes the whole-database write away from alpha's role.
    const access = (b: typeof before) => sparkAccess(b.manifest.platform, ucOf(b), b.manifest.tables);
    expect(JSON.stringify(access(after))).not.toBe(JSON.stringify(access(before)));
    expect(JSON.stringify(ucOf(after))).toBe(JSON.stringify(ucOf(before)));
    // So alpha's stack counts as changed, and lakestep deploy deploys it.
    expect(useCaseInputsHash(after, ucOf(after), 'code')).not.toBe(useCaseInputsHash(before, ucOf(before), 'code'));
  });
});
