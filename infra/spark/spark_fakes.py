"""Fakes of the SparkSession, DataFrame, readers, stream writer and boto3 clients
that the runtime tests inject through `lakestep.Runtime`."""
from __future__ import annotations

import io
import json
from typing import Any, Callable

import lakestep as rt


class FakeFrame:
    def __init__(self, session: "FakeSpark", rows: list[tuple] | None = None, type_name: str = "string"):
        self.sparkSession = session
        self.rows = rows or []
        self.persisted = False
        self.unpersisted = False
        self.schema = _Schema(type_name)

    def persist(self) -> "FakeFrame":
        self.persisted = True
        return self

    def unpersist(self) -> "FakeFrame":
        self.unpersisted = True
        return self

    def localCheckpoint(self, eager: bool = True) -> "FakeFrame":
        self.checkpointed = eager
        return self

    def selectExpr(self, *exprs: str) -> "FakeFrame":
        """Only `max(`col`)` of the first column, enough for the JDBC watermark."""
        self.sparkSession.calls.append((f"selectExpr {', '.join(exprs)}", None))
        values = [r[0] for r in self.rows if r and r[0] is not None]
        return FakeFrame(self.sparkSession, rows=[(max(values) if values else None,)])

    def writeTo(self, table: str) -> "FakeWriter":
        return FakeWriter(self, table)


    def count(self) -> int:
        return len(self.rows)

    def take(self, n: int) -> list[tuple]:
        return self.rows[:n]

    def collect(self) -> list[tuple]:
        return list(self.rows)

    def createOrReplaceTempView(self, name: str) -> None:
        self.sparkSession.views[name] = self


class FakeWriter:
    """`DataFrameWriterV2`: records the table, options and rows appended."""

    def __init__(self, frame: "FakeFrame", table: str):
        self.frame, self.table, self.options = frame, table, {}

    def option(self, key: str, value: str) -> "FakeWriter":
        self.options[key] = value
        return self

    def append(self) -> None:
        session = self.frame.sparkSession
        session.appends.append((self.table, dict(self.options), list(self.frame.rows)))
        if session.iceberg is not None:
            session.iceberg.handle(f"INSERT INTO {self.table}", session.conf.values)


class _Type:
    def __init__(self, name: str):
        self.name = name

    def typeName(self) -> str:
        return self.name


class _Field:
    def __init__(self, type_name: str):
        self.dataType = _Type(type_name)


class _Schema:
    def __init__(self, type_name: str):
        self.fields = [_Field(type_name)]


class FakeReader:
    """`spark.read` / `spark.readStream`: records format and options."""

    def __init__(self, session: "FakeSpark", streaming: bool):
        self.session = session
        self.streaming = streaming
        self.fmt: str | None = None
        self.options: dict[str, str] = {}

    def format(self, fmt: str) -> "FakeReader":
        self.fmt = fmt
        return self

    def option(self, key: str, value: str) -> "FakeReader":
        self.options[key] = value
        return self

    def load(self) -> Any:
        self.session.readers.append(self)
        if self.streaming:
            return FakeStream(self.session)
        return FakeFrame(self.session, rows=list(self.session.jdbc_rows))


class FakeStream:
    def __init__(self, session: "FakeSpark"):
        self.session = session
        self.projections: list[tuple] = []
        self.writeStream = FakeStreamWriter(session)

    def select(self, *cols: Any) -> "FakeStream":
        self.projections.append(("select",) + tuple(getattr(c, "expr", c) for c in cols))
        return self

    def selectExpr(self, *exprs: str) -> "FakeStream":
        self.projections.append(("selectExpr",) + exprs)
        return self


class FakeStreamWriter:
    def __init__(self, session: "FakeSpark"):
        self.session = session
        self.batch_fn: Callable[[Any, int], None] | None = None
        self.options: dict[str, str] = {}
        self.triggers: dict[str, Any] = {}

    def foreachBatch(self, fn: Callable[[Any, int], None]) -> "FakeStreamWriter":
        self.batch_fn = fn
        return self

    def option(self, key: str, value: str) -> "FakeStreamWriter":
        self.options[key] = value
        return self

    def trigger(self, **kwargs: Any) -> "FakeStreamWriter":
        self.triggers = kwargs
        return self

    def start(self) -> "FakeQuery":
        self.session.writers.append(self)
        return FakeQuery(self)


class FakeQuery:
    """Runs the configured micro-batches when awaited, each in its own session."""

    def __init__(self, writer: FakeStreamWriter):
        self.writer = writer
        self.recentProgress: list[dict[str, Any]] = []

    def awaitTermination(self) -> None:
        for batch_id, rows in enumerate(self.writer.session.stream_batches):
            batch_session = FakeSpark(self.writer.session.batch_results, iceberg=self.writer.session.iceberg)
            self.writer.session.batch_sessions.append(batch_session)
            self.writer.batch_fn(FakeFrame(batch_session, rows=rows), batch_id)
            self.recentProgress.append({"batchId": batch_id, "numInputRows": len(rows)})


class FakeConf:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def set(self, key: str, value: str) -> None:
        self.values[key] = value

    def unset(self, key: str) -> None:
        self.values.pop(key, None)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


class FakeSpark:
    """Records every `sql` call; `results` maps a SQL substring to a frame or an exception.

    With `iceberg` (iceberg_fakes.FakeIceberg), branch, property and publish statements
    act on that model first; batch sessions share it."""

    def __init__(self, results: dict[str, Any] | None = None, iceberg: Any = None):
        self.iceberg = iceberg
        self.conf = FakeConf()
        self.calls: list[tuple[str, dict | None]] = []
        self.results = results or {}
        self.views: dict[str, FakeFrame] = {}
        self.readers: list[FakeReader] = []
        self.writers: list[FakeStreamWriter] = []
        self.jdbc_rows: list[tuple] = []
        self.stream_batches: list[list[tuple]] = []
        self.batch_results: dict[str, Any] = {}
        self.batch_sessions: list[FakeSpark] = []
        self.appends: list[tuple[str, dict, list]] = []

    def sql(self, text: str, args: dict | None = None) -> FakeFrame:
        self.calls.append((text, args))
        handled = self.iceberg.handle(text, self.conf.values) if self.iceberg is not None else None
        if handled is not None:
            return FakeFrame(self, rows=handled)
        for needle, result in self.results.items():
            if needle in text:
                if isinstance(result, Exception):
                    raise result
                return result
        if text.startswith("SELECT") and "FROM" in text:
            view = self.views.get(text.rsplit("FROM", 1)[1].split()[0].strip("`"))
            if view is not None:
                return FakeFrame(self, rows=list(view.rows))
        return FakeFrame(self)

    @property
    def read(self) -> FakeReader:
        return FakeReader(self, streaming=False)

    @property
    def readStream(self) -> FakeReader:
        return FakeReader(self, streaming=True)


class FakeColumn:
    def __init__(self, expr: str):
        self.expr = expr

    def cast(self, type_name: str) -> "FakeColumn":
        return FakeColumn(f"CAST({self.expr} AS {type_name})")

    def alias(self, name: str) -> "FakeColumn":
        return FakeColumn(f"{self.expr} AS {name}")


class FakeFunctions:
    @staticmethod
    def col(name: str) -> FakeColumn:
        return FakeColumn(name)

    @staticmethod
    def from_json(column: FakeColumn, schema: str, options: dict | None = None) -> FakeColumn:
        return FakeColumn(f"from_json({column.expr}, {schema}, {options})")

    @staticmethod
    def expr(text: str) -> FakeColumn:
        return FakeColumn(text)

    @staticmethod
    def struct(*cols: FakeColumn) -> FakeColumn:
        return FakeColumn(f"struct({', '.join(c.expr for c in cols)})")


class FakeS3:
    def __init__(self, objects: dict[str, Any] | None = None):
        self.objects = {k: v if isinstance(v, bytes) else json.dumps(v).encode() for k, v in (objects or {}).items()}
        self.puts: list[dict[str, Any]] = []

    def get_object(self, Bucket: str, Key: str) -> dict[str, Any]:
        return {"Body": io.BytesIO(self.objects[f"s3://{Bucket}/{Key}"])}

    def put_object(self, **kwargs: Any) -> dict[str, Any]:
        self.puts.append(kwargs)
        self.objects[f"s3://{kwargs['Bucket']}/{kwargs['Key']}"] = kwargs["Body"]
        return {}


class FakeSecrets:
    def __init__(self, secrets: dict[str, str] | None = None):
        self.secrets = secrets or {}
        self.requests: list[str] = []

    def get_secret_value(self, SecretId: str) -> dict[str, str]:
        self.requests.append(SecretId)
        return {"SecretString": self.secrets[SecretId]}


class Harness:
    """A runtime wired to fakes, with the log lines it printed."""

    def __init__(self, spark: FakeSpark | None = None, objects: dict | None = None, secrets: dict | None = None):
        self.spark = spark or FakeSpark()
        self.s3 = FakeS3(objects)
        self.secrets = FakeSecrets(secrets)
        self.lines: list[str] = []
        self.regions: list[str] = []
        clients = {"s3": self.s3, "secretsmanager": self.secrets}
        self.runtime = rt.Runtime(
            spark_factory=lambda: self.spark,
            client_factory=clients.__getitem__,
            regional_factory=lambda service, region: self.regions.append(region) or clients[service],
            functions_factory=lambda: FakeFunctions,
            log=self.lines.append,
            clock=iter(range(0, 10_000)).__next__,
        )

    def context(self, params: dict[str, str]) -> rt.Context:
        return rt.Context(runtime=self.runtime, spark=self.spark, params=params)

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.lines]


PARAMS = {"ds": "2026-11-26", "ts": "2026-11-26T06:00:00Z", "run_id": "run-1"}
