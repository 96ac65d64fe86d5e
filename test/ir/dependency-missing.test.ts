/**
 * DEPENDENCY_MISSING (src/ir/dependency-missing.ts): a dag that reads a table
 * another dag writes must run after it. Compiled from specs for the phases that
 * read today (merges), and from hand-built workflows for reads of any origin
 * (SQL statements, custom Spark jobs): the check knows only the access list.
 */
import { describe, expect, it } from 'vitest';
import { readSpecs } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { Report, type Origin } from '../../src/diagnostics.ts';
import { checkMissingDependencies } from '../../src/ir/dependency-missing.ts';
import { useCaseFacts } from '../../src/ir/facts.ts';
import type { TableAccessKind, UseCase, Workflow, WorkflowBody } from '../../src/ir/types.ts';
import { compileTree } from '../compile/support.ts';

const PLATFORM = 'prefix: dm\nregion: eu-west-1\nemr:\n  network: {subnet_ids: [subnet-0a1b2c3d4e5f60718], security_group_ids: [sg-0d4e5f60718293a4b]}\n';
/** Each use case's own database secret: a secret named by two use cases is refused unless platform.yaml shares it. */
const secretOf = (target: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${target.split('.')[0]!.replace(/_/g, '-')}-AbCdEf`;

/** An ingestion file writing `target` from PostgreSQL (creating it). */
const jdbc = (target: string) =>
  `batch:\n  - name: load\n    source: {engine: postgresql, secret_arn: "${secretOf(target)}", table: public.t}\n    target: ${target}\n    mode: append\n    columns:\n      - {name: id, type: bigint, nullable: false}\n`;
/** A processing file of one merge per source. */
const merges = (...sources: string[]) => `merges:\n${sources.map((s, i) => `  - name: m${i}\n    target: proc_x.t${i}_${s.replace('.', '_')}\n    source: ${s}\n    keys: [id]\n`).join('')}`;
/** An orchestration file: `dags` as `name: type [deps] [config]`. */
function orchestration(dags: { name: string; type: string; dependsOn?: string[]; config?: string; schedule?: string }[]): string {
  const lines = ['owner: team@example.com', 'dags:'];
  for (const d of dags) {
    lines.push(`  - name: ${d.name}`, `    type: ${d.type}`);
    if (d.config) lines.push(`    config: ${d.config}`);
    if (d.schedule) lines.push(`    schedule: ${d.schedule}`);
    if (d.dependsOn) lines.push(`    depends_on: [${d.dependsOn.join(', ')}]`);
  }
  return lines.join('\n') + '\n';
}

/** Adds to each processing file a SQL file that creates its merge targets (a merge into a table nothing creates is an error). */
function withTargetsCreated(files: Record<string, string>): Record<string, string> {
  const out = { ...files };
  for (const [path, text] of Object.entries(files)) {
    const m = /^(\w+)\/processing\.yaml$/.exec(path);
    if (!m || text.includes('\nsql:')) continue;
    const targets = [...text.matchAll(/target: (\S+)/g)].map((t) => t[1]!);
    out[path] = `${text}sql:\n  - file: sql/targets.sql\n`;
    out[`${m[1]}/sql/targets.sql`] = targets.map((t) => `CREATE TABLE IF NOT EXISTS ${t} (id BIGINT) USING iceberg;\n`).join('');
  }
  return out;
}

const missing = (files: Record<string, string>) => compileTree({ 'platform.yaml': PLATFORM, ...withTargetsCreated(files) }).diagnostics.filter((d) => d.code === 'DEPENDENCY_MISSING');

/** `shop` ingests raw_shop.orders every hour. */
const SHOP = {
  'shop/orchestration.yaml': orchestration([{ name: 'load', type: 'ingestion', schedule: 'cron(0 * * * ? *)' }]),
  'shop/ingestion.yaml': jdbc('raw_shop.orders'),
};

describe('DEPENDENCY_MISSING from specs', () => {
  it('warns at the read of a dag of the same use case that does not run after the writer, with the line to add', () => {
    const ds = missing({
      ...SHOP,
      'shop/orchestration.yaml': orchestration([
        { name: 'load', type: 'ingestion', schedule: 'cron(0 * * * ? *)' },
        { name: 'clean', type: 'transformation', schedule: 'cron(30 * * * ? *)' },
      ]),
      'shop/processing.yaml': merges('raw_shop.orders'),
    });
    expect(ds).toEqual([
      {
        code: 'DEPENDENCY_MISSING',
        severity: 'warning',
        message:
          "'clean' reads raw_shop.orders, which 'shop/load' writes, without running after it: a run can read the table while the writer is still writing it. To run it after the writer, give dag 'clean' (shop/orchestration.yaml:6) depends_on: [load]",
        file: 'shop/processing.yaml',
        line: 2,
        column: 5,
        pointer: '/merges/0',
        useCase: 'shop',
      },
    ]);
  });

  it('warns across use cases, keeping the reader’s own upstreams in the line; once per table read', () => {
    const ds = missing({
      ...SHOP,
      'crm/orchestration.yaml': orchestration([
        { name: 'load', type: 'ingestion', schedule: 'cron(0 2 * * ? *)' },
        { name: 'scores', type: 'transformation', dependsOn: ['load'] },
      ]),
      'crm/ingestion.yaml': jdbc('raw_crm.customers'),
      // Two merges read the same table: one warning, at the first.
      'crm/processing.yaml': merges('raw_shop.orders', 'raw_shop.orders', 'raw_crm.customers'),
    });
    expect(ds.map((d) => [d.file, d.line, d.useCase])).toEqual([['crm/processing.yaml', 2, 'crm']]);
    expect(ds[0]!.message).toContain("which 'shop/load' writes");
    expect(ds[0]!.message).toMatch(/depends_on: \[load, shop\/load\]$/);
  });

  it('leaves out a writer on a schedule of another cadence: a daily reader of an hourly merge', () => {
    const files = (schedule: string) => ({
      ...SHOP,
      'shop/orchestration.yaml': orchestration([
        { name: 'load', type: 'ingestion', schedule: 'cron(0 * * * ? *)' },
        { name: 'clean', type: 'transformation', schedule },
      ]),
      'shop/processing.yaml': merges('raw_shop.orders'),
    });
    expect(missing(files('cron(0 6 * * ? *)'))).toEqual([]);
    expect(missing(files('rate(1 day)'))).toEqual([]);
    // The same cadence at another minute still races the writer.
    expect(missing(files('rate(1 hour)')).map((d) => d.useCase)).toEqual(['shop']);
    // A writer without a schedule runs at its upstream's cadence: hourly after load.
    const chained = (schedule: string) => ({
      ...SHOP,
      'shop/orchestration.yaml': orchestration([
        { name: 'load', type: 'ingestion', schedule: 'cron(0 * * * ? *)' },
        { name: 'clean', type: 'transformation', dependsOn: ['load'] },
      ]),
      'shop/processing.yaml': merges('raw_shop.orders'),
      'bi/orchestration.yaml': orchestration([{ name: 'report', type: 'transformation', schedule }]),
      'bi/processing.yaml': merges('proc_x.t0_raw_shop_orders'),
    });
    expect(missing(chained('cron(0 6 * * ? *)'))).toEqual([]);
    expect(missing(chained('cron(15 * * * ? *)')).map((d) => [d.useCase, d.message.match(/which '([^']+)'/)?.[1]])).toEqual([['bi', 'shop/clean']]);
  });

  it('names every writer the reader does not run after, in one warning', () => {
    const ds = missing({
      ...SHOP,
      'shop/orchestration.yaml': orchestration([
        { name: 'load', type: 'ingestion', schedule: 'cron(0 * * * ? *)' },
        { name: 'backfill', type: 'ingestion', config: 'backfill.yaml' },
        { name: 'clean', type: 'transformation' },
      ]),
      'shop/backfill.yaml': jdbc('raw_shop.orders').replace('name: load', 'name: old'),
      'shop/processing.yaml': merges('raw_shop.orders'),
    });
    expect(ds.map((d) => d.message)).toEqual([
      "'clean' reads raw_shop.orders, which 'shop/load' and 'shop/backfill' write, without running after them: a run can read the table while they are still writing it. To run it after them, give dag 'clean' (shop/orchestration.yaml:9) depends_on: [load, backfill]",
    ]);
  });

  it('is satisfied by an upstream chain, across use cases, and through a dag of a quarantined use case', () => {
    const chain = {
      ...SHOP,
      'mid/orchestration.yaml': orchestration([{ name: 'relay', type: 'ingestion', dependsOn: ['shop/load'] }]),
      'mid/ingestion.yaml': jdbc('raw_mid.other'),
      'bi/orchestration.yaml': orchestration([{ name: 'report', type: 'transformation', dependsOn: ['mid/relay'] }]),
      'bi/processing.yaml': merges('raw_shop.orders'),
    };
    expect(missing(chain)).toEqual([]);
    // mid breaks: its dag still orders bi after shop (the chain is read from its orchestration file).
    const broken = compileTree({ 'platform.yaml': PLATFORM, ...withTargetsCreated(chain), 'mid/ingestion.yaml': jdbc('raw_mid.other').replace('mode: append', 'mode: sideways') });
    expect(broken.quarantined.map((q) => q.useCase)).toEqual(['mid']);
    expect(broken.diagnostics.filter((d) => d.code === 'DEPENDENCY_MISSING')).toEqual([]);
    // Without the chain, the same read is warned.
    expect(missing({ ...chain, 'bi/orchestration.yaml': orchestration([{ name: 'report', type: 'transformation' }]) }).map((d) => d.useCase)).toEqual(['bi']);
  });

  it('leaves out a writer in a quarantined use case until it compiles again, and a reader in one', () => {
    const files = {
      ...SHOP,
      'bi/orchestration.yaml': orchestration([{ name: 'report', type: 'transformation' }]),
      'bi/processing.yaml': merges('raw_shop.orders'),
    };
    const badSchedule = { 'shop/orchestration.yaml': orchestration([{ name: 'load', type: 'ingestion', schedule: 'rate(1 minutes)' }]) };
    const writerBroken = compileTree({ 'platform.yaml': PLATFORM, ...withTargetsCreated(files), ...badSchedule });
    expect(writerBroken.quarantined.map((q) => q.useCase)).toEqual(['shop']);
    expect(writerBroken.diagnostics.filter((d) => d.code === 'DEPENDENCY_MISSING')).toEqual([]);
    expect(missing(files).map((d) => d.useCase)).toEqual(['bi']);

    const readerBroken = compileTree({ 'platform.yaml': PLATFORM, ...withTargetsCreated(files), 'bi/orchestration.yaml': orchestration([{ name: 'report', type: 'transformation', schedule: 'rate(1 minutes)' }]) });
    expect(readerBroken.quarantined.map((q) => q.useCase)).toEqual(['bi']);
    expect(readerBroken.diagnostics.filter((d) => d.code === 'DEPENDENCY_MISSING')).toEqual([]);
  });

  it('does not count migrations, maintenance (hard delete included) or a stream that never ends; a micro-batch counts', () => {
    const kafka = (mode: string) =>
      `micro_batch:\n  - name: events\n    source: {bootstrap_servers_secret_arn: "${secretOf("raw_shop.events")}", topics: [shop.events]}\n    target: raw_shop.events\n    mode: ${mode}\n    columns:\n      - {name: id, type: bigint, nullable: false}\n      - {name: ts, type: timestamp, nullable: false}\n`;
    const files = (mode: string) => ({
      'shop/orchestration.yaml': orchestration([
        { name: 'migrate', type: 'migration' },
        { name: 'stream', type: 'ingestion', schedule: 'rate(15 minutes)' },
        { name: 'upkeep', type: 'maintenance' },
        { name: 'clean', type: 'transformation' },
      ]),
      'shop/migration.yaml':
        'database: raw_shop\ntables:\n  - name: history\n    source: {hdfs_path: /h, format: parquet}\n    datasync: {task_arn: arn:aws:datasync:eu-west-1:123456789012:task/task-0123456789abcdef0}\n    columns:\n      - {name: id, type: bigint, nullable: false}\n      - {name: ts, type: timestamp, nullable: false}\n',
      'shop/ingestion.yaml': kafka(mode),
      'shop/maintenance.yaml': 'schedule: rate(1 day)\ntables:\n  - table: raw_shop.history\n    rewrite_data_files: {}\n    hard_delete: {column: ts, older_than: 3y}\n',
      'shop/processing.yaml': merges('raw_shop.history', 'raw_shop.events'),
    });
    expect(missing(files('streaming'))).toEqual([]);
    expect(missing(files('micro_batch')).map((d) => [d.pointer, d.message.split(',')[0]])).toEqual([['/merges/1', "'clean' reads raw_shop.events"]]);
  });

  it('does not ask a reader to wait for a writer that runs after it (that would be a cycle)', () => {
    expect(
      missing({
        ...SHOP,
        'shop/orchestration.yaml': orchestration([
          { name: 'clean', type: 'transformation', schedule: 'cron(0 * * * ? *)' },
          { name: 'load', type: 'ingestion', dependsOn: ['clean'] },
        ]),
        'shop/processing.yaml': merges('raw_shop.orders'),
      }),
    ).toEqual([]);
  });

  it('finds none in the example platform', () => {
    const result = compile(readSpecs('specs'), { lakestepVersion: '0.0.0-test' });
    expect(result.quarantined).toEqual([]);
    expect(result.diagnostics.filter((d) => d.code === 'DEPENDENCY_MISSING')).toEqual([]);
  });
});

describe('DEPENDENCY_MISSING over any access list', () => {
  const at = (file: string, line: number): Origin => ({ file, line, column: 3, pointer: '' });
  const wf = (useCase: string, name: string, body: WorkflowBody, dependsOn: string[] = []): Workflow => ({
    useCase,
    name,
    type: 'transformation',
    stateMachineName: `x-${useCase}-${name}`,
    tags: [],
    notification: { onSuccess: false, onFailure: true, emails: [] },
    dependsOn: dependsOn.map((r) => ({ useCase: r.split('/')[0]!, dag: r.split('/')[1]!, origin: at(`${useCase}/orchestration.yaml`, 9) })),
    retries: 0,
    timeoutSeconds: 60,
    enabled: true,
    logicalDate: 'interval',
    body,
    configFile: `${useCase}/orchestration.yaml`,
    origin: at(`${useCase}/orchestration.yaml`, 4),
  });
  const table = (fqn: string) => ({ database: fqn.split('.')[0]!, table: fqn.split('.')[1]! });
  const spark = (reads: string[], writes: string[]): WorkflowBody => ({
    kind: 'spark',
    spark: {
      entrypoint: 's3://b/job.py',
      reads: { tables: reads.map((t) => ({ table: table(t), origin: at('x/orchestration.yaml', 20) })), paths: [] },
      writes: { tables: writes.map((t) => ({ table: table(t), origin: at('x/orchestration.yaml', 21) })), paths: [] },
      arguments: [],
      sparkSubmitParameters: '',
      timeoutSeconds: 60,
      origin: at('x/orchestration.yaml', 19),
    },
  });
  const sql = (uses: [string, TableAccessKind[], number][]): WorkflowBody => ({
    kind: 'processing',
    processing: {
      merges: [],
      sql: [{ name: 'q', file: 'bi/sql/q.sql', text: '', params: [], quality: [], origin: at('bi/processing.yaml', 3), declared: [], statements: [{ index: 1, text: '', origin: at('bi/sql/q.sql', 1), uses: uses.map(([t, kinds, line]) => ({ table: table(t), kinds, origin: at('bi/sql/q.sql', line) })) }] }],
      origin: at('bi/processing.yaml', 1),
    },
  });
  const useCase = (name: string, workflows: Workflow[]): UseCase => ({ name, owner: 'o', specHash: 'h', files: [], workflows });
  const check = (useCases: UseCase[], upstreams: Record<string, string[]> = {}) => {
    const report = new Report();
    checkMissingDependencies({ useCases: useCases.map(useCaseFacts), upstreams: (ref) => upstreams[ref] ?? [] }, report);
    return report.diagnostics.map((d) => `${d.file}:${d.line} ${d.message.split(':')[0]}`);
  };

  it('warns at the SQL statement that reads what a custom Spark job writes; not at the tables the statement writes', () => {
    const writer = useCase('lake', [wf('lake', 'sessions', spark(['raw.clicks'], ['proc.sessions']))]);
    const reader = useCase('bi', [wf('bi', 'report', sql([['proc.sessions', ['read'], 7], ['bi.daily', ['create', 'write'], 2]]))]);
    expect(check([writer, reader])).toEqual(["bi/sql/q.sql:7 'report' reads proc.sessions, which 'lake/sessions' writes, without running after it"]);
    expect(check([writer, reader], { 'bi/report': ['lake/sessions'] })).toEqual([]);
  });

  it('counts a Spark job that only creates a table as no writer of its rows, and a reader reading its own output as none', () => {
    const creator = useCase('lake', [wf('lake', 'ddl', sql([['proc.t', ['create'], 1]]))]);
    const self = useCase('bi', [wf('bi', 'merge', sql([['proc.t', ['read', 'write', 'update'], 4]]))]);
    expect(check([creator, useCase('x', [wf('x', 'r', spark(['proc.t'], []))])])).toEqual([]);
    expect(check([self])).toEqual([]);
  });
});
