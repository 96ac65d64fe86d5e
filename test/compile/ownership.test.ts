/**
 * Table ownership: the use case that creates a table owns it; another use case
 * that writes or maintains it without the owner's `share:` is the one
 * quarantined, at the position of its target.
 */
import { describe, expect, it } from 'vitest';
import { compileTree } from './support.ts';
import { manifestOf } from '../helpers/manifest.ts';

const PLATFORM = 'prefix: acme\nregion: eu-west-1\nemr:\n  network: {subnet_ids: [subnet-0a1b2c3d4e5f60718], security_group_ids: [sg-0d4e5f60718293a4b]}\n' +
  // The sources of several use cases read one secret here.
  'shared_secrets:\n  - {arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:k-AbCdEf", use_cases: [a, aaa, b, orders, web, zzz]}\n  - {arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:j-AbCdEf", use_cases: [a, aaa, b, orders, web, zzz]}\n';

function orchestration(dags: [string, string][], extra = ''): string {
  return `owner: t@example.com\ndags:\n${dags.map(([n, t]) => `  - {name: ${n}, type: ${t}}\n`).join('')}${extra}`;
}

const MIGRATION = `database: raw_orders
tables:
  - name: orders
    source: {hdfs_path: /w/orders, format: parquet}
    datasync: {task_arn: arn:aws:datasync:eu-west-1:123456789012:task/task-0a1b2c3d4e5f60718}
    columns: [{name: order_id, type: bigint}, {name: updated_at, type: timestamp}]
`;

/** A Kafka source of JSON records with the columns of MIGRATION's table, so that it may land in it. */
const kafka = (target: string) =>
  `micro_batch:\n  - name: k\n    source: {bootstrap_servers_secret_arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:k-AbCdEf", topics: [t]}\n    target: ${target}\n    trigger: available_now\n    columns: [{name: order_id, type: bigint}, {name: updated_at, type: timestamp}]\n`;

const jdbc = (target: string, columns = '') =>
  `batch:\n  - name: j\n    source: {engine: postgresql, secret_arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:j-AbCdEf", table: public.t}\n    target: ${target}\n    mode: overwrite\n${columns}`;

const errors = (r: ReturnType<typeof compileTree>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`);
const compiled = (r: ReturnType<typeof compileTree>) => r.useCases.map((u) => u.name);

describe('table ownership', () => {
  const orders = { 'orders/orchestration.yaml': orchestration([['mig', 'migration'], ['maint', 'maintenance']]), 'orders/migration.yaml': MIGRATION, 'orders/maintenance.yaml': 'tables:\n  - {table: raw_orders.orders, hard_delete: {column: updated_at, older_than: 5y}}\n' };

  it("quarantines the writer of another use case's table, not the owner, and keeps the owner's columns", () => {
    const r = compileTree({ 'platform.yaml': PLATFORM, ...orders, 'web/orchestration.yaml': orchestration([['ing', 'ingestion']]), 'web/ingestion.yaml': kafka('raw_orders.orders') });
    expect(errors(r)).toEqual(['TABLE_NOT_OWNED web/ingestion.yaml:4:13']);
    expect(compiled(r)).toEqual(['orders']);
  });

  it.each([
    ['a merge target', { 'web/orchestration.yaml': orchestration([['p', 'transformation']]), 'web/processing.yaml': 'merges:\n  - {target: raw_orders.orders, source: raw_web.x, keys: [order_id]}\n' }, 'web/processing.yaml:2:14'],
    ['a JDBC target without columns', { 'web/orchestration.yaml': orchestration([['ing', 'ingestion']]), 'web/ingestion.yaml': jdbc('raw_orders.orders') }, 'web/ingestion.yaml:4:13'],
    ['a maintenance table', { 'web/orchestration.yaml': orchestration([['m', 'maintenance']]), 'web/maintenance.yaml': 'tables:\n  - {table: raw_orders.orders, expire_snapshots: {}}\n' }, 'web/maintenance.yaml:2:13'],
    ["a custom Spark job's `writes:`", { 'web/orchestration.yaml': `owner: t@example.com\ndags:\n  - name: job\n    type: transformation\n    spark: {entrypoint: s3://acme-artifacts/web/j.py, writes: [raw_orders.orders]}\n` }, 'web/orchestration.yaml:5:64'],
  ])('reports %s on the writer', (_what, web, at) => {
    const r = compileTree({ 'platform.yaml': PLATFORM, ...orders, ...web });
    expect(errors(r)).toEqual([`TABLE_NOT_OWNED ${at}`]);
    expect(compiled(r)).toEqual(['orders']);
  });

  it("counts a custom Spark job's `writes:` as creating the table: its own merges into it compile", () => {
    const web = {
      'web/orchestration.yaml': `owner: t@example.com\ndags:\n  - name: job\n    type: transformation\n    spark: {entrypoint: s3://acme-artifacts/web/j.py, reads: [raw_orders.orders], writes: [raw_web.sessions]}\n  - {name: p, type: transformation, depends_on: [job]}\n`,
      'web/processing.yaml': 'merges:\n  - {target: raw_web.sessions, source: raw_orders.orders, keys: [order_id]}\n',
    };
    const r = compileTree({ 'platform.yaml': PLATFORM, ...orders, ...web });
    expect(errors(r)).toEqual([]);
    expect(compiled(r)).toEqual(['orders', 'web']);
    // Without the job, nothing creates the merge target.
    const without = compileTree({ 'platform.yaml': PLATFORM, ...orders, ...web, 'web/orchestration.yaml': orchestration([['p', 'transformation']]) });
    expect(errors(without)).toEqual(['TABLE_NOT_CREATED web/processing.yaml:2:14']);
  });

  it('lets the owner share a table for writing and maintenance, and lists the share in the manifest', () => {
    const share = 'share:\n  - {table: raw_orders.orders, with: [web], access: [write, maintain]}\n';
    const r = compileTree({
      'platform.yaml': PLATFORM,
      ...orders,
      'orders/orchestration.yaml': orchestration([['mig', 'migration'], ['maint', 'maintenance']], share),
      'web/orchestration.yaml': orchestration([['ing', 'ingestion'], ['m', 'maintenance']]),
      'web/ingestion.yaml': kafka('raw_orders.orders'),
      'web/maintenance.yaml': 'tables:\n  - {table: raw_orders.orders, hard_delete: {column: updated_at, older_than: 1d}}\n',
    });
    expect(errors(r)).toEqual([]);
    const m = manifestOf(r.files);
    expect(m.useCases.find((u) => u.name === 'orders')!.shares).toEqual([{ table: 'raw_orders.orders', with: ['web'], access: ['write', 'maintain'] }]);
  });

  it('grants only the access shared: a read share does not allow maintenance', () => {
    const share = 'share:\n  - {table: raw_orders.orders, with: [web]}\n';
    const r = compileTree({
      'platform.yaml': PLATFORM,
      ...orders,
      'orders/orchestration.yaml': orchestration([['mig', 'migration'], ['maint', 'maintenance']], share),
      'web/orchestration.yaml': orchestration([['m', 'maintenance']]),
      'web/maintenance.yaml': 'tables:\n  - {table: raw_orders.orders, hard_delete: {column: updated_at, older_than: 1d}}\n',
    });
    expect(errors(r)).toEqual(['TABLE_NOT_OWNED web/maintenance.yaml:2:13']);
  });

  it('refuses a share of a table the sharer does not own', () => {
    const r = compileTree({ 'platform.yaml': PLATFORM, ...orders, 'web/orchestration.yaml': orchestration([['ing', 'ingestion']], 'share:\n  - {table: raw_orders.orders, with: [web], access: [write]}\n'), 'web/ingestion.yaml': kafka('raw_orders.orders') });
    expect(errors(r).sort()).toEqual(['SHARE_NOT_OWNED web/orchestration.yaml:5:13', 'TABLE_NOT_OWNED web/ingestion.yaml:4:13']);
    expect(compiled(r)).toEqual(['orders']);
  });

  it('gives a table two ingestions create to the use case whose migration declares its database', () => {
    const r = compileTree({
      'platform.yaml': PLATFORM,
      'orders/orchestration.yaml': orchestration([['mig', 'migration'], ['ing', 'ingestion']]),
      'orders/migration.yaml': MIGRATION,
      'orders/ingestion.yaml': kafka('raw_orders.events'),
      'web/orchestration.yaml': orchestration([['ing', 'ingestion']]),
      'web/ingestion.yaml': kafka('raw_orders.events'),
    });
    expect(errors(r)).toEqual(['TABLE_NOT_OWNED web/ingestion.yaml:4:13']);
  });

  it('reports a table created by two use cases, none of them at home in its database, on both', () => {
    const r = compileTree({
      'platform.yaml': PLATFORM,
      'a/orchestration.yaml': orchestration([['ing', 'ingestion']]),
      'a/ingestion.yaml': kafka('shared_db.events'),
      'b/orchestration.yaml': orchestration([['ing', 'ingestion']]),
      'b/ingestion.yaml': kafka('shared_db.events'),
    });
    expect(errors(r)).toEqual(['TABLE_OWNER_CONFLICT a/ingestion.yaml:4:13', 'TABLE_OWNER_CONFLICT b/ingestion.yaml:4:13']);
  });

  it('lets a use case write, create and maintain its own tables', () => {
    const r = compileTree({ 'platform.yaml': PLATFORM, ...orders, 'orders/orchestration.yaml': orchestration([['mig', 'migration'], ['maint', 'maintenance'], ['ing', 'ingestion']]), 'orders/ingestion.yaml': jdbc('raw_orders.orders') });
    expect(errors(r)).toEqual([]);
  });

  describe('with the databases declared in platform.yaml', () => {
    const declared = `${PLATFORM}databases:\n  raw_orders: {owner: orders}\n`;

    // A newcomer that migrates the owner's database and table: before, both got TABLE_OWNER_CONFLICT
    // (or the newcomer took the table and the owner got TABLE_NOT_OWNED, depending on the names).
    it.each(['aaa', 'zzz'])('quarantines a newcomer (%s) that migrates a table of a declared database, never the owner', (newcomer) => {
      const r = compileTree({
        'platform.yaml': declared,
        ...orders,
        [`${newcomer}/orchestration.yaml`]: orchestration([['mig', 'migration']]),
        [`${newcomer}/migration.yaml`]: MIGRATION,
      });
      expect(errors(r)).toEqual([`TABLE_NOT_OWNED ${newcomer}/migration.yaml:3:11`]);
      expect(compiled(r)).toEqual(['orders']);
      const d = r.diagnostics.find((x) => x.code === 'TABLE_NOT_OWNED')!;
      expect(d.message).toContain("its database 'raw_orders' belongs to it: platform.yaml:");
    });

    it.each(['aaa', 'zzz'])('keeps the owner healthy when a newcomer (%s) creates a new table in its database', (newcomer) => {
      const r = compileTree({
        'platform.yaml': declared,
        ...orders,
        [`${newcomer}/orchestration.yaml`]: orchestration([['ing', 'ingestion']]),
        [`${newcomer}/ingestion.yaml`]: kafka('raw_orders.events'),
      });
      expect(errors(r)).toEqual([`TABLE_NOT_OWNED ${newcomer}/ingestion.yaml:4:13`]);
      expect(compiled(r)).toEqual(['orders']);
    });

    it('gives the declared owner a table it does not create itself, and lets it share it', () => {
      const r = compileTree({
        'platform.yaml': declared,
        ...orders,
        'orders/orchestration.yaml': orchestration([['mig', 'migration'], ['maint', 'maintenance']], 'share:\n  - {table: raw_orders.events, with: [web], access: [write]}\n'),
        'web/orchestration.yaml': orchestration([['ing', 'ingestion']]),
        'web/ingestion.yaml': kafka('raw_orders.events'),
      });
      expect(errors(r)).toEqual([]);
      const m = manifestOf(r.files);
      expect(m.tables['raw_orders.events']).toMatchObject({ owner: 'orders', writers: ['web/ing'] });
    });

    it('settles a conflict between two creators of an undeclared database once it is declared', () => {
      const tree = {
        'a/orchestration.yaml': orchestration([['ing', 'ingestion']]),
        'a/ingestion.yaml': kafka('shared_db.events'),
        'b/orchestration.yaml': orchestration([['ing', 'ingestion']]),
        'b/ingestion.yaml': kafka('shared_db.events'),
      };
      const before = compileTree({ 'platform.yaml': PLATFORM, ...tree });
      expect(before.diagnostics.find((d) => d.code === 'TABLE_OWNER_CONFLICT')!.message).toContain("declare the owner of database 'shared_db' in platform.yaml");
      const r = compileTree({ 'platform.yaml': `${PLATFORM}databases:\n  shared_db: {owner: b}\n`, ...tree });
      expect(errors(r)).toEqual(['TABLE_NOT_OWNED a/ingestion.yaml:4:13']);
      expect(compiled(r)).toEqual(['b']);
    });

    it('warns about a declared owner that is no use case, and refuses its tables to everyone', () => {
      const r = compileTree({ 'platform.yaml': `${PLATFORM}databases:\n  raw_orders: {owner: ordres}\n`, ...orders });
      expect(r.diagnostics.filter((d) => d.code === 'DATABASE_OWNER_UNKNOWN').map((d) => `${d.file}:${d.line}:${d.column}`)).toEqual(['platform.yaml:9:23']);
      expect(errors(r)).toContain('TABLE_NOT_OWNED orders/migration.yaml:3:11');
    });
  });
});
