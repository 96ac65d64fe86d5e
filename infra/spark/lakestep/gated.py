"""Kafka micro-batches through audit branches: each batch is appended to a branch of
its own, checked there and published by fast-forward; a batch that fails an `error`
check raises inside foreachBatch, so Spark never commits it to the checkpoint and
the next run reads the same offsets again. A continuous stream cannot wait for its
checks: they run after each commit and report as warnings."""
from __future__ import annotations

from typing import Any, Callable

from .commits import append_batch, last_committed_batch, write_batch
from .quality import WAP_BRANCH_CONF, PublishConflict, Quality, QualityStop, create_branch, drop_branch, fast_forward, main_snapshot
from .steps.check import evaluate


def gated_append(session: Any, step: dict[str, Any], batch_id: int, quality: Quality) -> bool:
    """Write, check and publish one batch of `step`'s target; False when it was committed before."""
    audit, target, stream = step["audit"], step["target"], step["checkpoint"]
    if last_committed_batch(session, target, stream) >= batch_id:
        return False
    for attempt in range(1, int(audit["attempts"]) + 1):
        branch = quality.batch_branch(attempt, batch_id)
        base = create_branch(session, target, branch, audit["retainDays"])
        session.conf.set(WAP_BRANCH_CONF, branch)
        try:
            write_batch(session, target, step["selectSql"], stream, batch_id)
            # The batch's own rows: a stream would otherwise re-read the whole table every batch.
            session.sql(step["selectSql"]).createOrReplaceTempView(audit["rowsView"])
            results = [evaluate(session, c, base) for c in audit["checks"]]
        finally:
            session.conf.unset(WAP_BRANCH_CONF)
        failed = [r for r in results if r["status"] == "failed" and r["severity"] == "error"]
        if failed:
            quality.results.extend(results)
            quality.kept.append({"table": audit["key"], "branch": branch})
            quality.status = "failed"
            raise QualityStop(f"batch {batch_id} of {step['name']} failed {', '.join(r['check'] for r in failed)}")
        try:
            if main_snapshot(session, target) != base:
                raise PublishConflict([audit["key"]])
            fast_forward(session, quality.catalog, target, branch)
        except PublishConflict as conflict:
            drop_branch(session, target, branch)
            if attempt == int(audit["attempts"]):
                quality.status, quality.conflict = "conflict", f"{conflict}; {attempt} attempt(s) for batch {batch_id}"
                raise QualityStop(quality.conflict) from conflict
            continue
        drop_branch(session, target, branch)
        quality.results.extend(results)
        if audit["key"] not in quality.published:
            quality.published.append(audit["key"])
        return True
    return False


def checks_after_commit(session: Any, step: dict[str, Any], quality: Quality, log: Callable[..., None]) -> None:
    """A continuous stream's checks, after the batch committed to main: warnings only."""
    session.sql(step["selectSql"]).createOrReplaceTempView(step["audit"]["rowsView"])
    for check in step["audit"]["checks"]:
        result = evaluate(session, {**check, "severity": "warn"}, None)
        quality.results.append(result)
        log(event="check", afterCommit=True, **{k: v for k, v in result.items() if k != "samples"})


__all__ = ["append_batch", "checks_after_commit", "gated_append"]
