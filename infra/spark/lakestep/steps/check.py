"""`check` steps: one quality check of an audited table, read on its audit branch.

The query returns the failing rows (their count in `_lakestep_failing` and the
columns that identify each one) or, for `row_count`, one row with `_lakestep_rows`.
Values of masked columns are `***` before they leave this module."""
from __future__ import annotations

from typing import Any

from ..context import Context
from ..params import inline_markers
from ..quality import WAP_BRANCH_CONF
from ..values import JobError

REQUIRED = ("table", "check", "checkKind", "severity", "sql")
FAILING = "_lakestep_failing"
ROWS = "_lakestep_rows"
MASK = "***"
SAMPLES = 10


def validate(step: dict[str, Any]) -> None:
    if step["severity"] not in ("error", "warn"):
        raise JobError(f"step {step['name']}: unknown severity {step['severity']!r}")
    if step["checkKind"] == "row_count" and not isinstance(step.get("rowCount"), dict):
        raise JobError(f"step {step['name']}: row_count needs rowCount")


def _as_dict(row: Any) -> dict[str, Any]:
    return row.asDict() if hasattr(row, "asDict") else dict(row)


def _text(value: Any) -> str:
    return "NULL" if value is None else str(value)


def _count(session: Any, sql: str) -> int:
    rows = session.sql(sql).take(1)
    return int(_as_dict(rows[0])[ROWS]) if rows else 0


def _count_on_main(session: Any, sql: str) -> int:
    """A count of an older snapshot: Iceberg refuses `VERSION AS OF` while the session
    writes to an audit branch ("Cannot override ref"), so the branch is set aside meanwhile."""
    branch = session.conf.get(WAP_BRANCH_CONF, None)
    if branch is not None:
        session.conf.unset(WAP_BRANCH_CONF)
    try:
        return _count(session, sql)
    finally:
        if branch is not None:
            session.conf.set(WAP_BRANCH_CONF, branch)


def evaluate(session: Any, step: dict[str, Any], base: int | None) -> dict[str, Any]:
    """The result of one check: status, failing rows (or rows counted) and sample keys."""
    result = {"table": step["table"], "check": step["check"], "kind": step["checkKind"], "severity": step["severity"]}
    if step["checkKind"] == "row_count":
        bounds = step["rowCount"]
        rows = _count(session, step["sql"])
        if bounds.get("baseSql"):
            # Spark binds no parameter in VERSION AS OF: the snapshot id (an integer read here) is inlined.
            rows -= 0 if base is None else _count_on_main(session, inline_markers(
                bounds["baseSql"], {"audit_base_snapshot": str(int(base))}, "a row count of the batch takes only :audit_base_snapshot"))
        low, high = bounds.get("min"), bounds.get("max")
        failed = (low is not None and rows < low) or (high is not None and rows > high)
        result.update(rows=rows, failing=1 if failed else 0, samples=[], status="failed" if failed else "passed")
        return result
    rows = [_as_dict(r) for r in session.sql(step["sql"]).take(SAMPLES)]
    failing = int(rows[0][FAILING]) if rows else 0
    columns, masked = step.get("sampleColumns") or [], set(step.get("maskedColumns") or [])
    samples = [{c: MASK if c in masked else _text(r[c]) for c in columns if c in r} for r in rows]
    result.update(failing=failing, samples=[s for s in samples if s], status="failed" if failing else "passed")
    return result


def run(ctx: Context, step: dict[str, Any]) -> int | None:
    q = ctx.audit()
    audited = q.audited.get(step["table"])
    if audited is None:
        raise JobError(f"step {step['name']}: {step['table']} has no audit step before it")
    result = evaluate(ctx.spark, step, audited.base)
    q.results.append(result)
    ctx.runtime.emit(event="check", **{k: v for k, v in result.items() if k != "samples"})
    return None
