UPDATE raw_shop.orders SET status = 'NEW' WHERE status IS NULL
