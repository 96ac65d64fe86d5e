-- Settlement of the last seven days, recomputed so late refunds are counted.
-- A MERGE, not an INSERT OVERWRITE: the days before the window are history and stay.
MERGE INTO process_payments.settlement_daily t
USING (
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
  GROUP BY CAST(p.created_at AS DATE), p.currency, p.method
) s
ON t.settlement_date = s.settlement_date AND t.currency = s.currency AND t.method <=> s.method
WHEN MATCHED THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *
WHEN NOT MATCHED BY SOURCE AND t.settlement_date >= date_sub(current_date(), 7) THEN DELETE;
