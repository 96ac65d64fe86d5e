/**
 * The query a `sql:` quality check runs: the user's query wrapped as a subquery of the failing rows.
 * The engine test (test/engines/test_quality.py, whose big_orders.sql ends in such a comment) runs it on Spark.
 */
import { describe, expect, it } from 'vitest';
import type { QualityCheck, TableQuality } from '../../src/ir/types.ts';
import { analyzeSql } from '../../src/sql/analysis/index.ts';
import { checkQuery } from '../../src/sql/checks.ts';

const origin = { file: 'lake/processing.yaml', line: 1, column: 1, pointer: '' };
const quality: TableQuality = { table: { database: 'raw', table: 'orders' }, checks: [], sampleColumns: ['id'], maskedColumns: [], origin };
const sqlCheck = (text: string): QualityCheck => ({ name: 'sql', kind: 'sql', severity: 'error', columns: [], sql: { file: 'sql/checks/c.sql', text, reads: [] }, origin });

describe('checkQuery of a sql: check', () => {
  it.each([
    ['a trailing comment', 'SELECT id FROM raw.orders WHERE amount < 0 -- negative'],
    // Spark's lexer continues a `--` comment over a backslash-newline: the closing parenthesis on the next line was swallowed.
    ['a trailing comment ending in a backslash', 'SELECT id FROM raw.orders WHERE amount < 0 -- negative amounts \\'],
    ['a trailing comment ending in a backslash and a line break', 'SELECT id FROM raw.orders WHERE amount < 0 -- negative amounts \\\n'],
  ])('keeps the subquery whole after %s', (_what, text) => {
    const { sql } = checkQuery('glue_catalog', quality, sqlCheck(text));
    const analysis = analyzeSql(sql);
    expect(analysis.problems).toEqual([]);
    expect(analysis.statements).toHaveLength(1);
    expect(analysis.statements[0]!.uses.map((u) => u.name.parts.join('.'))).toEqual(['raw.orders']);
  });
});

describe('checkQuery on a Kafka batch (relation: the view of the batch rows)', () => {
  const rowCount = (of: 'table' | 'batch'): QualityCheck => ({ name: 'row_count', kind: 'row_count', severity: 'error', columns: [], rowCount: { min: 1, of }, origin });
  it('counts the table as it would be published for row_count of: table (read on the audit branch), the batch rows for of: batch', () => {
    expect(checkQuery('glue_catalog', quality, rowCount('table'), 'batch_0_rows').sql).toBe('SELECT count(*) AS _lakestep_rows FROM `glue_catalog`.`raw`.`orders`');
    expect(checkQuery('glue_catalog', quality, rowCount('batch'), 'batch_0_rows').sql).toBe('SELECT count(*) AS _lakestep_rows FROM `batch_0_rows`');
  });
});
