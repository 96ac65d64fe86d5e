/**
 * The functions a user expression may call: deterministic scalar built-ins of
 * Spark SQL. Anything else — Java reflection (`reflect`), side effects
 * (`raise_error`, `assert_true`), user functions, aggregates and windows — is
 * rejected, so an expression can only compute a value from its row.
 * See https://spark.apache.org/docs/latest/api/sql/index.html
 */
export const EXPRESSION_FUNCTIONS: ReadonlySet<string> = new Set(
  (
    'abs acos add_months ascii asin atan atan2 bit_length btrim cbrt ceil ceiling char char_length character_length chr coalesce concat concat_ws ' +
    'contains conv cos cosh current_date current_timestamp date_add date_diff date_format date_from_unix_date date_part date_sub date_trunc ' +
    'dateadd datediff day dayofmonth dayofweek dayofyear decode degrees e element_at endswith exp expm1 extract floor format_number ' +
    'format_string from_unixtime from_utc_timestamp greatest hash hex hour if ifnull initcap instr isnan isnotnull isnull last_day lcase ' +
    'least left len length levenshtein ln locate log log10 log1p log2 lower lpad ltrim make_date make_timestamp md5 minute mod month ' +
    'months_between nanvl negative next_day now nullif nvl nvl2 octet_length overlay pi pmod position positive pow power quarter radians ' +
    'regexp regexp_extract regexp_like regexp_replace repeat replace reverse right rint rlike round rpad rtrim second sha1 sha2 sign ' +
    'signum sin sinh size space split_part sqrt startswith substr substring substring_index tan tanh timestamp_micros timestamp_millis ' +
    'timestamp_seconds to_date to_timestamp to_utc_timestamp translate trim trunc try_add try_divide try_multiply try_subtract typeof ' +
    'ucase unhex unix_date unix_micros unix_millis unix_seconds unix_timestamp upper weekday weekofyear xxhash64 year array_contains'
  ).split(' '),
);

/** Scalar type names a `CAST(… AS type)` may name; `decimal`, `varchar` and `char` take sizes, `array`/`map` element types. */
export const EXPRESSION_TYPES: ReadonlySet<string> = new Set(
  'boolean tinyint byte smallint short int integer bigint long float real double decimal dec numeric date timestamp timestamp_ntz timestamp_ltz string binary varchar char array map'.split(' '),
);

/** Words that are never a bare column name in an expression (backquote them to use them as names). */
export const EXPRESSION_KEYWORDS: ReadonlySet<string> = new Set(
  ('AND OR NOT IS NULL IN LIKE ILIKE RLIKE REGEXP ESCAPE BETWEEN TRUE FALSE UNKNOWN CAST AS CASE WHEN THEN ELSE END ' +
    'INTERVAL TO ANY SOME ALL DIV DISTINCT FROM ' +
    'SELECT WHERE GROUP HAVING ORDER LIMIT OFFSET UNION INTERSECT EXCEPT MINUS JOIN ON USING INSERT UPDATE DELETE ' +
    'MERGE INTO VALUES DROP CREATE ALTER TRUNCATE CALL WITH SET RESET GRANT REVOKE USE SHOW DESCRIBE EXPLAIN REFRESH ' +
    'CACHE UNCACHE LOAD ADD EXECUTE EXISTS OVER WINDOW PARTITION TABLE LATERAL DECLARE MSCK ANALYZE COMMIT ROLLBACK ' +
    'TRANSFORM REDUCE CLUSTER DISTRIBUTE SORT MATCHED').split(' '),
);

/** Interval units, singular and plural. */
export const INTERVAL_UNITS: ReadonlySet<string> = new Set(
  'YEAR YEARS MONTH MONTHS WEEK WEEKS DAY DAYS HOUR HOURS MINUTE MINUTES SECOND SECONDS MILLISECOND MILLISECONDS MICROSECOND MICROSECONDS'.split(' '),
);
