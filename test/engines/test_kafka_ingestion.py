"""Kafka micro-batch ingestion on real engines: the compiled `shop-ingestion` job
document (test/engines/specs) run by the lakestep runtime against a KRaft broker,
with Spark Structured Streaming (`availableNow`) writing Iceberg tables."""
from __future__ import annotations

import copy
import json
import uuid
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from test_jdbc_ingestion import only, put_secret, run_job, spark, wal_catalog  # noqa: F401 - fixtures

SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/kafka-AbCdEf"
WATERMARK = "2026-11-26T05:00:00.000000Z"
W_MS = int(datetime(2026, 11, 26, 5, 0, tzinfo=timezone.utc).timestamp() * 1000)


@pytest.fixture
def docs(lake, cases_build):
    return lake.job("shop", "shop-ingestion", "ingest", cases_build)


@pytest.fixture
def broker(kafka_broker, clean_lake):
    put_secret(SECRET_ARN, {"bootstrap_servers": kafka_broker.bootstrap_servers})
    # foreachBatch runs in a clone of the session, with a catalog of its own.
    wal_catalog(clean_lake)
    return kafka_broker


@pytest.fixture
def source(broker, docs, spark, tmp_path):
    """One source of the document on a topic of its own, with its own checkpoint and empty tables."""

    def make(name: str):
        doc = copy.deepcopy(only(docs, name))
        step = next(s for s in doc["steps"] if s["kind"] == "kafka")
        step["topics"] = [f"{step['topics'][0]}.{uuid.uuid4().hex[:8]}"]
        step["checkpoint"] = str(tmp_path / "checkpoint")
        broker.create_topic(step["topics"][0])
        return doc, step

    return make


def event(event_id: str, amount: str, ts: str) -> bytes:
    return json.dumps({"event_id": event_id, "amount": amount, "event_ts": ts}).encode()


def read(spark, sql: str, table: str) -> list[tuple]:
    # The stream writes through its own session, whose catalog caches tables apart from this one's.
    spark.sql(f"REFRESH TABLE {table}")
    return [tuple(r) for r in spark.sql(sql).collect()]


def events(spark) -> list[tuple]:
    return read(spark, "SELECT event_id, amount FROM glue_catalog.raw_shop.events ORDER BY event_id",
                "glue_catalog.raw_shop.events")


def test_first_run_starts_at_the_migration_watermark_then_the_checkpoint(broker, source, spark, run_job):
    doc, step = source("events-json")
    assert step["startingTimestampParameter"] == "start_0"
    topic = step["topics"][0]
    broker.produce(topic, [(None, event("old-1", "1.00", "2026-11-26T04:00:00Z"), W_MS - 60_000),
                           (None, event("old-2", "2.00", "2026-11-26T04:59:59Z"), W_MS - 1),
                           (None, event("new-1", "3.10", "2026-11-26T05:00:00Z"), W_MS),
                           (None, event("new-2", "4.20", "2026-11-26T05:01:00Z"), W_MS + 60_000)])
    first = run_job(doc, {"start_0": WATERMARK})
    assert events(spark) == [("new-1", Decimal("3.10")), ("new-2", Decimal("4.20"))]
    assert first["rows"] == {"events-json": 2}

    broker.produce(topic, [(None, event("new-3", "5.00", "2026-11-26T05:02:00Z"), W_MS + 120_000)])
    # The state machine passes the migration watermark on every run; the checkpoint wins.
    run_job(doc, {"start_0": WATERMARK})
    assert events(spark) == [("new-1", Decimal("3.10")), ("new-2", Decimal("4.20")), ("new-3", Decimal("5.00"))]


def test_a_batch_replayed_after_a_crash_is_not_written_twice(broker, source, spark, run_job):
    doc, step = source("events-json")
    broker.produce(step["topics"][0], [(None, event(f"e-{i}", "1.00", "2026-11-26T05:00:00Z"), W_MS + i)
                                       for i in range(3)])
    run_job(doc, {"start_0": ""})
    assert len(events(spark)) == 3
    # A crash after the Iceberg commit and before Spark committed the batch to its
    # checkpoint: the offsets are logged, the commit marker is not, so the batch runs again.
    commits = sorted((Path(step["checkpoint"]) / "commits").glob("[0-9]*"), key=lambda p: int(p.name))
    commits[-1].unlink()
    commits[-1].with_name(f".{commits[-1].name}.crc").unlink(missing_ok=True)
    run_job(doc, {"start_0": ""})
    assert sorted(r[0] for r in events(spark)) == ["e-0", "e-1", "e-2"]


def test_malformed_messages_go_to_the_dead_letter_without_blocking(broker, source, spark, run_job):
    doc, step = source("events-json")
    topic = step["topics"][0]
    broker.produce(topic, [(b"k1", event("ok-1", "1.00", "2026-11-26T05:00:00Z"), W_MS),
                           (b"k2", b"{not json", W_MS + 1),
                           (b"k3", json.dumps({"amount": "2.00"}).encode(), W_MS + 2)])
    run_job(doc, {"start_0": ""})
    assert events(spark) == [("ok-1", Decimal("1.00"))]
    table = step["deadLetter"]["target"]
    assert read(spark, f"SELECT key, value, topic, offset, error FROM {table} ORDER BY offset", table) == [
        ("k2", "{not json", topic, 1, "malformed JSON"),
        ("k3", '{"amount": "2.00"}', topic, 2, "missing required field event_id")]

    broker.produce(topic, [(b"k4", event("ok-2", "3.00", "2026-11-26T05:00:01Z"), W_MS + 3)])
    run_job(doc, {"start_0": ""})
    assert events(spark) == [("ok-1", Decimal("1.00")), ("ok-2", Decimal("3.00"))]


def test_a_raw_source_lands_key_value_and_metadata(broker, source, spark, run_job):
    doc, step = source("clicks-raw")
    assert step["format"] == "raw" and "deadLetter" not in step
    topic = step["topics"][0]
    broker.produce(topic, [(b"u1", b"/home", W_MS), (None, b"not even json", W_MS + 5)])
    run_job(doc)
    got = read(spark, "SELECT key, value, topic, partition, offset, timestamp FROM glue_catalog.raw_shop.clicks"
               " ORDER BY offset", "glue_catalog.raw_shop.clicks")
    assert got == [
        ("u1", "/home", topic, 0, 0, datetime(2026, 11, 26, 5, 0)),
        (None, "not even json", topic, 0, 1, datetime(2026, 11, 26, 5, 0, 0, 5000))]
