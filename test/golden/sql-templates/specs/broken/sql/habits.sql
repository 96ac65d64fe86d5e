INSERT INTO analytics.events_{{ ds_nodash }}
SELECT * FROM raw.events
WHERE path = 's3://landing/dt={{ ds }}/'
  AND day = '{{ execution_date }}'
  AND next = '{{ macros.ds_add(ds, 1) }}'
  AND span = INTERVAL '{{ ds }}'
  AND x = :yesterday
{% if params.full %} AND 1 = 1 {% endif %};
