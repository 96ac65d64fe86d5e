CREATE TABLE IF NOT EXISTS raw_shop.orders_copy (order_id BIGINT, updated_at TIMESTAMP) USING iceberg;
