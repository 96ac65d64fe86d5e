SELECT id FROM raw_lake.events;
DELETE FROM raw_lake.events WHERE id = 1
