/**
 * S3 grants stay inside each use case's own prefixes. A hostile use case names
 * the shared PySpark runtime and another use case's prefix in its custom job's
 * arguments and lands its migration on the artifacts bucket's `lakestep/`
 * prefix; a healthy one declares what its job reads and writes. Every S3 write
 * grant of every use-case stack (Spark job roles, DataSync destination roles) is
 * checked against the use case's own prefixes, from the synthesized templates.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/build/types.ts';
import type { CompileResult } from '../../src/compile.ts';
import type { SourceFile } from '../../src/spec/files.ts';
import { compileToBuild } from './compiled.ts';
import { type Synthesized, synthesize } from './synth.ts';
import { manifestOf } from '../helpers/manifest.ts';

const BUCKETS = { landing: 'acme-landing', raw: 'acme-raw', process: 'acme-process', analytics: 'acme-analytics', artifacts: 'acme-artifacts' };
const PLATFORM = `prefix: acme\nregion: eu-west-1\nbuckets: ${JSON.stringify(BUCKETS)}\n`;

const TREE: SourceFile[] = [
  { path: 'platform.yaml', text: PLATFORM },
  {
    path: 'grab/orchestration.yaml',
    text: [
      'owner: grab@acme.example',
      'dags:',
      '  - {name: grab-migration, type: migration}',
      '  - name: grab-report',
      '    type: transformation',
      '    spark:',
      '      entrypoint: s3://acme-artifacts/grab/jobs/report.py',
      '      arguments: [--runtime, s3://acme-artifacts/lakestep/runtime/, --theirs, s3://acme-analytics/victim/reports/]',
      '',
    ].join('\n'),
  },
  {
    path: 'grab/migration.yaml',
    text: [
      'database: raw_grab',
      'landing: s3://acme-artifacts/lakestep/',
      'tables:',
      '  - name: t',
      '    source: {hdfs_path: /warehouse/t, format: csv}',
      '    datasync: {location: {hostname: nn.acme.internal, agent_arns: [arn:aws:datasync:eu-west-1:123456789012:agent/agent-0123456789abcdef0]}}',
      '    columns: [{name: s, type: int}]',
      '',
    ].join('\n'),
  },
  {
    path: 'victim/orchestration.yaml',
    text: 'owner: victim@acme.example\ndags:\n  - name: victim-report\n    type: transformation\n    spark: {entrypoint: s3://acme-artifacts/victim/jobs/report.py}\n',
  },
];

/** The tree with a healthy use case whose job declares what it reads and writes. */
const WITH_DECLARED: SourceFile[] = [
  ...TREE,
  {
    path: 'clean/orchestration.yaml',
    text: [
      'owner: clean@acme.example',
      'dags:',
      '  - {name: clean-migration, type: migration}',
      '  - name: clean-report',
      '    type: transformation',
      '    spark:',
      '      entrypoint: s3://acme-artifacts/clean/jobs/report.py',
      '      arguments: [--out, "s3://acme-analytics/clean/reports/dt={{ ds }}/"]',
      '      reads: [s3://acme-landing/clean/drops/, s3://acme-artifacts/shared/lookups/]',
      '      writes: [s3://acme-analytics/clean/reports/]',
      '',
    ].join('\n'),
  },
  // Its own landing prefix (the default): the DataSync destination role writes there only.
  { path: 'clean/migration.yaml', text: TREE.find((f) => f.path === 'grab/migration.yaml')!.text.replace('raw_grab', 'raw_clean').replace('landing: s3://acme-artifacts/lakestep/\n', '') },
];

/** `bucket/key` of every S3 object ARN an IAM statement allowing `actions` names, by stack. */
function s3Grants(s: Synthesized, actions: RegExp): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (stack: string, doc: { Statement?: { Effect: string; Action: string | string[]; Resource: unknown }[] }) => {
    for (const st of doc.Statement ?? []) {
      if (st.Effect !== 'Allow' || ![st.Action].flat().some((a) => actions.test(a))) continue;
      for (const m of JSON.stringify(st.Resource).matchAll(/:s3:::([^"*]+\/[^"*]*)\*?"/g)) out.set(stack, [...(out.get(stack) ?? []), m[1]!]);
    }
  };
  for (const [stack, t] of s.json) {
    for (const r of Object.values(t.Resources)) {
      if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') visit(stack, r.Properties!.PolicyDocument);
      if (r.Type === 'AWS::IAM::Role') for (const p of r.Properties?.Policies ?? []) visit(stack, p.PolicyDocument);
    }
  }
  return out;
}

/** What a use case may write: its own prefixes, its keys under lakestep/, its databases' table data. */
function ownPrefixes(useCase: string, databases: string[]): string[] {
  return [
    ...Object.values(BUCKETS).map((b) => `${b}/${useCase}/`),
    `${BUCKETS.artifacts}/lakestep/results/${useCase}/`,
    `${BUCKETS.artifacts}/lakestep/checkpoints/${useCase}/`,
    ...databases.flatMap((db) => [...[BUCKETS.raw, BUCKETS.process, BUCKETS.analytics].map((b) => `${b}/${db}/`), `${BUCKETS.raw}/${db}.db/`]),
  ];
}

describe('S3 locations of specs', () => {
  let result: CompileResult;
  let s: Synthesized;
  let manifest: Manifest;

  beforeAll(() => {
    const built = compileToBuild(WITH_DECLARED);
    result = built.result;
    manifest = manifestOf(result.files);
    s = synthesize(built.buildDir);
  }, 240_000);

  it('refuse the runtime prefix and another use case’s prefix, where they are written', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual([
      'grab/migration.yaml:2:10 MIGRATION_LANDING_LOCATION',
      'grab/orchestration.yaml:8:30 SPARK_LOCATION',
      'grab/orchestration.yaml:8:79 SPARK_LOCATION',
    ]);
    expect(result.useCases.map((u) => u.name)).toEqual(['clean', 'victim']);
  });

  it('grant each use case S3 writes only under its own prefixes, in every stack', () => {
    const grants = s3Grants(s, /^s3:(PutObject|DeleteObject|\*|Put|Delete)/);
    expect([...grants.keys()].sort()).toEqual(['acme-clean', 'acme-victim']);
    // The DataSync destination role of the clean migration, on its default landing prefix.
    expect(grants.get('acme-clean')).toContain(`${BUCKETS.landing}/clean/t/`);
    for (const [stack, keys] of grants) {
      const useCase = stack.replace(/^acme-/, '').replace(/-\d+$/, '');
      if (useCase === 'platform') continue;
      const databases = [...new Set(manifest.useCases.find((u) => u.name === useCase)!.workflows.flatMap((w) => Object.keys(w.access).map((t) => t.split('.')[0]!)))];
      const own = ownPrefixes(useCase, databases);
      for (const key of keys) expect(own.some((p) => key.startsWith(p)), `${stack}: ${key}`).toBe(true);
    }
  });

  it('grant a custom job its declared prefixes — reads read-only — and nothing from its arguments', () => {
    const writes = s3Grants(s, /^s3:(PutObject|DeleteObject)$/).get('acme-clean') ?? [];
    const reads = s3Grants(s, /^s3:GetObject$/).get('acme-clean') ?? [];
    expect(writes).toContain(`${BUCKETS.analytics}/clean/reports/`);
    expect(writes.filter((k) => !k.startsWith(`${BUCKETS.artifacts}/lakestep/`) && !k.startsWith(`${BUCKETS.landing}/clean/t/`) && !k.includes('raw_clean'))).toEqual([`${BUCKETS.analytics}/clean/reports/`]);
    expect(reads).toEqual(expect.arrayContaining([`${BUCKETS.artifacts}/shared/lookups/`, `${BUCKETS.artifacts}/clean/jobs/report.py`]));
    // The declared read below the landing is granted by the migration's landing prefix, read-only.
    const drops = `${BUCKETS.landing}/clean/drops/`;
    expect(reads.some((k) => drops.startsWith(k))).toBe(true);
    expect(writes.some((k) => drops.startsWith(k))).toBe(false);
  });
});
