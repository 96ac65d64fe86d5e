"""Write-audit-publish in the runtime (audit, check and publish steps, gated Kafka
batches, commit records) over a fake of Iceberg's branches (iceberg_fakes.py)."""
import json
import unittest

import lakestep as rt
from iceberg_fakes import FakeIceberg
from spark_fakes import PARAMS, FakeFrame, FakeSpark, Harness

T = "`c`.`raw`.`orders`"
AUDIT = {"kind": "audit", "name": "audit raw.orders", "table": T, "key": "raw.orders", "retainDays": 7}
WRITE = {"kind": "sql", "name": "merge", "sql": f"MERGE INTO {T} t USING src s ON t.id = s.id WHEN NOT MATCHED THEN INSERT *"}
NOT_NULL = {"kind": "check", "name": "check raw.orders not_null(id)", "table": "raw.orders", "check": "not_null(id)",
            "checkKind": "not_null", "severity": "error", "sampleColumns": ["id", "email"], "maskedColumns": ["email"],
            "sql": f"SELECT `id`, '***' AS `email`, count(*) OVER () AS _lakestep_failing FROM {T} WHERE (`id` IS NULL) LIMIT 10"}
PUBLISH = {"kind": "publish", "name": "publish", "attempts": 3}
WATERMARK = {"kind": "watermark", "name": "after", "key": "wm", "sql": "SELECT max(ts) FROM x"}


class Row(dict):
    def asDict(self):
        return dict(self)


def lake(failing: list[dict] | None = None) -> tuple[FakeIceberg, FakeSpark]:
    iceberg = FakeIceberg()
    iceberg.table("raw.orders")
    iceberg.commit_main("raw.orders")
    spark = FakeSpark(iceberg=iceberg)
    spark.results["_lakestep_failing"] = FakeFrame(spark, rows=[Row(r) for r in (failing or [])])
    return iceberg, spark


def job(*steps: dict) -> dict:
    return {"version": 1, "useCase": "orders", "workflow": "orders-upserts", "job": "process", "catalog": "c", "steps": list(steps)}


class PublishTest(unittest.TestCase):
    def test_passing_checks_fast_forward_main_and_drop_the_branch(self):
        iceberg, spark = lake()
        before = iceberg.main["raw.orders"]
        result = rt.run_job(job(AUDIT, WRITE, NOT_NULL, PUBLISH), PARAMS, Harness(spark).runtime, spark)
        self.assertEqual(iceberg.log, ["branch raw.orders audit_run_1", "write raw.orders audit_run_1",
                                       "publish raw.orders audit_run_1", "drop raw.orders audit_run_1"])
        self.assertNotEqual(iceberg.main["raw.orders"], before)
        self.assertEqual(iceberg.properties["raw.orders"], {"write.wap.enabled": "true"})
        self.assertNotIn("spark.wap.branch", spark.conf.values)
        self.assertEqual(result["quality"]["status"], "passed")
        self.assertEqual(result["quality"]["summary"]["published"], ["raw.orders"])
        self.assertEqual(result["quality"]["summary"]["checks"], [
            {"table": "raw.orders", "check": "not_null(id)", "kind": "not_null", "severity": "error", "status": "passed", "failing": 0}])

    def test_a_failing_error_check_leaves_main_keeps_the_branch_and_stops_the_job(self):
        iceberg, spark = lake([{"id": None, "email": "***", "_lakestep_failing": 3}, {"id": 7, "email": "a@b.c", "_lakestep_failing": 3}])
        before = iceberg.main["raw.orders"]
        result = rt.run_job(job(AUDIT, WRITE, NOT_NULL, PUBLISH, WATERMARK), PARAMS, Harness(spark).runtime, spark)
        self.assertEqual(iceberg.main["raw.orders"], before)
        self.assertIn("audit_run_1", iceberg.branches["raw.orders"])
        q = result["quality"]
        self.assertEqual(q["status"], "failed")
        # The runtime masks what it shows even when a query did not.
        self.assertEqual(q["failed"], [{"table": "raw.orders", "check": "not_null(id)", "severity": "error", "failing": 3,
                                        "samples": [{"id": "NULL", "email": "***"}, {"id": "7", "email": "***"}]}])
        self.assertEqual(q["summary"]["kept"], [{"table": "raw.orders", "branch": "audit_run_1"}])
        self.assertEqual(result["steps"], ["audit raw.orders", "merge", "check raw.orders not_null(id)"])
        self.assertNotIn("wm", result["watermarks"])

    def test_only_warnings_publish_and_report(self):
        iceberg, spark = lake([{"id": None, "email": "***", "_lakestep_failing": 1}])
        result = rt.run_job(job(AUDIT, WRITE, {**NOT_NULL, "severity": "warn"}, PUBLISH), PARAMS, Harness(spark).runtime, spark)
        self.assertEqual(result["quality"]["status"], "warned")
        self.assertEqual(len(result["quality"]["warned"]), 1)
        self.assertEqual(iceberg.branches["raw.orders"], {})
        self.assertIn("publish raw.orders audit_run_1", iceberg.log)

    def test_a_commit_to_main_during_the_write_runs_the_writes_again_on_a_fresh_branch(self):
        iceberg, spark = lake()
        raced = []

        def other_writer(table: str) -> None:
            if not raced:
                raced.append(iceberg.commit_main(table))
        iceberg.before_write = other_writer
        result = rt.run_job(job(AUDIT, WRITE, NOT_NULL, PUBLISH), PARAMS, Harness(spark).runtime, spark)
        self.assertEqual(result["quality"]["status"], "passed")
        self.assertEqual(result["quality"]["summary"]["attempts"], 2)
        self.assertIn("drop raw.orders audit_run_1", iceberg.log)
        self.assertIn("publish raw.orders audit_run_1_a2", iceberg.log)
        # The other writer's commit is kept: main moved on from it.
        self.assertEqual(iceberg.parents[iceberg.main["raw.orders"]], raced[0])

    def test_conflicts_past_the_attempts_report_without_publishing(self):
        iceberg, spark = lake()
        iceberg.before_write = lambda table: iceberg.commit_main(table)
        result = rt.run_job(job(AUDIT, WRITE, NOT_NULL, {**PUBLISH, "attempts": 2}), PARAMS, Harness(spark).runtime, spark)
        q = result["quality"]
        self.assertEqual(q["status"], "conflict")
        self.assertRegex(q["conflict"], r"raw\.orders.*2 attempt")
        self.assertEqual(iceberg.branches["raw.orders"], {})
        self.assertFalse(any(line.startswith("publish") for line in iceberg.log))

    def test_a_row_count_of_the_batch_subtracts_main_at_the_start(self):
        iceberg, spark = lake()
        base = iceberg.main["raw.orders"]
        step = {**NOT_NULL, "checkKind": "row_count", "check": "row_count(batch)", "sql": f"SELECT count(*) AS _lakestep_rows FROM {T}",
                "rowCount": {"min": 5, "baseSql": f"SELECT count(*) AS _lakestep_rows FROM {T} VERSION AS OF :audit_base_snapshot"}}
        spark.results[f"VERSION AS OF {base}"] = FakeFrame(spark, rows=[Row(_lakestep_rows=10)])
        spark.results["count(*) AS _lakestep_rows"] = FakeFrame(spark, rows=[Row(_lakestep_rows=12)])
        result = rt.run_job(job(AUDIT, WRITE, step, PUBLISH), PARAMS, Harness(spark).runtime, spark)
        self.assertEqual(result["quality"]["failed"], [{"table": "raw.orders", "check": "row_count(batch)", "severity": "error", "failing": 1, "samples": []}])
        self.assertEqual(result["quality"]["summary"]["checks"][0]["rows"], 2)

    def test_a_check_of_a_table_never_audited_is_refused(self):
        _, spark = lake()
        with self.assertRaisesRegex(rt.JobError, "no audit step"):
            rt.run_job(job(WRITE, NOT_NULL, PUBLISH), PARAMS, Harness(spark).runtime, spark)

    def test_main_writes_the_checks_file_beside_the_result(self):
        iceberg, spark = lake([{"id": None, "email": "***", "_lakestep_failing": 1}])
        doc = job(AUDIT, WRITE, NOT_NULL, PUBLISH)
        h = Harness(spark, objects={"s3://art/lakestep/jobs/p.json": doc})
        rt.main(["--job", "s3://art/lakestep/jobs/p.json", "--result", "s3://art/lakestep/results/r/process.json",
                 "--param", "ds=2026-11-26", "--param", "ts=2026-11-26T06:00:00Z", "--param", "run_id=run-1"], h.runtime)
        checks = json.loads(h.s3.objects["s3://art/lakestep/results/r/process.checks.json"])
        self.assertEqual(checks["checks"][0]["samples"], [{"id": "NULL", "email": "***"}])
        self.assertEqual(json.loads(h.s3.objects["s3://art/lakestep/results/r/process.json"])["quality"]["status"], "failed")


class BranchNameTest(unittest.TestCase):
    def test_execution_names_become_branch_names(self):
        self.assertEqual(rt.branch_name("2026-11-25T000000Z"), "audit_2026_11_25t000000z")
        self.assertEqual(rt.branch_name("x", 3, 12), "audit_x_b12_a3")
        self.assertRegex(rt.branch_name("é`; DROP" * 40), r"^audit_[a-z0-9_]{1,80}$")


class GatedKafkaTest(unittest.TestCase):
    STEP = {"kind": "kafka", "name": "events", "bootstrapServersSecretArn": "arn:aws:secretsmanager:eu-west-1:1:secret:k",
            "topics": ["t"], "startingOffsets": "earliest", "checkpoint": "s3://a/cp/", "format": "raw", "view": "batch_events",
            "target": T, "selectSql": "SELECT * FROM batch_events", "trigger": "available_now",
            "audit": {"key": "raw.orders", "retainDays": 7, "attempts": 2, "gated": True, "rowsView": "batch_events_rows", "checks": [NOT_NULL]}}

    def run_batches(self, failing: list[dict]):
        iceberg, spark = lake()
        spark.stream_batches = [[("a",)], [("b",)]]
        spark.batch_results["_lakestep_failing"] = FakeFrame(spark, rows=[Row(r) for r in failing])
        h = Harness(spark, secrets={self.STEP["bootstrapServersSecretArn"]: "b:9092"})
        return iceberg, spark, rt.run_job(job(self.STEP), PARAMS, h.runtime, spark)

    def test_each_batch_publishes_from_its_own_branch(self):
        iceberg, _, result = self.run_batches([])
        self.assertEqual([line for line in iceberg.log if line.startswith("publish")],
                         ["publish raw.orders audit_run_1_b0", "publish raw.orders audit_run_1_b1"])
        self.assertEqual(result["quality"]["status"], "passed")

    def test_a_batch_failing_an_error_check_stops_before_the_checkpoint(self):
        iceberg, spark, result = self.run_batches([{"id": None, "email": "***", "_lakestep_failing": 1}])
        self.assertEqual(result["quality"]["status"], "failed")
        self.assertEqual(result["quality"]["summary"]["kept"], [{"table": "raw.orders", "branch": "audit_run_1_b0"}])
        self.assertFalse(any(line.startswith("publish") for line in iceberg.log))
        self.assertEqual(len(spark.batch_sessions), 1)


class CommitRecordsTest(unittest.TestCase):
    def test_newest_batch_ids_are_carried_into_properties_never_lowered(self):
        spark = FakeSpark()
        spark.results["GROUP BY"] = FakeFrame(spark, rows=[("s3://a/cp1/", 9), ("s3://a/cp2/", 3)])
        spark.results["SHOW TBLPROPERTIES"] = FakeFrame(spark, rows=[(rt.record_key("s3://a/cp2/"), "5")])
        self.assertEqual(rt.carry_forward(spark, T), {rt.record_key("s3://a/cp1/"): 9})
        self.assertEqual(spark.calls[-1][0], f"ALTER TABLE {T} SET TBLPROPERTIES ('{rt.record_key('s3://a/cp1/')}'='9')")


class DropAuditBranchesTest(unittest.TestCase):
    def test_only_audit_branches_are_dropped(self):
        spark = FakeSpark()
        spark.results[".refs WHERE type = 'BRANCH'"] = FakeFrame(spark, rows=[("main",), ("audit_r1",), ("audit_r2_b3",), ("release",)])
        h = Harness(spark)
        result = rt.run_job(job({"kind": "drop_audit_branches", "name": "drop", "table": T}), PARAMS, h.runtime, spark)
        self.assertEqual(result["rows"], {"drop": 2})
        self.assertEqual([c for c, _ in spark.calls if c.startswith("ALTER")],
                         [f"ALTER TABLE {T} DROP BRANCH IF EXISTS `audit_r1`", f"ALTER TABLE {T} DROP BRANCH IF EXISTS `audit_r2_b3`"])


if __name__ == "__main__":
    unittest.main()
