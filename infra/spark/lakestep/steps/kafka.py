"""`kafka` steps: Spark Structured Streaming from Kafka into Iceberg with foreachBatch,
each batch written once per (stream, batch id)."""
from __future__ import annotations

import json
import re
from typing import Any, Callable

from ..context import Context
from ..commits import append_batch
from ..gated import checks_after_commit, gated_append
from ..quality import WAP_BRANCH_CONF, Quality, QualityStop
from ..values import IDENT, TABLE_NAME, JobError, epoch_millis
from . import check as check_step

REQUIRED = ("bootstrapServersSecretArn", "topics", "startingOffsets", "checkpoint",
            "format", "view", "target", "selectSql", "trigger")
CONTINUOUS_TRIGGER = "1 minute"
CORRUPT_COLUMN = "_lakestep_corrupt"
RECORD_FIELDS = ("CAST(key AS STRING) AS key", "CAST(value AS STRING) AS value",
                 "topic", "partition", "offset", "timestamp")


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


def batch_writer(step: dict[str, Any], log: Callable[..., None], counts: list[int],
                 quality: Quality | None = None) -> Callable[[Any, int], None]:
    """foreachBatch body: the batch's temp view lives in the batch's own session.

    The batch is persisted so its two writes (target, dead letter) read Kafka once;
    `counts` gets the number of records of each batch. With `quality` (a gated source),
    the target is written through an audit branch (kafka_audit.py); a batch that fails
    an `error` check raises, so Spark does not commit it to the checkpoint and the next
    run reads it again. The dead letters of a batch are written once its target is published.
    """
    stream = step["checkpoint"]
    audit = step.get("audit")

    def write_batch(batch: Any, batch_id: int) -> None:
        session = batch.sparkSession
        # The stream's session is a copy of the job's: no audit branch of the job's other writes.
        session.conf.unset(WAP_BRANCH_CONF)
        batch = batch.persist()
        try:
            counts.append(batch.count())
            batch.createOrReplaceTempView(step["view"])
            if audit and audit["gated"] and quality is not None:
                written = {"target": gated_append(session, step, batch_id, quality)}
            else:
                written = {"target": append_batch(session, step["target"], step["selectSql"], stream, batch_id)}
                if audit and quality is not None:
                    checks_after_commit(session, step, quality, log)
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
    audit = step.get("audit")
    if audit is not None:
        checks = audit.get("checks") if isinstance(audit, dict) else None
        if not IDENT.match(str(audit.get("rowsView") if isinstance(audit, dict) else "")):
            raise JobError(f"step {step['name']}: audit needs a rowsView name")
        if not isinstance(checks, list) or not checks or not all(isinstance(c, dict) and c.get("sql") for c in checks):
            raise JobError(f"step {step['name']}: audit needs its checks")
        for c in checks:
            check_step.validate(c)


def run(ctx: Context, step: dict[str, Any]) -> int | None:
    secret_text = ctx.secret(step["bootstrapServersSecretArn"])
    options = {**secret_kafka_options(secret_text),
               **kafka_options(step, bootstrap_servers(secret_text), ctx.params)}
    reader = ctx.spark.readStream.format("kafka")
    for key, value in options.items():
        reader = reader.option(key, value)
    decoded = decode_stream(reader.load(), step, ctx.runtime.functions_factory())
    counts: list[int] = []
    quality = ctx.audit() if step.get("audit") else None
    writer = (
        decoded.writeStream.foreachBatch(batch_writer(step, ctx.runtime.emit, counts, quality))
        .option("checkpointLocation", step["checkpoint"])
    )
    if step["trigger"] == "available_now":
        writer = writer.trigger(availableNow=True)
    else:
        writer = writer.trigger(processingTime=CONTINUOUS_TRIGGER)
    query = writer.start()
    try:
        query.awaitTermination()  # raises StreamingQueryException when a batch failed
    except Exception:
        # A batch stopped by its checks: reported in the job's result, the checkpoint left before it.
        if quality is not None and quality.status in ("failed", "conflict"):
            raise QualityStop() from None
        raise
    return sum(counts)
