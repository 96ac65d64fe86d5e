import { describe, expect, it } from 'vitest';
import { conversionSql, landingViewSql, sqlSparkConfArgs, STATIC_OVERWRITE_CONF, watermarkSql, WATERMARK_PATTERN } from '../../src/sql/index.ts';
import { migrationTable } from './fixtures.ts';
import { syntaxErrors } from './syntax.ts';

describe('landingViewSql', () => {
  it.each([
    // Every format is read against the declared columns: evolved Hive files lacking a column read NULL.
    [{}, "CREATE OR REPLACE TEMPORARY VIEW `landing_raw_orders_orders` (`order_id` bigint, `customer_id` bigint, `amount` decimal(12,2), `updated_at` timestamp) USING parquet OPTIONS ('path' 's3://acme-landing/orders/orders/')"],
    [{ format: 'orc' as const }, "CREATE OR REPLACE TEMPORARY VIEW `landing_raw_orders_orders` (`order_id` bigint, `customer_id` bigint, `amount` decimal(12,2), `updated_at` timestamp) USING orc OPTIONS ('path' 's3://acme-landing/orders/orders/')"],
    [{ format: 'avro' as const }, "CREATE OR REPLACE TEMPORARY VIEW `landing_raw_orders_orders` (`order_id` bigint, `customer_id` bigint, `amount` decimal(12,2), `updated_at` timestamp) USING avro OPTIONS ('path' 's3://acme-landing/orders/orders/')"],
    [
      { format: 'csv' as const, formatOptions: { sep: '|', header: 'true' } },
      "CREATE OR REPLACE TEMPORARY VIEW `landing_raw_orders_orders` (`order_id` bigint, `customer_id` bigint, `amount` decimal(12,2), `updated_at` timestamp) USING csv OPTIONS ('path' 's3://acme-landing/orders/orders/', 'header' 'true', 'sep' '|')",
    ],
    [
      { format: 'json' as const, formatOptions: { "x') --": "\\'" } },
      "CREATE OR REPLACE TEMPORARY VIEW `landing_raw_orders_orders` (`order_id` bigint, `customer_id` bigint, `amount` decimal(12,2), `updated_at` timestamp) USING json OPTIONS ('path' 's3://acme-landing/orders/orders/', 'x\\') --' '\\\\\\'')",
    ],
  ])('%j', (over, want) => {
    const sql = landingViewSql(migrationTable(over));
    expect(sql).toBe(want);
    expect(syntaxErrors(sql)).toEqual([]);
  });

  it('keeps the path option for the landing path', () => {
    expect(() => landingViewSql(migrationTable({ formatOptions: { PATH: 's3://elsewhere/' } }))).toThrow(/reserved/);
  });
});

describe('conversionSql', () => {
  it('appends explicitly cast columns by name, only into an empty table', () => {
    const sql = conversionSql('glue', migrationTable());
    expect(sql).toBe(
      [
        'INSERT INTO `glue`.`raw_orders`.`orders` (`order_id`, `customer_id`, `amount`, `updated_at`)',
        'SELECT',
        '  CAST(`order_id` AS bigint) AS `order_id`,',
        '  CAST(`customer_id` AS bigint) AS `customer_id`,',
        '  CAST(`amount` AS decimal(12,2)) AS `amount`,',
        '  CAST(`updated_at` AS timestamp) AS `updated_at`',
        'FROM `landing_raw_orders_orders`',
        'WHERE NOT EXISTS (SELECT 1 FROM `glue`.`raw_orders`.`orders`)',
      ].join('\n'),
    );
    expect(syntaxErrors(sql)).toEqual([]);
    expect(STATIC_OVERWRITE_CONF).toBe('spark.sql.sources.partitionOverwriteMode=static');
  });
});

describe('watermarkSql', () => {
  it('renders the max in one fixed-width UTC format', () => {
    const sql = watermarkSql('glue', { database: 'raw_orders', table: 'orders' }, 'updated_at');
    expect(sql).toBe(
      "SELECT date_format(max(`updated_at`), 'yyyy-MM-dd\\'T\\'HH:mm:ss.SSSSSS\\'Z\\'') AS `watermark` FROM `glue`.`raw_orders`.`orders`",
    );
    expect(syntaxErrors(sql)).toEqual([]);
    expect(WATERMARK_PATTERN).toBe("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");
    expect(() => watermarkSql('glue', { database: 'raw_orders', table: 'orders' }, 'a) FROM x --')).toThrow();
  });
});

describe('sqlSparkConfArgs', () => {
  it('asks for static overwrite and a UTC session', () => {
    expect(sqlSparkConfArgs()).toBe('--conf spark.sql.sources.partitionOverwriteMode=static --conf spark.sql.session.timeZone=UTC');
  });
});
