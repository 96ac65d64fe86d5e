"""JDBC batch ingestion on real engines: the compiled `shop-ingestion` job document
(test/engines/specs) run by the lakestep runtime against PostgreSQL, writing Iceberg
tables, with the credentials read from Secrets Manager (the local stand-in)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

SPECS = Path(__file__).with_name("specs")
SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-AbCdEf"
T0 = datetime(2026, 11, 26, 5, 0, 0)

# Source tables: columns in another order than the targets', so a write by position fails.
SOURCE_DDL = {
    "customers": "CREATE TABLE public.customers (updated_at timestamp NOT NULL, name text, customer_id bigint PRIMARY KEY)",
    "refunds": "CREATE TABLE public.refunds (amount numeric(12,2), version bigint NOT NULL, refund_id bigint PRIMARY KEY)",
    "returns": "CREATE TABLE public.returns (reason text, return_id bigint PRIMARY KEY)",
}


@pytest.fixture
def shop(lake, cases_build):
    return {
        "ingest": lake.job("shop", "shop-ingestion", "ingest", cases_build),
        "ddl": lake.job("shop", "shop-migration", "ddl", cases_build),
    }


def put_secret(arn: str, value: dict) -> None:
    """The secret in the Secrets Manager stand-in, under the name its ARN ends with."""
    import boto3

    client = boto3.client("secretsmanager", region_name=arn.split(":")[3])
    name = arn.split(":")[-1]
    try:
        client.create_secret(Name=name, SecretString=json.dumps(value))
    except client.exceptions.ResourceExistsException:
        client.put_secret_value(SecretId=name, SecretString=json.dumps(value))


def only(doc: dict, name: str) -> dict:
    """The job document with the steps of one source (its create steps included)."""
    return {**doc, "steps": [s for s in doc["steps"] if s["name"] == name or s["name"].startswith(name + " ")]}


def wal_catalog(lake) -> None:
    """Put the local SQLite catalog in WAL mode (persistent in the file): a reader on one
    connection — the driver's catalog, or a stream's cloned session — does not lock out a
    commit on another, which in the default journal mode fails with SQLITE_BUSY."""
    import sqlite3

    with sqlite3.connect(lake.root / "catalog.db") as db:
        db.execute("PRAGMA journal_mode=WAL")


@pytest.fixture
def fresh(postgres, clean_lake, shop):
    """Empty source tables and freshly migrated (empty) target tables."""
    wal_catalog(clean_lake)
    put_secret(SECRET_ARN, postgres.secret())
    for table, ddl in SOURCE_DDL.items():
        postgres.execute(f"DROP TABLE IF EXISTS public.{table}")
        postgres.execute(ddl)
    clean_lake.run(shop["ddl"])
    return postgres


@pytest.fixture
def spark(lake):
    return lake.spark


@pytest.fixture
def run_job(lake):
    """Run a job document; `spark_proxy` stands in for the session the runtime gets."""
    import lakestep as rt

    def run(doc, params=None, runtime=None, spark_proxy=None):
        if runtime is None and spark_proxy is not None:
            runtime = rt.Runtime(spark_factory=lambda: spark_proxy, log=lambda _line: None)
        return lake.run(doc, runtime=runtime, **(params or {}))

    return run


class SqlHook:
    """The session, with `before(sql)` called before each statement the runtime runs."""

    def __init__(self, spark, before):
        self._spark, self._before = spark, before

    def sql(self, text, args=None, **kw):
        self._before(text)
        return self._spark.sql(text, args=args, **kw) if args else self._spark.sql(text, **kw)

    def __getattr__(self, name):
        return getattr(self._spark, name)


def rows(spark, table: str, order: str) -> list[tuple]:
    return [tuple(r) for r in spark.sql(f"SELECT * FROM glue_catalog.raw_shop.{table} ORDER BY {order}").collect()]


def insert_customers(db, *values: tuple[int, str, datetime]) -> None:
    for cid, name, ts in values:
        db.execute("INSERT INTO public.customers (customer_id, name, updated_at) VALUES (%s, %s, %s)"
                   " ON CONFLICT (customer_id) DO UPDATE SET name = EXCLUDED.name, updated_at = EXCLUDED.updated_at",
                   (cid, name, ts))


def test_merge_loads_everything_then_only_changes(fresh, spark, shop, run_job):
    # Ids below `lower` and above `upper` land in the first and last partitions' queries.
    insert_customers(fresh, (0, "zero", T0), (1, "ann", T0), (500, "bob", T0 + timedelta(seconds=1)),
                     (999, "cy", T0), (5000, "dan", T0 + timedelta(microseconds=250)))
    doc = only(shop["ingest"], "customers-pg")
    assert doc["steps"][0]["partitioning"]["partitions"] == 3
    first = run_job(doc, {"wm_0": ""})
    assert first["rows"] == {"customers-pg": 5}
    assert first["watermarks"] == {"wm_0": "2026-11-26T05:00:01.000000Z"}
    assert rows(spark, "customers", "customer_id") == [
        (0, "zero", T0), (1, "ann", T0), (500, "bob", T0 + timedelta(seconds=1)), (999, "cy", T0),
        (5000, "dan", T0 + timedelta(microseconds=250))]

    insert_customers(fresh, (1, "ann-2", T0 + timedelta(minutes=1)), (7, "eve", T0 + timedelta(minutes=2)))
    second = run_job(doc, {"wm_0": first["watermarks"]["wm_0"]})
    assert second["watermarks"] == {"wm_0": "2026-11-26T05:02:00.000000Z"}
    assert rows(spark, "customers", "customer_id") == [
        (0, "zero", T0), (1, "ann-2", T0 + timedelta(minutes=1)), (7, "eve", T0 + timedelta(minutes=2)),
        (500, "bob", T0 + timedelta(seconds=1)), (999, "cy", T0), (5000, "dan", T0 + timedelta(microseconds=250))]
    # A retried run (same watermark) changes nothing.
    run_job(doc, {"wm_0": first["watermarks"]["wm_0"]})
    assert len(rows(spark, "customers", "customer_id")) == 6


def test_rows_committed_while_a_run_is_in_flight_are_not_lost(fresh, spark, shop, run_job):
    insert_customers(fresh, (1, "ann", T0), (2, "bob", T0 + timedelta(seconds=5)))
    doc = only(shop["ingest"], "customers-pg")

    def commit_during_write(sql: str) -> None:
        if sql.startswith("MERGE INTO"):
            insert_customers(fresh, (3, "late", T0 + timedelta(minutes=30)))

    first = run_job(doc, {"wm_0": ""}, spark_proxy=SqlHook(spark, commit_during_write))
    # The watermark is the newest row written, not the newest row in the live table.
    assert first["watermarks"] == {"wm_0": "2026-11-26T05:00:05.000000Z"}
    assert [r[0] for r in rows(spark, "customers", "customer_id")] == [1, 2]
    run_job(doc, {"wm_0": first["watermarks"]["wm_0"]})
    assert [r[0] for r in rows(spark, "customers", "customer_id")] == [1, 2, 3]


def test_rows_at_or_shortly_below_the_watermark_committed_later_arrive(fresh, spark, shop, run_job):
    insert_customers(fresh, (1, "ann", T0), (2, "bob", T0 + timedelta(minutes=20)))
    doc = only(shop["ingest"], "customers-pg")
    first = run_job(doc, {"wm_0": ""})
    watermark = first["watermarks"]["wm_0"]
    assert watermark == "2026-11-26T05:20:00.000000Z"
    # Committed after the run: one with the watermark's own timestamp, one from a
    # transaction that started 5 minutes earlier (inside the 10-minute look-back).
    insert_customers(fresh, (3, "same-ts", T0 + timedelta(minutes=20)), (4, "long-tx", T0 + timedelta(minutes=15)))
    second = run_job(doc, {"wm_0": watermark})
    assert [r[0] for r in rows(spark, "customers", "customer_id")] == [1, 2, 3, 4]
    assert second["watermarks"] == {"wm_0": watermark}


def test_append_with_a_numeric_column_is_not_duplicated_by_a_retry(fresh, spark, shop, run_job):
    for rid, version in ((1, 1), (2, 9), (3, 3)):
        fresh.execute("INSERT INTO public.refunds (refund_id, amount, version) VALUES (%s, %s, %s)",
                      (rid, Decimal("10.50") * rid, version))
    doc = only(shop["ingest"], "refunds-pg")
    first = run_job(doc, {"wm_1": ""})
    # The run failed after its commit (no watermark recorded): the retry reads the same rows.
    run_job(doc, {"wm_1": ""})
    assert rows(spark, "refunds", "refund_id") == [
        (1, Decimal("10.50"), 1), (2, Decimal("21.00"), 9), (3, Decimal("31.50"), 3)]
    assert first["watermarks"] == {"wm_1": "00000000000000000009"}

    fresh.execute("INSERT INTO public.refunds (refund_id, amount, version) VALUES (4, 1.00, 10), (5, 2.00, 9)")
    second = run_job(doc, {"wm_1": first["watermarks"]["wm_1"]})
    # Compared as strings (as DynamoDB's "never backwards" condition does), 10 is past 9.
    assert second["watermarks"]["wm_1"] > first["watermarks"]["wm_1"]
    assert [r[0] for r in rows(spark, "refunds", "refund_id")] == [1, 2, 3, 4, 5]


def test_overwrite_creates_its_target_and_replaces_it(fresh, spark, shop, run_job):
    fresh.execute("INSERT INTO public.returns (return_id, reason) VALUES (1, 'broken'), (2, 'late')")
    doc = only(shop["ingest"], "returns-pg")
    run_job(doc)
    assert rows(spark, "returns", "return_id") == [(1, "broken"), (2, "late")]
    fresh.execute("DELETE FROM public.returns WHERE return_id = 1")
    fresh.execute("INSERT INTO public.returns (return_id, reason) VALUES (3, 'size')")
    run_job(doc)
    run_job(doc)
    assert rows(spark, "returns", "return_id") == [(2, "late"), (3, "size")]


def test_credentials_come_from_the_region_of_the_secret(fresh, spark, shop, run_job, monkeypatch):
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    fresh.execute("INSERT INTO public.returns (return_id, reason) VALUES (1, 'broken')")
    import lakestep as rt

    run_job(only(shop["ingest"], "returns-pg"), runtime=rt.Runtime(spark_factory=lambda: spark, log=lambda _line: None))
    assert rows(spark, "returns", "return_id") == [(1, "broken")]


# ---------------------------------------------------------------- queries as subqueries

JDBC_QUERIES = json.loads(Path(__file__).with_name("jdbc-queries.json").read_text())
POSTGRES_QUERIES = [c for c in JDBC_QUERIES if c["engine"] == "postgresql"]


@pytest.mark.parametrize("case", POSTGRES_QUERIES, ids=[repr(c["query"])[:60] for c in POSTGRES_QUERIES])
def test_a_query_reads_through_spark_exactly_when_lakestep_accepts_it(case, postgres, lake) -> None:
    """The verdicts of jdbc-queries.json (which src/sql/jdbc-query.ts reproduces, see
    test/sql/jdbc-query.test.ts) against Spark's JDBC `query` option on real PostgreSQL:
    Spark wraps the query as `SELECT * FROM (<query>) SPARK_GEN_SUBQ_n`, so a query
    lakestep accepts reads, and one it refuses fails."""
    postgres.execute("CREATE TABLE IF NOT EXISTS public.jdbc_probe (id bigint, note text)")
    reader = (lake.spark.read.format("jdbc")
              .option("url", postgres.jdbc_url).option("driver", "org.postgresql.Driver")
              .option("user", postgres.user).option("password", "unused-with-trust-auth")
              .option("query", case["query"]))
    if case["at"] is None:
        reader.load().collect()
    else:
        with pytest.raises(Exception):
            reader.load().collect()
