INSERT OVERWRITE raw_lake.balances SELECT id, sum(amount) AS amount FROM raw_lake.events GROUP BY id
