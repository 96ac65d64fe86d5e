"""Custom `spark:` dags: submitted with the settings that read the platform's tables."""
from __future__ import annotations

import json
from pathlib import Path

from harness import Lake, parse_conf, submit_parameters

SESSION_KEYS = ("spark.jars", "spark.sql.extensions", "spark.sql.catalog.", "spark.sql.defaultCatalog")


def test_a_custom_spark_dag_gets_the_iceberg_catalog_of_the_platform(clean_lake: Lake, example_build: Path) -> None:
    lake = clean_lake
    asl = json.loads((example_build / "payments" / "payments-reconciliation.asl.json").read_text())
    (parameters,) = submit_parameters(asl)
    conf = lake.localize_conf(parse_conf(parameters))
    # The shared session was built from the generated platform settings; the custom
    # dag's settings hold the same catalog, extensions and jars, so a job submitted
    # with them reads what this session reads.
    wanted = {k: v for k, v in lake.static_conf.items() if k.startswith(SESSION_KEYS)}
    assert {k: conf.get(k) for k in wanted} == wanted
    assert conf["spark.sql.defaultCatalog"] == lake.catalog
    lake.sql(f"CREATE NAMESPACE IF NOT EXISTS {lake.catalog}.raw_payments")
    lake.sql("CREATE TABLE raw_payments.p (id bigint) USING iceberg")  # the default catalog
    lake.sql("INSERT INTO raw_payments.p VALUES (1)")
    assert [r.id for r in lake.table("raw_payments.p").collect()] == [1]
    # The user's spark.jars is added to the generated one, never replaces it.
    assert parameters.count("spark.jars=") == 1
