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


def test_spark_submit_keeps_the_generated_jars_and_extensions_beside_the_users(lake: Lake, cases_build: Path, tmp_path: Path) -> None:
    """spark-submit itself (of the pinned pyspark) parses the generated parameters of a
    custom dag whose spec adds `--jars` and `spark.sql.extensions`: Spark keeps only the
    last value of a repeated `--conf`, and `--jars` replaces `spark.jars`, so the
    generated and the user's values must all be in the one setting it keeps."""
    import os
    import shlex
    import subprocess

    import pyspark

    asl = json.loads((cases_build / "lake" / "lake-custom.asl.json").read_text())
    (parameters,) = submit_parameters(asl)
    words = shlex.split(lake.localize_text(parameters))
    # Every option as compiled, but `--packages` (Ivy would resolve it over the network).
    options = [w for i, w in enumerate(words) if w != "--packages" and (i == 0 or words[i - 1] != "--packages")]
    assert "--jars" not in options
    script = tmp_path / "noop.py"
    script.write_text("print('submitted')\n")  # no SparkContext: only spark-submit's own parsing runs
    spark_submit = Path(pyspark.__file__).parent / "bin" / "spark-submit"
    env = {**os.environ, "SPARK_HOME": str(Path(pyspark.__file__).parent)}
    proc = subprocess.run([str(spark_submit), "--master", "local[1]", "--verbose", *options, str(script)],
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "submitted" in proc.stdout
    lines = (proc.stdout + proc.stderr).splitlines()

    def used(key: str) -> list[str]:
        found = [line for line in lines if line.startswith(f"({key},")]
        assert found, proc.stdout[-3000:]
        return found[-1].removeprefix(f"({key},").removesuffix(")").split(",")

    from urllib.parse import urlparse

    # Spark reports local paths as file: URIs.
    assert [urlparse(j).path for j in used("spark.jars")] == ["/usr/share/aws/iceberg/lib/iceberg-spark3-runtime.jar", str(lake.local_path("s3://eng-artifacts/lake/jars/udfs.jar"))]
    assert used("spark.sql.extensions") == ["org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions", "com.example.lake.AuditExtensions"]
    assert used("spark.sql.session.timeZone") == ["UTC"]
