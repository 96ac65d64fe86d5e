"""`watermark` steps: one value read by a query, reported and bindable by later steps."""
from __future__ import annotations

from typing import Any

from ..context import Context
from ..params import run_sql
from ..values import format_watermark, is_ntz

REQUIRED = ("key", "sql")


def run(ctx: Context, step: dict[str, Any]) -> int | None:
    frame = run_sql(ctx.spark, step["sql"], ctx.params)
    first = frame.take(1)
    value = format_watermark(first[0][0] if first else None, is_ntz(frame))
    if value is not None:
        ctx.watermarks[step["key"]] = value
    # Later steps of the job may bind it (e.g. a MERGE bounded by the value read
    # before it); empty when there is nothing new.
    ctx.params[step["key"]] = value or ""
    return None
