-- The curated tables the upserts and the daily totals write.
CREATE TABLE IF NOT EXISTS process_shop.orders (order_id BIGINT NOT NULL, op STRING, event_ts TIMESTAMP) USING iceberg;
CREATE TABLE IF NOT EXISTS analytics_shop.daily (ds STRING, orders BIGINT) USING iceberg;
