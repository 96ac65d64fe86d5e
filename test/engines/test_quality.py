"""Quality checks and write-audit-publish on real Spark + Iceberg: the compiled
`quality-upserts` job document (test/engines/specs/quality) and its check steps,
run by the lakestep runtime. Evidence is Iceberg's own metadata: `refs`, `history`
and the snapshot main points at, before and after."""
from __future__ import annotations

import copy
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from harness import Lake

ROW = "id bigint, status string, email string, amount decimal(12,2), ts timestamp"
GOOD = [(1, "NEW", "a@example.com", Decimal("10.00"), datetime(2026, 11, 26, 8)),
        (2, "PAID", "b@example.com", Decimal("20.00"), datetime(2026, 11, 26, 9))]


@pytest.fixture
def quality(clean_lake: Lake, cases_build: Path) -> Lake:
    lake = clean_lake
    lake.run(lake.job("quality", "quality-migration", "ddl", cases_build))
    return lake


def process(lake: Lake, cases_build: Path) -> dict:
    return lake.job("quality", "quality-upserts", "process", cases_build)


def changes(lake: Lake, rows: list[tuple]) -> None:
    lake.spark.createDataFrame(rows, ROW).writeTo(f"{lake.catalog}.raw_quality.changes").append()


def main_of(lake: Lake, table: str = "raw_quality.orders") -> int | None:
    rows = lake.sql(f"SELECT snapshot_id FROM {lake.catalog}.{table}.refs WHERE name = 'main'").collect()
    return rows[0][0] if rows else None


def refs(lake: Lake, table: str = "raw_quality.orders") -> dict[str, int]:
    return {r.name: r.snapshot_id for r in lake.sql(f"SELECT name, snapshot_id FROM {lake.catalog}.{table}.refs").collect()}


def orders(lake: Lake, ref: str | None = None) -> list[tuple]:
    version = f" VERSION AS OF '{ref}'" if ref else ""
    return sorted(tuple(r) for r in lake.sql(f"SELECT id, status, amount FROM {lake.catalog}.raw_quality.orders{version}").collect())


class Events:
    """The runtime's log lines, as events."""

    def __init__(self, after=None):
        self.events: list[dict] = []
        self.after = after or (lambda event: None)

    def __call__(self, line: str) -> None:
        event = json.loads(line)
        self.events.append(event)
        self.after(event)

    def of(self, kind: str) -> list[dict]:
        return [e for e in self.events if e.get("event") == kind]


def run(lake: Lake, doc: dict, events: Events | None = None) -> dict:
    import lakestep

    events = events or Events()
    return lake.run(doc, runtime=lakestep.Runtime(spark_factory=lambda: lake.spark, log=events))


def test_a_passing_run_fast_forwards_main_to_the_audit_branch_snapshot(quality: Lake, cases_build: Path) -> None:
    lake = quality
    changes(lake, GOOD)
    events = Events()
    result = run(lake, process(lake, cases_build), events)
    assert result["quality"]["status"] == "passed"
    [published] = [e for e in events.of("publish") if e["table"] == "raw_quality.orders"]
    assert main_of(lake) == published["snapshot"]
    assert refs(lake) == {"main": published["snapshot"]}  # the branch is dropped
    assert orders(lake) == [(1, "NEW", Decimal("10.00")), (2, "PAID", Decimal("20.00"))]
    # The user SQL file in the same job read the audited rows and published with them.
    assert lake.table("raw_quality.daily").count() == 1
    assert {c["check"]: c["status"] for c in result["quality"]["summary"]["checks"]}["row_count(batch)"] == "passed"


def test_a_failing_error_check_leaves_main_unchanged_and_keeps_the_branch(quality: Lake, cases_build: Path) -> None:
    lake = quality
    changes(lake, GOOD)
    run(lake, process(lake, cases_build))
    before, rows_before = main_of(lake), orders(lake)
    changes(lake, [(3, None, "c@example.com", Decimal("5.00"), datetime(2026, 11, 27, 8))])  # no status
    result = run(lake, process(lake, cases_build))
    q = result["quality"]
    assert q["status"] == "failed"
    assert q["failed"] == [{"table": "raw_quality.orders", "check": "not_null(status)", "severity": "error", "failing": 1,
                            "samples": [{"id": "3"}]}]
    assert main_of(lake) == before and orders(lake) == rows_before
    [kept] = q["summary"]["kept"][:1]
    assert kept["branch"] in refs(lake)
    assert (3, None, Decimal("5.00")) in orders(lake, kept["branch"])  # there for inspection
    assert "daily #2" in result["steps"] and "publish" not in result["steps"]


def test_a_failing_warn_check_publishes_and_reports(quality: Lake, cases_build: Path) -> None:
    lake = quality
    changes(lake, [*GOOD, (4, "SHIPPED", "d@example.com", Decimal("700.00"), datetime(2026, 11, 26, 10))])
    result = run(lake, process(lake, cases_build))
    q = result["quality"]
    assert q["status"] == "warned"
    assert [(w["check"], w["failing"], w["samples"]) for w in q["warned"]] == [("amount-cap", 1, [{"id": "4"}])]
    assert (4, "SHIPPED", Decimal("700.00")) in orders(lake)
    assert set(refs(lake)) == {"main"}


def test_a_commit_to_main_between_write_and_publish_is_kept_and_the_run_writes_again(quality: Lake, cases_build: Path) -> None:
    lake = quality
    changes(lake, GOOD)
    raced: list[int] = []

    def race(event: dict) -> None:
        if event.get("event") == "step" and event.get("step") == "orders" and event.get("status") == "succeeded" and not raced:
            other_writer(lake, f"INSERT INTO {lake.catalog}.raw_quality.orders VALUES (9, 'NEW', 'z@example.com', 1.00, TIMESTAMP '2026-11-26 07:00:00')")
            raced.append(main_of(lake))

    events = Events(race)
    result = run(lake, process(lake, cases_build), events)
    assert result["quality"]["status"] == "passed" and result["quality"]["summary"]["attempts"] == 2
    assert [e["tables"] for e in events.events if e.get("status") == "conflict"] == [["raw_quality.orders"]]
    # Nothing lost, nothing twice: the other writer's row and the merged rows, each once.
    assert orders(lake) == [(1, "NEW", Decimal("10.00")), (2, "PAID", Decimal("20.00")), (9, "NEW", Decimal("1.00"))]
    history = lake.sql(f"SELECT snapshot_id, parent_id FROM {lake.catalog}.raw_quality.orders.history").collect()
    assert raced[0] in {h.parent_id for h in history}  # main moved on from the other writer's commit
    assert set(refs(lake)) == {"main"}


def other_writer(lake: Lake, sql: str) -> None:
    """A commit by another writer, from a session (and catalog connection) of its own each time.
    The test catalog is SQLite in WAL mode: a connection kept from an earlier commit may hold a
    read snapshot older than the job's last commit and then fail with SQLITE_BUSY_SNAPSHOT, which
    a catalog service such as Glue does not do."""
    lake.spark.newSession().sql(sql)


def test_a_conflict_on_every_attempt_fails_without_publishing(quality: Lake, cases_build: Path) -> None:
    lake = quality
    changes(lake, GOOD)
    commits = iter(range(100, 200))

    def race(event: dict) -> None:
        if event.get("event") == "step" and event.get("step") == "orders" and event.get("status") == "succeeded":
            other_writer(lake, f"INSERT INTO {lake.catalog}.raw_quality.orders VALUES ({next(commits)}, 'NEW', 'o@example.com', 1.00, TIMESTAMP '2026-11-26 07:00:00')")

    result = run(lake, process(lake, cases_build), Events(race))
    q = result["quality"]
    assert q["status"] == "conflict" and q["summary"]["attempts"] == 3
    assert "another commit reached main of raw_quality.orders" in q["conflict"]
    assert [r[0] for r in orders(lake)] == [100, 101, 102]  # only the other writer's rows
    assert set(refs(lake)) == {"main"}  # no branch left behind


BAD_ROWS = {
    "not_null(status)": [(3, None, "c@example.com", Decimal("1.00"), datetime(2026, 11, 26))],
    "unique(id)": [(1, "NEW", "a@example.com", Decimal("10.00"), datetime(2026, 11, 26, 8))],
    "accepted_values(status)": [(3, "LOST", "c@example.com", Decimal("1.00"), datetime(2026, 11, 26))],
    "row_count(table)": [(i, "NEW", "x@example.com", Decimal("1.00"), datetime(2026, 11, 26)) for i in range(3, 7)],
    "row_count(batch)": [],
    "expression(amount >= 0)": [(3, "NEW", "c@example.com", Decimal("-1.00"), datetime(2026, 11, 26))],
    "sql(sql/checks/big_orders.sql)": [(3, "NEW", "c@example.com", Decimal("2000.00"), datetime(2026, 11, 26))],
    "recent-email": [(3, "NEW", None, Decimal("1.00"), datetime(2026, 11, 26))],
}


@pytest.mark.parametrize("check", sorted(BAD_ROWS))
def test_every_check_kind_catches_a_bad_row_and_passes_a_good_batch(quality: Lake, cases_build: Path, check: str) -> None:
    lake = quality
    doc = process(lake, cases_build)
    audit = next(s for s in doc["steps"] if s["kind"] == "audit" and s["key"] == "raw_quality.orders")
    [step] = [s for s in doc["steps"] if s["kind"] == "check" and s["table"] == "raw_quality.orders" and s["check"] == check]
    publish = next(s for s in doc["steps"] if s["kind"] == "publish")
    t = f"{lake.catalog}.raw_quality.orders"
    lake.spark.createDataFrame(GOOD, ROW).writeTo(t).append()
    # Only the row the check judges: written into the audit branch by the test instead of the merge.
    lake.spark.createDataFrame([(7, "NEW", None, Decimal("1.00"), datetime(2020, 1, 1))], ROW).createOrReplaceTempView("good_batch")
    lake.spark.createDataFrame(BAD_ROWS[check] or [], ROW).createOrReplaceTempView("bad_batch")

    def job(view: str) -> dict:
        write = {"kind": "sql", "name": "write", "sql": f"INSERT INTO {t} SELECT * FROM {view}"}
        return {**copy.deepcopy(doc), "steps": [audit, write, step, publish]}

    good = run(lake, job("good_batch"))["quality"]
    assert good["status"] == "passed", good
    before = main_of(lake)
    bad = run(lake, job("bad_batch"))["quality"]
    assert bad["status"] == "failed" and [f["check"] for f in bad["failed"]] == [check]
    assert bad["failed"][0]["failing"] >= 1
    assert main_of(lake) == before
