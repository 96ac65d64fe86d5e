"""Audit branch names on real Spark + Iceberg: a branch is its job's alone (use case,
dag, job, run id, attempt, batch), so a branch another job kept after a failed check
is neither read nor replaced by a job that runs with the same execution name, and a
rerun (`<name>_a2`) never meets the branch of attempt 2 of `<name>`. Iceberg serves a
table from the branch `spark.wap.branch` names whenever the table has one, for reads
as well as writes; the evidence here is `refs` and the rows each ref holds."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from harness import Lake
from test_quality import GOOD, Events, changes, orders, other_writer, process, quality, refs, run  # noqa: F401

RUN_ID = "2026-11-26T050000Z"  # an execution name: the logical date, as every dag of that date is named


def failing_audit(lake: Lake, table: str, insert: str, workflow: str = "quality-other") -> dict:
    """A job of another dag of the same use case: audits `table`, inserts a row whose check
    fails (`id = 3` is refused), so the branch stays and main does not move."""
    t = f"`{lake.catalog}`.`{table.split('.')[0]}`.`{table.split('.')[1]}`"
    return {
        "version": 1, "useCase": "quality", "workflow": workflow, "job": "load", "catalog": lake.catalog,
        "steps": [
            {"kind": "audit", "name": "audit", "table": t, "key": table, "retainDays": 7},
            {"kind": "sql", "name": "write", "sql": f"INSERT INTO {t} {insert}"},
            {"kind": "check", "name": "check", "table": table, "check": "no-3", "checkKind": "expression", "severity": "error",
             "sql": f"SELECT id, count(*) OVER () AS _lakestep_failing FROM {t} WHERE id = 3 LIMIT 10",
             "sampleColumns": ["id"], "maskedColumns": []},
            {"kind": "publish", "name": "publish", "attempts": 1},
        ],
    }


def rows_of(lake: Lake, table: str, ref: str | None = None) -> list[int]:
    version = f" VERSION AS OF '{ref}'" if ref else ""
    return sorted(r.id for r in lake.sql(f"SELECT id FROM {lake.catalog}.{table}{version}").collect())


def test_a_job_reads_main_of_a_table_another_dag_kept_an_audit_branch_on(quality: Lake, cases_build: Path) -> None:
    lake = quality
    changes(lake, GOOD)
    bad = "VALUES (3, 'NEW', 'c@example.com', 30.00, TIMESTAMP '2026-11-26 10:00:00')"
    other = lake.run(failing_audit(lake, "raw_quality.changes", bad), run_id=RUN_ID)["quality"]
    assert other["status"] == "failed"
    [kept] = other["summary"]["kept"]
    assert rows_of(lake, "raw_quality.changes") == [1, 2] and rows_of(lake, "raw_quality.changes", kept["branch"]) == [1, 2, 3]

    # quality-upserts reads raw_quality.changes (it audits orders and daily only), same execution name.
    result = lake.run(process(lake, cases_build), run_id=RUN_ID)
    assert result["quality"]["status"] == "passed"
    assert [r[0] for r in orders(lake)] == [1, 2]  # main of changes, not the other dag's quarantined row
    assert kept["branch"] in refs(lake, "raw_quality.changes")
    assert rows_of(lake, "raw_quality.changes", kept["branch"]) == [1, 2, 3]


def test_a_branch_another_dag_kept_on_a_table_survives_a_publish_of_that_table(quality: Lake, cases_build: Path) -> None:
    lake = quality
    changes(lake, GOOD)
    lake.sql(f"INSERT INTO {lake.catalog}.raw_quality.orders VALUES (5, 'NEW', 'e@example.com', 1.00, TIMESTAMP '2026-11-25 08:00:00')")
    bad = "VALUES (3, 'NEW', 'c@example.com', 30.00, TIMESTAMP '2026-11-26 10:00:00')"
    other = lake.run(failing_audit(lake, "raw_quality.orders", bad), run_id=RUN_ID)["quality"]
    [kept] = other["summary"]["kept"]
    assert rows_of(lake, "raw_quality.orders", kept["branch"]) == [3, 5]

    events = Events()
    result = run_with(lake, process(lake, cases_build), events, RUN_ID)
    assert result["quality"]["status"] == "passed"
    assert all(e["branch"] != kept["branch"] for e in events.of("publish"))
    assert rows_of(lake, "raw_quality.orders") == [1, 2, 5]
    assert kept["branch"] in refs(lake)  # the quarantined evidence is still there
    assert rows_of(lake, "raw_quality.orders", kept["branch"]) == [3, 5]


def run_with(lake: Lake, doc: dict, events: Events, run_id: str) -> dict:
    import lakestep

    return lake.run(doc, runtime=lakestep.Runtime(spark_factory=lambda: lake.spark, log=events), run_id=run_id)


def test_attempt_2_of_a_run_and_the_rerun_named_a2_get_different_branches(quality: Lake, cases_build: Path) -> None:
    lake = quality
    changes(lake, GOOD)
    assert lake.run(process(lake, cases_build), run_id="2026-11-25T050000Z")["quality"]["status"] == "passed"  # the day before
    changes(lake, [(4, "NEW", "d@example.com", Decimal("40.00"), datetime(2026, 11, 26, 9))])  # the date's batch
    raced: list[bool] = []

    def race(event: dict) -> None:
        # After attempt 1's merge: another writer commits to main of orders (a publish
        # conflict, so the job writes again as attempt 2), and a row without a status
        # reaches changes, so attempt 2 fails not_null(status) and keeps its branches.
        if event.get("event") == "step" and event.get("step") == "orders" and event.get("status") == "succeeded" and not raced:
            raced.append(True)
            other_writer(lake, f"INSERT INTO {lake.catalog}.raw_quality.orders VALUES (9, 'NEW', 'z@example.com', 1.00, TIMESTAMP '2026-11-26 07:00:00')")
            other_writer(lake, f"INSERT INTO {lake.catalog}.raw_quality.changes VALUES (3, NULL, 'c@example.com', 5.00, TIMESTAMP '2026-11-26 10:00:00')")

    first = run_with(lake, process(lake, cases_build), Events(race), RUN_ID)["quality"]
    assert first["status"] == "failed" and first["summary"]["attempts"] == 2
    kept = {k["table"]: k["branch"] for k in first["summary"]["kept"]}
    assert (3, None, Decimal("5.00")) in orders(lake, kept["raw_quality.orders"])

    # The operator repairs the source and reruns the date: the execution `<name>_a2`.
    other_writer(lake, f"DELETE FROM {lake.catalog}.raw_quality.changes WHERE id = 3")
    events = Events()
    rerun = run_with(lake, process(lake, cases_build), events, f"{RUN_ID}_a2")["quality"]
    assert rerun["status"] == "passed" and rerun["summary"]["attempts"] == 1
    assert {e["branch"] for e in events.of("publish")}.isdisjoint(kept.values())
    assert [r[0] for r in orders(lake)] == [1, 2, 4, 9]
    # Attempt 2's branch is still kept, with the row that failed it.
    assert kept["raw_quality.orders"] in refs(lake)
    assert (3, None, Decimal("5.00")) in orders(lake, kept["raw_quality.orders"])

