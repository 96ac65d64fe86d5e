/**
 * Checks on a table a `sql:` file writes gate its publish only when the job can audit its
 * writes: rows put into a table that exists go through the audit branch; a table created with
 * its rows (CREATE [OR REPLACE] TABLE … AS SELECT) is committed to main with the table, so
 * checks on it are refused at the checks rather than left unrun.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lakestepVersion, readSpecs } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import type { JobDocument } from '../../src/build/types.ts';

const ITEM = (file: string) => `  - {file: ${file}, name: big-orders, checks: {process_orders.big_orders: [{not_null: [order_id]}, {row_count: {min: 1}}]}}\n`;

/** The example platform with `orders/sql/<file>` holding `sql`, listed in orders/processing.yaml with checks on big_orders. */
function build(sql: string, file = 'sql/big_orders.sql') {
  const sources = readSpecs(resolve('specs')).map((f) => (f.path === 'orders/processing.yaml' ? { ...f, text: f.text + ITEM(file) } : f));
  sources.push({ ...sources.find((f) => f.path === 'orders/processing.yaml')!, path: `orders/${file}`, text: sql });
  return compile(sources, { lakestepVersion: lakestepVersion() });
}

const processJob = (r: ReturnType<typeof build>): JobDocument =>
  JSON.parse(r.files.get('orders/jobs/orders-upserts/process.json')!) as JobDocument;

describe('checks on a table a SQL file writes', () => {
  it.each([
    ['CREATE OR REPLACE TABLE … AS SELECT', 'CREATE OR REPLACE TABLE process_orders.big_orders AS SELECT order_id, amount FROM raw_orders.orders WHERE amount > 100', 'INSERT OVERWRITE'],
    ['CREATE TABLE … AS SELECT', 'CREATE TABLE IF NOT EXISTS process_orders.big_orders AS SELECT order_id, amount FROM raw_orders.orders WHERE amount > 100', 'INSERT INTO'],
    ['a CTAS followed by an INSERT', 'CREATE TABLE IF NOT EXISTS process_orders.big_orders AS SELECT order_id, amount FROM raw_orders.orders;\nINSERT INTO process_orders.big_orders SELECT order_id, amount FROM raw_orders.orders', 'INSERT INTO'],
  ])('are refused at the checks when the table is made by %s', (_what, sql, fill) => {
    const r = build(sql);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code)).toEqual(['CHECK_TABLE_CREATED_WITH_ROWS']);
    const [e] = errors;
    // At the checks of the table, in orders/processing.yaml, naming the statement's own position.
    expect(e).toMatchObject({ file: 'orders/processing.yaml', column: ITEM('sql/big_orders.sql').indexOf('process_orders.big_orders') + 1 });
    expect(e!.message).toContain('statement 1 of sql/big_orders.sql (orders/sql/big_orders.sql:1:');
    expect(e!.message).toContain(`CREATE TABLE IF NOT EXISTS process_orders.big_orders (<columns>) USING iceberg), then fill it with ${fill} process_orders.big_orders`);
  });

  it('are refused when the file only creates the table empty: they would never run', () => {
    const r = build('CREATE TABLE IF NOT EXISTS process_orders.big_orders (order_id BIGINT, amount DECIMAL(12,2)) USING iceberg');
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.message])).toEqual([
      ['CHECK_TABLE_NOT_AUDITED', expect.stringContaining('(it is only created, empty), so these checks would never run')],
    ]);
  });

  it('gate the table when it is created empty and filled by INSERT OVERWRITE', () => {
    const r = build(
      'CREATE TABLE IF NOT EXISTS process_orders.big_orders (order_id BIGINT, amount DECIMAL(12,2)) USING iceberg;\nINSERT OVERWRITE process_orders.big_orders SELECT order_id, amount FROM raw_orders.orders WHERE amount > 100',
    );
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const steps = processJob(r).steps.map((s) => s.name);
    const audit = steps.indexOf('audit process_orders.big_orders');
    const insert = steps.indexOf('big-orders #2');
    const check = steps.indexOf('check process_orders.big_orders not_null(order_id)');
    expect(steps.indexOf('big-orders #1')).toBeLessThan(audit);
    expect(audit).toBeLessThan(insert);
    expect(insert).toBeLessThan(check);
    expect(check).toBeLessThan(steps.indexOf('publish'));
    expect(steps.filter((n) => n.startsWith('check process_orders.big_orders row_count'))).toHaveLength(1);
  });
});
