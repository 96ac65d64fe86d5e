CREATE TABLE IF NOT EXISTS raw_quality.daily (day date, total decimal(20,2)) USING iceberg;
INSERT OVERWRITE raw_quality.daily SELECT CAST(ts AS DATE) AS day, sum(amount) AS total FROM raw_quality.orders GROUP BY CAST(ts AS DATE)
