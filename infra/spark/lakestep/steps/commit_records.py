"""`commit_records` steps (before lakestep expires snapshots of a table): the newest
Kafka batch id of every stream in main's snapshot summaries is carried into a table
property, so a batch replayed after a crash is still recognised once those snapshots
are gone (commits.py)."""
from __future__ import annotations

from typing import Any

from ..commits import carry_forward
from ..context import Context
from ..values import TABLE_NAME, JobError

REQUIRED = ("table",)


def validate(step: dict[str, Any]) -> None:
    if not TABLE_NAME.match(step["table"]):
        raise JobError(f"step {step['name']}: invalid table name")


def run(ctx: Context, step: dict[str, Any]) -> int | None:
    carried = carry_forward(ctx.spark, step["table"])
    ctx.runtime.emit(event="commit_records", table=step["table"], carried=len(carried))
    return None
