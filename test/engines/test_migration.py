"""Migration phase on real Spark + Iceberg: DDL, landing-file conversion, watermark."""
from __future__ import annotations

import json
from pathlib import Path

from harness import Lake


def current_metadata(lake: Lake, table: str) -> dict:
    """The table's current metadata file (Iceberg's own record of schema, spec, properties)."""
    row = lake.sql(f"SELECT file FROM {lake.catalog}.{table}.metadata_log_entries ORDER BY timestamp DESC LIMIT 1").first()
    return json.loads(Path(row.file.removeprefix("file:")).read_text())


def partition_fields(meta: dict) -> list[tuple[str, str]]:
    schema = next(s for s in meta["schemas"] if s["schema-id"] == meta["current-schema-id"])
    names = {f["id"]: f["name"] for f in schema["fields"]}
    spec = next(s for s in meta["partition-specs"] if s["spec-id"] == meta["default-spec-id"])
    return [(f["transform"], names[f["source-id"]]) for f in spec["fields"]]


def test_ddl_creates_tables_with_spec_columns_partitioning_and_properties(clean_lake: Lake) -> None:
    lake = clean_lake
    lake.run(lake.job("orders", "orders-migration", "ddl"))
    meta = current_metadata(lake, "raw_orders.orders")
    schema = next(s for s in meta["schemas"] if s["schema-id"] == meta["current-schema-id"])
    assert [(f["name"], f["type"], f["required"]) for f in schema["fields"]] == [
        ("order_id", "long", True), ("customer_id", "long", True), ("status", "string", False),
        ("currency", "string", False), ("amount", "decimal(12, 2)", False),
        ("created_at", "timestamptz", False), ("updated_at", "timestamptz", True),
    ]
    assert schema["fields"][0]["doc"] == "Order number from the order service"
    assert partition_fields(meta) == [("day", "updated_at")]
    assert meta["format-version"] == 2
    props = meta["properties"]
    assert props["write.parquet.compression-codec"] == "zstd"
    assert props["write.target-file-size-bytes"] == "536870912"
    assert props["write.object-storage.enabled"] == "true"
    assert Path(props["write.data.path"].removeprefix("file://")) == lake.local_path("s3://acme-lake-raw/raw_orders/orders/data")
    assert Path(meta["location"].removeprefix("file:")) == lake.local_path("s3://acme-lake-raw/raw_orders/orders")
    order = meta["sort-orders"][[o["order-id"] for o in meta["sort-orders"]].index(meta["default-sort-order-id"])]
    assert [(f["direction"], f["null-order"]) for f in order["fields"]] == [("asc", "nulls-first")]
    assert partition_fields(current_metadata(lake, "raw_orders.order_lines")) == [("bucket[16]", "order_id")]


# ---------------------------------------------------------------- conversion

from datetime import datetime  # noqa: E402
from decimal import Decimal  # noqa: E402

from pyspark.testing import assertDataFrameEqual  # noqa: E402

TABLE_DDL = "id bigint, name string, amount decimal(20,2), ts timestamp"
ROWS = [
    (1, "ab", Decimal("123456789012345678.91"), datetime(2026, 1, 31, 23, 59, 59)),
    (2, "ac", Decimal("-0.01"), datetime(2026, 2, 1, 0, 0, 0)),
    (3, None, None, datetime(2026, 3, 15, 12, 30, 0, 123456)),
]
FORMATS = ["parquet", "orc", "csv", "json", "avro"]


def write_landing(lake: Lake, table: str, fmt: str) -> None:
    """Landing files of `table` as DataSync leaves them: Hive-style files, no header."""
    path = lake.local_path(f"s3://eng-landing/lake/{table}/")
    path.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        lines = [f"{i}|{n or ''}|{a if a is not None else ''}|{t.isoformat(' ')}" for i, n, a, t in ROWS]
        (path / "part-0.csv").write_text("\n".join(lines) + "\n")
    elif fmt == "json":
        # Written by hand: the amounts have more digits than a double holds.
        lines = ['{"id": %d, "name": %s, "amount": %s, "ts": "%s"}' % (
            i, json.dumps(n), a if a is not None else "null", t.isoformat()) for i, n, a, t in ROWS]
        (path / "part-0.json").write_text("\n".join(lines) + "\n")
    else:
        lake.spark.createDataFrame(ROWS, TABLE_DDL).coalesce(1).write.mode("overwrite").format(fmt).save(f"file://{path}")


def migrate(lake: Lake, build: Path, table: str) -> dict:
    with lake.submitted_with(build / "lake" / "lake-migration.asl.json"):
        return lake.run(lake.job("lake", "lake-migration", f"convert-{table}", build))


def test_landing_files_of_every_format_convert_to_the_declared_rows_twice(clean_lake: Lake, cases_build: Path) -> None:
    lake = clean_lake
    lake.run(lake.job("lake", "lake-migration", "ddl", cases_build))
    expected = lake.spark.createDataFrame(ROWS, TABLE_DDL)
    for fmt in FORMATS:
        table = f"t_{fmt}"
        write_landing(lake, table, fmt)
        first = migrate(lake, cases_build, table)
        assertDataFrameEqual(lake.table(f"raw_lake.{table}"), expected)
        # The watermark is the max of the watermark column.
        assert first["watermarks"] == {"watermark": "2026-03-15T12:30:00.123456Z"}, fmt
        second = migrate(lake, cases_build, table)
        assertDataFrameEqual(lake.table(f"raw_lake.{table}"), expected)
        assert second["watermarks"] == first["watermarks"]
    meta = current_metadata(lake, "raw_lake.t_parquet")
    assert partition_fields(meta) == [("day", "ts")]
    assert meta["properties"]["commit.retry.num-retries"] == "7"
    assert partition_fields(current_metadata(lake, "raw_lake.t_orc")) == [("month", "ts")]
    assert partition_fields(current_metadata(lake, "raw_lake.t_csv")) == [("bucket[4]", "id")]
    assert partition_fields(current_metadata(lake, "raw_lake.t_json")) == [("truncate[2]", "name")]


def test_a_conversion_rerun_keeps_rows_written_since_the_migration(clean_lake: Lake, cases_build: Path) -> None:
    lake = clean_lake
    lake.run(lake.job("lake", "lake-migration", "ddl", cases_build))
    write_landing(lake, "t_parquet", "parquet")
    migrate(lake, cases_build, "t_parquet")
    # Ingestion / processing after the migration, then the migration runs again.
    lake.sql("INSERT INTO glue_catalog.raw_lake.t_parquet VALUES (9, 'new', 1.00, TIMESTAMP'2026-11-25 10:00:00')")
    result = migrate(lake, cases_build, "t_parquet")
    rows = sorted(r.id for r in lake.table("raw_lake.t_parquet").collect())
    assert rows == [1, 2, 3, 9]
    assert result["watermarks"] == {"watermark": "2026-11-25T10:00:00.000000Z"}


# ------------------------------------------------------- Hive-shaped landing files

import shutil  # noqa: E402

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

ANCIENT = datetime(1850, 6, 1, 12, 0, 0)
OLD_ROWS = [(1, "a", ANCIENT), (2, "b", datetime(2019, 3, 1, 8, 0, 0))]
NEW_ROWS = [(3, "c", "n3", datetime(2024, 6, 1, 9, 30, 0), True)]


def hive_file(lake: Lake, table: str, partition: str) -> Path:
    """`<landing>/<table>/dt=<partition>/000000_0`: the name and layout Hive gives its files."""
    folder = lake.local_path(f"s3://eng-landing/lake/{table}/") / f"dt={partition}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "000000_0"


def spark_file(lake: Lake, rows: list, ddl: str, fmt: str, target: Path) -> None:
    """One file written by Spark in the hybrid calendar Hive writes in, renamed as Hive names its files."""
    tmp = target.parent / "_tmp"
    key = "spark.sql.avro.datetimeRebaseModeInWrite"
    before = lake.spark.conf.get(key)
    lake.spark.conf.set(key, "LEGACY")
    try:
        lake.spark.createDataFrame(rows, ddl).coalesce(1).write.mode("overwrite").format(fmt).save(f"file://{tmp}")
    finally:
        lake.spark.conf.set(key, before)
    [part] = [p for p in tmp.iterdir() if p.name.startswith("part-")]
    part.rename(target)
    shutil.rmtree(tmp)


def write_hive_landing(lake: Lake, table: str, fmt: str) -> None:
    """Two partitions of one Hive table: the older one before `note` was added (and, in
    parquet, with INT96 timestamps as Hive writes them, one before 1900), the newer one
    with `note` and a column the table no longer declares."""
    old, new = hive_file(lake, table, "2019-01-01"), hive_file(lake, table, "2024-06-01")
    if fmt == "parquet":
        # pyarrow, not Spark: a writer that leaves no Spark rebase metadata, as Hive's does not.
        old_table = pa.table({"id": [r[0] for r in OLD_ROWS], "name": [r[1] for r in OLD_ROWS], "ts": pa.array([r[2] for r in OLD_ROWS], pa.timestamp("us"))})
        pq.write_table(old_table, old, use_deprecated_int96_timestamps=True)
        new_table = pa.table({"id": [3], "name": ["c"], "note": ["n3"], "ts": pa.array([NEW_ROWS[0][3]], pa.timestamp("us")), "legacy_flag": [True]})
        pq.write_table(new_table, new, use_deprecated_int96_timestamps=True)
    else:
        spark_file(lake, OLD_ROWS, "id bigint, name string, ts timestamp", fmt, old)
        spark_file(lake, NEW_ROWS, "id bigint, name string, note string, ts timestamp, legacy_flag boolean", fmt, new)


HIVE_EXPECTED_DDL = "id bigint, name string, note string, ts timestamp, dt string"
HIVE_EXPECTED = [
    (1, "a", None, ANCIENT, "2019-01-01"),
    (2, "b", None, datetime(2019, 3, 1, 8, 0, 0), "2019-01-01"),
    (3, "c", "n3", datetime(2024, 6, 1, 9, 30, 0), "2024-06-01"),
]


def test_hive_landing_files_convert_against_the_declared_columns(clean_lake: Lake, cases_build: Path) -> None:
    """Partition folders, `000000_0` files, a column added later (NULL in older files), a
    column dropped from the table (not read), INT96 timestamps before 1900 (parquet)."""
    lake = clean_lake
    lake.run(lake.job("lake", "lake-migration", "ddl", cases_build))
    expected = lake.spark.createDataFrame(HIVE_EXPECTED, HIVE_EXPECTED_DDL)
    for fmt in ["parquet", "orc", "avro"]:
        table = f"hive_{fmt}"
        write_hive_landing(lake, table, fmt)
        migrate(lake, cases_build, table)
        assertDataFrameEqual(lake.table(f"raw_lake.{table}"), expected)


def test_the_generated_settings_read_hive_int96_timestamps_before_1900(clean_lake: Lake, cases_build: Path) -> None:
    """Without the LEGACY rebase of the migration's settings, Spark refuses the file."""
    lake = clean_lake
    write_hive_landing(lake, "hive_parquet", "parquet")
    path = lake.local_path("s3://eng-landing/lake/hive_parquet/")
    with lake.submitted_with(cases_build / "lake" / "lake-migration.asl.json"):
        assert lake.spark.conf.get("spark.sql.parquet.int96RebaseModeInRead") == "LEGACY"
        assert ANCIENT in [r.ts for r in lake.spark.read.parquet(f"file://{path}").collect()]
    before = lake.spark.conf.get("spark.sql.parquet.int96RebaseModeInRead")
    lake.spark.conf.set("spark.sql.parquet.int96RebaseModeInRead", "EXCEPTION")
    try:
        import pytest

        with pytest.raises(Exception, match="READ_ANCIENT_DATETIME|INCONSISTENT_BEHAVIOR_CROSS_VERSION"):
            lake.spark.read.parquet(f"file://{path}").collect()
    finally:
        lake.spark.conf.set("spark.sql.parquet.int96RebaseModeInRead", before)
