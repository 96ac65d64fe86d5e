CREATE TABLE IF NOT EXISTS analytics.hourly_revenue (hour_start TIMESTAMP, revenue DECIMAL(18, 2)) USING iceberg;
INSERT INTO analytics.hourly_revenue
SELECT CAST(:data_interval_start AS TIMESTAMP) AS hour_start, sum(amount)
FROM raw.orders
WHERE updated_at >= '{{ data_interval_start }}' AND updated_at < '{{ data_interval_end }}';
