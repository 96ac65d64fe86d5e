SELECT * FROM raw_leak.events WHERE note <> 'jdbc:mysql://root:hunter2@db/x'
