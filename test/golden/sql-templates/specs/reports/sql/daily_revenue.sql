-- Revenue of the day {{ ds }}: an Airflow 2 SQL file, moved as it was (with the table it fills).
CREATE TABLE IF NOT EXISTS analytics.daily_revenue (day STRING, dag STRING, run STRING, revenue DECIMAL(18, 2)) USING iceberg;
INSERT OVERWRITE analytics.daily_revenue
SELECT '{{ ds }}' AS day, '{{ dag }}' AS dag, '{{ run_id }}' AS run, sum(amount) AS revenue
FROM raw.orders
WHERE order_day = DATE '{{ ds }}'
  AND day_key = {{ ds_nodash }}
  AND updated_at >= TIMESTAMP '{{ data_interval_start }}'
  AND updated_at < TIMESTAMP '{{ data_interval_end }}'
  AND note <> 'plain text'  -- {{ comments are left alone }}
  AND (previous = '{{ prev_ds }}' OR next = '{{ next_ds }}' OR source = '{{ use_case }}' OR ts = :ts);
