"""`kafka` steps: Spark Structured Streaming from Kafka into Iceberg with foreachBatch,
each batch written once per (stream, batch id)."""
from __future__ import annotations

import json
import re
from typing import Any, Callable

from ..context import Context
from ..values import TABLE_NAME, JobError, epoch_millis

REQUIRED = ("bootstrapServersSecretArn", "topics", "startingOffsets", "checkpoint",
            "format", "view", "target", "selectSql", "trigger")
CONTINUOUS_TRIGGER = "1 minute"
CORRUPT_COLUMN = "_lakestep_corrupt"
RECORD_FIELDS = ("CAST(key AS STRING) AS key", "CAST(value AS STRING) AS value",
                 "topic", "partition", "offset", "timestamp")
STREAM_PROPERTY = "lakestep.stream"
BATCH_PROPERTY = "lakestep.batch-id"


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


def validate(step: dict[str, Any]) -> None:
    if not all(TABLE_NAME.match(t) for t in [step["target"], *([step["deadLetter"]["target"]] if step.get("deadLetter") else [])]):
        raise JobError(f"step {step['name']}: invalid target table name")
    if step["trigger"] not in ("available_now", "continuous"):
        raise JobError(f"step {step['name']}: unknown trigger {step['trigger']!r}")


def run(ctx: Context, step: dict[str, Any]) -> int | None:
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
