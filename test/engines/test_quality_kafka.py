"""Gated Kafka micro-batches and maintenance around audit branches, on real Spark +
Iceberg + Kafka: the compiled `quality-ingestion` and `quality-maintenance` job
documents (test/engines/specs/quality)."""
from __future__ import annotations

import copy
import json
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from test_jdbc_ingestion import only, put_secret, wal_catalog
from test_maintenance import now_ts
from test_quality import main_of, refs, run

SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:quality/kafka-AbCdEf"
EVENTS = "raw_quality.events"
NOW_MS = int(datetime.now(timezone.utc).timestamp() * 1000)


@pytest.fixture
def lake_q(kafka_broker, clean_lake, cases_build):
    put_secret(SECRET_ARN, {"bootstrap_servers": kafka_broker.bootstrap_servers})
    wal_catalog(clean_lake)
    clean_lake.run(clean_lake.job("quality", "quality-migration", "ddl", cases_build))
    # The tables the Kafka source creates (its first steps), before any batch.
    doc = only(clean_lake.job("quality", "quality-ingestion", "ingest", cases_build), "events-checked")
    clean_lake.run({**doc, "steps": [s for s in doc["steps"] if s["kind"] == "sql"]})
    return clean_lake


@pytest.fixture
def ingest(lake_q, kafka_broker, cases_build, tmp_path):
    doc = copy.deepcopy(only(lake_q.job("quality", "quality-ingestion", "ingest", cases_build), "events-checked"))
    step = next(s for s in doc["steps"] if s["kind"] == "kafka")
    step["topics"] = [f"quality.events.{uuid.uuid4().hex[:8]}"]
    step["checkpoint"] = str(tmp_path / "checkpoint")
    kafka_broker.create_topic(step["topics"][0])
    return doc, step


def message(event_id: str, amount: str, ts: str = "2026-11-26T05:00:00Z") -> bytes:
    return json.dumps({"event_id": event_id, "customer_email": f"{event_id}@example.com", "amount": amount, "event_ts": ts}).encode()


def events(lake) -> list[tuple]:
    lake.sql(f"REFRESH TABLE {lake.catalog}.{EVENTS}")
    return sorted((r.event_id, r.amount) for r in lake.table(EVENTS).collect())


def maintenance(lake, cases_build, table: str) -> dict:
    doc = lake.job("quality", "quality-maintenance", "maintenance-all", cases_build)
    return {**doc, "steps": [s for s in doc["steps"] if s.get("group") == table]}


def test_a_micro_batch_failing_an_error_check_is_not_skipped_by_the_next_run(lake_q, kafka_broker, ingest) -> None:
    lake, (doc, step) = lake_q, ingest
    kafka_broker.produce(step["topics"][0], [(None, message("e-1", "1.00"), NOW_MS), (None, message("e-bad", "-5.00"), NOW_MS + 1),
                                             (None, message("e-2", "2.00"), NOW_MS + 2)])
    first = run(lake, doc)["quality"]
    assert first["status"] == "failed"
    # Sample keys: the target's required columns, the one marked pii masked.
    [failed] = first["failed"]
    assert (failed["check"], failed["failing"]) == ("expression(amount >= 0)", 1)
    [sample] = failed["samples"]
    assert (sample["event_id"], sample["customer_email"]) == ("e-bad", "***")
    assert events(lake) == []
    commits = Path(step["checkpoint"]) / "commits"
    assert not commits.exists() or not [p for p in commits.iterdir() if p.name.isdigit()]  # batch 0 not committed

    second = run(lake, doc)["quality"]  # the same batch again, not the next one
    assert second["status"] == "failed" and "_b0_" in second["summary"]["kept"][0]["branch"]
    assert events(lake) == []

    relaxed = copy.deepcopy(doc)  # an operator lowers the check to a warning
    next(s for s in relaxed["steps"] if s["kind"] == "kafka")["audit"]["checks"][0]["severity"] = "warn"
    third = run(lake, relaxed)["quality"]
    assert third["status"] == "warned"
    assert events(lake) == [("e-1", Decimal("1.00")), ("e-2", Decimal("2.00")), ("e-bad", Decimal("-5.00"))]

    kafka_broker.produce(step["topics"][0], [(None, message("e-3", "3.00"), NOW_MS + 3)])
    fourth = run(lake, doc)["quality"]
    # row_count (of: table, min 2) counts the table as it would be published — 4 rows — not the batch's one row.
    assert fourth["status"] == "passed", fourth
    assert [c["rows"] for c in fourth["summary"]["checks"] if c["kind"] == "row_count"] == [4]
    assert [e for e, _ in events(lake)] == ["e-1", "e-2", "e-3", "e-bad"]  # each once


def kept_branch_with(lake, cases_build, table: str, rows_sql: str) -> str:
    """A run whose error check fails: its audit branch stays, holding `rows_sql`'s rows."""
    t = f"{lake.catalog}.{table}"
    doc = lake.job("quality", "quality-ingestion", "ingest", cases_build)
    audit = next(s for s in doc["steps"] if s["kind"] == "kafka")["audit"]
    # The Kafka step's checks read the batch's rows (its `rowsView`): here, the rows written.
    rows = {"kind": "sql", "name": "rows", "sql": f"CREATE OR REPLACE TEMPORARY VIEW {audit['rowsView']}"
            f" (event_id, customer_email, amount, event_ts) AS {rows_sql}"}
    steps = [{"kind": "audit", "name": "audit", "table": t, "key": table, "retainDays": 7},
             {"kind": "sql", "name": "write", "sql": f"INSERT INTO {t} {rows_sql}"}, rows, *audit["checks"],
             {"kind": "publish", "name": "publish", "attempts": 1}]
    q = run(lake, {**doc, "steps": steps})["quality"]
    assert q["status"] == "failed"
    return q["summary"]["kept"][0]["branch"]


def test_a_hard_delete_leaves_no_deleted_row_reachable_through_a_kept_audit_branch(lake_q, cases_build) -> None:
    lake = lake_q
    t = f"{lake.catalog}.{EVENTS}"
    ts = now_ts()
    old = datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ") - timedelta(days=9 * 365)
    lake.sql(f"INSERT INTO {t} VALUES ('old', 'old@example.com', 1.00, TIMESTAMP '{old:%Y-%m-%d %H:%M:%S}'),"
             f" ('new', 'new@example.com', 2.00, TIMESTAMP '2026-11-01 00:00:00')")
    branch = kept_branch_with(lake, cases_build, EVENTS, "VALUES ('bad', 'bad@example.com', -1.00, TIMESTAMP '2026-11-02 00:00:00')")
    assert "old" in {r.event_id for r in lake.sql(f"SELECT event_id FROM {t} VERSION AS OF '{branch}'").collect()}

    lake.run(maintenance(lake, cases_build, EVENTS), ts=ts)

    assert set(refs(lake, EVENTS)) == {"main"}
    assert sorted(r.event_id for r in lake.table(EVENTS).collect()) == ["new"]
    reachable = [r.file_path for r in lake.sql(f"SELECT file_path FROM {t}.all_data_files").collect()]
    data = lake.local_path("s3://eng-raw/raw_quality/events/data")
    on_storage = [f"file://{p}" for p in data.rglob("*.parquet") if not p.name.startswith(".")]
    files = sorted(set(reachable) | set(on_storage))
    assert files and "old" not in {r.event_id for r in lake.spark.read.parquet(*files).collect()}


def test_snapshot_expiry_keeps_a_kept_audit_branch_for_its_retention(lake_q, cases_build) -> None:
    lake = lake_q
    t = f"{lake.catalog}.raw_quality.orders"
    for i in range(3):
        lake.sql(f"INSERT INTO {t} VALUES ({i}, 'NEW', NULL, 1.00, TIMESTAMP '2026-11-26 00:00:00')")
    doc = lake.job("quality", "quality-upserts", "process", cases_build)
    audit = next(s for s in doc["steps"] if s["kind"] == "audit" and s["key"] == "raw_quality.orders")
    check = next(s for s in doc["steps"] if s["kind"] == "check" and s["check"] == "not_null(status)")
    q = run(lake, {**doc, "steps": [audit, {"kind": "sql", "name": "write", "sql": f"INSERT INTO {t} VALUES (9, NULL, NULL, 1.00, TIMESTAMP '2026-11-26 00:00:00')"},
                                    check, {"kind": "publish", "name": "publish", "attempts": 1}]})["quality"]
    branch = q["summary"]["kept"][0]["branch"]
    retain = lake.sql(f"SELECT max_reference_age_in_ms FROM {t}.refs WHERE name = '{branch}'").first()[0]
    assert retain == 7 * 86_400_000

    lake.run(maintenance(lake, cases_build, "raw_quality.orders"), ts=now_ts())  # expire_snapshots older_than 0s, retain_last 1

    assert set(refs(lake, "raw_quality.orders")) == {"main", branch}
    assert sorted(r.id for r in lake.sql(f"SELECT id FROM {t} VERSION AS OF '{branch}'").collect()) == [0, 1, 2, 9]
    assert lake.sql(f"SELECT count(*) FROM {t}.snapshots").first()[0] == 2  # main's last, and the branch head


def crash_after_commit(step: dict) -> None:
    """A crash after the Iceberg commit and before Spark committed the batch to its checkpoint."""
    commits = sorted((Path(step["checkpoint"]) / "commits").glob("[0-9]*"), key=lambda p: int(p.name))
    commits[-1].unlink()
    commits[-1].with_name(f".{commits[-1].name}.crc").unlink(missing_ok=True)


@pytest.mark.parametrize("records", ["kept", "lost"])
def test_crash_then_hard_delete_then_replay_writes_the_batch_once(lake_q, kafka_broker, ingest, cases_build, records) -> None:
    lake, (doc, step) = lake_q, ingest
    t = f"{lake.catalog}.{EVENTS}"
    ts = now_ts()
    old = datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ") - timedelta(days=9 * 365)
    lake.sql(f"INSERT INTO {t} VALUES ('old', 'old@example.com', 1.00, TIMESTAMP '{old:%Y-%m-%d %H:%M:%S}')")
    kafka_broker.produce(step["topics"][0], [(None, message(f"e-{i}", "1.00"), NOW_MS + i) for i in range(3)])
    assert run(lake, doc)["quality"]["status"] == "passed"
    crash_after_commit(step)

    lake.run(maintenance(lake, cases_build, EVENTS), ts=ts)  # deletes 'old', expires every older snapshot
    # The snapshot that recorded the batch is gone: only the record the hard delete carried forward knows it.
    assert lake.sql(f"SELECT count(*) FROM {t}.snapshots WHERE summary['lakestep.stream'] IS NOT NULL").first()[0] == 0
    props = {r.key: r.value for r in lake.sql(f"SHOW TBLPROPERTIES {t}").collect()}
    assert [v for k, v in props.items() if k.startswith("lakestep.batch-id.")] == ["0"]
    if records == "lost":  # what exactly-once relied on before: the snapshot summaries alone
        lake.sql(f"ALTER TABLE {t} UNSET TBLPROPERTIES ('{next(k for k in props if k.startswith('lakestep.batch-id.'))}')")

    run(lake, doc)  # the replay of batch 0

    ids = sorted(r.event_id for r in lake.table(EVENTS).collect())
    assert ids == (["e-0", "e-1", "e-2"] if records == "kept" else ["e-0", "e-0", "e-1", "e-1", "e-2", "e-2"])
    assert main_of(lake, EVENTS) is not None


def test_a_failing_batch_after_a_published_table_reports_that_table_published(lake_q, kafka_broker, ingest) -> None:
    """An ingestion job publishes its JDBC targets (audit → checks → publish) before its gated Kafka
    batches (src/phases/ingestion.ts): a batch that then fails an `error` check fails the run with
    the JDBC target in `published` — its main moved, the batch's table's did not — and the JDBC
    watermark in the result, so the state machine reports it published, advances its watermark and
    records its publish (src/phases/quality-gate.ts) instead of saying nothing was published."""
    lake, (doc, step) = lake_q, ingest
    t, key = f"{lake.catalog}.raw_quality.orders", "raw_quality.orders"
    before = main_of(lake)
    kafka_broker.produce(step["topics"][0], [(None, message("e-ok", "1.00"), NOW_MS), (None, message("e-bad", "-5.00"), NOW_MS + 1)])
    # The JDBC part as the compile orders it: an extract writes the target on the audit branch and
    # reports its watermark, the target's checks, one publish; then the Kafka source.
    batch = [
        {"kind": "audit", "name": f"audit {key}", "table": t, "key": key, "retainDays": 7},
        {"kind": "sql", "name": "orders-pg", "sql": f"INSERT INTO {t} VALUES (1, 'NEW', 'a@example.com', 10.00, TIMESTAMP '2026-11-26 08:00:00')"},
        {"kind": "watermark", "name": "orders-pg watermark", "key": "wm_0", "sql": f"SELECT max(ts) FROM {t}"},
        {"kind": "check", "name": f"check {key} not_null(id)", "table": key, "check": "not_null(id)", "checkKind": "not_null", "severity": "error",
         "sql": f"SELECT id, count(*) OVER () AS _lakestep_failing FROM {t} WHERE id IS NULL LIMIT 10", "sampleColumns": ["id"], "maskedColumns": []},
        {"kind": "publish", "name": "publish", "attempts": 1},
    ]
    result = run(lake, {**doc, "steps": batch + doc["steps"]})
    q = result["quality"]
    assert q["status"] == "failed"
    assert [f["check"] for f in q["failed"]] == ["expression(amount >= 0)"]
    assert q["summary"]["published"] == [key]
    assert [k["table"] for k in q["summary"]["kept"]] == [EVENTS]
    assert result["watermarks"]["wm_0"].startswith("2026-11-26T08:00:00")
    assert main_of(lake) != before  # published: main moved
    lake.sql(f"REFRESH TABLE {t}")
    assert [r.id for r in lake.table(key).collect()] == [1]
    assert events(lake) == []  # the failing batch is not
