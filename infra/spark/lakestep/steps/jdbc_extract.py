"""`jdbc_extract` steps: a JDBC read with a Secrets Manager secret, written by `writeSql`."""
from __future__ import annotations

from typing import Any

from ..context import Context, parse_secret_json
from ..params import run_sql
from ..values import IDENT, JobError, check_column, check_table, format_watermark, is_ntz, watermark_literal

REQUIRED = ("engine", "secretArn", "fetchSize", "view", "writeSql")
DEFAULT_PORTS = {"postgresql": 5432, "oracle": 1521}
JDBC_DRIVERS = {"postgresql": "org.postgresql.Driver", "oracle": "oracle.jdbc.OracleDriver"}


def jdbc_url(engine: str, secret: dict[str, Any]) -> str:
    """JDBC URL from an RDS-style secret (host, port, dbname; Oracle also sid/service_name)."""
    host = secret.get("host")
    if not host:
        raise JobError("the database secret has no 'host'")
    port = int(secret.get("port") or DEFAULT_PORTS[engine])
    if engine == "postgresql":
        return f"jdbc:postgresql://{host}:{port}/{secret.get('dbname') or 'postgres'}"
    if engine == "oracle":
        if secret.get("sid"):
            return f"jdbc:oracle:thin:@{host}:{port}:{secret['sid']}"
        service = secret.get("service_name") or secret.get("dbname") or "ORCL"
        return f"jdbc:oracle:thin:@//{host}:{port}/{service}"
    raise JobError(f"unsupported JDBC engine {engine!r}")


def quote_column(engine: str, name: str) -> str:
    """Quote a validated identifier, folded the way the engine folds unquoted names."""
    if not IDENT.match(name):
        raise JobError(f"invalid column name {name!r}")
    return '"' + (name.upper() if engine == "oracle" else name.lower()) + '"'


def jdbc_options(step: dict[str, Any], secret: dict[str, Any], params: dict[str, str]) -> dict[str, str]:
    """Spark JDBC reader options of a `jdbc_extract` step (contains the password)."""
    engine = step["engine"]
    options = {
        "url": jdbc_url(engine, secret),
        "driver": JDBC_DRIVERS[engine],
        "user": str(secret.get("username", "")),
        "password": str(secret.get("password", "")),
        "fetchsize": str(int(step["fetchSize"])),
    }
    source = f"({step['query']}) q" if step.get("query") else check_table(step["table"])
    watermark = params.get(step.get("watermarkParameter") or "", "")
    incremental = step.get("incrementalColumn")
    if incremental and watermark:
        # Inclusive and looking back: rows committed late with a value at or below the
        # watermark are read again; the write matches them on keys, so none is doubled.
        column = quote_column(engine, incremental)
        lookback = step.get("lookbackSeconds") or 0
        if isinstance(lookback, bool) or not isinstance(lookback, int) or lookback < 0:
            raise JobError(f"invalid lookbackSeconds {lookback!r}")
        options["dbtable"] = f"(SELECT * FROM {source} WHERE {column} >= {watermark_literal(watermark, lookback)}) t"
    elif step.get("query") and not step.get("partitioning"):
        options["query"] = step["query"]
    else:
        options["dbtable"] = source
    part = step.get("partitioning")
    if part:
        if not IDENT.match(part["column"]):
            raise JobError(f"invalid partition column {part['column']!r}")
        options.update(
            partitionColumn=part["column"],
            lowerBound=str(int(part["lower"])),
            upperBound=str(int(part["upper"])),
            numPartitions=str(int(part["partitions"])),
        )
    return options


def validate(step: dict[str, Any]) -> None:
    if bool(step.get("table")) == bool(step.get("query")):
        raise JobError(f"step {step['name']}: exactly one of table and query")
    if step["engine"] not in JDBC_DRIVERS:
        raise JobError(f"step {step['name']}: unsupported engine {step['engine']!r}")


def run(ctx: Context, step: dict[str, Any]) -> int | None:
    secret = parse_secret_json(ctx.secret(step["secretArn"]), step["secretArn"])
    reader = ctx.spark.read.format("jdbc")
    for key, value in jdbc_options(step, secret, ctx.params).items():
        reader = reader.option(key, value)
    # Materialized once (a local checkpoint cuts the lineage to the database): the
    # count, the watermark and writeSql (a MERGE may scan its source twice) all see
    # the same rows, and a lost block fails the job instead of reading the live table again.
    frame = reader.load().localCheckpoint(eager=True)
    rows = frame.count()
    frame.createOrReplaceTempView(step["view"])
    run_sql(ctx.spark, step["writeSql"], ctx.params)
    param = step.get("watermarkParameter")
    if param and step.get("incrementalColumn"):
        newest = frame.selectExpr(f"max(`{check_column(step['incrementalColumn'])}`)")
        first = newest.take(1)
        value = format_watermark(first[0][0] if first else None, is_ntz(newest))
        if value is not None:
            ctx.watermarks[param] = value
    return rows
