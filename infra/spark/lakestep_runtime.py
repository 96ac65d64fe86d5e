"""lakestep runtime: runs one lakestep job document on EMR Serverless.

    lakestep_runtime.py --job s3://<bucket>/<key>.json --result s3://<bucket>/<key>.json
                        [--param name=value ...]

The job document (`JobDocument` in src/build/types.ts) is an ordered list of
steps: `sql`, `jdbc_extract`, `kafka`, `watermark`. They run in order; after the
last one the result `{"watermarks", "rows", "steps"}` is written to `--result`.
Any failure raises, so EMR marks the job run failed and the state machine's
Retry/Catch takes over; no result file is written then.

pyspark and boto3 are imported lazily so the module (and its tests, which inject
fakes through `Runtime`) load with the Python standard library alone.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Callable

REQUIRED_PARAMS = ("ds", "ts", "run_id")
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
ISO_TS = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?$"
)
NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
NUMBER_WIDTH = 20
_PART = r"(?:`[A-Za-z_][A-Za-z0-9_]*`|[A-Za-z_][A-Za-z0-9_]*)"
TABLE_NAME = re.compile(rf"^{_PART}(?:\.{_PART}){{1,2}}$")
# One fixed-width format: DynamoDB compares watermarks as strings.
WATERMARK_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
CONTINUOUS_TRIGGER = "1 minute"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
DEFAULT_PORTS = {"postgresql": 5432, "oracle": 1521}
JDBC_DRIVERS = {"postgresql": "org.postgresql.Driver", "oracle": "oracle.jdbc.OracleDriver"}


class JobError(Exception):
    """A job document, parameter or secret that the runtime refuses."""


# ---------------------------------------------------------------- arguments


@dataclass(frozen=True)
class Args:
    job: str
    result: str
    params: dict[str, str]


def parse_args(argv: list[str]) -> Args:
    """Parse the EMR `EntryPointArguments`; `--param` repeats, the value may be empty."""
    parser = argparse.ArgumentParser(prog="lakestep_runtime.py")
    parser.add_argument("--job", required=True, help="s3:// URI of the job document")
    parser.add_argument("--result", required=True, help="s3:// URI the result JSON is written to")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    ns = parser.parse_args(argv)
    params: dict[str, str] = {}
    for item in ns.param:
        name, sep, value = item.partition("=")
        if not sep or not IDENT.match(name):
            parser.error(f"--param expects name=value with an identifier name, got {item!r}")
        params[name] = value
    missing = [p for p in REQUIRED_PARAMS if not params.get(p)]
    if missing:
        parser.error(f"missing required parameters: {', '.join(missing)}")
    try:
        split_s3_uri(ns.job)
        split_s3_uri(ns.result)
        parse_timestamp(params["ts"])
    except JobError as exc:
        parser.error(str(exc))
    return Args(job=ns.job, result=ns.result, params=params)


def split_s3_uri(uri: str) -> tuple[str, str]:
    match = re.match(r"^s3://([^/]+)/(.+)$", uri)
    if not match:
        raise JobError(f"not an s3://bucket/key URI: {uri!r}")
    return match.group(1), match.group(2)


# ---------------------------------------------------------------- timestamps


def parse_timestamp(value: str) -> datetime:
    """Parse a strict ISO-8601 timestamp (or date) into an aware UTC datetime.

    Parsed by hand rather than `datetime.fromisoformat`, whose accepted forms
    differ between Python 3.9 (EMR 7) and 3.11.
    """
    match = ISO_TS.match(value)
    if not match:
        raise JobError(f"not an ISO-8601 timestamp: {value!r}")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        zone = timezone.utc
        if offset and offset != "Z":
            sign = -1 if offset[0] == "-" else 1
            digits = offset[1:].replace(":", "")
            zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        parsed = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
            int((fraction or "0")[:6].ljust(6, "0")), tzinfo=zone,
        )
    except ValueError as exc:
        raise JobError(f"not an ISO-8601 timestamp: {value!r}") from exc
    return parsed.astimezone(timezone.utc)


def cutoff_values(ts: str | datetime, cutoffs: dict[str, int]) -> dict[str, str]:
    """`ts` (ISO text, or an aware datetime) minus N seconds, as `YYYY-MM-DD HH:MM:SS`
    in UTC (the session time zone)."""
    base = ts.astimezone(timezone.utc) if isinstance(ts, datetime) else parse_timestamp(ts)
    out = {}
    for name, seconds in cutoffs.items():
        if not IDENT.match(name) or isinstance(seconds, bool) or not isinstance(seconds, int):
            raise JobError(f"invalid cutoff {name!r}: {seconds!r}")
        out[name] = (base - timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S")
    return out


def format_watermark(value: Any, ntz: bool = False) -> str | None:
    """Render a watermark value: timestamps as fixed-width ISO UTC, numbers as strings.

    `ntz`: the column is TIMESTAMP_NTZ (wall-clock, read as UTC). A naive value of a
    TIMESTAMP column is in the driver's local zone, which is how PySpark converts it.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise JobError("a watermark cannot be a boolean")
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc) if ntz else value.astimezone()
        return value.astimezone(timezone.utc).strftime(WATERMARK_FORMAT)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc).strftime(WATERMARK_FORMAT)
    if isinstance(value, (int, Decimal, float)):
        return sortable_number(format(Decimal(repr(value) if isinstance(value, float) else value), "f"))
    if isinstance(value, str):
        if NUMBER.match(value):
            return sortable_number(value)
        return parse_timestamp(value).strftime(WATERMARK_FORMAT)
    raise JobError(f"unsupported watermark value type {type(value).__name__}")


def sortable_number(text: str) -> str:
    """A non-negative number with its integer part zero-padded to NUMBER_WIDTH digits.

    DynamoDB's "never backwards" condition compares watermarks as strings: padded,
    string order is numeric order ("9" < "10" fails as strings, "…09" < "…10" holds).
    """
    if not NUMBER.match(text) or text.startswith("-"):
        raise JobError(f"a numeric watermark must be a non-negative number, got {text!r}")
    whole, dot, fraction = text.partition(".")
    return whole.lstrip("0").rjust(NUMBER_WIDTH, "0") + dot + fraction


# ---------------------------------------------------------------- SQL parameters


def _scan_markers(sql: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each `:name` marker outside literals, quoted names and comments."""
    markers = []
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"`":
            i += 1
            while i < n and sql[i] != c:
                i += 2 if sql[i] == "\\" and c != "`" else 1
            i += 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif sql.startswith("::", i):
            i += 2  # a cast, not a marker
        elif c == ":":
            match = re.match(r"[A-Za-z_][A-Za-z0-9_]*", sql[i + 1 :])
            if match:
                markers.append((i, i + 1 + match.end(), match.group(0)))
                i += 1 + match.end()
            else:
                i += 1
        else:
            i += 1
    return markers


def parameter_markers(sql: str) -> list[str]:
    """Names of the named parameter markers in `sql`, in order of first use."""
    return list(dict.fromkeys(name for _, _, name in _scan_markers(sql)))


def bind_args(sql: str, params: dict[str, str]) -> dict[str, str]:
    """The parameters `sql` uses, and only those: Spark rejects some statements given any args."""
    names = parameter_markers(sql)
    missing = [name for name in names if name not in params]
    if missing:
        raise JobError(f"unbound parameter markers: {', '.join(':' + m for m in missing)}")
    return {name: params[name] for name in names}


def is_call(sql: str) -> bool:
    stripped = re.sub(r"^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*", "", sql, flags=re.S)
    return re.match(r"CALL\b", stripped, flags=re.I) is not None


def inline_cutoffs(sql: str, cutoffs: dict[str, str]) -> str:
    """Inline cutoff markers of a `CALL` as string literals; refuse any other marker.

    Iceberg procedure arguments are not bound by Spark; the cutoffs are computed
    here from the run timestamp (fixed format, no quotes), never user input.
    """
    out, last = [], 0
    for start, end, name in _scan_markers(sql):
        if name not in cutoffs:
            raise JobError(f"CALL statements take only cutoff parameters, found :{name}")
        out.append(sql[last:start])
        out.append(f"'{cutoffs[name]}'")
        last = end
    out.append(sql[last:])
    return "".join(out)


def run_sql(spark: Any, sql: str, params: dict[str, str]) -> Any:
    """Run one statement with only its own markers bound (no `args` when it has none)."""
    args = bind_args(sql, params)
    return spark.sql(sql, args=args) if args else spark.sql(sql)


# ---------------------------------------------------------------- JDBC


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


def check_table(name: str) -> str:
    if not all(IDENT.match(part) for part in name.split(".")):
        raise JobError(f"invalid table name {name!r}")
    return name


def watermark_literal(value: str, lookback_seconds: int = 0) -> str:
    """A strictly validated watermark as a SQL literal: a UTC timestamp `lookback_seconds`
    before it, or the number itself (padding dropped)."""
    if NUMBER.match(value):
        negative, digits = value.startswith("-"), value.lstrip("-")
        whole, dot, fraction = digits.partition(".")
        return ("-" if negative else "") + (whole.lstrip("0") or "0") + dot + fraction
    ts = parse_timestamp(value) - timedelta(seconds=lookback_seconds)
    return "TIMESTAMP '" + ts.strftime("%Y-%m-%d %H:%M:%S.%f") + "'"


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


# ---------------------------------------------------------------- runtime


def _default_spark() -> Any:
    from pyspark.sql import SparkSession  # lazy: not installed where tests run

    # UTC session: cutoffs and watermarks are UTC wall-clock strings.
    return (
        SparkSession.builder.appName("lakestep")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


def aws_region(arn: str | None = None) -> str | None:
    """The region of an ARN (`arn:aws:secretsmanager:eu-west-1:…`), else of the environment.

    boto3 raises NoRegionError for a client without one, and the job's driver need
    not have `AWS_REGION` set.
    """
    parts = (arn or "").split(":")
    if len(parts) > 3 and parts[0] == "arn" and parts[3]:
        return parts[3]
    import os

    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None


def _default_client(service: str, region: str | None = None) -> Any:
    import boto3  # lazy: not installed where tests run

    region = region or aws_region()
    return boto3.client(service, region_name=region) if region else boto3.client(service)


def arn_region(arn: str) -> str | None:
    """The region field of an ARN (`arn:aws:secretsmanager:eu-west-1:…`), None when it has none."""
    parts = arn.split(":")
    return parts[3] if len(parts) > 5 and parts[0] == "arn" and parts[3] else None


def _default_functions() -> Any:
    from pyspark.sql import functions  # lazy

    return functions


def _print_line(line: str) -> None:
    print(line, flush=True)


@dataclass
class Runtime:
    """Everything with side effects, injectable for tests."""

    spark_factory: Callable[[], Any] = _default_spark
    client_factory: Callable[[str], Any] = _default_client
    functions_factory: Callable[[], Any] = _default_functions
    log: Callable[[str], None] = _print_line
    clock: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
    regional_factory: Callable[[str, str], Any] = lambda service, region: _default_client(service, region)
    _clients: dict[str, Any] = field(default_factory=dict)

    def client(self, service: str, region: str | None = None) -> Any:
        """One client per service (and region, when one is given)."""
        key = f"{service}@{region}" if region else service
        if key not in self._clients:
            self._clients[key] = self.client_factory(service, region) if region else self.client_factory(service)
        return self._clients[key]

    def regional_client(self, service: str, region: str | None) -> Any:
        """A client of `region` (e.g. the region of a secret's ARN), else the default one."""
        if region is None:
            return self.client(service)
        key = f"{service}@{region}"
        if key not in self._clients:
            self._clients[key] = self.regional_factory(service, region)
        return self._clients[key]

    def emit(self, **fields: Any) -> None:
        self.log(json.dumps(fields, sort_keys=True, default=str))


@dataclass
class Context:
    runtime: Runtime
    spark: Any
    params: dict[str, str]
    watermarks: dict[str, str] = field(default_factory=dict)

    def secret(self, arn: str) -> str:
        response = self.runtime.regional_client("secretsmanager", arn_region(arn)).get_secret_value(SecretId=arn)
        return response["SecretString"]


def read_s3_json(runtime: Runtime, uri: str) -> Any:
    bucket, key = split_s3_uri(uri)
    body = runtime.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    return json.loads(body)


def write_s3_json(runtime: Runtime, uri: str, value: Any) -> None:
    bucket, key = split_s3_uri(uri)
    body = json.dumps(value, sort_keys=True).encode("utf-8")
    runtime.client("s3").put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")


def parse_secret_json(text: str, arn: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        # `from None`: the decode error would carry the secret text along.
        raise JobError(f"secret {arn} is not a JSON object") from None
    return value


# ---------------------------------------------------------------- steps


def step_sql(ctx: Context, step: dict[str, Any]) -> int | None:
    # `cutoffsFrom: now`: count back from this step's start (e.g. expire every snapshot
    # older than the hard delete just committed), else from the run's ts. Rounded up to
    # the next second: cutoffs are whole seconds, and the commits just made are of this one.
    base = ctx.runtime.now() + timedelta(seconds=1) if step.get("cutoffsFrom") == "now" else ctx.params["ts"]
    cutoffs = cutoff_values(base, step.get("cutoffs") or {})
    clash = sorted(set(cutoffs) & set(ctx.params))
    if clash:
        raise JobError(f"cutoff names shadow run parameters: {', '.join(clash)}")
    if is_call(step["sql"]):
        ctx.spark.sql(inline_cutoffs(step["sql"], cutoffs))
    else:
        run_sql(ctx.spark, step["sql"], {**ctx.params, **cutoffs})
    return None


def step_jdbc_extract(ctx: Context, step: dict[str, Any]) -> int | None:
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
        value = format_watermark(first[0][0] if first else None, _is_ntz(newest))
        if value is not None:
            ctx.watermarks[param] = value
    return rows


def check_column(name: str) -> str:
    if not IDENT.match(name):
        raise JobError(f"invalid column name {name!r}")
    return name


def bootstrap_servers(secret_text: str) -> str:
    """`{"bootstrap_servers": "..."}` or the plain broker list."""
    try:
        value = json.loads(secret_text)
    except ValueError:
        value = secret_text
    if isinstance(value, dict):
        value = value.get("bootstrap_servers")
    if not isinstance(value, str) or not value.strip():
        raise JobError("the Kafka secret holds no bootstrap_servers") from None
    return value.strip()


def secret_kafka_options(secret_text: str) -> dict[str, str]:
    """Optional `"options": {"kafka.security.protocol": "SSL", ...}` of a JSON Kafka secret.

    Only `kafka.*` consumer settings (TLS, SASL) are taken; they may hold
    credentials, so they are never logged.
    """
    try:
        value = json.loads(secret_text)
    except ValueError:
        return {}
    options = value.get("options") if isinstance(value, dict) else None
    if options is None:
        return {}
    if not isinstance(options, dict) or not all(
        isinstance(k, str) and k.startswith("kafka.") and k != "kafka.bootstrap.servers" for k in options
    ):
        raise JobError("the Kafka secret's options must be an object of kafka.* settings")
    return {k: str(v) for k, v in options.items()}


def epoch_millis(value: str) -> int:
    # Integer arithmetic: a float timestamp can land a millisecond short.
    return (parse_timestamp(value) - EPOCH) // timedelta(milliseconds=1)


def kafka_options(step: dict[str, Any], servers: str, params: dict[str, str]) -> dict[str, str]:
    """Kafka source options; `startingTimestamp` only when its parameter is non-empty.

    Spark applies starting options only to a new query: once the checkpoint
    exists the stream resumes from it, so the watermark matters on the first run only.
    """
    for topic in step["topics"]:
        if not re.match(r"^[A-Za-z0-9._-]+$", topic):
            raise JobError(f"invalid Kafka topic {topic!r}")
    options = {
        "kafka.bootstrap.servers": servers,
        "subscribe": ",".join(step["topics"]),
        "startingOffsets": step["startingOffsets"],
    }
    starting = params.get(step.get("startingTimestampParameter") or "", "")
    if starting:
        options["startingTimestamp"] = str(epoch_millis(starting))
        # A partition with no record after the timestamp starts at its end
        # instead of failing the query (the default strategy is "error").
        options["startingOffsetsByTimestampStrategy"] = "latest"
    return options


CORRUPT_COLUMN = "_lakestep_corrupt"
RECORD_FIELDS = ("CAST(key AS STRING) AS key", "CAST(value AS STRING) AS value",
                 "topic", "partition", "offset", "timestamp")
STREAM_PROPERTY = "lakestep.stream"
BATCH_PROPERTY = "lakestep.batch-id"


def decode_stream(stream: Any, step: dict[str, Any], functions: Any) -> Any:
    """The batch view's columns: the payload fields (json, plus the raw text of a message
    that does not parse in `_lakestep_corrupt` and the record as struct `_kafka`), or the
    raw record (raw)."""
    fmt = step["format"]
    if fmt == "json":
        if not step.get("schemaDdl"):
            raise JobError(f"step {step['name']}: format json needs schemaDdl")
        schema = f"{step['schemaDdl']}, `{CORRUPT_COLUMN}` STRING"
        payload = functions.from_json(functions.col("value").cast("string"), schema,
                                      {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": CORRUPT_COLUMN})
        record = functions.struct(*[functions.expr(f) for f in RECORD_FIELDS])
        return stream.select(payload.alias("data"), record.alias("_kafka")).select("data.*", "_kafka")
    if fmt == "raw":
        return stream.selectExpr(*RECORD_FIELDS)
    raise JobError(f"step {step['name']}: format {fmt!r} is not decoded by this runtime")


def last_committed_batch(session: Any, target: str, stream: str) -> int:
    """The highest batch id of `stream` committed to `target` (-1: none), from the snapshot summaries."""
    rows = session.sql(
        f"SELECT max(CAST(summary['{BATCH_PROPERTY}'] AS BIGINT)) FROM {target}.snapshots"
        f" WHERE summary['{STREAM_PROPERTY}'] = :stream", args={"stream": stream}).take(1)
    return -1 if not rows or rows[0][0] is None else int(rows[0][0])


def append_batch(session: Any, target: str, select_sql: str, stream: str, batch_id: int) -> bool:
    """Append the rows of `select_sql` to `target` once per (stream, batch id): a batch
    replayed after a crash between the Iceberg commit and the checkpoint is skipped."""
    if last_committed_batch(session, target, stream) >= batch_id:
        return False
    (session.sql(select_sql).writeTo(target)
     .option(f"snapshot-property.{STREAM_PROPERTY}", stream)
     .option(f"snapshot-property.{BATCH_PROPERTY}", str(batch_id))
     .append())
    return True


def batch_writer(step: dict[str, Any], log: Callable[..., None], counts: list[int]) -> Callable[[Any, int], None]:
    """foreachBatch body: the batch's temp view lives in the batch's own session.

    The batch is persisted so its two writes (target, dead letter) read Kafka once;
    `counts` gets the number of records of each batch.
    """
    stream = step["checkpoint"]

    def write_batch(batch: Any, batch_id: int) -> None:
        session = batch.sparkSession
        batch = batch.persist()
        try:
            counts.append(batch.count())
            batch.createOrReplaceTempView(step["view"])
            written = {"target": append_batch(session, step["target"], step["selectSql"], stream, batch_id)}
            dead = step.get("deadLetter")
            if dead:
                written["deadLetter"] = append_batch(session, dead["target"], dead["selectSql"], stream, batch_id)
        finally:
            batch.unpersist()
        log(event="batch", step=step["name"], batchId=batch_id, rows=counts[-1],
            skipped=[k for k, v in written.items() if not v])

    return write_batch


def step_kafka(ctx: Context, step: dict[str, Any]) -> int | None:
    secret_text = ctx.secret(step["bootstrapServersSecretArn"])
    options = {**secret_kafka_options(secret_text),
               **kafka_options(step, bootstrap_servers(secret_text), ctx.params)}
    reader = ctx.spark.readStream.format("kafka")
    for key, value in options.items():
        reader = reader.option(key, value)
    decoded = decode_stream(reader.load(), step, ctx.runtime.functions_factory())
    counts: list[int] = []
    writer = (
        decoded.writeStream.foreachBatch(batch_writer(step, ctx.runtime.emit, counts))
        .option("checkpointLocation", step["checkpoint"])
    )
    if step["trigger"] == "available_now":
        writer = writer.trigger(availableNow=True)
    else:
        writer = writer.trigger(processingTime=CONTINUOUS_TRIGGER)
    query = writer.start()
    query.awaitTermination()  # raises StreamingQueryException when a batch failed
    return sum(counts)


def _is_ntz(frame: Any) -> bool:
    try:
        return frame.schema.fields[0].dataType.typeName() == "timestamp_ntz"
    except (AttributeError, IndexError):
        return False


def step_watermark(ctx: Context, step: dict[str, Any]) -> int | None:
    frame = run_sql(ctx.spark, step["sql"], ctx.params)
    first = frame.take(1)
    value = format_watermark(first[0][0] if first else None, _is_ntz(frame))
    if value is not None:
        ctx.watermarks[step["key"]] = value
    # Later steps of the job may bind it (e.g. a MERGE bounded by the value read
    # before it); empty when there is nothing new.
    ctx.params[step["key"]] = value or ""
    return None


STEP_RUNNERS: dict[str, Callable[[Context, dict[str, Any]], int | None]] = {
    "sql": step_sql,
    "jdbc_extract": step_jdbc_extract,
    "kafka": step_kafka,
    "watermark": step_watermark,
}

REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "sql": ("sql",),
    "jdbc_extract": ("engine", "secretArn", "fetchSize", "view", "writeSql"),
    "kafka": ("bootstrapServersSecretArn", "topics", "startingOffsets", "checkpoint",
              "format", "view", "target", "selectSql", "trigger"),
    "watermark": ("key", "sql"),
}


def validate_job(doc: Any) -> None:
    """Refuse a malformed job document before any step has side effects."""
    if not isinstance(doc, dict) or doc.get("version") != 1:
        raise JobError("job document must be an object with version 1")
    steps = doc.get("steps")
    if not isinstance(steps, list) or not steps:
        raise JobError("job document has no steps")
    seen: set[str] = set()
    for index, step in enumerate(steps):
        kind = step.get("kind") if isinstance(step, dict) else None
        if kind not in STEP_RUNNERS:
            raise JobError(f"steps[{index}]: unknown kind {kind!r}")
        name = step.get("name")
        if not isinstance(name, str) or not name or name in seen:
            raise JobError(f"steps[{index}]: missing or duplicate name {name!r}")
        seen.add(name)
        missing = [f for f in REQUIRED_FIELDS[kind] if step.get(f) in (None, "", [])]
        if missing:
            raise JobError(f"step {name}: missing {', '.join(missing)}")
        if step.get("cutoffsFrom", "now") != "now":
            raise JobError(f"step {name}: unknown cutoffsFrom {step['cutoffsFrom']!r}")
        if "group" in step and (not isinstance(step["group"], str) or not step["group"]):
            raise JobError(f"step {name}: group must be a non-empty string")
        if "view" in step and not IDENT.match(step["view"]):
            raise JobError(f"step {name}: invalid view name {step['view']!r}")
        if kind == "jdbc_extract" and bool(step.get("table")) == bool(step.get("query")):
            raise JobError(f"step {name}: exactly one of table and query")
        if kind == "jdbc_extract" and step["engine"] not in JDBC_DRIVERS:
            raise JobError(f"step {name}: unsupported engine {step['engine']!r}")
        if kind == "kafka" and not all(TABLE_NAME.match(t) for t in
                                       [step["target"], *([step["deadLetter"]["target"]] if step.get("deadLetter") else [])]):
            raise JobError(f"step {name}: invalid target table name")
        if kind == "kafka" and step["trigger"] not in ("available_now", "continuous"):
            raise JobError(f"step {name}: unknown trigger {step['trigger']!r}")


def run_job(doc: dict[str, Any], params: dict[str, str], runtime: Runtime, spark: Any) -> dict[str, Any]:
    """Run the steps in order and return the result document.

    A failing step without a `group` stops the job. A failing step of a group
    (maintenance: one table) skips the rest of that group only; the other groups
    still run, and the job then raises naming every failed and skipped step.
    """
    ctx = Context(runtime=runtime, spark=spark, params=params)
    rows: dict[str, int] = {}
    done: list[str] = []
    failed: dict[str, str] = {}
    skipped: list[str] = []
    for step in doc["steps"]:
        group = step.get("group")
        line = {"event": "step", "job": doc.get("job"), "step": step["name"], "kind": step["kind"]}
        if group is not None and group in failed:
            skipped.append(step["name"])
            runtime.emit(**line, status="skipped", group=group)
            continue
        started = runtime.clock()
        try:
            count = STEP_RUNNERS[step["kind"]](ctx, step)
        except Exception as exc:
            error = f"{type(exc).__name__}: {str(exc)[:500]}"
            runtime.emit(**line, status="failed", durationSeconds=round(runtime.clock() - started, 3), error=error)
            if group is None:
                raise
            failed[group] = f"{step['name']}: {error}"
            continue
        runtime.emit(**line, status="succeeded", durationSeconds=round(runtime.clock() - started, 3),
                     rows=count)
        if count is not None:
            rows[step["name"]] = count
        done.append(step["name"])
    if failed:
        raise JobError(
            f"{len(failed)} of {len({s.get('group') for s in doc['steps'] if s.get('group')})} groups failed "
            f"({'; '.join(failed.values())}); skipped: {', '.join(skipped) or 'none'}; "
            f"succeeded: {', '.join(done) or 'none'}"
        )
    return {"watermarks": ctx.watermarks, "rows": rows, "steps": done}


def main(argv: list[str] | None = None, runtime: Runtime | None = None) -> int:
    runtime = runtime or Runtime()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    doc = read_s3_json(runtime, args.job)
    validate_job(doc)
    runtime.emit(event="job", useCase=doc.get("useCase"), workflow=doc.get("workflow"),
                 job=doc.get("job"), catalog=doc.get("catalog"), params=args.params)
    result = run_job(doc, args.params, runtime, runtime.spark_factory())
    write_s3_json(runtime, args.result, result)
    runtime.emit(event="result", uri=args.result, **result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
