"""Everything with side effects (Spark, AWS clients, clock, log), injectable for
tests, and the per-job context the steps share."""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from .args import split_s3_uri
from .quality import Owner, Quality
from .values import JobError


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
    catalog: str = ""
    owner: Owner = Owner("", "", "")
    quality: Quality | None = None

    def audit(self) -> Quality:
        """The job's write-audit-publish state, created by its first `audit` step (or gated Kafka batch)."""
        if self.quality is None:
            self.quality = Quality(run_id=self.params["run_id"], catalog=self.catalog, owner=self.owner)
        return self.quality

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
