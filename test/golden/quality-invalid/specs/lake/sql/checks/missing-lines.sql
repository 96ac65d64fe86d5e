SELECT id FROM raw_lake.events WHERE amount < 0
