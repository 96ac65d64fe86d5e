"""Maintenance phase on real Spark + Iceberg: procedures, hard delete, task isolation."""
from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from harness import Lake
from lakestep import JobError

ROW = "id bigint, name string, amount decimal(20,2), ts timestamp"


def append(lake: Lake, table: str, rows: list[tuple]) -> None:
    lake.spark.createDataFrame(rows, ROW).coalesce(1).writeTo(f"{lake.catalog}.{table}").append()


def now_ts() -> str:
    """The current time rounded up to the second: later than every commit made so far."""
    return (datetime.now(timezone.utc) + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def count(lake: Lake, sql: str) -> int:
    return lake.sql(sql).first()[0]


def data_files_on_storage(lake: Lake, table: str) -> list[Path]:
    data = lake.local_path(f"s3://eng-raw/raw_lake/{table}/data")
    return [p for p in data.rglob("*") if p.suffix in (".parquet", ".orc", ".avro") and not p.name.startswith(".")]


def test_every_procedure_changes_what_it_should(clean_lake: Lake, cases_build: Path) -> None:
    lake = clean_lake
    lake.run(lake.job("lake", "lake-migration", "ddl", cases_build))
    t = f"{lake.catalog}.raw_lake.t_parquet"
    for i in range(6):  # six commits, six small files in one day partition
        append(lake, "raw_lake.t_parquet", [(i, f"n{i}", Decimal(i), datetime(2026, 11, 20, 8, i))])
    assert count(lake, f"SELECT count(*) FROM {t}.snapshots") == 6
    assert count(lake, f"SELECT count(*) FROM {t}.files") == 6
    orphan = lake.local_path("s3://eng-raw/raw_lake/t_parquet/data/orphan.parquet")
    orphan.write_bytes(b"left by a failed writer")
    two_days_ago = time.time() - 2 * 86400
    os.utime(orphan, (two_days_ago, two_days_ago))
    rows_before = sorted(lake.table("raw_lake.t_parquet").collect())
    old_snapshots = {r[0] for r in lake.sql(f"SELECT snapshot_id FROM {t}.snapshots").collect()}

    lake.run(lake.job("lake", "lake-maintenance", "maintenance-all", cases_build), ts=now_ts())

    assert sorted(lake.table("raw_lake.t_parquet").collect()) == rows_before
    # Every snapshot older than the run's ts expired; only the job's own commits stay.
    assert not old_snapshots & {r[0] for r in lake.sql(f"SELECT snapshot_id FROM {t}.snapshots").collect()}
    files = lake.sql(f"SELECT file_size_in_bytes FROM {t}.files").collect()
    assert len(files) == 1 and files[0][0] < 64 * 1024 * 1024  # compacted toward the target size
    assert count(lake, f"SELECT count(*) FROM {t}.manifests") == 1  # manifests rewritten
    assert not orphan.exists()  # orphan removed
    metadata = lake.local_path("s3://eng-raw/raw_lake/t_parquet/metadata")
    assert len(list(metadata.glob("*.metadata.json"))) <= 3  # current + previous-versions-max 2
    assert len(data_files_on_storage(lake, "t_parquet")) == 1  # the replaced files are gone


@pytest.mark.parametrize("table", ["t_orc", "t_mor"])
def test_hard_delete_leaves_no_deleted_row_on_storage(clean_lake: Lake, cases_build: Path, table: str) -> None:
    lake = clean_lake
    lake.run(lake.job("lake", "lake-migration", "ddl", cases_build))
    # older_than 7y: the cutoff is ts minus 7 calendar years; 7 x 365 days is at least
    # a leap day later and would delete id 2 too early.
    ts = now_ts()
    run_at = datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ")
    cutoff = run_at.replace(year=run_at.year - 7)
    append(lake, f"raw_lake.{table}", [(1, "old", Decimal("1"), cutoff - timedelta(days=1)),
                                       (2, "kept", Decimal("2"), cutoff + timedelta(hours=12)),
                                       (3, "new", Decimal("3"), run_at - timedelta(days=30))])
    append(lake, f"raw_lake.{table}", [(4, "old", Decimal("4"), cutoff - timedelta(minutes=1)),
                                       (5, "new", Decimal("5"), run_at - timedelta(days=1))])
    job = lake.job("lake", "lake-maintenance", "maintenance-all", cases_build)
    job["steps"] = [s for s in job["steps"] if s.get("group") == f"raw_lake.{table}"]
    lake.run(job, ts=ts)
    assert sorted(r.id for r in lake.table(f"raw_lake.{table}").collect()) == [2, 3, 5]
    t = f"{lake.catalog}.raw_lake.{table}"
    # No data file reachable from any snapshot, nor any data file left on storage,
    # holds a deleted row.
    reachable = [r.file_path for r in lake.sql(f"SELECT file_path FROM {t}.all_data_files").collect()]
    on_storage = [f"file://{p}" for p in data_files_on_storage(lake, table)]
    files = sorted(set(reachable) | set(on_storage))
    ids: set[int] = set()
    for fmt in ("parquet", "orc", "avro"):
        paths = [f for f in files if f.endswith("." + fmt)]
        if paths:
            ids |= {r.id for r in lake.spark.read.format(fmt).load(paths).collect()}
    assert files and ids == {2, 3, 5}


def test_a_failing_table_does_not_skip_the_other_tables(clean_lake: Lake, cases_build: Path) -> None:
    lake = clean_lake
    lake.run(lake.job("lake", "lake-migration", "ddl", cases_build))
    append(lake, "raw_lake.t_orc", [(1, "old", Decimal("1"), datetime(2010, 1, 1))])
    append(lake, "raw_lake.t_parquet", [(1, "a", Decimal("1"), datetime(2026, 1, 1))])
    append(lake, "raw_lake.t_parquet", [(2, "b", Decimal("2"), datetime(2026, 1, 1))])
    lake.sql(f"DROP TABLE {lake.catalog}.raw_lake.t_mor")  # its tasks fail, first in the job
    with pytest.raises(JobError) as failure:
        lake.run(lake.job("lake", "lake-maintenance", "maintenance-all", cases_build), ts=now_ts())
    message = str(failure.value)
    assert "raw_lake.t_mor hard_delete" in message
    assert "raw_lake.t_parquet expire_snapshots" in message  # reported among the succeeded
    assert lake.table("raw_lake.t_orc").count() == 0  # the other tables' tasks ran
    assert count(lake, f"SELECT count(*) FROM {lake.catalog}.raw_lake.t_parquet.snapshots") == 1
