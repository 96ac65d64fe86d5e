"""Write-audit-publish in the runtime (audit, check and publish steps, gated Kafka
batches, commit records) over a fake of Iceberg's branches (iceberg_fakes.py)."""
import hashlib
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
OWNER = rt.Owner("orders", "orders-upserts", "process")
B1 = rt.branch_name(OWNER, "run-1")  # what the job() documents below run as
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
        self.assertEqual(iceberg.log, [f"branch raw.orders {B1}", f"write raw.orders {B1}",
                                       f"publish raw.orders {B1}", f"drop raw.orders {B1}"])
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
        self.assertIn(B1, iceberg.branches["raw.orders"])
        q = result["quality"]
        self.assertEqual(q["status"], "failed")
        # The runtime masks what it shows even when a query did not.
        self.assertEqual(q["failed"], [{"table": "raw.orders", "check": "not_null(id)", "severity": "error", "failing": 3,
                                        "samples": [{"id": "NULL", "email": "***"}, {"id": "7", "email": "***"}]}])
        self.assertEqual(q["summary"]["kept"], [{"table": "raw.orders", "branch": B1}])
        self.assertEqual(result["steps"], ["audit raw.orders", "merge", "check raw.orders not_null(id)"])
        self.assertNotIn("wm", result["watermarks"])

    def test_only_warnings_publish_and_report(self):
        iceberg, spark = lake([{"id": None, "email": "***", "_lakestep_failing": 1}])
        result = rt.run_job(job(AUDIT, WRITE, {**NOT_NULL, "severity": "warn"}, PUBLISH), PARAMS, Harness(spark).runtime, spark)
        self.assertEqual(result["quality"]["status"], "warned")
        self.assertEqual(len(result["quality"]["warned"]), 1)
        self.assertEqual(iceberg.branches["raw.orders"], {})
        self.assertIn(f"publish raw.orders {B1}", iceberg.log)

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
        self.assertIn(f"drop raw.orders {B1}", iceberg.log)
        self.assertIn(f"publish raw.orders {rt.branch_name(OWNER, 'run-1', 2)}", iceberg.log)
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
    D = "2026-11-25T020000Z"

    def test_a_readable_prefix_and_a_hash_of_the_exact_tuple(self):
        name = rt.branch_name(OWNER, self.D)
        self.assertRegex(name, r"^audit_orders_upserts_2026_11_25t020000z_[0-9a-f]{16}$")
        self.assertEqual(name, rt.branch_name(rt.Owner("orders", "orders-upserts", "process"), self.D))  # deterministic
        self.assertRegex(rt.branch_name(OWNER, self.D, 3, 12), r"^audit_orders_upserts_2026_11_25t020000z_b12_a3_[0-9a-f]{16}$")
        # Pinned: src/naming.ts computes the same names (test/simulator/job-result.test.ts compares them).
        self.assertEqual(rt.branch_name(rt.Owner("u", "w", "j"), "r"), "audit_w_r_" + hashlib.sha256(b'["u","w","j","r",1,null]').hexdigest()[:16])

    def test_an_attempt_or_batch_is_never_taken_for_a_rerun_of_the_same_date(self):
        # Reruns are named <name>_aN (src/ops/attempts.ts); run ids may end in anything.
        self.assertNotEqual(rt.branch_name(OWNER, self.D, 2), rt.branch_name(OWNER, f"{self.D}_a2", 1))
        self.assertNotEqual(rt.branch_name(OWNER, self.D, 1, 3), rt.branch_name(OWNER, f"{self.D}_b3", 1))
        self.assertNotEqual(rt.branch_name(OWNER, self.D, 2, 3), rt.branch_name(OWNER, f"{self.D}_b3", 2))
        self.assertNotEqual(rt.branch_name(OWNER, self.D, 1, 0), rt.branch_name(OWNER, self.D))

    def test_every_part_of_the_owner_counts(self):
        names = {rt.branch_name(o, self.D) for o in [
            OWNER, rt.Owner("billing", "orders-upserts", "process"), rt.Owner("orders", "orders-ingestion", "process"),
            rt.Owner("orders", "orders-upserts", "ingest"), rt.Owner("orders", "orders_upserts", "process"),
            rt.Owner("orders-upserts", "process", ""), rt.Owner("orders", "", "upserts-process")]}
        self.assertEqual(len(names), 7)

    def test_distinct_tuples_give_distinct_names(self):
        parts = ["", "a", "a_", "_a", "a_a2", "a-a2", "a_b3", "A", "é", "a\"", "a,1"]
        tuples = [(rt.Owner(u, w, "j"), r, a, b) for u in parts[:4] for w in parts[:5] for r in parts
                  for a in (1, 2, 12) for b in (None, 0, 3, 12)]
        names = {rt.branch_name(*t) for t in tuples}
        self.assertEqual(len(names), len(tuples))

    def test_any_input_gives_an_identifier(self):
        name = rt.branch_name(rt.Owner("é`; DROP" * 40, "x` TABLE" * 40, "--"), "é`; DROP" * 40, 2, 7)
        self.assertRegex(name, r"^audit_[a-z0-9_]+$")
        self.assertTrue(rt.values.IDENT.match(name))
        self.assertLessEqual(len(name), 6 + 30 + 1 + 40 + 3 + 3 + 17)
        self.assertRegex(rt.branch_name(rt.Owner("", "", ""), "--"), r"^audit_[0-9a-f]{16}$")

    def test_an_attempt_or_batch_that_is_not_a_count_is_refused(self):
        for attempt, batch in [(0, None), (True, None), ("2", None), (1, -1), (1, True), (1, "3")]:
            with self.assertRaises(rt.JobError):
                rt.branch_name(OWNER, self.D, attempt, batch)


class OwnerTest(unittest.TestCase):
    def test_the_branch_is_named_after_the_documents_use_case_dag_and_job(self):
        iceberg, spark = lake()
        doc = {**job(AUDIT, WRITE, NOT_NULL, PUBLISH), "useCase": "billing", "workflow": "billing-daily", "job": "p"}
        rt.run_job(doc, PARAMS, Harness(spark).runtime, spark)
        self.assertEqual(iceberg.log[0], f"branch raw.orders {rt.branch_name(rt.Owner('billing', 'billing-daily', 'p'), 'run-1')}")

    def test_a_document_that_audits_without_its_names_is_refused(self):
        for field in ("useCase", "workflow", "job"):
            doc = {k: v for k, v in job(AUDIT, WRITE, NOT_NULL, PUBLISH).items() if k != field}
            with self.assertRaisesRegex(rt.JobError, f"audits tables but has no {field}"):
                rt.validate_job(doc)
            with self.assertRaisesRegex(rt.JobError, f"audits tables but has no {field}"):
                rt.validate_job({**doc, "steps": [GatedKafkaTest.STEP]})
        rt.validate_job({k: v for k, v in job(WRITE).items() if k != "useCase"})  # nothing audited: not needed


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
                         [f"publish raw.orders {rt.branch_name(OWNER, 'run-1', 1, 0)}", f"publish raw.orders {rt.branch_name(OWNER, 'run-1', 1, 1)}"])
        self.assertEqual(result["quality"]["status"], "passed")

    def test_a_batch_failing_an_error_check_stops_before_the_checkpoint(self):
        iceberg, spark, result = self.run_batches([{"id": None, "email": "***", "_lakestep_failing": 1}])
        self.assertEqual(result["quality"]["status"], "failed")
        self.assertEqual(result["quality"]["summary"]["kept"], [{"table": "raw.orders", "branch": rt.branch_name(OWNER, "run-1", 1, 0)}])
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
