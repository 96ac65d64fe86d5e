import json
import unittest

import lakestep as rt
from spark_fakes import PARAMS, FakeSpark, Harness

PASSWORD = "s3cr3t-Pa55!word"
ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:crm-db"
PG_SECRET = {"engine": "postgres", "username": "etl", "password": PASSWORD,
             "host": "crm.example.internal", "port": 5433, "dbname": "crm"}
STEP = {"kind": "jdbc_extract", "name": "customers-jdbc", "engine": "postgresql", "secretArn": ARN,
        "table": "public.customers", "fetchSize": 10000, "incrementalColumn": "updated_at",
        "watermarkParameter": "watermark", "view": "extract_customers",
        "writeSql": "INSERT INTO c.raw.customers SELECT *, :run_id AS run_id FROM extract_customers"}


class JdbcUrlTest(unittest.TestCase):
    def test_postgresql(self):
        self.assertEqual(rt.jdbc_url("postgresql", PG_SECRET), "jdbc:postgresql://crm.example.internal:5433/crm")
        self.assertEqual(rt.jdbc_url("postgresql", {"host": "h", "dbname": "d"}), "jdbc:postgresql://h:5432/d")

    def test_oracle_thin_service_and_sid(self):
        self.assertEqual(rt.jdbc_url("oracle", {"host": "h", "port": 1522, "dbname": "ORCL"}),
                         "jdbc:oracle:thin:@//h:1522/ORCL")
        self.assertEqual(rt.jdbc_url("oracle", {"host": "h", "service_name": "SALES.example"}),
                         "jdbc:oracle:thin:@//h:1521/SALES.example")
        self.assertEqual(rt.jdbc_url("oracle", {"host": "h", "sid": "XE"}), "jdbc:oracle:thin:@h:1521:XE")

    def test_secret_without_host_is_refused(self):
        with self.assertRaisesRegex(rt.JobError, "host"):
            rt.jdbc_url("postgresql", {"username": "u", "password": PASSWORD})


class JdbcOptionsTest(unittest.TestCase):
    def test_full_table_read_on_first_run(self):
        options = rt.jdbc_options(STEP, PG_SECRET, {**PARAMS, "watermark": ""})
        self.assertEqual(options, {
            "url": "jdbc:postgresql://crm.example.internal:5433/crm", "driver": "org.postgresql.Driver",
            "user": "etl", "password": PASSWORD, "fetchsize": "10000", "dbtable": "public.customers",
        })

    def test_incremental_predicate_with_a_valid_timestamp_watermark(self):
        options = rt.jdbc_options(STEP, PG_SECRET, {**PARAMS, "watermark": "2026-11-26T05:30:00.123456Z"})
        self.assertEqual(options["dbtable"], "(SELECT * FROM public.customers WHERE \"updated_at\" >= "
                                             "TIMESTAMP '2026-11-26 05:30:00.123456') t")

    def test_incremental_predicate_looks_back(self):
        step = {**STEP, "lookbackSeconds": 900}
        options = rt.jdbc_options(step, PG_SECRET, {**PARAMS, "watermark": "2026-11-26T05:30:00.123456Z"})
        self.assertEqual(options["dbtable"], "(SELECT * FROM public.customers WHERE \"updated_at\" >= "
                                             "TIMESTAMP '2026-11-26 05:15:00.123456') t")
        for bad in (-1, "900", True):
            with self.subTest(bad=bad), self.assertRaises(rt.JobError):
                rt.jdbc_options({**STEP, "lookbackSeconds": bad}, PG_SECRET, {**PARAMS, "watermark": "1"})

    def test_incremental_predicate_with_a_numeric_watermark(self):
        options = rt.jdbc_options({**STEP, "lookbackSeconds": 900}, PG_SECRET, {**PARAMS, "watermark": "00000000000000000042"})
        self.assertEqual(options["dbtable"], "(SELECT * FROM public.customers WHERE \"updated_at\" >= 42) t")

    def test_oracle_folds_the_column_to_upper_case(self):
        step = {**STEP, "engine": "oracle"}
        options = rt.jdbc_options(step, {"host": "h", "dbname": "ORCL", "username": "u", "password": "p"},
                                  {**PARAMS, "watermark": "2026-11-26T05:30:00Z"})
        self.assertEqual(options["driver"], "oracle.jdbc.OracleDriver")
        self.assertEqual(options["url"], "jdbc:oracle:thin:@//h:1521/ORCL")
        self.assertEqual(options["dbtable"], "(SELECT * FROM public.customers WHERE \"UPDATED_AT\" >= "
                                             "TIMESTAMP '2026-11-26 05:30:00.000000') t")

    def test_oracle_lookback_and_numeric_predicates(self):
        # Oracle cannot run here: the dialect choices are checked as text. ANSI
        # TIMESTAMP literals and unquoted numbers are valid Oracle SQL; the column is
        # quoted upper-case because Oracle folds unquoted names to upper case.
        step = {**STEP, "engine": "oracle", "lookbackSeconds": 3600}
        secret = {"host": "h", "sid": "XE", "username": "u", "password": "p"}
        options = rt.jdbc_options(step, secret, {**PARAMS, "watermark": "2026-11-26T05:30:00+02:00"})
        self.assertEqual(options["url"], "jdbc:oracle:thin:@h:1521:XE")
        self.assertEqual(options["dbtable"], "(SELECT * FROM public.customers WHERE \"UPDATED_AT\" >= "
                                             "TIMESTAMP '2026-11-26 02:30:00.000000') t")
        numeric = rt.jdbc_options(step, secret, {**PARAMS, "watermark": "00000000000000000042.50"})
        self.assertEqual(numeric["dbtable"], "(SELECT * FROM public.customers WHERE \"UPDATED_AT\" >= 42.50) t")

    def test_partitioned_read(self):
        step = {**STEP, "partitioning": {"column": "customer_id", "lower": 1, "upper": 50000000, "partitions": 16}}
        options = rt.jdbc_options(step, PG_SECRET, PARAMS)
        self.assertEqual({k: options[k] for k in ("partitionColumn", "lowerBound", "upperBound", "numPartitions")},
                         {"partitionColumn": "customer_id", "lowerBound": "1", "upperBound": "50000000",
                          "numPartitions": "16"})

    def test_query_uses_query_option_or_a_subquery(self):
        step = {**STEP, "table": None, "query": "SELECT id, updated_at FROM crm.v_customers"}
        self.assertEqual(rt.jdbc_options(step, PG_SECRET, PARAMS)["query"], step["query"])
        incremental = rt.jdbc_options(step, PG_SECRET, {**PARAMS, "watermark": "7"})
        self.assertEqual(incremental["dbtable"],
                         "(SELECT * FROM (SELECT id, updated_at FROM crm.v_customers) q WHERE \"updated_at\" >= 7) t")
        self.assertNotIn("query", incremental)

    def test_malicious_watermark_values_are_refused(self):
        for value in ["2026-11-26' OR '1'='1", "1; DROP TABLE customers", "2026-13-45T00:00:00Z",
                      "now()", "1 OR 1=1", "2026-11-26T05:30:00Z'--"]:
            with self.subTest(value=value), self.assertRaises(rt.JobError):
                rt.jdbc_options(STEP, PG_SECRET, {**PARAMS, "watermark": value})

    def test_malicious_identifiers_are_refused(self):
        cases = [{"incrementalColumn": 'updated_at" > 0 OR "x'}, {"incrementalColumn": "a b"},
                 {"table": "public.customers; DROP TABLE x"},
                 {"partitioning": {"column": "id)--", "lower": 1, "upper": 2, "partitions": 2}}]
        for change in cases:
            with self.subTest(change=change), self.assertRaises(rt.JobError):
                rt.jdbc_options({**STEP, **change}, PG_SECRET, {**PARAMS, "watermark": "1"})


class JdbcStepTest(unittest.TestCase):
    def test_reads_once_registers_view_and_runs_write_sql_with_parameters(self):
        h = Harness(secrets={ARN: json.dumps(PG_SECRET)})
        h.spark.jdbc_rows = [(1,), (2,), (3,)]
        rows = rt.step_jdbc_extract(h.context({**PARAMS, "watermark": ""}), STEP)
        self.assertEqual(rows, 3)
        [reader] = h.spark.readers
        self.assertEqual(reader.fmt, "jdbc")
        self.assertEqual(reader.options["dbtable"], "public.customers")
        view = h.spark.views["extract_customers"]
        self.assertTrue(view.checkpointed)
        self.assertEqual(h.spark.calls, [(STEP["writeSql"], {"run_id": "run-1"}), ("selectExpr max(`updated_at`)", None)])
        self.assertEqual(h.secrets.requests, [ARN])
        self.assertEqual(h.regions, ["eu-west-1"])

    def test_watermark_is_the_newest_value_written(self):
        h = Harness(secrets={ARN: json.dumps(PG_SECRET)})
        h.spark.jdbc_rows = [(7,), (12,), (9,)]
        ctx = h.context({**PARAMS, "watermark": ""})
        rt.step_jdbc_extract(ctx, STEP)
        self.assertEqual(ctx.watermarks, {"watermark": "00000000000000000012"})
        h.spark.jdbc_rows = []
        ctx = h.context({**PARAMS, "watermark": "00000000000000000012"})
        rt.step_jdbc_extract(ctx, STEP)
        self.assertEqual(ctx.watermarks, {})

    def test_arn_region(self):
        self.assertEqual(rt.arn_region(ARN), "eu-west-1")
        self.assertIsNone(rt.arn_region("crm-db"))

    def test_secret_is_never_printed(self):
        failing = FakeSpark(results={"INSERT INTO": RuntimeError("write failed")})
        failing.jdbc_rows = [(1,)]
        h = Harness(spark=failing, secrets={ARN: json.dumps(PG_SECRET)})
        objects = {"s3://art/job.json": {"version": 1, "job": "j", "steps": [STEP]}}
        h.s3.objects.update({k: json.dumps(v).encode() for k, v in objects.items()})
        argv = ["--job", "s3://art/job.json", "--result", "s3://art/r.json",
                "--param", "ds=2026-11-26", "--param", "ts=2026-11-26T06:00:00Z", "--param", "run_id=r"]
        with self.assertRaises(RuntimeError) as caught:
            rt.main(argv, h.runtime)
        self.assertNotIn(PASSWORD, str(caught.exception))
        self.assertTrue(h.lines)
        for line in h.lines:
            self.assertNotIn(PASSWORD, line)

    def test_non_json_secret_error_does_not_carry_the_secret(self):
        h = Harness(secrets={ARN: "user=etl password=" + PASSWORD})
        with self.assertRaises(rt.JobError) as caught:
            rt.step_jdbc_extract(h.context(PARAMS), STEP)
        self.assertNotIn(PASSWORD, str(caught.exception))
        self.assertIsNone(caught.exception.__cause__)
        self.assertTrue(caught.exception.__suppress_context__)


if __name__ == "__main__":
    unittest.main()
