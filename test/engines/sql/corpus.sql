-- Every construct the SQL analysis models, each statement on its own.
-- Names in comments are never tables: raw.commented_out, DROP TABLE raw.gone;
/* nor in block comments: INSERT INTO raw.nope SELECT 1; */
INSERT INTO proc.daily SELECT id, 'raw.not_a_table; DROP TABLE x' AS note FROM raw.events;
INSERT INTO TABLE proc.daily (id, note) VALUES (1, 'a'), (2, "b");
INSERT OVERWRITE proc.daily PARTITION (ds = '2024-01-01') SELECT id, note FROM raw.events WHERE ds = :ds;
INSERT OVERWRITE TABLE glue_catalog.proc.daily PARTITION (ds) SELECT id, note, ds FROM glue_catalog.raw.events;
INSERT INTO glue_catalog.proc.daily.branch_audit SELECT * FROM proc.staging WHERE ts > :watermark;
INSERT INTO proc.daily REPLACE WHERE ds = '2024-01-01' SELECT * FROM raw.events WHERE ds = '2024-01-01';
MERGE INTO proc.customers t
USING raw.customer_events AS s
ON t.id = s.id
WHEN MATCHED AND s.op = 'D' THEN DELETE
WHEN MATCHED THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *
WHEN NOT MATCHED BY SOURCE THEN DELETE;
MERGE INTO glue_catalog.proc.customers AS t
USING (SELECT e.* FROM raw.customer_events e JOIN raw.regions r ON e.region = r.code WHERE r.active) s
ON t.id = s.id
WHEN MATCHED THEN UPDATE SET t.name = s.name
WHEN NOT MATCHED THEN INSERT (id, name) VALUES (s.id, s.name);
MERGE INTO proc.customers.branch_audit t USING glue_catalog.raw.customer_events s ON t.id = s.id WHEN MATCHED THEN DELETE;
UPDATE proc.customers SET name = upper(name) WHERE id IN (SELECT id FROM raw.renames);
UPDATE glue_catalog.proc.customers AS c SET c.name = 'x' WHERE EXISTS (SELECT 1 FROM raw.renames r WHERE r.id = c.id);
DELETE FROM proc.customers WHERE id IN (SELECT id FROM raw.erasures);
DELETE FROM glue_catalog.proc.customers.branch_audit WHERE ts < current_timestamp() - INTERVAL 30 DAYS;
CREATE TABLE IF NOT EXISTS proc.summary (id BIGINT, total DECIMAL(12, 2), ds DATE) USING iceberg PARTITIONED BY (days(ds)) TBLPROPERTIES ('format-version' = '2');
CREATE TABLE glue_catalog.proc.summary2 USING iceberg AS SELECT id, sum(amount) AS total FROM raw.payments GROUP BY id;
CREATE OR REPLACE TABLE proc.summary3 USING iceberg AS SELECT * FROM raw.payments;
REPLACE TABLE glue_catalog.proc.summary4 USING iceberg AS SELECT * FROM raw.payments;
CREATE TABLE proc.summary5 LIKE raw.payments;
DROP TABLE proc.old;
DROP TABLE IF EXISTS glue_catalog.proc.older PURGE;
ALTER TABLE proc.summary ADD COLUMNS (note STRING COMMENT 'a note');
ALTER TABLE glue_catalog.proc.summary SET TBLPROPERTIES ('write.format.default' = 'parquet');
ALTER TABLE proc.summary RENAME COLUMN note TO remark;
ALTER TABLE proc.summary ALTER COLUMN total TYPE DECIMAL(14, 2);
ALTER TABLE proc.summary DROP COLUMN remark;
ALTER TABLE proc.summary RENAME TO proc.summary_v2;
ALTER TABLE glue_catalog.proc.summary_v2 ADD PARTITION FIELD bucket(16, id) AS shard;
ALTER TABLE proc.summary_v2 DROP PARTITION FIELD shard;
ALTER TABLE proc.summary_v2 REPLACE PARTITION FIELD ds_day WITH months(ds) AS ds_month;
ALTER TABLE proc.summary_v2 WRITE ORDERED BY id ASC NULLS LAST, ds DESC;
ALTER TABLE proc.summary_v2 WRITE DISTRIBUTED BY PARTITION LOCALLY ORDERED BY id;
ALTER TABLE proc.summary_v2 SET IDENTIFIER FIELDS id;
ALTER TABLE glue_catalog.proc.summary_v2 CREATE BRANCH audit_x RETAIN 7 DAYS;
ALTER TABLE proc.summary_v2 CREATE OR REPLACE TAG eom AS OF VERSION 1 RETAIN 365 DAYS;
ALTER TABLE proc.summary_v2 DROP BRANCH IF EXISTS audit_x;
TRUNCATE TABLE proc.scratch;
CREATE TEMPORARY VIEW recent AS SELECT * FROM raw.events WHERE ts > current_timestamp() - INTERVAL 1 DAY;
CREATE OR REPLACE TEMP VIEW recent_ids AS SELECT id FROM recent;
INSERT INTO proc.daily SELECT r.id, 'x' FROM recent r JOIN recent_ids i ON r.id = i.id;
CACHE TABLE hot AS SELECT * FROM raw.events WHERE hot;
INSERT INTO proc.hot SELECT * FROM hot;
UNCACHE TABLE hot;
CACHE TABLE raw.events;
CREATE VIEW proc.events_view AS SELECT * FROM raw.events;
DROP VIEW recent;
DROP VIEW IF EXISTS proc.events_view;
WITH a AS (SELECT * FROM raw.events), b AS (SELECT * FROM a JOIN raw.users u ON a.uid = u.id) INSERT INTO proc.joined SELECT * FROM b;
WITH events AS (SELECT * FROM raw.events WHERE ok) SELECT * FROM events;
WITH events AS (SELECT * FROM events) SELECT * FROM events;
WITH x AS (WITH y AS (SELECT * FROM raw.deep) SELECT * FROM y) SELECT * FROM x, raw.other;
SELECT * FROM raw.a a LEFT JOIN raw.b b ON a.id = b.id FULL OUTER JOIN (SELECT * FROM raw.c UNION ALL SELECT * FROM raw.d) cd ON cd.id = a.id WHERE a.x > (SELECT max(x) FROM raw.e);
SELECT id, item FROM raw.orders LATERAL VIEW explode(items) it AS item;
SELECT * FROM raw.orders o, LATERAL (SELECT * FROM raw.items i WHERE i.order_id = o.id);
SELECT * FROM glue_catalog.raw.orders.snapshots;
SELECT * FROM raw.orders VERSION AS OF 123;
SELECT * FROM range(10);
SELECT /*+ BROADCAST(r) */ * FROM raw.orders o JOIN raw.regions r ON o.region = r.code;
USE raw;
SELECT * FROM events;
INSERT INTO daily SELECT * FROM events;
SET spark.sql.shuffle.partitions = 4;
CALL glue_catalog.system.rewrite_data_files(table => 'raw.events', where => 'ts > 0');
CALL glue_catalog.system.expire_snapshots('raw.events', TIMESTAMP '2024-01-01 00:00:00', 5);
CALL system.remove_orphan_files(table => 'glue_catalog.raw.events', dry_run => true);
CALL glue_catalog.system.snapshot('raw.events', 'proc.events_snapshot');
CALL glue_catalog.system.fast_forward(table => 'proc.summary_v2', branch => 'main', to => 'audit_x');
CALL glue_catalog.system.create_changelog_view(table => 'raw.events', changelog_view => 'event_changes');
SELECT * FROM event_changes;
CALL glue_catalog.system.rewrite_manifests(table => '`raw`.`events`', use_caching => false);
INSERT INTO proc.daily SELECT * FROM raw.events WHERE ds = :ds;
FROM raw.src INSERT INTO proc.x SELECT id INSERT OVERWRITE TABLE proc.y SELECT id;
DELETE FROM proc.customers;
UPDATE glue_catalog.proc.customers.branch_x AS d SET d.name = 'x';
CREATE TABLE proc.like2 LIKE raw.payments;
CREATE TABLE proc.cte_ctas AS WITH x AS (SELECT * FROM raw.payments) SELECT * FROM x;
CREATE OR REPLACE TABLE proc.summary6 (id INT) USING iceberg;
ALTER TABLE proc.summary_v2 ADD COLUMN extra STRING;
ALTER TABLE proc.summary_v2 UNSET TBLPROPERTIES ('write.format.default');
ALTER TABLE proc.summary_v2 DROP COLUMNS (extra, other);
ALTER TABLE proc.summary_v2 SET LOCATION 's3://bucket/path';
ALTER TABLE proc.summary_v2 DROP IF EXISTS PARTITION (ds = '1');
ALTER TABLE proc.summary_v2 WRITE LOCALLY ORDERED BY id;
ALTER TABLE proc.summary_v2 WRITE UNORDERED;
ALTER TABLE proc.summary_v2 DROP IDENTIFIER FIELDS id;
ALTER TABLE proc.summary_v2 REPLACE BRANCH audit_x AS OF VERSION 2;
ALTER TABLE glue_catalog.proc.summary_v2 DROP TAG eom;
TRUNCATE TABLE glue_catalog.proc.scratch PARTITION (ds = '1');
CREATE OR REPLACE VIEW proc.events_view2 (a COMMENT 'x') AS SELECT a FROM raw.events;
ALTER VIEW proc.events_view2 AS SELECT a FROM raw.other_events;
CREATE GLOBAL TEMPORARY VIEW shared AS SELECT 1 AS one;
CREATE TEMPORARY VIEW files USING parquet OPTIONS (path 's3://bucket/path');
SELECT * FROM global_temp.shared JOIN files;
TABLE raw.orders;
SELECT * FROM VALUES (1, 2) AS v(a, b);
SELECT count(*) FROM raw.orders GROUP BY k HAVING count(*) > (SELECT 1 FROM raw.h) ORDER BY 1 LIMIT 3;
SELECT * FROM IDENTIFIER('raw.orders');
SELECT * FROM parquet.`s3://bucket/path`;
SELECT * FROM `my db`.`my ``odd`` table`;
SELECT * FROM raw.a CROSS JOIN raw.b LEFT ANTI JOIN raw.c USING (id) INTERSECT SELECT * FROM raw.d EXCEPT SELECT * FROM raw.e;
WITH Orders AS (SELECT * FROM raw.orders) SELECT * FROM ORDERS JOIN raw.Orders;
WITH t AS (SELECT * FROM raw.a) SELECT * FROM (WITH t AS (SELECT * FROM raw.b) SELECT * FROM t) JOIN t;
WITH a AS (SELECT * FROM b), b AS (SELECT * FROM a) SELECT * FROM b;
WITH s AS (SELECT * FROM raw.s) MERGE INTO proc.t USING s ON t.id = s.id WHEN MATCHED THEN DELETE;
WITH t AS (SELECT * FROM raw.s) INSERT INTO t SELECT * FROM t;
REFRESH TABLE raw.orders;
UNCACHE TABLE IF EXISTS raw.events;
RESET;
SET TIME ZONE 'UTC';
CREATE DATABASE IF NOT EXISTS proc;
CLEAR CACHE;
CALL glue_catalog.system.add_files(table => 'proc.events', source_table => '`parquet`.`s3://bucket/path`');
CALL glue_catalog.system.ancestors_of('proc.summary_v2');
CALL glue_catalog.system.register_table(table => 'proc.registered', metadata_file => 's3://bucket/m.json');
call GLUE_CATALOG.SYSTEM.ROLLBACK_TO_SNAPSHOT('proc.summary_v2', 42);
CALL glue_catalog.system.expire_snapshots(table => 'glue_catalog.raw.events', older_than => TIMESTAMP '2024-01-01 00:00:00', retain_last => 1);
CALL glue_catalog.system.rewrite_data_files(table => "raw.events", strategy => 'sort', sort_order => 'id DESC', options => map('min-input-files', '2'));
