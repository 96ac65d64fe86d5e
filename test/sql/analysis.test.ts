import { describe, expect, it } from 'vitest';
import { usesOfOne } from './analysis-helpers.ts';

/** One statement in, its table uses out (in source order). */
const STATEMENTS: { given: string; want: string[] }[] = [
  // INSERT
  { given: 'INSERT INTO proc.daily SELECT id FROM raw.events', want: ['write insert proc.daily', 'read select raw.events'] },
  { given: "INSERT INTO TABLE proc.daily (id, note) VALUES (1, 'a'), (2, 'b')", want: ['write insert proc.daily'] },
  { given: "INSERT OVERWRITE proc.daily PARTITION (ds = '2024-01-01') SELECT id FROM raw.events", want: ['write insert_overwrite proc.daily', 'read select raw.events'] },
  { given: 'INSERT OVERWRITE TABLE proc.daily PARTITION (ds) SELECT * FROM raw.events', want: ['write insert_overwrite proc.daily', 'read select raw.events'] },
  { given: "INSERT INTO proc.daily REPLACE WHERE ds = '1' SELECT * FROM raw.events", want: ['write insert_overwrite proc.daily', 'read select raw.events'] },
  { given: 'FROM raw.src INSERT INTO a.x SELECT id INSERT OVERWRITE TABLE b.y SELECT id', want: ['read select raw.src', 'write insert a.x', 'write insert_overwrite b.y'] },
  // MERGE: target, USING a table or a subquery, every clause
  {
    given: "MERGE INTO proc.c t USING raw.e AS s ON t.id = s.id WHEN MATCHED AND s.op = 'D' THEN DELETE WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT * WHEN NOT MATCHED BY SOURCE THEN DELETE",
    want: ['write merge proc.c', 'read select raw.e'],
  },
  {
    given: 'MERGE INTO proc.c USING (SELECT e.* FROM raw.e e JOIN raw.r r ON e.k = r.k) s ON c.id = s.id WHEN NOT MATCHED BY SOURCE AND c.x > (SELECT max(x) FROM raw.m) THEN UPDATE SET c.gone = true',
    want: ['write merge proc.c', 'read select raw.e', 'read select raw.r', 'read select raw.m'],
  },
  // UPDATE / DELETE
  { given: 'UPDATE proc.c SET name = upper(name) WHERE id IN (SELECT id FROM raw.renames)', want: ['write update proc.c', 'read select raw.renames'] },
  { given: 'UPDATE proc.c AS c SET c.name = (SELECT max(n) FROM raw.n) WHERE EXISTS (SELECT 1 FROM raw.r WHERE r.id = c.id)', want: ['write update proc.c', 'read select raw.n', 'read select raw.r'] },
  { given: 'DELETE FROM proc.c WHERE id IN (SELECT id FROM raw.erasures)', want: ['write delete proc.c', 'read select raw.erasures'] },
  { given: 'DELETE FROM proc.c', want: ['write delete proc.c'] },
  // CREATE / CTAS / RTAS / LIKE
  { given: "CREATE TABLE IF NOT EXISTS proc.s (id BIGINT, ds DATE) USING iceberg PARTITIONED BY (days(ds)) TBLPROPERTIES ('format-version' = '2')", want: ['write create proc.s'] },
  { given: 'CREATE TABLE proc.s USING iceberg AS SELECT id FROM raw.p', want: ['write create_as_select proc.s', 'read select raw.p'] },
  { given: 'CREATE TABLE proc.s AS WITH x AS (SELECT * FROM raw.p) SELECT * FROM x', want: ['write create_as_select proc.s', 'read select raw.p'] },
  { given: 'CREATE OR REPLACE TABLE proc.s USING iceberg AS SELECT * FROM raw.p', want: ['write replace proc.s', 'read select raw.p'] },
  { given: 'REPLACE TABLE proc.s USING iceberg AS SELECT * FROM raw.p', want: ['write replace proc.s', 'read select raw.p'] },
  { given: 'CREATE OR REPLACE TABLE proc.s (id INT) USING iceberg', want: ['write replace proc.s'] },
  { given: 'CREATE TABLE proc.s LIKE raw.p', want: ['write create proc.s', 'read select raw.p'] },
  // DROP / TRUNCATE
  { given: 'DROP TABLE proc.old', want: ['write drop proc.old'] },
  { given: 'DROP TABLE IF EXISTS proc.old PURGE', want: ['write drop proc.old'] },
  { given: 'TRUNCATE TABLE proc.scratch', want: ['write truncate proc.scratch'] },
  { given: "TRUNCATE TABLE proc.scratch PARTITION (ds = '1')", want: ['write truncate proc.scratch'] },
  // ALTER TABLE: Spark's forms
  { given: "ALTER TABLE proc.s ADD COLUMNS (note STRING COMMENT 'x')", want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s ADD COLUMN note STRING', want: ['write alter proc.s'] },
  { given: "ALTER TABLE proc.s SET TBLPROPERTIES ('write.format.default' = 'parquet')", want: ['write alter proc.s'] },
  { given: "ALTER TABLE proc.s UNSET TBLPROPERTIES ('x')", want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s RENAME COLUMN a TO b', want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s ALTER COLUMN total TYPE DECIMAL(14, 2)', want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s DROP COLUMN a', want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s DROP COLUMNS (a, b)', want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s RENAME TO proc.t', want: ['write alter proc.s', 'write alter proc.t'] },
  { given: "ALTER TABLE proc.s DROP IF EXISTS PARTITION (ds = '1')", want: ['write alter proc.s'] },
  // ALTER TABLE: Iceberg's extensions
  { given: 'ALTER TABLE proc.s ADD PARTITION FIELD bucket(16, id) AS shard', want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s DROP PARTITION FIELD shard', want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s REPLACE PARTITION FIELD ds_day WITH months(ds) AS ds_month', want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s WRITE ORDERED BY id ASC NULLS LAST, ds DESC', want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s WRITE LOCALLY ORDERED BY id', want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s WRITE DISTRIBUTED BY PARTITION LOCALLY ORDERED BY id', want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s WRITE UNORDERED', want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s SET IDENTIFIER FIELDS id, ds', want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s DROP IDENTIFIER FIELDS id', want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s CREATE BRANCH audit RETAIN 7 DAYS WITH SNAPSHOT RETENTION 2 SNAPSHOTS', want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s CREATE OR REPLACE TAG eom AS OF VERSION 1 RETAIN 365 DAYS', want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s REPLACE BRANCH audit AS OF VERSION 2', want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s DROP BRANCH IF EXISTS audit', want: ['write alter proc.s'] },
  { given: 'ALTER TABLE proc.s DROP TAG eom', want: ['write alter proc.s'] },
  // Views
  { given: 'CREATE VIEW proc.v AS SELECT * FROM raw.e', want: ['write create_view proc.v', 'read select raw.e'] },
  { given: "CREATE OR REPLACE VIEW proc.v (a COMMENT 'x') AS SELECT a FROM raw.e", want: ['write create_view proc.v', 'read select raw.e'] },
  { given: 'ALTER VIEW proc.v AS SELECT * FROM raw.f', want: ['write create_view proc.v', 'read select raw.f'] },
  { given: 'DROP VIEW IF EXISTS proc.v', want: ['write drop_view proc.v'] },
  // Queries
  {
    given: 'SELECT * FROM raw.a a LEFT JOIN raw.b b ON a.id = b.id FULL OUTER JOIN (SELECT * FROM raw.c UNION ALL SELECT * FROM raw.d) cd ON cd.id = a.id WHERE a.x > (SELECT max(x) FROM raw.e)',
    want: ['read select raw.a', 'read select raw.b', 'read select raw.c', 'read select raw.d', 'read select raw.e'],
  },
  { given: 'SELECT * FROM raw.a CROSS JOIN raw.b LEFT ANTI JOIN raw.c USING (id) INTERSECT SELECT * FROM raw.d EXCEPT SELECT * FROM raw.e', want: ['read select raw.a', 'read select raw.b', 'read select raw.c', 'read select raw.d', 'read select raw.e'] },
  { given: 'SELECT id, item FROM raw.orders LATERAL VIEW OUTER explode(items) it AS item', want: ['read select raw.orders'] },
  { given: 'SELECT * FROM raw.o o, LATERAL (SELECT * FROM raw.i i WHERE i.oid = o.id)', want: ['read select raw.o', 'read select raw.i'] },
  { given: 'SELECT * FROM raw.o VERSION AS OF 123', want: ['read select raw.o'] },
  { given: "SELECT * FROM raw.o TIMESTAMP AS OF '2024-01-01'", want: ['read select raw.o'] },
  { given: 'SELECT * FROM range(10) JOIN explode(array(1)) e', want: [] },
  { given: 'SELECT /*+ BROADCAST(r) */ * FROM raw.o JOIN raw.r r ON o.k = r.k', want: ['read select raw.o', 'read select raw.r'] },
  { given: 'TABLE raw.o', want: ['read select raw.o'] },
  { given: 'SELECT * FROM VALUES (1, 2) AS v(a, b)', want: [] },
  { given: 'SELECT count(*) FROM raw.o GROUP BY k HAVING count(*) > (SELECT 1 FROM raw.h) ORDER BY 1 LIMIT 3', want: ['read select raw.o', 'read select raw.h'] },
  { given: "SELECT * FROM IDENTIFIER('raw.o')", want: ['read select raw.o'] },
  { given: "SELECT * FROM parquet.`s3://bucket/path`", want: ['read select parquet.s3://bucket/path'] },
  { given: 'SELECT * FROM `my db`.`my ``odd`` table`', want: ['read select my db.my `odd` table'] },
  { given: 'SELECT * FROM Raw.Orders', want: ['read select Raw.Orders'] },
  { given: 'CACHE TABLE raw.o', want: ['read select raw.o'] },
  { given: 'UNCACHE TABLE IF EXISTS raw.o', want: ['read select raw.o'] },
  { given: 'REFRESH TABLE raw.o', want: ['read select raw.o'] },
  // Statements without tables
  { given: 'SET spark.sql.shuffle.partitions = 4', want: [] },
  { given: 'RESET', want: [] },
  { given: "SET TIME ZONE 'UTC'", want: [] },
  { given: 'CREATE DATABASE IF NOT EXISTS proc', want: [] },
  { given: 'CLEAR CACHE', want: [] },
];

describe('analyzeSql: one statement of each kind', () => {
  it.each(STATEMENTS)('$given', ({ given, want }) => expect(usesOfOne(given)).toEqual(want));
});

/** Names the grammar takes in two parts at most, written with three or four. */
const LONG_NAMES: { given: string; want: string[] }[] = [
  { given: 'INSERT INTO glue_catalog.proc.d SELECT * FROM glue_catalog.raw.e', want: ['write insert glue_catalog.proc.d', 'read select glue_catalog.raw.e'] },
  { given: "INSERT OVERWRITE glue_catalog.proc.d PARTITION (ds = '1') SELECT 1", want: ['write insert_overwrite glue_catalog.proc.d'] },
  { given: 'INSERT INTO TABLE glue_catalog.proc.d.branch_audit SELECT 1', want: ['write insert glue_catalog.proc.d.branch_audit'] },
  { given: 'INSERT INTO proc.d.branch_audit SELECT * FROM proc.d', want: ['write insert proc.d.branch_audit', 'read select proc.d'] },
  { given: 'MERGE INTO glue_catalog.proc.d AS t USING raw.e AS s ON t.id = s.id WHEN MATCHED THEN DELETE', want: ['write merge glue_catalog.proc.d', 'read select raw.e'] },
  { given: 'MERGE INTO proc.d.branch_audit t USING glue_catalog.raw.e s ON t.id = s.id WHEN MATCHED THEN DELETE', want: ['write merge proc.d.branch_audit', 'read select glue_catalog.raw.e'] },
  { given: 'UPDATE glue_catalog.proc.d SET a = 1', want: ['write update glue_catalog.proc.d'] },
  { given: 'UPDATE glue_catalog.proc.d.branch_x AS d SET d.a = 1', want: ['write update glue_catalog.proc.d.branch_x'] },
  { given: 'DELETE FROM glue_catalog.proc.d WHERE a = 1', want: ['write delete glue_catalog.proc.d'] },
  { given: 'DELETE FROM proc.d.branch_x', want: ['write delete proc.d.branch_x'] },
  { given: 'CREATE TABLE glue_catalog.proc.d USING iceberg AS SELECT * FROM raw.e', want: ['write create_as_select glue_catalog.proc.d', 'read select raw.e'] },
  { given: 'CREATE TABLE IF NOT EXISTS glue_catalog.proc.d (a INT) USING iceberg', want: ['write create glue_catalog.proc.d'] },
  { given: "CREATE TABLE glue_catalog.proc.d AS SELECT * FROM raw.e WHERE n LIKE 'x%'", want: ['write create_as_select glue_catalog.proc.d', 'read select raw.e'] },
  { given: 'DROP TABLE IF EXISTS glue_catalog.proc.d PURGE', want: ['write drop glue_catalog.proc.d'] },
  { given: 'TRUNCATE TABLE glue_catalog.proc.d', want: ['write truncate glue_catalog.proc.d'] },
  { given: "ALTER TABLE glue_catalog.proc.d SET TBLPROPERTIES ('k' = 'v')", want: ['write alter glue_catalog.proc.d'] },
  { given: 'ALTER TABLE glue_catalog.proc.d ADD PARTITION FIELD days(ts)', want: ['write alter glue_catalog.proc.d'] },
  { given: 'CREATE VIEW glue_catalog.proc.v AS SELECT 1', want: ['write create_view glue_catalog.proc.v'] },
  { given: 'SELECT * FROM glue_catalog.raw.e.snapshots', want: ['read select glue_catalog.raw.e.snapshots'] },
  { given: 'SELECT * FROM `glue_catalog`.`raw`.`e`', want: ['read select glue_catalog.raw.e'] },
  { given: 'TABLE glue_catalog.raw.e', want: ['read select glue_catalog.raw.e'] },
];

describe('analyzeSql: names of three and four parts', () => {
  it.each(LONG_NAMES)('$given', ({ given, want }) => expect(usesOfOne(given)).toEqual(want));
});

/** Iceberg procedures: the table arrives as a string, named or positional. */
const CALLS: { given: string; want: string[] }[] = [
  { given: "CALL glue_catalog.system.rewrite_data_files(table => 'raw.e', where => 'ts > 0')", want: ['write call raw.e (rewrite_data_files)'] },
  { given: "CALL glue_catalog.system.expire_snapshots('raw.e', TIMESTAMP '2024-01-01 00:00:00', 5)", want: ['write call raw.e (expire_snapshots)'] },
  { given: "CALL system.remove_orphan_files(table => 'glue_catalog.raw.e', dry_run => true)", want: ['write call glue_catalog.raw.e (remove_orphan_files)'] },
  { given: "CALL glue_catalog.system.rewrite_manifests(table => '`raw`.`e`', use_caching => false)", want: ['write call raw.e (rewrite_manifests)'] },
  { given: "CALL glue_catalog.system.rewrite_data_files(table => 'raw.e', strategy => 'sort', sort_order => 'id DESC', options => map('min-input-files', '2'))", want: ['write call raw.e (rewrite_data_files)'] },
  { given: "CALL glue_catalog.system.snapshot('raw.e', 'proc.e_snap')", want: ['read call raw.e (snapshot)', 'write call proc.e_snap (snapshot)'] },
  { given: "CALL glue_catalog.system.add_files(table => 'proc.e', source_table => '`parquet`.`s3://b/p`')", want: ['write call proc.e (add_files)', 'read call parquet.s3://b/p (add_files)'] },
  { given: "CALL glue_catalog.system.fast_forward(table => 'proc.s', branch => 'main', to => 'audit')", want: ['write call proc.s (fast_forward)'] },
  { given: "CALL glue_catalog.system.ancestors_of('proc.s')", want: ['read call proc.s (ancestors_of)'] },
  { given: "CALL glue_catalog.system.register_table(table => 'proc.r', metadata_file => 's3://b/m.json')", want: ['write call proc.r (register_table)'] },
  { given: "call GLUE_CATALOG.SYSTEM.ROLLBACK_TO_SNAPSHOT('proc.s', 42)", want: ['write call proc.s (rollback_to_snapshot)'] },
  { given: "CALL glue_catalog.system.rewrite_data_files(table => \"raw.e\")", want: ['write call raw.e (rewrite_data_files)'] },
];

describe('analyzeSql: CALL', () => {
  it.each(CALLS)('$given', ({ given, want }) => expect(usesOfOne(given)).toEqual(want));
});
