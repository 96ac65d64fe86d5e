import json
import unittest
from datetime import datetime

import lakestep as rt
from spark_fakes import FakeFrame, FakeSpark, Harness

SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:crm-db"
JOB = {
    "version": 1, "useCase": "orders", "workflow": "orders-ingestion", "job": "ingest", "catalog": "glue",
    "steps": [
        {"kind": "sql", "name": "create", "sql": "CREATE TABLE IF NOT EXISTS glue.raw.customers (id BIGINT) USING iceberg"},
        {"kind": "jdbc_extract", "name": "customers-jdbc", "engine": "postgresql", "secretArn": SECRET_ARN,
         "table": "public.customers", "fetchSize": 1000, "incrementalColumn": "updated_at",
         "watermarkParameter": "wm_customers", "view": "extract_customers",
         "writeSql": "INSERT INTO glue.raw.customers SELECT * FROM extract_customers"},
        {"kind": "watermark", "name": "customers-watermark", "key": "raw.customers",
         "sql": "SELECT max(updated_at) FROM glue.raw.customers"},
    ],
}
ARGV = ["--job", "s3://art/lakestep/jobs/orders/ingest.json", "--result", "s3://art/lakestep/results/r1.json",
        "--param", "ds=2026-11-26", "--param", "ts=2026-11-26T06:00:00Z", "--param", "run_id=r1",
        "--param", "wm_customers="]
RESULT_URI = "s3://art/lakestep/results/r1.json"


def harness(spark: FakeSpark | None = None, job=JOB) -> Harness:
    spark = spark or FakeSpark()
    spark.jdbc_rows = [(1,), (2,)]
    spark.results.setdefault("max(updated_at)", FakeFrame(spark, rows=[(datetime(2026, 11, 26, 5, 0),)],
                                                          type_name="timestamp_ntz"))
    secret = json.dumps({"username": "etl", "password": "pw-123", "host": "db", "port": 5432, "dbname": "crm"})
    return Harness(spark=spark, objects={"s3://art/lakestep/jobs/orders/ingest.json": job},
                   secrets={SECRET_ARN: secret})


class MainTest(unittest.TestCase):
    def test_writes_the_result_file(self):
        h = harness()
        self.assertEqual(rt.main(ARGV, h.runtime), 0)
        [put] = h.s3.puts
        self.assertEqual((put["Bucket"], put["Key"], put["ContentType"]),
                         ("art", "lakestep/results/r1.json", "application/json"))
        self.assertEqual(json.loads(put["Body"]), {
            # The extract's own newest value (fake rows 1 and 2), and the later watermark step's.
            "watermarks": {"raw.customers": "2026-11-26T05:00:00.000000Z", "wm_customers": "00000000000000000002"},
            "rows": {"customers-jdbc": 2},
            "steps": ["create", "customers-jdbc", "customers-watermark"],
        })

    def test_logs_one_json_line_per_step(self):
        h = harness()
        rt.main(ARGV, h.runtime)
        steps = [r for r in h.records() if r["event"] == "step"]
        self.assertEqual([(s["step"], s["kind"], s["status"], s["rows"]) for s in steps], [
            ("create", "sql", "succeeded", None),
            ("customers-jdbc", "jdbc_extract", "succeeded", 2),
            ("customers-watermark", "watermark", "succeeded", None),
        ])
        self.assertTrue(all(s["durationSeconds"] >= 0 for s in steps))

    def test_a_failing_step_raises_and_writes_no_result(self):
        spark = FakeSpark(results={"INSERT INTO glue.raw.customers": RuntimeError("commit conflict")})
        h = harness(spark)
        with self.assertRaisesRegex(RuntimeError, "commit conflict"):
            rt.main(ARGV, h.runtime)
        self.assertEqual(h.s3.puts, [])
        self.assertNotIn(RESULT_URI, h.s3.objects)
        last = h.records()[-1]
        self.assertEqual((last["step"], last["status"]), ("customers-jdbc", "failed"))
        self.assertNotIn("customers-watermark", [r.get("step") for r in h.records()])

    def test_an_invalid_job_document_runs_nothing(self):
        bad = {**JOB, "steps": [JOB["steps"][0], {**JOB["steps"][2], "name": "create"}]}
        h = harness(job=bad)
        with self.assertRaisesRegex(rt.JobError, "duplicate"):
            rt.main(ARGV, h.runtime)
        self.assertEqual(h.spark.calls, [])
        self.assertEqual(h.s3.puts, [])


class ValidateJobTest(unittest.TestCase):
    def test_refuses_malformed_documents(self):
        step = JOB["steps"][1]
        cases = {
            "version": {**JOB, "version": 2},
            "no steps": {**JOB, "steps": []},
            "unknown kind": {**JOB, "steps": [{"kind": "shell", "name": "x"}]},
            "missing field": {**JOB, "steps": [{"kind": "sql", "name": "x"}]},
            "table and query": {**JOB, "steps": [{**step, "query": "SELECT 1"}]},
            "bad view": {**JOB, "steps": [{**step, "view": "v; DROP"}]},
            "bad engine": {**JOB, "steps": [{**step, "engine": "mysql"}]},
        }
        for label, doc in cases.items():
            with self.subTest(label), self.assertRaises(rt.JobError):
                rt.validate_job(doc)

    def test_accepts_the_example(self):
        rt.validate_job(JOB)


class ModuleTest(unittest.TestCase):
    def test_runtime_parses_as_python_3_9(self):
        # EMR Serverless 7.x runs the entry point and the package with Python 3.9.
        import ast
        from pathlib import Path
        package = Path(rt.__file__).parent
        files = [package.parent / "lakestep_runtime.py", *sorted(package.rglob("*.py"))]
        self.assertGreater(len(files), 10)
        for path in files:
            with self.subTest(path=path.name):
                ast.parse(path.read_text(encoding="utf-8"), feature_version=(3, 9))

    def test_no_module_over_300_lines(self):
        from pathlib import Path
        for path in sorted(Path(rt.__file__).parent.rglob("*.py")):
            with self.subTest(path=path.name):
                self.assertLessEqual(len(path.read_text(encoding="utf-8").splitlines()), 300)

    def test_every_step_kind_has_its_module(self):
        for kind, module in rt.STEPS.items():
            with self.subTest(kind=kind):
                self.assertEqual(module.__name__, f"lakestep.steps.{kind}")
                self.assertTrue(callable(module.run))

    def test_imports_without_pyspark_or_boto3(self):
        import sys
        self.assertNotIn("pyspark", sys.modules)
        self.assertNotIn("boto3", sys.modules)


if __name__ == "__main__":
    unittest.main()
