/**
 * A use case's files never change another use case's build: whatever one team writes in its own folder (a database,
 * a secret, a table of another's, a folder name), every other use case compiles byte for byte as before, stays out of
 * quarantine, and keeps the location of its tables; the error is the intruder's. Each case takes the example specs,
 * adds one intruding change, and compares every other use case's files with the untouched compile.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpecs } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import type { SourceFile } from '../../src/spec/files.ts';
import { GOLDEN_DIR } from '../golden/cases.ts';

type Change = { add?: Record<string, string>; append?: Record<string, string> };

function changed(sources: readonly SourceFile[], change: Change): SourceFile[] {
  const out = sources.map((f) => (change.append?.[f.path] === undefined ? f : { path: f.path, text: f.text + change.append[f.path] }));
  for (const [path, text] of Object.entries(change.add ?? {})) out.push({ path, text });
  return out;
}

const build = (sources: readonly SourceFile[]) => compile(sources, { lakestepVersion: '0' });

/** Every file of `useCase` in a build (its workflows, jobs and manifest part). */
const filesOf = (files: ReadonlyMap<string, string>, useCase: string) => [...files].filter(([p]) => p.startsWith(`${useCase}/`)).sort(([a], [b]) => a.localeCompare(b));

function expectOthersUntouched(sources: readonly SourceFile[], change: Change, intruder: string, codes: string[]) {
  const before = build(sources);
  const after = build(changed(sources, change));
  const victims = before.useCases.map((u) => u.name).filter((u) => u !== intruder);
  expect(victims.length).toBeGreaterThan(0);
  // The intruder is told, at its own files.
  const own = after.diagnostics.filter((d) => d.severity === 'error' && d.file.startsWith(`${intruder}/`)).map((d) => d.code);
  for (const code of codes) expect(own).toContain(code);
  expect(after.quarantined.map((q) => q.useCase).sort()).toEqual([...new Set([...before.quarantined.map((q) => q.useCase), intruder])].sort());
  for (const victim of victims) {
    expect(after.diagnostics.filter((d) => d.severity === 'error' && d.useCase === victim), victim).toEqual([]);
    expect(filesOf(after.files, victim), victim).toEqual(filesOf(before.files, victim));
    // Where the victim's tables live (the grants of its roles follow from it).
    const tables = (m: typeof before.manifest) => Object.entries(m.tables).filter(([, t]) => t.owner === victim);
    expect(tables(after.manifest), victim).toEqual(tables(before.manifest));
  }
}

describe('one use case never changes another use case’s build', () => {
  const specs = readSpecs(join(import.meta.dirname, '..', '..', 'specs'));

  it('a database named after another use case is the error of the use case creating it, not of the one it names', () => {
    const migration =
      'database: orders\ntables:\n  - name: reports\n    layer: analytics\n    source: {hdfs_path: /warehouse/clickstream/reports, format: parquet}\n' +
      '    datasync: {task_arn: arn:aws:datasync:eu-west-1:123456789012:task/task-0f4e5f60718293a4b}\n    columns: [{name: id, type: bigint}]\n';
    expectOthersUntouched(
      specs,
      { append: { 'clickstream/orchestration.yaml': '\n  - name: clickstream-migration\n    type: migration\n' }, add: { 'clickstream/migration.yaml': migration } },
      'clickstream',
      ['DATABASE_NAMES_USE_CASE'],
    );
  });

  it('a disabled Kafka source into a database named after another use case is its own error too', () => {
    const source = '  - name: x\n    enabled: false\n    source: {bootstrap_servers_secret_arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:web/kafka-x", topics: [x]}\n    target: orders.x\n';
    expectOthersUntouched(specs, { append: { 'clickstream/ingestion.yaml': source } }, 'clickstream', ['DATABASE_NAMES_USE_CASE']);
  });

  it("naming another use case's secret is refused where platform.yaml gives it to its owner; a disabled source reads none", () => {
    const secret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:payments/payhub-oracle';
    const source = (enabled: boolean) =>
      `batch:\n  - name: x\n${enabled ? '' : '    enabled: false\n'}    source: {engine: oracle, secret_arn: "${secret}", table: T}\n    target: raw_clickstream.x\n    mode: append\n    columns: [{name: id, type: bigint}]\n`;
    // platform.yaml lists the secret for payments alone: clickstream naming it is refused, payments compiles.
    const owned = tail(specs, 'shared_secrets').map((f) => (f.path === 'platform.yaml' ? { path: f.path, text: `${f.text}\n  - arn: ${secret}\n    use_cases: [payments]\n` } : f));
    expectOthersUntouched(owned, { append: { 'clickstream/ingestion.yaml': source(true) } }, 'clickstream', ['SECRET_SHARED']);
    // A disabled source of clickstream reads nothing: naming the secret there is clickstream's error alone.
    expectOthersUntouched(specs, { append: { 'clickstream/ingestion.yaml': source(false) } }, 'clickstream', ['SECRET_SHARED']);
  });

  it('a quarantined use case naming a table another creates in SQL or a custom job leaves its location as it was', () => {
    // raw_clickstream.sessions is written by clickstream's custom job, whose files say nothing of where it lives.
    const source = 'micro_batch:\n  - name: evil\n    enabled: false\n    source: {bootstrap_servers_secret_arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:zzz", topics: [x]}\n    target: raw_clickstream.sessions\n';
    expectOthersUntouched(specs, { append: { 'payments/ingestion.yaml': source } }, 'payments', ['TABLE_NOT_OWNED']);
  });

  it('a use-case folder named after a shared DataSync task’s landing folder quarantines itself, not the platform', () => {
    const tree = readSpecs(join(GOLDEN_DIR, 'datasync-platform-task', 'specs'));
    const orchestration = 'owner: x@example.com\ndags:\n  - {name: hdfs-x, type: transformation, spark: {entrypoint: "s3://dpt-artifacts/hdfs/a.py"}}\n';
    expectOthersUntouched(tree, { add: { 'hdfs/orchestration.yaml': orchestration } }, 'hdfs', ['USE_CASE_RESERVED']);
  });

  it('a use-case folder named after a database platform.yaml gives another use case quarantines itself', () => {
    const orchestration = 'owner: x@example.com\ndags:\n  - {name: raw-x, type: transformation, spark: {entrypoint: "s3://acme-lake-artifacts/raw_orders/a.py"}}\n';
    // A use-case name has no '_': the database here is one a folder could name.
    const tree = specs.map((f) => (f.path === 'platform.yaml' ? { path: f.path, text: f.text.replace('\n  raw_orders:', '\n  raworders: {owner: orders}\n  raw_orders:') } : f));
    expectOthersUntouched(tree, { add: { 'raworders/orchestration.yaml': orchestration } }, 'raworders', ['USE_CASE_RESERVED']);
  });
});

/** `sources` with platform.yaml's list `field` moved to the end, so an appended entry joins it. */
function tail(sources: readonly SourceFile[], field: string): SourceFile[] {
  return sources.map((f) => {
    if (f.path !== 'platform.yaml') return f;
    const lines = f.text.split('\n');
    const start = lines.findIndex((l) => l.startsWith(`${field}:`));
    let end = start + 1;
    while (end < lines.length && (lines[end]!.startsWith(' ') || lines[end] === '')) end++;
    const block = lines.slice(start, end).join('\n').trimEnd();
    return { path: f.path, text: [...lines.slice(0, start), ...lines.slice(end)].join('\n').trimEnd() + '\n' + block };
  });
}

describe("an environment's use case never reaches another use case's prefix in the base environment's buckets", () => {
  const specs = readSpecs(join(import.meta.dirname, '..', '..', 'specs'));
  // The dev overlay declared the whole production landing bucket for orders.
  const broad = specs.map((f) =>
    f.path === 'platform.dev.yaml' ? { path: f.path, text: f.text.replace('  - prefix: s3://acme-lake-landing/orders/\n', '  - prefix: s3://acme-lake-landing/\n') } : f,
  );
  const withWrites = (writes: string) =>
    broad.map((f) => (f.path === 'orders/orchestration.yaml' ? { path: f.path, text: f.text.replace('writes: [s3://acme-lake-analytics/orders/reports/]', `writes: [s3://acme-lake-analytics/orders/reports/, ${writes}]`) } : f));

  it("refuses payments' production landing prefix to orders in dev, whatever external_locations declares", () => {
    expect(broad.find((f) => f.path === 'platform.dev.yaml')!.text).toContain('  - prefix: s3://acme-lake-landing/\n    use_cases: [orders]');
    expect(specs.find((f) => f.path === 'orders/orchestration.yaml')!.text).toContain('writes: [s3://acme-lake-analytics/orders/reports/]');
    const r = compile(withWrites('s3://acme-lake-landing/payments/'), { lakestepVersion: '0', env: 'dev' });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.file} ${d.code}`)).toEqual(['orders/orchestration.yaml SPARK_LOCATION']);
    expect(errors[0]!.message).toContain("platform.yaml's landing bucket, which environment 'dev' renames");
    expect(r.quarantined.map((q) => q.useCase)).toEqual(['orders']);
    // Its own prefix there stays reachable as declared (warned: production's data), and so is the platform's shared/.
    const own = compile(withWrites('s3://acme-lake-landing/orders/extra/'), { lakestepVersion: '0', env: 'dev' });
    expect(own.quarantined).toEqual([]);
  });
});
