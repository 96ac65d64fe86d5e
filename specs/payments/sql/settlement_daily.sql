-- Settlement of the last seven days, recomputed in full so late refunds are counted.
INSERT OVERWRITE process_payments.settlement_daily
SELECT CAST(p.created_at AS DATE) AS settlement_date,
       p.currency,
       p.method,
       CAST(SUM(p.amount) AS DECIMAL(14,2)) AS gross_amount,
       CAST(COALESCE(SUM(r.refunded), 0) AS DECIMAL(14,2)) AS refunded_amount,
       CAST(SUM(p.amount) - COALESCE(SUM(r.refunded), 0) AS DECIMAL(14,2)) AS net_amount
FROM process_payments.payment_ledger p
LEFT JOIN (
  SELECT payment_id, SUM(amount) AS refunded
  FROM raw_payments.refunds
  GROUP BY payment_id
) r ON r.payment_id = p.payment_id
WHERE p.status = 'SETTLED'
  AND p.created_at >= date_sub(current_date(), 7)
GROUP BY CAST(p.created_at AS DATE), p.currency, p.method;
