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
