-- A user SQL file, run as given: names without catalog resolve in the default catalog.
INSERT INTO raw_lake.t_parquet
SELECT id, 'from-sql' AS name, amount, ts FROM raw_lake.events WHERE op = 'SQL'
