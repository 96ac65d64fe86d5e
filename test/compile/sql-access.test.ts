/**
 * User SQL files in the table-access model, on the example platform: what a
 * statement does to another use case's table is checked like any target,
 * at the statement's position; names that cannot be placed are refused; what
 * the analysis cannot read needs `reads:`/`writes:`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpecs } from '../../src/cli/io.ts';
import type { Manifest } from '../../src/build/types.ts';
import { compileTree } from './support.ts';
import { manifestOf } from '../helpers/manifest.ts';
import { sparkAccess } from '../../infra/usecase/spark-access.ts';

const SPECS = join(import.meta.dirname, '../../specs');
const ENRICHED = 'orders/sql/orders_enriched.sql';
const original = readFileSync(join(SPECS, ENRICHED), 'utf8');

/** The example with `orders/sql/orders_enriched.sql` (and any other file) replaced. */
function example(files: Record<string, string>) {
  const sources = readSpecs(SPECS).map((s) => (s.path in files ? { ...s, text: files[s.path]! } : s));
  for (const [path, text] of Object.entries(files)) if (!sources.some((s) => s.path === path)) sources.push({ path, text });
  return compileTree(sources);
}

const errors = (r: ReturnType<typeof compileTree>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`);
const quarantined = (r: ReturnType<typeof compileTree>) => r.quarantined.map((q) => q.useCase);

describe("SQL statements that reach another use case's tables (before: exit 0, no diagnostic)", () => {
  it.each([
    ['an INSERT', 'INSERT INTO raw_payments.payments SELECT * FROM raw_orders.orders', 'TABLE_NOT_OWNED orders/sql/orders_enriched.sql:19:13'],
    ['a DELETE', 'DELETE FROM raw_customers.customers WHERE true', 'TABLE_NOT_OWNED orders/sql/orders_enriched.sql:19:13'],
    ['a DROP … PURGE', 'DROP TABLE raw_clickstream.page_views PURGE', 'TABLE_NOT_OWNED orders/sql/orders_enriched.sql:19:12'],
    ['an ALTER', 'ALTER TABLE glue_catalog.raw_payments.refunds SET TBLPROPERTIES (\'x\'=\'1\')', 'TABLE_NOT_OWNED orders/sql/orders_enriched.sql:19:13'],
    ['a CALL of a procedure', "CALL glue_catalog.system.rollback_to_snapshot('raw_payments.payments', 1)", 'TABLE_NOT_OWNED orders/sql/orders_enriched.sql:19:47'],
  ])('quarantines orders, at the statement, for %s', (_what, statement, at) => {
    const r = example({ [ENRICHED]: `${original}\n${statement};\n` });
    expect(errors(r)).toEqual([at]);
    expect(quarantined(r)).toEqual(['orders']);
    expect(r.useCases.map((u) => u.name)).toEqual(['clickstream', 'customers', 'payments']);
  });

  it('names what the statement does and the share that would allow it', () => {
    const r = example({ [ENRICHED]: `${original}\nDELETE FROM raw_customers.customers WHERE true;\n` });
    const d = r.diagnostics.find((x) => x.code === 'TABLE_NOT_OWNED')!;
    expect(d.message).toContain("changing rows of (statement 2 of orders/sql/orders_enriched.sql) 'raw_customers.customers', a table of use case 'customers'");
    expect(d.message).toContain('share: [{table: raw_customers.customers, with: [orders], access: [write]}]');
  });

  it('lets reads of any table through, and lists them', () => {
    const r = example({});
    expect(errors(r)).toEqual([]);
    const m = manifestOf(r.files);
    const upserts = m.useCases.find((u) => u.name === 'orders')!.workflows.find((w) => w.name === 'orders-upserts')!;
    expect(upserts.reads).toEqual(['raw_customers.customers', 'raw_orders.order_events', 'raw_orders.orders']);
    expect(upserts.writes).toEqual(['process_orders.order_status', 'process_orders.orders_enriched']);
    expect(m.tables['raw_customers.customers']!.readers).toEqual(['customers/customers-segmentation', 'orders/orders-upserts']);
  });
});

describe('tables a SQL file creates', () => {
  const campaign = `CREATE TABLE IF NOT EXISTS analytics_marketing.campaign_performance (campaign_id BIGINT, clicks BIGINT) USING iceberg;
MERGE INTO analytics_marketing.campaign_performance t USING (SELECT 1 AS campaign_id, count(*) AS clicks FROM raw_orders.orders) s
ON t.campaign_id = s.campaign_id WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *;
`;

  it('lists a table written only by SQL in the manifest, with its owner (before: tables: [])', () => {
    const r = example({ [ENRICHED]: campaign });
    expect(errors(r)).toEqual([]);
    const m = manifestOf(r.files);
    const upserts = m.useCases.find((u) => u.name === 'orders')!.workflows.find((w) => w.name === 'orders-upserts')!;
    expect(upserts.access['analytics_marketing.campaign_performance']).toEqual(['create', 'write', 'update']);
    expect(m.tables['analytics_marketing.campaign_performance']).toEqual({
      owner: 'orders',
      location: 's3://acme-lake-raw/analytics_marketing.db/campaign_performance/',
      writers: ['orders/orders-upserts'],
      readers: [],
    });
  });

  it('refuses a write into a table nothing creates, at the statement', () => {
    const r = example({ [ENRICHED]: 'INSERT INTO process_orders.nowhere SELECT * FROM raw_orders.orders;\n' });
    expect(errors(r)).toEqual(['TABLE_NOT_CREATED orders/sql/orders_enriched.sql:1:13']);
  });
});

describe('names a statement cannot place', () => {
  it.each([
    ['an unqualified name', 'INSERT INTO orders_copy SELECT * FROM raw_orders.orders', 'orders/sql/orders_enriched.sql:1:13'],
    ['another catalog', 'INSERT INTO spark_catalog.default.x SELECT * FROM raw_orders.orders', 'orders/sql/orders_enriched.sql:1:13'],
    ['a wildcard in a quoted database name, which would reach every database through its Glue ARN', 'INSERT INTO `raw_*`.payments SELECT * FROM raw_orders.orders', 'orders/sql/orders_enriched.sql:1:13'],
    ['a quoted table name with a slash', 'SELECT * FROM raw_orders.`orders/../payments`', 'orders/sql/orders_enriched.sql:1:15'],
    // Spark takes a first part that names a catalog as the catalog, whatever the number of parts.
    ["the platform's catalog taken for a database", 'INSERT INTO glue_catalog.order_status SELECT * FROM raw_orders.orders', 'orders/sql/orders_enriched.sql:1:13'],
    ['the session catalog, two parts', 'DROP TABLE IF EXISTS spark_catalog.payments', 'orders/sql/orders_enriched.sql:1:22'],
    ['the session catalog before a metadata table name', 'SELECT * FROM spark_catalog.raw_payments.snapshots', 'orders/sql/orders_enriched.sql:1:15'],
    ['the session catalog before a branch name', 'DROP TABLE IF EXISTS SPARK_CATALOG.raw_payments.branch_x', 'orders/sql/orders_enriched.sql:1:22'],
    ['USE of the session catalog', 'USE spark_catalog', 'orders/sql/orders_enriched.sql:1:1'],
    // The table argument of a procedure is read in the procedure's catalog.
    ['a procedure of the session catalog', "CALL spark_catalog.system.expire_snapshots('raw_orders.orders')", 'orders/sql/orders_enriched.sql:1:44'],
    ['USE of a namespace of the session catalog', 'USE spark_catalog.raw_orders', 'orders/sql/orders_enriched.sql:1:1'],
  ])('refuses %s', (_what, statement, at) => {
    const r = example({ [ENRICHED]: `${statement};\n` });
    expect(errors(r)).toContain(`SQL_TABLE_NAME ${at}`);
    expect(quarantined(r)).toEqual(['orders']);
  });

  it("refuses USE of the platform's catalog, which keeps the namespace before it: the names after it are not where they read", () => {
    const r = example({ [ENRICHED]: 'USE raw_payments;\nUSE glue_catalog;\nCREATE TABLE IF NOT EXISTS payments (payment_id bigint) USING iceberg;\nINSERT INTO payments SELECT * FROM raw_orders.orders;\n' });
    expect(errors(r)).toEqual(expect.arrayContaining([`SQL_TABLE_NAME ${ENRICHED}:2:1`, `SQL_TABLE_NAME ${ENRICHED}:4:13`]));
    expect(r.diagnostics.find((d) => d.line === 2 && d.file === ENRICHED)!.message).toContain('USE glue_catalog names a catalog, not a database');
    expect(quarantined(r)).toEqual(['orders']);
  });

  it('takes USE IDENTIFIER with a string constant, and refuses it with a parameter, quarantining that use case only (before: a TypeError stopped every compile)', () => {
    const statement = 'MERGE INTO process_orders.orders_enriched t USING (SELECT * FROM orders) s ON t.order_id = s.order_id WHEN MATCHED THEN UPDATE SET *;\n';
    const ok = example({ [ENRICHED]: `USE IDENTIFIER('raw_orders');\n${statement}` });
    expect(errors(ok)).toEqual([]);
    const refused = example({ [ENRICHED]: `USE IDENTIFIER(:ds);\n${statement}` });
    expect(errors(refused)).toContain(`SQL_UNSUPPORTED ${ENRICHED}:1:5`);
    expect(quarantined(refused)).toEqual(['orders']);
    expect(refused.useCases.map((u) => u.name)).toEqual(['clickstream', 'customers', 'payments']);
  });

  it('resolves one-part names after USE', () => {
    const r = example({ [ENRICHED]: 'USE raw_orders;\nMERGE INTO process_orders.orders_enriched t USING (SELECT * FROM orders) s ON t.order_id = s.order_id WHEN MATCHED THEN UPDATE SET *;\n' });
    expect(errors(r)).toEqual([]);
    const m = manifestOf(r.files);
    expect(m.useCases.find((u) => u.name === 'orders')!.workflows.find((w) => w.name === 'orders-upserts')!.reads).toContain('raw_orders.orders');
  });
});

describe('statements the analysis cannot read', () => {
  // Spark runs it; the analysis does not model statements of this kind.
  const unreadable = 'SHOW TABLES IN raw_orders;\n';

  it('is an error at the statement asking for reads:/writes:', () => {
    const r = example({ [ENRICHED]: unreadable });
    const d = r.diagnostics.find((x) => x.file === ENRICHED && x.severity === 'error');
    expect(d, JSON.stringify(r.diagnostics.filter((x) => x.file === ENRICHED))).toBeDefined();
    expect(d!.message).toContain('`reads:`');
    expect(quarantined(r)).toEqual(['orders']);
  });

  it('compiles with a warning once the entry declares what the file reads and writes, and the declaration is the access', () => {
    const processing = readFileSync(join(SPECS, 'orders/processing.yaml'), 'utf8').replace('    name: orders-enriched\n', '    name: orders-enriched\n    reads: [raw_orders.orders]\n    writes: [process_orders.orders_enriched]\n');
    const r = example({ [ENRICHED]: unreadable, 'orders/processing.yaml': processing });
    expect(errors(r)).toEqual([]);
    expect(r.diagnostics.filter((d) => d.code === 'SQL_NOT_ANALYSED').map((d) => `${d.file}:${d.line}`)).toEqual([`${ENRICHED}:1`]);
    const m = manifestOf(r.files);
    const upserts = m.useCases.find((u) => u.name === 'orders')!.workflows.find((w) => w.name === 'orders-upserts')!;
    expect(upserts.access['process_orders.orders_enriched']).toEqual(['create', 'write', 'update']);
  });

  it('refuses a declared table whose database is a catalog of Spark, at the declaration', () => {
    const processing = readFileSync(join(SPECS, 'orders/processing.yaml'), 'utf8').replace('    name: orders-enriched\n', '    name: orders-enriched\n    writes: [glue_catalog.payments, spark_catalog.x]\n    reads: [global_temp.v]\n');
    const r = example({ 'orders/processing.yaml': processing });
    expect(errors(r)).toEqual(['SQL_TABLE_NAME orders/processing.yaml:20:14', 'SQL_TABLE_NAME orders/processing.yaml:20:37', 'SQL_TABLE_NAME orders/processing.yaml:21:13']);
  });

  it("refuses a declared write into another use case's table, at the declaration", () => {
    const processing = readFileSync(join(SPECS, 'orders/processing.yaml'), 'utf8').replace('    name: orders-enriched\n', '    name: orders-enriched\n    writes: [raw_payments.payments]\n');
    const r = example({ 'orders/processing.yaml': processing });
    expect(errors(r)).toEqual(['TABLE_NOT_OWNED orders/processing.yaml:20:14']);
  });
});

describe('a whole-database grant and a quarantined use case', () => {
  it("never writes a database whole where a quarantined use case's table is: its tables stay in the manifest with their owner", () => {
    const many = Array.from({ length: 80 }, (_, i) => `CREATE TABLE IF NOT EXISTS shared_db.orders_t${i} (id bigint) USING iceberg;\nINSERT INTO shared_db.orders_t${i} SELECT 1;\n`).join('');
    const settlement = 'payments/sql/settlement_daily.sql';
    const theirs = `${readFileSync(join(SPECS, settlement), 'utf8')}\nCREATE TABLE IF NOT EXISTS shared_db.payments_secret (id bigint) USING iceberg;\nINSERT INTO shared_db.payments_secret SELECT 1;\n`;
    const grantsOf = (r: ReturnType<typeof compileTree>) => {
      const m = manifestOf(r.files);
      return { m, orders: sparkAccess(m.platform, m.useCases.find((u) => u.name === 'orders')!, m.tables) };
    };
    // Healthy, payments' table is listed: orders writes shared_db table by table.
    const healthy = grantsOf(example({ [ENRICHED]: `${original}\n${many}`, [settlement]: theirs }));
    expect(healthy.m.tables['shared_db.payments_secret']!.owner).toBe('payments');
    expect(healthy.orders.glue.write).not.toContain('shared_db/*');
    // payments quarantined (a stray field): before, its table left the manifest and orders got shared_db/* (payments_secret included).
    const processing = readFileSync(join(SPECS, 'payments/processing.yaml'), 'utf8').replace(/^/, 'bogus_field: 1\n');
    const r = example({ [ENRICHED]: `${original}\n${many}`, [settlement]: theirs, 'payments/processing.yaml': processing });
    expect(quarantined(r)).toEqual(['payments']);
    const broken = grantsOf(r);
    expect(broken.m.tables['shared_db.payments_secret']).toMatchObject({ owner: 'payments', writers: [], readers: [] });
    expect(broken.orders.glue.write).not.toContain('shared_db/*');
    expect(broken.orders.glue.write.filter((t) => t.startsWith('shared_db/'))).toHaveLength(80);
  });
});

