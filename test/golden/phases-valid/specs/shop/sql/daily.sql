-- Daily totals; two statements.
DELETE FROM analytics_shop.daily WHERE ds = :ds;
INSERT INTO analytics_shop.daily SELECT :ds AS ds, count(*) FROM process_shop.orders;
