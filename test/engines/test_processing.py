"""Processing phase on real Spark + Iceberg: the generated MERGE and user SQL files."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from pyspark.testing import assertDataFrameEqual

from harness import Lake

EVENTS = "id bigint, op string, amount decimal(20,2), ts timestamp"
BALANCES = "id bigint, amount decimal(20,2), ts timestamp"


def at(minute: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, 26, hour, minute)


def add_events(lake: Lake, rows: list[tuple]) -> None:
    lake.spark.createDataFrame(rows, EVENTS).writeTo(f"{lake.catalog}.raw_lake.events").append()


def test_merge_upserts_deletes_dedups_and_takes_late_rows(clean_lake: Lake, cases_build: Path) -> None:
    lake = clean_lake
    lake.run(lake.job("lake", "lake-migration", "ddl", cases_build))
    process = lake.job("lake", "lake-upserts", "process", cases_build)
    add_events(lake, [
        (1, "U", Decimal("1.00"), at(0)),
        (1, "U", Decimal("2.00"), at(5)),      # duplicate key: the latest wins
        (2, "U", Decimal("5.00"), at(0)),
        (3, "D", Decimal("3.00"), at(1)),      # first seen already deleted: not inserted
        (4, "U", Decimal("4.00"), at(2)),
        (7, "SQL", Decimal("0.70"), at(2)),    # read by the user SQL file
    ])
    first = lake.run(process, wm_0="")
    assert first["watermarks"] == {"upper_0": "2026-11-26T10:05:00.000000Z"}
    assertDataFrameEqual(lake.table("raw_lake.balances"), lake.spark.createDataFrame([
        (1, Decimal("2.00"), at(5)), (2, Decimal("5.00"), at(0)), (4, Decimal("4.00"), at(2)), (7, Decimal("0.70"), at(2)),
    ], BALANCES))
    # The user SQL file ran as written (names resolved in the default catalog).
    assert [r.name for r in lake.table("raw_lake.t_parquet").collect()] == ["from-sql"]

    add_events(lake, [
        (2, "U", Decimal("6.00"), at(6)),      # update
        (4, "D", Decimal("4.00"), at(7)),      # delete by delete_when
        (5, "U", Decimal("7.00"), at(5)),      # late, at the watermark
        (6, "U", Decimal("8.00"), at(30, 9)),  # late, below the watermark (within late_arrival)
        (1, "U", Decimal("99.00"), at(3)),     # late and older than the row merged: ignored
    ])
    second = lake.run(process, wm_0=first["watermarks"]["upper_0"])
    assert second["watermarks"] == {"upper_0": "2026-11-26T10:07:00.000000Z"}
    assertDataFrameEqual(lake.table("raw_lake.balances"), lake.spark.createDataFrame([
        (1, Decimal("2.00"), at(5)), (2, Decimal("6.00"), at(6)), (5, Decimal("7.00"), at(5)),
        (6, Decimal("8.00"), at(30, 9)), (7, Decimal("0.70"), at(2)),
    ], BALANCES))
    # Nothing new: the same rows, and no watermark to advance.
    third = lake.run(process, wm_0=second["watermarks"]["upper_0"])
    assert third["watermarks"] == {}
    assert lake.table("raw_lake.balances").count() == 5


def test_the_example_settlement_keeps_the_days_before_its_window(clean_lake: Lake, example_build: Path) -> None:
    from datetime import date, timedelta

    lake = clean_lake
    lake.run(lake.job("payments", "payments-migration", "ddl"))
    lake.run(lake.job("payments", "payments-curated-migration", "ddl"))
    c = lake.catalog
    today = date.today()
    lake.sql(f"INSERT INTO {c}.process_payments.settlement_daily VALUES "
             f"(DATE'2020-01-01', 'EUR', 'card', 10.00, 0.00, 10.00), "
             f"(DATE'{today - timedelta(days=1)}', 'EUR', 'sepa', 1.00, 0.00, 1.00)")  # gone from the source
    lake.sql(f"INSERT INTO {c}.process_payments.payment_ledger VALUES "
             f"(1, 10, 'card', 'SETTLED', 20.00, 'EUR', TIMESTAMP'{today} 08:00:00', TIMESTAMP'{today} 08:00:00')")
    doc = lake.job("payments", "payments-upserts", "process")
    doc["steps"] = [s for s in doc["steps"] if s["name"].startswith("settlement")]
    lake.run(doc)
    rows = sorted((str(r.settlement_date), r.method, str(r.net_amount)) for r in lake.table("process_payments.settlement_daily").collect())
    assert rows == [("2020-01-01", "card", "10.00"), (str(today), "card", "20.00")]
