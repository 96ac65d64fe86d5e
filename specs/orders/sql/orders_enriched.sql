-- Orders of the last three days, enriched with the customer's segment and country.
MERGE INTO process_orders.orders_enriched t
USING (
  SELECT o.order_id,
         o.customer_id,
         c.segment,
         c.country,
         o.amount,
         CAST(o.created_at AS DATE) AS order_date,
         o.updated_at
  FROM raw_orders.orders o
  LEFT JOIN raw_customers.customers c ON c.customer_id = o.customer_id
  WHERE o.updated_at >= current_timestamp() - INTERVAL 3 DAYS
) s
ON t.order_id = s.order_id
WHEN MATCHED THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *;
