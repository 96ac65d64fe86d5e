"""`publish` steps: when no `error` check failed, every audited table's main is
fast-forwarded to its audit branch and the branch dropped; otherwise main stays as
it was and the branches are kept for inspection (their `RETAIN` days).

A commit that reached main of an audited table since its branch was created
(another writer, maintenance, a managed compaction) raises PublishConflict before
anything is published: the job runs its writes again on fresh branches (job.py)."""
from __future__ import annotations

from typing import Any

from ..context import Context
from ..quality import WAP_BRANCH_CONF, PublishConflict, QualityStop, drop_branch, fast_forward, main_snapshot

REQUIRED = ("attempts",)


def run(ctx: Context, step: dict[str, Any]) -> int | None:
    q = ctx.audit()
    ctx.spark.conf.unset(WAP_BRANCH_CONF)
    q.settle()
    if q.status == "failed":
        q.kept = [{"table": key, "branch": q.branch} for key in q.audited]
        raise QualityStop()
    moved = [key for key, a in q.audited.items() if main_snapshot(ctx.spark, a.table) != a.base]
    if moved:
        raise PublishConflict(moved)
    for key, a in q.audited.items():
        head = main_snapshot(ctx.spark, a.table, q.branch)
        try:
            fast_forward(ctx.spark, q.catalog, a.table, q.branch)
        except PublishConflict as conflict:
            # Checked just above: a commit raced the fast-forwards. What is published stays.
            raise PublishConflict(conflict.tables, list(q.published)) from conflict
        drop_branch(ctx.spark, a.table, q.branch)
        q.published.append(key)
        ctx.runtime.emit(event="publish", table=key, branch=q.branch, snapshot=head, previous=a.base)
    return None
