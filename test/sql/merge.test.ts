import { describe, expect, it } from 'vitest';
import { mergeSql, mergeWatermarkSql, writeFromViewSql } from '../../src/sql/index.ts';
import { merge } from './fixtures.ts';
import { syntaxErrors } from './syntax.ts';

const SRC = '`glue`.`raw_orders`.`order_events` src';
const NEWER = "(:watermark = '' OR src.`event_ts` > CAST(:watermark AS TIMESTAMP))";
const FROM_WATERMARK = "(:watermark = '' OR src.`event_ts` >= CAST(:watermark AS TIMESTAMP))";

describe('mergeSql', () => {
  it.each([
    {
      name: 'plain upsert',
      given: merge(),
      want: [
        'MERGE INTO `glue`.`process_orders`.`orders` t',
        `USING (SELECT src.* FROM ${SRC}) s`,
        'ON t.`order_id` = s.`order_id`',
        'WHEN MATCHED THEN UPDATE SET *',
        'WHEN NOT MATCHED THEN INSERT *',
      ],
    },
    {
      name: 'latest row per key, deletes, increment',
      given: merge({ keys: ['order_id', 'line'], orderBy: 'event_ts', deleteWhen: "op = 'D'", incrementalColumn: 'event_ts' }),
      want: [
        'MERGE INTO `glue`.`process_orders`.`orders` t',
        'USING (SELECT * FROM (SELECT src.*, ROW_NUMBER() OVER (PARTITION BY src.`order_id`, src.`line` ORDER BY src.`event_ts` DESC) AS `_lakestep_rn`' +
          ` FROM ${SRC} WHERE ${FROM_WATERMARK}) dedup WHERE \`_lakestep_rn\` = 1) s`,
        'ON t.`order_id` = s.`order_id` AND t.`line` = s.`line`',
        "WHEN MATCHED AND (t.`event_ts` IS NULL OR s.`event_ts` >= t.`event_ts`) AND (s.`op` = 'D') THEN DELETE",
        'WHEN MATCHED AND (t.`event_ts` IS NULL OR s.`event_ts` >= t.`event_ts`) THEN UPDATE SET *',
        "WHEN NOT MATCHED AND NOT COALESCE((s.`op` = 'D'), false) THEN INSERT *",
      ],
    },
    {
      name: 'explicit columns',
      given: merge({ columns: ['order_id', 'amount'] }),
      want: [
        'MERGE INTO `glue`.`process_orders`.`orders` t',
        `USING (SELECT src.* FROM ${SRC}) s`,
        'ON t.`order_id` = s.`order_id`',
        'WHEN MATCHED THEN UPDATE SET t.`order_id` = s.`order_id`, t.`amount` = s.`amount`',
        'WHEN NOT MATCHED THEN INSERT (`order_id`, `amount`) VALUES (s.`order_id`, s.`amount`)',
      ],
    },
  ])('$name', ({ given, want }) => {
    const sql = mergeSql('glue', given);
    expect(sql).toBe(want.join('\n'));
    expect(syntaxErrors(sql)).toEqual([]);
  });

  it('bounds the increment above when asked, and looks back for late rows', () => {
    const sql = mergeSql('glue', merge({ incrementalColumn: 'event_ts', lateArrivalSeconds: 3600 }), { watermarkParameter: 'wm_orders', upperBoundParameter: 'upper' });
    expect(sql).toContain(
      "WHERE (:wm_orders = '' OR src.`event_ts` >= CAST(:wm_orders AS TIMESTAMP) - INTERVAL 3600 SECONDS) AND (:upper = '' OR src.`event_ts` <= CAST(:upper AS TIMESTAMP))",
    );
    expect(syntaxErrors(sql)).toEqual([]);
  });

  it('qualifies delete_when columns with the source alias only', () => {
    const sql = mergeSql('glue', merge({ deleteWhen: "lower(op) IN ('d', 'x') OR CAST(deleted AS boolean) OR ts < DATE '2020-01-01' - INTERVAL 3 DAYS" }));
    expect(sql).toContain(
      "WHEN MATCHED AND (lower(s.`op`) IN ('d', 'x') OR CAST(s.`deleted` AS boolean) OR s.`ts` < DATE '2020-01-01' - INTERVAL 3 DAYS) THEN DELETE",
    );
    expect(syntaxErrors(sql)).toEqual([]);
  });

  it('refuses merges it cannot write safely', () => {
    expect(() => mergeSql('glue', merge({ keys: [] }))).toThrow(/no keys/);
    expect(() => mergeSql('glue', merge({ deleteWhen: "op = 'D'; DROP TABLE x" }))).toThrow(/invalid expression/);
    expect(() => mergeSql('glue', merge({ orderBy: 'ts desc' }))).toThrow(/invalid SQL identifier/);
  });
});

describe('mergeWatermarkSql', () => {
  it('takes the newest incremental value past the watermark', () => {
    const sql = mergeWatermarkSql('glue', merge({ incrementalColumn: 'event_ts' }));
    expect(sql).toBe(`SELECT date_format(max(src.\`event_ts\`), 'yyyy-MM-dd\\'T\\'HH:mm:ss.SSSSSS\\'Z\\'') AS \`watermark\` FROM ${SRC} WHERE ${NEWER}`);
    expect(syntaxErrors(sql)).toEqual([]);
    expect(() => mergeWatermarkSql('glue', merge())).toThrow(/no incremental column/);
  });
});

describe('writeFromViewSql', () => {
  const target = { database: 'raw_orders', table: 'customers' };
  it.each([
    ['append', [], [], 'INSERT INTO `glue`.`raw_orders`.`customers` BY NAME SELECT * FROM `jdbc_customers`'],
    ['overwrite', [], ['id', 'name'], 'INSERT OVERWRITE `glue`.`raw_orders`.`customers` BY NAME SELECT `id`, `name` FROM `jdbc_customers`'],
    [
      'merge',
      ['id'],
      [],
      'MERGE INTO `glue`.`raw_orders`.`customers` t\nUSING `jdbc_customers` s\nON t.`id` = s.`id`\nWHEN MATCHED THEN UPDATE SET *\nWHEN NOT MATCHED THEN INSERT *',
    ],
  ] as const)('%s', (mode, keys, columns, want) => {
    const sql = writeFromViewSql('glue', target, 'jdbc_customers', mode, keys, columns);
    expect(sql).toBe(want);
    expect(syntaxErrors(sql)).toEqual([]);
  });

  it('needs keys to merge', () => {
    expect(() => writeFromViewSql('glue', target, 'v', 'merge', [])).toThrow(/no keys/);
  });
});
