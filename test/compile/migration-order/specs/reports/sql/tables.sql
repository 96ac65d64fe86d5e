CREATE TABLE IF NOT EXISTS process_reports.order_totals (order_id BIGINT, updated_at TIMESTAMP) USING iceberg;
