/**
 * Shared by the compile, CLI, golden and property tests: spec trees as data,
 * compiling them, and checking every compiled definition with both ASL
 * validators. asl-validator compiles its schemas on every call (~0.1–1 s), so
 * results are cached by definition text: identical definitions are checked once.
 */
import { expect } from 'vitest';
import { compile, type CompileResult } from '../../src/compile.ts';
import type { SourceFile } from '../../src/spec/files.ts';
import { aslProblems, type AslProblems } from '../helpers/asl.ts';

export const VERSION = { lakestepVersion: '0.0.0-test' };

/** A platform whose EMR application runs in a VPC, as Kafka and JDBC sources need. */
export const VPC_PLATFORM = 'emr:\n  network:\n    subnet_ids: [subnet-0a1b2c3d4e5f60718]\n    security_group_ids: [sg-0d4e5f60718293a4b]\n';

/** An ingestion file with one Kafka `micro_batch` source, `clicks` (topic web.clicks → raw_feed.clicks); `extra` lines go before its target. */
export function kafkaIngestion(extra = ''): string {
  return `micro_batch:
  - name: clicks
    source:
      bootstrap_servers_secret_arn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:kafka-AbCdEf
      topics: [web.clicks]
${extra}    target: raw_feed.clicks
`;
}

/** `{ 'orders/orchestration.yaml': '...' }` → sources. */
export function tree(files: Record<string, string>): SourceFile[] {
  return Object.entries(files).map(([path, text]) => ({ path, text }));
}

export function compileTree(files: Record<string, string> | readonly SourceFile[]): CompileResult {
  return compile(Array.isArray(files) ? files : tree(files as Record<string, string>), VERSION);
}

const checked = new Map<string, AslProblems>();

/** Both validators' problems for one definition text (cached). */
export function problemsOf(text: string): AslProblems {
  let p = checked.get(text);
  if (!p) {
    p = aslProblems(JSON.parse(text));
    checked.set(text, p);
  }
  return p;
}

/** Asserts every `*.asl.json` (join machines included) passes both validators; returns how many there were. */
export function expectValidAsl(files: ReadonlyMap<string, string>): number {
  let n = 0;
  for (const [path, text] of files) {
    if (!path.endsWith('.asl.json')) continue;
    n++;
    expect(problemsOf(text), path).toEqual({ aslValidator: [], statelint: [] });
  }
  return n;
}

/** The files of one use case (`<use-case>/…`). */
export function filesOf(result: { files: ReadonlyMap<string, string> }, useCase: string): Map<string, string> {
  return new Map([...result.files].filter(([p]) => p.startsWith(`${useCase}/`)));
}

/**
 * A small valid orchestration file with custom-Spark dags of the use case named
 * by the owner's local part; entry points lie under its own prefix of the
 * artifacts bucket (`lakestep-artifacts` without a platform.yaml).
 */
export function sparkUseCase(owner: string, dags: { name: string; dependsOn?: string[]; schedule?: string; args?: string[] }[], artifacts = 'lakestep-artifacts'): string {
  const useCase = owner.split('@')[0]!;
  const lines = [`owner: ${owner}`, 'dags:'];
  for (const d of dags) {
    lines.push(`  - name: ${d.name}`, '    type: transformation');
    if (d.schedule) lines.push(`    schedule: ${d.schedule}`);
    if (d.dependsOn?.length) lines.push(`    depends_on: [${d.dependsOn.join(', ')}]`);
    lines.push('    spark:', `      entrypoint: s3://${artifacts}/${useCase}/jobs/${d.name}.py`);
    if (d.args) lines.push(`      arguments: ${JSON.stringify(d.args)}`);
  }
  return lines.join('\n') + '\n';
}
