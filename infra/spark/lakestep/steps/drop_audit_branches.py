"""`drop_audit_branches` steps (a hard delete, before it expires snapshots): every
audit branch a failed check kept is dropped, so no deleted row stays reachable
through one once the snapshots it references expire."""
from __future__ import annotations

from typing import Any

from ..context import Context
from ..quality import BRANCH_PREFIX, drop_branch
from ..values import IDENT, TABLE_NAME, JobError

REQUIRED = ("table",)


def validate(step: dict[str, Any]) -> None:
    if not TABLE_NAME.match(step["table"]):
        raise JobError(f"step {step['name']}: invalid table name")


def run(ctx: Context, step: dict[str, Any]) -> int | None:
    rows = ctx.spark.sql(f"SELECT name FROM {step['table']}.refs WHERE type = 'BRANCH'").collect()
    dropped = sorted(r[0] for r in rows if str(r[0]).startswith(BRANCH_PREFIX) and IDENT.match(str(r[0])))
    for name in dropped:
        drop_branch(ctx.spark, step["table"], name)
    ctx.runtime.emit(event="drop_audit_branches", table=step["table"], dropped=dropped)
    return len(dropped)
