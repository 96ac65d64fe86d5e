"""`audit` steps: the job's later writes to a table go to its audit branch."""
from __future__ import annotations

from typing import Any

from ..context import Context
from ..quality import WAP_BRANCH_CONF, Audited, create_branch
from ..values import TABLE_NAME, JobError

REQUIRED = ("table", "key", "retainDays")


def validate(step: dict[str, Any]) -> None:
    if not TABLE_NAME.match(step["table"]):
        raise JobError(f"step {step['name']}: invalid table name")


def run(ctx: Context, step: dict[str, Any]) -> int | None:
    q = ctx.audit()
    base = create_branch(ctx.spark, step["table"], q.branch, step["retainDays"])
    q.audited[step["key"]] = Audited(table=step["table"], base=base)
    # Every write-audit-publish enabled table the session writes from now on goes to
    # this branch (a table without the branch reads and writes main).
    ctx.spark.conf.set(WAP_BRANCH_CONF, q.branch)
    return None
