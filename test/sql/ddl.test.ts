import { describe, expect, it } from 'vitest';
import { createNamespaceSql, createTableSql, tableDdl, tableProperties, writeOrderSql } from '../../src/sql/index.ts';
import { migrationTable } from './fixtures.ts';
import { syntaxErrors } from './syntax.ts';

describe('createNamespaceSql', () => {
  it('creates the Glue database if missing', () => {
    const sql = createNamespaceSql('glue', 'raw_orders');
    expect(sql).toBe('CREATE NAMESPACE IF NOT EXISTS `glue`.`raw_orders`');
    expect(syntaxErrors(sql)).toEqual([]);
  });
});

describe('createTableSql', () => {
  it('writes columns, partitioning, location and sorted properties', () => {
    const table = migrationTable({
      partitionBy: [
        { transform: 'days', column: 'updated_at' },
        { transform: 'bucket', width: 16, column: 'order_id' },
      ],
      properties: { 'write.target-file-size-bytes': '536870912', 'commit.retry.num-retries': '8' },
    });
    const sql = createTableSql('glue', table);
    expect(sql).toBe(
      [
        'CREATE TABLE IF NOT EXISTS `glue`.`raw_orders`.`orders` (',
        "  `order_id` bigint NOT NULL COMMENT 'Order key',",
        '  `customer_id` bigint,',
        '  `amount` decimal(12,2),',
        '  `updated_at` timestamp',
        ')',
        'USING iceberg',
        'PARTITIONED BY (days(`updated_at`), bucket(16, `order_id`))',
        "LOCATION 's3://acme-raw/raw_orders/orders'",
        'TBLPROPERTIES (',
        "  'commit.retry.num-retries'='8',",
        "  'format-version'='2',",
        "  'write.data.path'='s3://acme-raw/raw_orders/orders/data',",
        "  'write.metadata.delete-after-commit.enabled'='true',",
        "  'write.metadata.previous-versions-max'='100',",
        "  'write.object-storage.enabled'='true',",
        "  'write.target-file-size-bytes'='536870912'",
        ')',
      ].join('\n'),
    );
    expect(syntaxErrors(sql)).toEqual([]);
  });

  it('omits PARTITIONED BY for unpartitioned tables and lets user properties win', () => {
    const table = migrationTable({ partitionBy: [], properties: { 'write.metadata.previous-versions-max': '5' } });
    const sql = createTableSql('glue', table, { previousVersionsMax: 20 });
    expect(sql).not.toContain('PARTITIONED BY');
    expect(sql).toContain("'write.metadata.previous-versions-max'='5'");
    expect(tableProperties(migrationTable(), { previousVersionsMax: 20 })).toContainEqual(['write.metadata.previous-versions-max', '20']);
    expect(syntaxErrors(sql)).toEqual([]);
  });

  it('escapes comments and property values', () => {
    const table = migrationTable({
      columns: [{ name: 'note', type: 'string', nullable: true, comment: "it's a \\ note\n'); DROP TABLE x; --" }],
      properties: { "k'; --": "v'\n" },
    });
    const sql = createTableSql('glue', table);
    expect(sql).toContain("COMMENT 'it\\'s a \\\\ note\\n\\'); DROP TABLE x; --'");
    expect(sql).toContain("'k\\'; --'='v\\'\\n'");
    expect(syntaxErrors(sql)).toEqual([]);
  });

  it('refuses invalid names and types', () => {
    expect(() => createTableSql('glue', migrationTable({ target: { database: 'raw', table: 'or`ders' } }))).toThrow(/invalid SQL identifier/);
    expect(() => createTableSql('glue', migrationTable({ columns: [{ name: 'a', type: 'int) --', nullable: true }] }))).toThrow(/unexpected text/);
    expect(() => createTableSql('glue', migrationTable({ columns: [] }))).toThrow(/no columns/);
  });

  it('writes every type it accepts in a form Spark parses', () => {
    const types = ['int', 'string', 'timestamp_ntz', 'date', 'boolean', 'double', 'float', 'binary', 'array<map<string,decimal(10,2)>>', 'struct<a: int, b: struct<c: string>>'];
    const table = migrationTable({ columns: types.map((type, i) => ({ name: `c${i}`, type, nullable: true })), partitionBy: [] });
    expect(syntaxErrors(createTableSql('glue', table))).toEqual([]);
  });
});

describe('writeOrderSql and tableDdl', () => {
  it('sets the write order only when sortBy is given', () => {
    expect(writeOrderSql('glue', { database: 'raw', table: 't' }, [])).toBeNull();
    const sql = writeOrderSql('glue', { database: 'raw', table: 't' }, ['order_id', 'updated_at desc']);
    expect(sql).toBe('ALTER TABLE `glue`.`raw`.`t` WRITE ORDERED BY `order_id` ASC NULLS FIRST, `updated_at` DESC NULLS LAST');
    expect(syntaxErrors(sql ?? '')).toEqual([]);
    expect(tableDdl('glue', migrationTable())).toHaveLength(1);
    expect(tableDdl('glue', migrationTable({ sortBy: ['order_id'] }))[1]).toMatch(/WRITE ORDERED BY `order_id` ASC NULLS FIRST$/);
  });
});
